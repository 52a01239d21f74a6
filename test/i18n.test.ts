/**
 * The interface speaks the site's language: a Spanish publication's pages,
 * every kind of them, show the Spanish table's words and not one English
 * word of the interface; dates are written in each language at every
 * precision; the tables have the same shape; a language without a table
 * falls back to English.
 */
import { parseDocument } from 'htmlparser2'
import type { AnyNode, Element } from 'domhandler'
import { describe, expect, it } from 'vitest'
import { compileContent } from '../src/content/compile.ts'
import { displayPartial } from '../src/content/dates.ts'
import { hasInterfaceLanguage, LANGUAGES, wordsFor, type Words } from '../src/i18n.ts'
import { monthName } from '../src/pages/archive.tsx'
import { displayDate } from '../src/pages/entry.tsx'
import { appFor, files, type EntrySpec } from './helpers.ts'
import valbrune from './generated/valbrune.ts'

const en = wordsFor('en')
const es = wordsFor('es')

/** A small publication written in Spanish, with every kind of page and date the interface has words for. */
const SITE = `title: Crónica de Valdeluz
description: Noticias del ayuntamiento de Valdeluz, un pueblo inventado.
url: https://valdeluz.test
language: es-MX
archivePageSize: 10
publisher:
  name: Redacción de Valdeluz
`
const TOPICS = `- slug: obras
  title: Obras públicas
  description: Calles, puentes y caminos del pueblo.
- slug: presupuesto
  title: Presupuesto
  description: Cuánto gasta el ayuntamiento y en qué.
- slug: biblioteca
  title: Biblioteca
  description: La biblioteca municipal y sus horarios.
`
const PEOPLE = `- id: ana
  name: Ana Robles
  role: Alcaldesa de Valdeluz.
- id: beto
  name: Beto Salinas
  role: Concejal del barrio del río.
`
const SOURCES = `- file: doc-1.txt
  slug: acta-de-marzo
  publication: Ayuntamiento de Valdeluz
  headline: Acta de la sesión de marzo
  date: "2025-03-11"
- file: doc-2.txt
  slug: aviso-del-puente
  description: un aviso sin fecha colgado en el puente
- file: doc-3.txt
  slug: carta-de-la-biblioteca
  description: una carta sobre el horario de la biblioteca
  date: "2025-06"
  dateInferred: true
  dateBasis: La carta habla de «las primeras semanas del verano».
- file: doc-4.txt
  slug: gaceta-presupuesto
  publication: La Gaceta del Valle
  author: Rosa Peña
  headline: Se aprueba el presupuesto
  date: "2025-11-20"
`

const ENTRIES: EntrySpec[] = [
  // Twelve works entries a day apart: archive pages exist with the smallest page size.
  ...Array.from({ length: 12 }, (_, i) => ({
    id: `obra-${i + 1}`,
    front: {
      title: `Arreglo de la calle ${i + 1}`,
      summary: `Los obreros arreglan la calle número ${i + 1}.`,
      published: `2025-03-${String(i + 1).padStart(2, '0')}`,
      topics: ['obras'],
      people: ['ana'],
      sources: [{ document: 'doc-1.txt' }],
    },
    body: 'Las obras duran una semana.',
  })),
  {
    id: 'sesion',
    front: {
      title: 'El cabildo discute el dinero del puente',
      summary: 'Los concejales no se ponen de acuerdo sobre cómo pagar el puente.',
      published: '2025-05-03T10:30:00-06:00',
      updated: '2025-05-06',
      topics: ['obras', 'presupuesto'],
      people: ['ana', 'beto'],
      sources: [
        { document: 'doc-1.txt' },
        { document: 'doc-4.txt', credits: ['La Gaceta del Valle'] },
      ],
      corrections: [
        { date: '2025-05-05', text: 'Una versión anterior daba mal la fecha de la votación.' },
        { date: '2025-05-06', text: 'Un apellido estaba mal escrito.' },
      ],
      quotes: [
        {
          speaker: 'ana',
          text: 'El puente es la puerta del pueblo.',
          document: 'doc-1.txt',
          said: '2025-03-11',
          saidInferred: true,
          where: 'En el salón de plenos',
          note: 'El acta recoge sus palabras completas.',
        },
        { speaker: 'beto', text: 'No con el dinero de los parques.', document: 'doc-4.txt' },
      ],
    },
    body: 'En la sesión de marzo el cabildo discutió el **puente**.',
  },
  {
    id: 'carta',
    front: {
      title: 'Una carta pide abrir la biblioteca los domingos',
      summary: 'La bibliotecaria escribió al ayuntamiento.',
      published: '2025-06',
      dateInferred: true,
      dateBasis: 'La carta habla de «las primeras semanas del verano».',
      topics: ['biblioteca'],
      people: ['beto'],
      sources: [{ document: 'doc-3.txt' }],
      quotes: [
        {
          speaker: 'beto',
          text: 'Un pueblo que lee necesita su biblioteca.',
          document: 'doc-3.txt',
        },
      ],
    },
    body: 'La carta pide abrir los domingos por la tarde.',
  },
  {
    id: 'mayo',
    front: {
      title: 'Limpieza del parque',
      summary: 'Vecinos limpian el parque un sábado.',
      published: '2025-05',
      topics: ['obras'],
      sources: [{ document: 'doc-2.txt' }],
    },
    body: 'Unos cuarenta vecinos limpiaron el parque.',
  },
  {
    id: 'anual',
    front: {
      title: 'El informe del ayuntamiento sobre 2024',
      summary: 'Un repaso del año.',
      published: '2024',
      topics: ['presupuesto'],
      people: ['ana'],
      sources: [{ document: 'doc-4.txt' }],
    },
    body: 'El año se fue en el presupuesto.',
  },
  {
    id: 'in-english',
    front: {
      title: 'Bridge works begin',
      summary: 'Workers begin on the bridge deck.',
      language: 'en',
      published: '2025-06-15',
      topics: ['biblioteca'],
      sources: [{ document: 'doc-2.txt' }],
    },
    body: 'The deck is closed to cars.',
  },
  {
    id: 'retirada',
    front: {
      title: 'Una noticia retirada',
      summary: 'Se retiró.',
      published: '2025-03-20',
      topics: ['presupuesto'],
      sources: [{ document: 'doc-1.txt' }],
      withdrawn: { date: '2025-03-25', reason: 'No se pudo confirmar.', by: 'La redacción' },
    },
    body: 'Texto retirado.',
  },
]

const content = compileContent(
  files(ENTRIES, { site: SITE, topics: TOPICS, people: PEOPLE, sources: SOURCES }),
)
const app = appFor(content)
const HTML = { Accept: 'text/html' }

/** One of each kind of page, and what it must say in Spanish; the crawl adds every page they link to. */
const PAGES: [path: string, status: number, spanish: string[]][] = [
  ['/', 200, [es.latest, es.subscribeSite, es.scopes.topic.many, es.home.topicsIntro]],
  ['/topics', 200, [es.topicsIndex.lead, es.entries(14)]],
  [
    '/topics/obras',
    200,
    [es.scopes.topic.one, es.topic.buildLink, es.topic.alsoIn, es.topic.submit],
  ],
  ['/topics/obras?topic=presupuesto&format=atom', 200, [es.topic.itsAddress, es.topic.openFeed]],
  ['/topics/obras?since=nunca', 400, [es.topic.cannotBuild]],
  ['/people', 200, [es.scopes.person.many, es.people.lead]],
  ['/people/ana', 200, [es.scopes.person.one, es.people.searchTheirs, es.people.onThisPage]],
  ['/sources', 200, [es.scopes.source.many, es.sources.lead]],
  [
    '/sources/acta-de-marzo',
    200,
    [es.scopes.source.one, es.sources.publication, es.sources.stated],
  ],
  ['/sources/carta-de-la-biblioteca', 200, [es.sources.notGiven, 'junio de 2025']],
  [
    '/entries/sesion',
    200,
    [
      '3 de mayo de 2025, 10:30 (UTC−06:00)',
      es.entry.corrections(2),
      es.quotesHeading,
      es.entry.followTopics,
      es.entry.dateInferred,
      es.entry.credits('La Gaceta del Valle'),
    ],
  ],
  ['/entries/carta', 200, [es.entry.howInferred, 'junio de 2025']],
  ['/entries/in-english', 200, [es.scopes.source.many, es.entry.followTopics]],
  ['/entries/retirada', 410, [es.gone.heading, es.gone.reason, '25 de marzo de 2025']],
  [
    '/archive',
    200,
    [es.archive.indexLead(17, 1, 10), 'Mayo de 2025', '2024 (fecha conocida solo por el año)'],
  ],
  ['/archive/1', 200, [es.archive.lead(10), es.archive.asFeed, 'Página 1 de 1 del archivo']],
  ['/archive/2025/05', 200, ['Mayo de 2025', es.month.monthOnly('mayo de 2025')]],
  ['/archive/2024/year', 200, ['2024 (fecha conocida solo por el año)']],
  ['/archive/2025/03', 200, [es.archive.olderAndNewer, 'Marzo de 2025']],
  ['/search', 200, [es.search.title, es.search.label]],
  ['/search?q=puente', 200, [es.search.results, es.search.follow, 'coincide']],
  ['/search?q=zzzz', 200, [es.search.none]],
  [
    '/search?q=puente&topic=obras&exclude=biblioteca&person=ana&since=2025-01-01',
    200,
    ['en Obras públicas'],
  ],
  ['/search?q=' + 'x'.repeat(300), 400, [es.search.cannotRun]],
  ['/subscribe', 200, [es.subscribeTitle('Crónica de Valdeluz'), es.everything]],
  ['/topics/obras/subscribe', 200, [es.backTo('Obras públicas')]],
  ['/nope', 404, [es.errors.titles[404], es.errors.leads[404], es.errors.startFrom]],
  ['/archive/2025/13', 400, [es.errors.titles[400], es.errors.leads[400]]],
]

/** The strings a person reads on a page: text and the attributes that are words, leaving out style, script and text marked as English. */
function readable(html: string): string {
  const parts: string[] = []
  const walk = (nodes: AnyNode[]) => {
    for (const node of nodes) {
      if (node.type === 'text') parts.push(node.data)
      if (!('attribs' in node)) continue
      const element = node as Element
      if (element.name === 'style' || element.name === 'script') continue
      if (element.name !== 'html' && element.attribs.lang?.startsWith('en')) continue
      for (const name of ['title', 'aria-label', 'alt', 'placeholder', 'data-done', 'content'])
        if (element.attribs[name]) parts.push(element.attribs[name]!)
      walk(element.children)
    }
  }
  walk(parseDocument(html, { decodeEntities: true }).children)
  return parts.join('\n').replace(/[ \t]+/g, ' ')
}

const PLACEHOLDER = (i: number) => `\u27e6${i}\u27e7`

/**
 * Sample arguments for a table function: placeholders, and numbers that
 * take each branch (one, many, over a cap). See {@link call}.
 */
function samples(arity: number): unknown[][] {
  return [
    Array.from({ length: arity }, (_, i) => PLACEHOLDER(i)),
    Array.from({ length: arity }, () => 1),
    Array.from({ length: arity }, (_, i) => 7 - i * 2),
    Array.from({ length: arity }, (_, i) => 1 + i * 2),
  ]
}

/** What `f` returns for each sample that suits its parameters (a function of words refuses numbers). */
function call(f: (...args: unknown[]) => unknown): unknown[] {
  return samples(f.length).flatMap((args) => {
    try {
      return [f(...args)]
    } catch (error) {
      if (error instanceof TypeError) return []
      throw error
    }
  })
}

/** Every string of a table: its leaves, and the words its functions put around their arguments. */
function phrases(words: unknown): string[] {
  const out: string[] = []
  const visit = (value: unknown) => {
    if (typeof value === 'string') out.push(...value.split(/\u27e6\d+\u27e7/))
    else if (typeof value === 'function') call(value as () => unknown).forEach(visit)
    else if (Array.isArray(value)) value.forEach(visit)
    else if (value && typeof value === 'object') Object.values(value).forEach(visit)
  }
  visit(words)
  return [...new Set(out.map((s) => s.trim()).filter((s) => /\p{L}/u.test(s)))]
}

/**
 * The English phrases no Spanish page may show: those the Spanish table
 * does not share (a format's name, the loanword "feed").
 */
function englishOnly(): string[] {
  const spanish = phrases(es).join('\n')
  return phrases(en).filter((phrase) => !wordIn(phrase, spanish))
}

function wordIn(phrase: string, text: string): boolean {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(text)
}

/** Where the crawl was redirected, by path. */
const redirects = new Map<string, string>()

/** Visits `paths` and every same-site page they link to or redirect to, once each. */
async function crawl(paths: string[]): Promise<Map<string, { status: number; html: string }>> {
  const seen = new Map<string, { status: number; html: string }>()
  const queue = [...paths]
  while (queue.length && seen.size < 300) {
    const path = queue.shift()!
    if (seen.has(path)) continue
    const res = await app.request(`https://valdeluz.test${path}`, { headers: HTML })
    const html = await res.text()
    seen.set(path, { status: res.status, html })
    const location = res.headers.get('Location')
    if (location) {
      const target = location.replace(/^https:\/\/valdeluz\.test/, '')
      redirects.set(path, target)
      queue.push(target)
    }
    if (!res.headers.get('Content-Type')?.startsWith('text/html')) continue
    for (const [, href] of html.matchAll(/href="(\/[^"#]*)/g)) {
      const link = href!.replace(/&amp;/g, '&')
      if (!/\.(xml|json|css|js|png|ico)$|^\/images\//.test(link) && !seen.has(link))
        queue.push(link)
    }
  }
  return seen
}

let crawled: ReturnType<typeof crawl> | undefined
/** The crawl, made once, by the first test that needs it. */
const site = () => (crawled ??= crawl(PAGES.map(([path]) => path)))

describe('a Spanish site', () => {
  const ENGLISH = englishOnly()

  it('has hundreds of English phrases to look for', () => {
    expect(ENGLISH.length).toBeGreaterThan(150)
    for (const phrase of ['Latest entries', 'Topics', 'entries', 'May', 'Archive by month'])
      expect(ENGLISH).toContain(phrase)
    // Shared with Spanish, so no sign of English.
    for (const phrase of ['RSS', 'Atom', 'JSON Feed', 'Feeds', 'feed'])
      expect(ENGLISH).not.toContain(phrase)
  })

  it.each(PAGES)('%s (%i) is in Spanish', async (path, status, spanish) => {
    const pages = await site()
    let page = pages.get(path)!
    // A search is answered at its canonical spelling.
    if (page.status === 301) page = pages.get(redirects.get(path)!)!
    expect(page.status).toBe(status)
    expect(page.html).toMatch(/^<!doctype html><html lang="es-MX">/)
    const text = readable(page.html)
    for (const words of spanish) expect(text).toContain(words)
    expect(ENGLISH.filter((phrase) => wordIn(phrase, text))).toEqual([])
  })

  it('every page the crawl reaches shows no English word of the interface', async () => {
    const crawled = [...(await site())].filter(([, p]) => p.html.startsWith('<!doctype html>'))
    expect(crawled.length).toBeGreaterThan(60)
    const kinds = new Set(
      crawled.map(([path]) =>
        path
          .split('?')[0]!
          .replace(/\/(topics|people|sources|entries)\/[^/]+/, '/$1/x')
          .replace(/\d+/g, 'N'),
      ),
    )
    for (const kind of [
      '/',
      '/topics/x',
      '/topics/x/archive',
      '/topics/x/archive/N',
      '/topics/x/archive/N/N',
      '/topics/x/subscribe',
      '/people/x',
      '/people/x/archive/N/N',
      '/people/x/subscribe',
      '/sources/x',
      '/sources/x/archive',
      '/sources/x/archive/N/year',
      '/entries/x',
      '/archive/N',
      '/archive/N/N',
      '/archive/N/year',
    ])
      expect(kinds).toContain(kind)
    for (const [path, page] of crawled) {
      const found = ENGLISH.filter((phrase) => wordIn(phrase, readable(page.html)))
      expect(found, path).toEqual([])
    }
  })

  it('the check fails on one English word put back', async () => {
    const page = (await site()).get('/')!.html
    const text = readable(page.replace(es.latest, en.latest))
    expect(ENGLISH.filter((phrase) => wordIn(phrase, text))).toContain(en.latest)
    // Marked as English, a message is not the interface's.
    expect(readable('<p lang="en">Latest entries</p>')).not.toContain('Latest')
  })

  it('an entry in another language marks its own words, in a page that speaks the site language', async () => {
    const page = (await site()).get('/entries/in-english')!.html
    expect(page).toMatch(/^<!doctype html><html lang="es-MX">/)
    expect(page).toContain('<h1 id="title" lang="en">Bridge works begin</h1>')
    expect(page).toContain('<p class="lead" lang="en">Workers begin on the bridge deck.</p>')
    expect(page).toContain('<div lang="en"><p>The deck is closed to cars.</p>')
  })

  it('error messages, English for every client, are marked lang="en"', async () => {
    const page = (await site()).get('/nope')!.html
    expect(page).toMatch(/<p class="error" role="alert"><span lang="en">Not found\./)
  })

  it('source labels, feed descriptions and the OPML list are in Spanish too', async () => {
    const label = content.sources.find((s) => s.slug === 'carta-de-la-biblioteca')!.label
    expect(label).toBe('Una carta sobre el horario de la biblioteca (hacia junio de 2025)')
    expect(content.sources.find((s) => s.slug === 'gaceta-presupuesto')!.label).toBe(
      'La Gaceta del Valle: Se aprueba el presupuesto, de Rosa Peña (20 de noviembre de 2025)',
    )
    const rss = await (
      await app.request('https://valdeluz.test/sources/aviso-del-puente/rss.xml')
    ).text()
    expect(rss).toContain(
      '<description>Entradas basadas en Un aviso sin fecha colgado en el puente.</description>',
    )
    const opml = await (await app.request('https://valdeluz.test/opml.xml')).text()
    expect(opml).toContain('<title>Crónica de Valdeluz: todos los feeds</title>')
    expect(opml).toContain('<outline text="Feeds RSS 2.0">')
  })

  it('correction notes in feed items are in the entry language, dates too', async () => {
    const notes =
      '<h2>Correcciones</h2><ul><li><time datetime="2025-05-05">5 de mayo de 2025</time>: Una versión anterior daba mal la fecha de la votación.</li><li><time datetime="2025-05-06">6 de mayo de 2025</time>: Un apellido estaba mal escrito.</li></ul>'
    const get = async (file: string) => (await app.request(`https://valdeluz.test/${file}`)).text()
    expect(await get('rss.xml')).toContain(notes)
    expect(await get('atom.xml')).toContain(notes)
    const json = JSON.parse(await get('feed.json')) as { items: { content_html: string }[] }
    expect(json.items.some((i) => i.content_html.endsWith(notes))).toBe(true)
  })
})

describe('dates', () => {
  const cases: [string, string, string][] = [
    ['2025', '2025', '2025'],
    ['0042-01', 'January 0042', 'enero de 0042'],
    ['2025-04', 'April 2025', 'abril de 2025'],
    ['2025-05-03', '3 May 2025', '3 de mayo de 2025'],
    ['2025-12-31', '31 December 2025', '31 de diciembre de 2025'],
    [
      '2025-05-03T10:30:00-06:00',
      '3 May 2025, 10:30 (UTC−06:00)',
      '3 de mayo de 2025, 10:30 (UTC−06:00)',
    ],
    [
      '2025-05-03T10:30:00+05:30',
      '3 May 2025, 10:30 (UTC+05:30)',
      '3 de mayo de 2025, 10:30 (UTC+05:30)',
    ],
    ['2025-05-03T16:30:00Z', '3 May 2025, 16:30 UTC', '3 de mayo de 2025, 16:30 UTC'],
    ['2025-05-03T16:30:00-00:00', '3 May 2025, 16:30 UTC', '3 de mayo de 2025, 16:30 UTC'],
    ['not a date', 'not a date', 'not a date'],
  ]
  it.each(cases)('%s: "%s", "%s"', (text, english, spanish) => {
    expect(displayPartial(text, en.dates)).toBe(english)
    expect(displayPartial(text, es.dates)).toBe(spanish)
  })

  it('an instant at each precision, in UTC, when the written date is not at hand', () => {
    const at = '2025-05-03T16:30:00Z'
    const show = (precision: 'year' | 'month' | 'day' | 'time', words: Words) =>
      displayDate({ precision }, at, words)
    expect(['year', 'month', 'day', 'time'].map((p) => show(p as 'year', en))).toEqual([
      '2025',
      'May 2025',
      '3 May 2025',
      '3 May 2025, 16:30 UTC',
    ])
    expect(['year', 'month', 'day', 'time'].map((p) => show(p as 'year', es))).toEqual([
      '2025',
      'mayo de 2025',
      '3 de mayo de 2025',
      '3 de mayo de 2025, 16:30 UTC',
    ])
  })

  it('archive months and years', () => {
    expect(monthName('2025-09', en)).toBe('September 2025')
    expect(monthName('2025-09', es)).toBe('septiembre de 2025')
    expect(monthName('2025', en)).toBe('2025 (date known to the year)')
    expect(monthName('2025', es)).toBe('2025 (fecha conocida solo por el año)')
  })

  it('counts and their plurals', () => {
    expect([en.entries(1), en.entries(2), en.entries(12345)]).toEqual([
      '1 entry',
      '2 entries',
      '12,345 entries',
    ])
    expect([es.entries(1), es.entries(2), es.entries(1234), es.entries(12345)]).toEqual([
      '1 entrada',
      '2 entradas',
      '1234 entradas',
      '12\u00a0345 entradas',
    ])
  })
})

describe('the tables', () => {
  /** The table as a tree of kinds: a function's arity, an array's length, an object's keys. */
  function shape(value: unknown): unknown {
    if (typeof value === 'function') return `function/${value.length}`
    if (Array.isArray(value)) return value.map(shape)
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]))
    return typeof value
  }

  it.each(Object.keys(LANGUAGES))('%s has the shape of the English table', (language) => {
    expect(shape(LANGUAGES[language])).toEqual(shape(en))
  })

  it.each(Object.keys(LANGUAGES))(
    '%s has no empty word, and its functions return words',
    (language) => {
      const empty: string[] = []
      const visit = (value: unknown, path: string) => {
        if (typeof value === 'string') {
          if (!value.trim()) empty.push(path)
        } else if (typeof value === 'function') {
          for (const result of call(value as () => unknown)) visit(result, `${path}()`)
        } else if (value && typeof value === 'object')
          for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`)
      }
      visit(LANGUAGES[language], language)
      expect(empty).toEqual([])
      expect(LANGUAGES[language]!.dates.months).toHaveLength(12)
    },
  )

  it('an unknown language falls back to English; the build warns of it (test/node/build.test.ts)', async () => {
    expect(hasInterfaceLanguage('es-MX')).toBe(true)
    expect(hasInterfaceLanguage('fr')).toBe(false)
    expect(wordsFor('fr')).toBe(en)
    // Fixture B is French: its pages keep its language tag and speak English.
    const fr = appFor(valbrune)
    const home = await (await fr.request('http://127.0.0.1:8787/', { headers: HTML })).text()
    expect(home).toMatch(/^<!doctype html><html lang="fr">/)
    expect(home).toContain(`<h2 id="latest">${en.latest}</h2>`)
  })
})
