/**
 * @module i18n
 * The interface's words, one table keyed by language: every string a page,
 * a feed preview or a subscribe page shows that is not content, the nouns
 * of the scope kinds, the counts with their plurals and the way dates are
 * written. A site's `language` picks its table by primary subtag (`es-MX`
 * uses `es`); a language without a table falls back to English (the build
 * warns, see {@link hasInterfaceLanguage}).
 *
 * Adding a language is one more object of type {@link Words} here, named in
 * {@link LANGUAGES}: TypeScript checks that it has every key.
 *
 * Words that are joined with content (a link, a date, a count) are
 * functions, so each language puts them in its own order. Dates are written
 * from the table's month names and patterns, never from `Intl`, so every
 * runtime writes them alike.
 */
import type { ScopeKind } from './scopes.ts'

/** What pages call a kind of scope (src/scopes.ts): one line per row of the scope table. */
export interface ScopeNouns {
  /** Above a member's name on its page: "Topic". */
  one: string
  /** The kind's index page, its navigation link and its headings: "Topics". */
  many: string
}

/** A partial date's parts, as {@link Words.dates} joins them. */
export interface DateWords {
  /** January first. */
  months: readonly string[]
  /** A month of a year: "April 2025". `year` has its four digits. */
  month: (month: string, year: string) => string
  /** A day: "3 May 2025"; `day` has no leading zero. */
  day: (day: string, month: string, year: string) => string
  /** A day and a time in the zone it was written in (`zone` is "−06:00"), or UTC when `zone` is undefined. */
  time: (day: string, clock: string, zone: string | undefined) => string
}

export interface Words {
  /** A count as pages write it: "1,234". */
  number: (n: number) => string
  dates: DateWords
  /** What pages call each kind of the scope table. */
  scopes: { readonly [K in ScopeKind]: ScopeNouns } & {
    /** What a source's feeds say they are: the content gives sources no description. */
    source: { feedDescription: (label: string) => string }
  }
  feedLabels: { rss: string; atom: string; json: string }
  /** What a feed is, in one plain sentence. */
  feedIs: string
  previewIntro: string
  previewAddress: string
  previewNewest: string
  copy: string
  copied: string
  howToSubscribe: string
  visitSite: string
  subscribeTitle: (name: string) => string
  subscribeSteps: string[]
  formatHelp: { rss: string; atom: string; json: string }
  address: string
  everything: string
  opmlHelp: string
  /** The OPML file's title: "Site: all feeds". */
  opmlTitle: (site: string) => string
  /** The title of an OPML folder, from the format's name (`RSS 2.0`, see src/formats.ts). */
  opmlFolder: (format: string) => string
  /** Visually hidden words that follow a feed link's format label: "RSS" + " feed: X". */
  feedOf: (name: string) => string
  backTo: (name: string) => string
  /** The page shell (pages/layout.tsx); the scope kinds' links come from {@link Words.scopes}. */
  skip: string
  nav: {
    label: string
    archive: string
    search: string
  }
  footer: { label: string; wholeSite: string; subscribe: string }
  latest: string
  subscribeSite: string
  /** Before a row of feed links. */
  subscribe: string
  /** The links to the machine-readable lists, in lower case: callers capitalise the first. */
  forReaders: string
  allFeedsOpml: string
  forPrograms: string

  /** Counts. */
  entries: (n: number) => string
  quotes: (n: number) => string
  /** After an entry count: ", the newest from 3 May 2025". */
  newestFrom: (date: string) => string
  noEntries: string
  entriesHeading: string
  quotesHeading: string

  home: {
    /** Below the latest entries, when there are older ones. */
    newestOf: (shown: number, total: number) => string
    topicsIntro: string
  }
  topicsIndex: {
    description: (site: string) => string
    lead: string
  }

  /** Entry summaries and entry pages. */
  entry: {
    dateInferred: string
    corrected: string
    updated: string
    howInferred: string
    corrections: (n: number) => string
    /** After a source of the entry: "; it credits A, B". */
    credits: (names: string) => string
    followTopics: string
    /** Quote captions: "Source: X." and "In entry." */
    quoteSource: string
    quoteIn: string
  }
  gone: {
    title: string
    description: string
    heading: string
    withdrawn: string
    by: (who: string) => string
    reason: string
    notListed: string
  }

  topic: {
    buildLink: string
    /** Below the topic's latest entries, when there are older ones. */
    newestOf: (shown: number, total: number) => string
    buildIntro: string
    cannotBuild: string
    resultTitle: (format: string) => string
    itsAddress: string
    openFeed: string
    /** How many entries match a filtered feed, counted up to `cap`, and how many the feed carries. */
    soFar: (matches: number, cap: number, limit: number) => string
    alsoIn: string
    notIn: string
    naming: string
    noOtherTopic: string
    noPeople: string
    words: string
    since: string
    format: string
    submit: string
  }

  /** Archive pages, the archive index and the pager. */
  archive: {
    olderAndNewer: string
    byMonth: string
    /** "archive page 3", in running text. */
    page: (n: number) => string
    /** "archive page 3 of 7", in running text. */
    pageOf: (n: number, of: number) => string
    /** "page 3" of a list of pages. */
    pageN: (n: number) => string
    olderEntries: (label: string) => string
    older: (n: number) => string
    newer: (n: number) => string
    description: (first: number, last: number, name: string) => string
    lead: (entries: number) => string
    asFeed: string
    title: (name: string) => string
    indexDescription: (name: string) => string
    indexLead: (entries: number, pages: number, size: number) => string
    latestLink: string
    /** A year's entries whose date is known only to the year: "2025 (date known to the year)". */
    yearOnly: (year: string) => string
  }
  month: {
    description: (name: string, month: string) => string
    /** "page 2 of 3" of a month. */
    pageOf: (n: number, of: number) => string
    monthOnly: (month: string) => string
  }

  people: {
    description: (site: string) => string
    lead: string
    searchTheirs: string
    onThisPage: string
    entriesLink: string
    newestOf: (shown: number, total: number) => string
    quotedFrom: (shown: number, total: number, name: string) => string
  }

  sources: {
    notGiven: string
    publication: string
    headline: string
    author: string
    date: string
    inferred: (basis: string) => string
    stated: string
    description: string
    credits: string
    noCredits: string
    indexDescription: (site: string) => string
    lead: string
    /** "3 entries draw", followed by {@link Words.sources.onIt}. */
    draw: (n: number) => string
    onIt: string
    pageDescription: (label: string) => string
    follow: string
    quotesFrom: string
    quotedFrom: (shown: number, total: number) => string
    entriesFrom: string
    noEntries: string
    newestOf: (shown: number, total: number) => string
    searchAll: string
  }

  search: {
    title: string
    description: (site: string) => string
    /** A search's feed title: the words quoted, or "search". */
    feedName: (terms: string) => string
    label: string
    button: string
    cannotRun: string
    results: string
    /** "3 entries match", or "more than 1,000 entries match": callers capitalise it where it starts a sentence. */
    matching: (matches: number, cap: number) => string
    shown: (n: number) => string
    follow: string
    none: string
    or: string
    inTopics: (names: string) => string
    notInTopics: (names: string) => string
    involving: (names: string) => string
    since: (date: string) => string
    until: (date: string) => string
  }

  errors: {
    titles: Record<400 | 404 | 405 | 410, string>
    other: string
    leads: Record<400 | 404, string>
    searchLabel: string
    startFrom: string
    home: (site: string) => string
    subscribe: string
  }

  /** Source documents' labels, composed by the build: "Publication: Headline, by Author (about May 2025)". */
  sourceLabel: {
    by: (author: string) => string
    about: string
    unnamed: string
  }
}

/** A number with its thousands grouped by `separator`, from `from` on (Spanish leaves four digits whole). */
function grouped(n: number, separator: string, from = 1000): string {
  const digits = String(Math.abs(n))
  if (Math.abs(n) < from || !/^\d+$/.test(digits)) return String(n)
  return (n < 0 ? '-' : '') + digits.replace(/\B(?=(\d{3})+$)/g, separator)
}

/** `one` or `many` after a count: "1 entry", "2 entries". */
const count =
  (words: Pick<Words, 'number'>, one: string, many: string) =>
  (n: number): string =>
    `${words.number(n)} ${n === 1 ? one : many}`

/** `s` with its first letter in capitals, for words that start a sentence in one place and run on in another. */
export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** The zone of a time: "(UTC−06:00)", or "UTC". */
const zoned = (day: string, clock: string, zone: string | undefined) =>
  zone === undefined ? `${day}, ${clock} UTC` : `${day}, ${clock} (UTC${zone})`

const enNumber = (n: number) => n.toLocaleString('en-US')
const enEntries = count({ number: enNumber }, 'entry', 'entries')

const en: Words = {
  number: enNumber,
  dates: {
    months: [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ],
    month: (month, year) => `${month} ${year}`,
    day: (day, month, year) => `${day} ${month} ${year}`,
    time: zoned,
  },
  scopes: {
    site: { one: 'Site', many: 'Sites' },
    topic: { one: 'Topic', many: 'Topics' },
    person: { one: 'Person', many: 'People' },
    source: {
      one: 'Source document',
      many: 'Sources',
      feedDescription: (label) => `Entries drawing on ${label}.`,
    },
  },
  feedLabels: { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' },
  feedIs:
    'A feed is a list of the newest entries that a feed reader app checks for you, so new entries come to you without visiting the site.',
  previewIntro:
    'You are looking at a feed. It is meant for a feed reader app: copy its address into your reader to follow it.',
  previewAddress: 'Feed address: ',
  previewNewest: 'Newest entries',
  copy: 'Copy address',
  copied: 'Copied',
  howToSubscribe: 'How to subscribe',
  visitSite: 'Visit the site',
  subscribeTitle: (name) => `Subscribe to ${name}`,
  subscribeSteps: [
    'Open your feed reader (an app or a website).',
    'Choose “add feed” or “subscribe”.',
    'Paste one of the addresses below.',
  ],
  formatHelp: {
    rss: 'The most widely supported format. Choose it if you are not sure.',
    atom: 'The same entries in a stricter standard format (RFC 4287). Most readers accept it too.',
    json: 'The same entries as JSON, for programs and for readers that support JSON Feed.',
  },
  address: 'Address',
  everything: 'Follow everything',
  opmlHelp:
    'One file that lists every feed of this site. Import it into your reader to follow every topic and person at once.',
  opmlTitle: (site) => `${site}: all feeds`,
  opmlFolder: (format) => `${format} feeds`,
  feedOf: (name) => ` feed: ${name}`,
  backTo: (name) => `Back to ${name}`,
  skip: 'Skip to content',
  nav: {
    label: 'Site',
    archive: 'Archive',
    search: 'Search',
  },
  footer: {
    label: 'Feeds',
    wholeSite: 'Whole site:',
    subscribe: 'Subscribe (RSS, Atom, JSON Feed)',
  },
  latest: 'Latest entries',
  subscribeSite: 'Subscribe to the whole site:',
  subscribe: 'Subscribe:',
  forReaders: 'for feed readers:',
  allFeedsOpml: 'all feeds as OPML',
  forPrograms: 'for programs:',

  entries: enEntries,
  quotes: count({ number: enNumber }, 'quote', 'quotes'),
  newestFrom: (date) => `, the newest from ${date}`,
  noEntries: 'No entries yet.',
  entriesHeading: 'Entries',
  quotesHeading: 'Quotes',

  home: {
    newestOf: (shown, total) =>
      `The newest ${shown} of ${total} entries; older ones are in the archive.`,
    topicsIntro: 'Each topic has its own feeds. Every topic page can also build a filtered feed.',
  },
  topicsIndex: {
    description: (site) => `Every topic of ${site}, with its feeds.`,
    lead: 'Each topic has a page and its own feeds; every topic page can also build a filtered feed.',
  },

  entry: {
    dateInferred: 'date inferred',
    corrected: 'corrected',
    updated: 'updated',
    howInferred: 'How the date was inferred:',
    corrections: (n) => (n === 1 ? 'Correction' : 'Corrections'),
    credits: (names) => `; it credits ${names}`,
    followTopics: 'Follow the story through the feeds of its topics.',
    quoteSource: 'Source:',
    quoteIn: 'In',
  },
  gone: {
    title: 'Entry withdrawn',
    description: 'This entry has been withdrawn.',
    heading: 'This entry has been withdrawn',
    withdrawn: 'Withdrawn',
    by: (who) => ` by ${who}`,
    reason: 'Reason:',
    notListed: "It is no longer in this site's feeds, lists or search.",
  },

  topic: {
    buildLink: 'Build a filtered feed',
    newestOf: (shown, total) =>
      `The newest ${shown} of ${total}; the topic's feeds carry the same, and older ones are in the archive.`,
    buildIntro:
      'Want only part of this topic? Tick what you want below and press the button: you get the address of a feed with just those entries, to paste into your feed reader.',
    cannotBuild: 'That feed cannot be built.',
    resultTitle: (format) => `Your filtered feed (${format})`,
    itsAddress: 'Its address:',
    openFeed: 'Open this feed',
    soFar: (matches, cap, limit) =>
      `${en.search.matching(matches, cap)} so far` +
      (matches > limit ? `; the feed carries the newest ${limit}` : '') +
      '.',
    alsoIn: 'Also in any of these topics',
    notIn: 'In none of these topics',
    naming: 'Naming any of these people',
    noOtherTopic: 'No other topic shares entries with this one.',
    noPeople: 'No entry in this topic names anyone.',
    words: 'Containing all of these words, or "a phrase in quotes" (optional)',
    since: 'Only entries from this day on (optional)',
    format: 'Feed format (RSS if you are not sure)',
    submit: 'Show the feed address',
  },

  archive: {
    olderAndNewer: 'Older and newer entries',
    byMonth: 'Archive by month',
    page: (n) => `archive page ${n}`,
    pageOf: (n, of) => `archive page ${n} of ${of}`,
    pageN: (n) => `page ${n}`,
    olderEntries: (label) => `Older entries: ${label}`,
    older: (n) => `Older: page ${n}`,
    newer: (n) => `Newer: page ${n}`,
    description: (first, last, name) =>
      `Entries ${first} to ${last} of ${name}, counted from the oldest.`,
    lead: (n) =>
      `${enEntries(n)}, newest first. Page 1 holds the oldest; each page keeps its entries for good.`,
    asFeed: 'This page as a feed:',
    title: (name) => `${name}: archive`,
    indexDescription: (name) => `Every entry of ${name} by month.`,
    indexLead: (n, pages, size) =>
      `${enEntries(n)} by month, newest first` +
      (pages > 0
        ? `, on ${count({ number: enNumber }, 'archive page', 'archive pages')(pages)} of ${size} and the latest entries`
        : ', all among the latest entries') +
      '.',
    latestLink: 'latest entries',
    yearOnly: (year) => `${year} (date known to the year)`,
  },
  month: {
    description: (name, month) => `The entries of ${name} from ${month}.`,
    pageOf: (n, of) => `page ${n} of ${of}`,
    monthOnly: (month) => `${month} (date known to the month)`,
  },

  people: {
    description: (site) => `Everyone the entries of ${site} involve, with their feeds.`,
    lead: 'Everyone the entries involve, as the source documents describe them. Each person has a page and feeds.',
    searchTheirs: 'Search their entries',
    onThisPage: 'On this page:',
    entriesLink: 'entries',
    newestOf: (shown, total) =>
      `The newest ${shown} of ${total}; the feeds carry the same, and older ones are in the archive.`,
    quotedFrom: (shown, total, name) =>
      `From the newest ${shown} of the ${total} entries that quote ${name}.`,
  },

  sources: {
    notGiven: 'not given in the document',
    publication: 'Publication',
    headline: 'Headline',
    author: 'Author',
    date: 'Date',
    inferred: (basis) => ` (inferred: ${basis})`,
    stated: ' (stated in the document)',
    description: 'Description',
    credits: 'Credits',
    noCredits: 'no other publication credited by the entries that use it',
    indexDescription: (site) => `The source documents the entries of ${site} are written from.`,
    lead: 'The documents the entries are written from. Every quote on this site is traced to one of them.',
    draw: count({ number: enNumber }, 'entry draws', 'entries draw'),
    onIt: 'on it',
    pageDescription: (label) => `A source document: ${label}.`,
    follow: 'Follow the entries that draw on it:',
    quotesFrom: 'Quotes taken from it',
    quotedFrom: (shown, total) =>
      `From the newest ${shown} of the ${total} entries that draw on it.`,
    entriesFrom: 'Entries that draw on it',
    noEntries: 'No entries draw on it.',
    newestOf: (shown, total) => `The newest ${shown} of ${total};`,
    searchAll: 'search them all',
  },

  search: {
    title: 'Search',
    description: (site) => `Search the entries of ${site}.`,
    feedName: (terms) => (terms ? `“${terms}”` : 'search'),
    label: 'Words, or "a phrase in quotes"; every one must appear',
    button: 'Search',
    cannotRun: 'That search cannot be run.',
    results: 'Results',
    matching: (matches, cap) =>
      matches > cap
        ? `more than ${cap.toLocaleString('en-US')} entries match`
        : count({ number: enNumber }, 'entry matches', 'entries match')(matches),
    shown: (n) => `; the newest ${n} are shown`,
    follow: 'Follow this search:',
    none: 'No entry matches. Try fewer words, or another spelling.',
    or: ' or ',
    inTopics: (names) => `in ${names}`,
    notInTopics: (names) => `not in ${names}`,
    involving: (names) => `involving ${names}`,
    since: (date) => `published on or after ${date}`,
    until: (date) => `published on or before ${date}`,
  },

  errors: {
    titles: {
      400: 'That address is not quite right',
      404: 'Page not found',
      405: 'Not allowed',
      410: 'Gone',
    },
    other: 'Something went wrong',
    leads: {
      400: 'Part of the address cannot be read. The details below say which part, and what it should look like.',
      404: 'There is no page at this address. It may be mistyped, or the page may have moved. Search the entries, or start from one of the pages below.',
    },
    searchLabel: 'Search the entries',
    startFrom: 'Or start from',
    home: (site) => `${site}: the latest entries`,
    subscribe: 'Subscribe to the whole site',
  },

  sourceLabel: {
    by: (author) => `, by ${author}`,
    about: 'about ',
    unnamed: 'An unnamed document',
  },
}

/** Spanish groups thousands with a no-break space, and leaves a four-digit number whole (RAE). */
const esNumber = (n: number) => grouped(n, '\u00a0', 10_000)
const esEntries = count({ number: esNumber }, 'entrada', 'entradas')

const es: Words = {
  number: esNumber,
  dates: {
    months: [
      'enero',
      'febrero',
      'marzo',
      'abril',
      'mayo',
      'junio',
      'julio',
      'agosto',
      'septiembre',
      'octubre',
      'noviembre',
      'diciembre',
    ],
    month: (month, year) => `${month} de ${year}`,
    day: (day, month, year) => `${day} de ${month} de ${year}`,
    time: zoned,
  },
  scopes: {
    site: { one: 'Sitio', many: 'Sitios' },
    topic: { one: 'Tema', many: 'Temas' },
    person: { one: 'Persona', many: 'Personas' },
    source: {
      one: 'Documento de origen',
      many: 'Fuentes',
      feedDescription: (label) => `Entradas basadas en ${label}.`,
    },
  },
  feedLabels: { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' },
  feedIs:
    'Un feed es una lista de las entradas más recientes que una aplicación lectora de feeds revisa por ti, para que las novedades te lleguen sin visitar el sitio.',
  previewIntro:
    'Estás viendo un feed. Está pensado para una aplicación lectora de feeds: copia su dirección en tu lector para seguirlo.',
  previewAddress: 'Dirección del feed: ',
  previewNewest: 'Entradas más recientes',
  copy: 'Copiar dirección',
  copied: 'Copiada',
  howToSubscribe: 'Cómo suscribirse',
  visitSite: 'Ir al sitio',
  subscribeTitle: (name) => `Suscribirse a ${name}`,
  subscribeSteps: [
    'Abre tu lector de feeds (una aplicación o un sitio web).',
    'Elige «añadir feed» o «suscribirse».',
    'Pega una de las direcciones de abajo.',
  ],
  formatHelp: {
    rss: 'El formato más compatible. Elígelo si no estás seguro.',
    atom: 'Las mismas entradas en un formato estándar más estricto (RFC 4287). Casi todos los lectores lo aceptan.',
    json: 'Las mismas entradas en JSON, para programas y para lectores compatibles con JSON Feed.',
  },
  address: 'Dirección',
  everything: 'Seguir todo',
  opmlHelp:
    'Un archivo que enumera todos los feeds de este sitio. Impórtalo en tu lector para seguir todos los temas y personas a la vez.',
  opmlTitle: (site) => `${site}: todos los feeds`,
  opmlFolder: (format) => `Feeds ${format}`,
  feedOf: (name) => `, feed: ${name}`,
  backTo: (name) => `Volver a ${name}`,
  skip: 'Ir al contenido',
  nav: {
    label: 'Sitio',
    archive: 'Archivo',
    search: 'Buscar',
  },
  footer: {
    label: 'Feeds',
    wholeSite: 'Todo el sitio:',
    subscribe: 'Suscribirse (RSS, Atom, JSON Feed)',
  },
  latest: 'Últimas entradas',
  subscribeSite: 'Suscribirse a todo el sitio:',
  subscribe: 'Suscribirse:',
  forReaders: 'para lectores de feeds:',
  allFeedsOpml: 'todos los feeds en OPML',
  forPrograms: 'para programas:',

  entries: esEntries,
  quotes: count({ number: esNumber }, 'cita', 'citas'),
  newestFrom: (date) => `; la más reciente: ${date}`,
  noEntries: 'Todavía no hay entradas.',
  entriesHeading: 'Entradas',
  quotesHeading: 'Citas',

  home: {
    newestOf: (shown, total) =>
      `Las ${shown} más recientes de ${total} entradas; las anteriores están en el archivo.`,
    topicsIntro:
      'Cada tema tiene sus propios feeds. En la página de cada tema también se puede crear un feed filtrado.',
  },
  topicsIndex: {
    description: (site) => `Todos los temas de ${site}, con sus feeds.`,
    lead: 'Cada tema tiene una página y sus propios feeds; en la página de cada tema también se puede crear un feed filtrado.',
  },

  entry: {
    dateInferred: 'fecha deducida',
    corrected: 'corregida el',
    updated: 'actualizada el',
    howInferred: 'Cómo se dedujo la fecha:',
    corrections: (n) => (n === 1 ? 'Corrección' : 'Correcciones'),
    credits: (names) => `; da crédito a ${names}`,
    followTopics: 'Sigue la noticia en los feeds de sus temas.',
    quoteSource: 'Fuente:',
    quoteIn: 'En',
  },
  gone: {
    title: 'Entrada retirada',
    description: 'Esta entrada se ha retirado.',
    heading: 'Esta entrada se ha retirado',
    withdrawn: 'Retirada el',
    by: (who) => ` por ${who}`,
    reason: 'Motivo:',
    notListed: 'Ya no aparece en los feeds, las listas ni la búsqueda de este sitio.',
  },

  topic: {
    buildLink: 'Crear un feed filtrado',
    newestOf: (shown, total) =>
      `Las ${shown} más recientes de ${total}; los feeds del tema traen las mismas, y las anteriores están en el archivo.`,
    buildIntro:
      '¿Solo quieres una parte de este tema? Marca abajo lo que quieras y pulsa el botón: obtendrás la dirección de un feed con solo esas entradas, para pegarla en tu lector de feeds.',
    cannotBuild: 'No se puede crear ese feed.',
    resultTitle: (format) => `Tu feed filtrado (${format})`,
    itsAddress: 'Su dirección:',
    openFeed: 'Abrir este feed',
    soFar: (matches, cap, limit) =>
      `Hasta ahora, ${es.search.matching(matches, cap)}` +
      (matches > limit ? `; el feed trae las ${limit} más recientes` : '') +
      '.',
    alsoIn: 'También en alguno de estos temas',
    notIn: 'En ninguno de estos temas',
    naming: 'Que nombren a alguna de estas personas',
    noOtherTopic: 'Ningún otro tema comparte entradas con este.',
    noPeople: 'Ninguna entrada de este tema nombra a nadie.',
    words: 'Que contengan todas estas palabras, o "una frase entre comillas" (opcional)',
    since: 'Solo entradas a partir de este día (opcional)',
    format: 'Formato del feed (RSS si no estás seguro)',
    submit: 'Mostrar la dirección del feed',
  },

  archive: {
    olderAndNewer: 'Entradas anteriores y posteriores',
    byMonth: 'Archivo por meses',
    page: (n) => `página ${n} del archivo`,
    pageOf: (n, of) => `página ${n} de ${of} del archivo`,
    pageN: (n) => `página ${n}`,
    olderEntries: (label) => `Entradas anteriores: ${label}`,
    older: (n) => `Anteriores: página ${n}`,
    newer: (n) => `Posteriores: página ${n}`,
    description: (first, last, name) =>
      `Entradas ${first} a ${last} de ${name}, contadas desde la más antigua.`,
    lead: (n) =>
      `${esEntries(n)}, de la más reciente a la más antigua. La página 1 tiene las más antiguas; cada página conserva sus entradas para siempre.`,
    asFeed: 'Esta página como feed:',
    title: (name) => `${name}: archivo`,
    indexDescription: (name) => `Todas las entradas de ${name}, por meses.`,
    indexLead: (n, pages, size) =>
      `${esEntries(n)} por meses, de la más reciente a la más antigua` +
      (pages > 0
        ? `, en ${count({ number: esNumber }, 'página', 'páginas')(pages)} de archivo de ${size} y en las últimas entradas`
        : ', todas entre las últimas entradas') +
      '.',
    latestLink: 'últimas entradas',
    yearOnly: (year) => `${year} (fecha conocida solo por el año)`,
  },
  month: {
    description: (name, month) => `Las entradas de ${name} de ${month}.`,
    pageOf: (n, of) => `página ${n} de ${of}`,
    monthOnly: (month) => `${capitalise(month)} (fecha conocida solo por el mes)`,
  },

  people: {
    description: (site) =>
      `Todas las personas que aparecen en las entradas de ${site}, con sus feeds.`,
    lead: 'Todas las personas que aparecen en las entradas, tal como las describen los documentos de origen. Cada persona tiene una página y feeds.',
    searchTheirs: 'Buscar sus entradas',
    onThisPage: 'En esta página:',
    entriesLink: 'entradas',
    newestOf: (shown, total) =>
      `Las ${shown} más recientes de ${total}; los feeds traen las mismas, y las anteriores están en el archivo.`,
    quotedFrom: (shown, total, name) =>
      `De las ${shown} más recientes de las ${total} entradas que citan a ${name}.`,
  },

  sources: {
    notGiven: 'no figura en el documento',
    publication: 'Publicación',
    headline: 'Titular',
    author: 'Autor',
    date: 'Fecha',
    inferred: (basis) => ` (deducida: ${basis})`,
    stated: ' (indicada en el documento)',
    description: 'Descripción',
    credits: 'Créditos',
    noCredits: 'las entradas que lo usan no dan crédito a ninguna otra publicación',
    indexDescription: (site) =>
      `Los documentos de origen a partir de los que se escriben las entradas de ${site}.`,
    lead: 'Los documentos a partir de los que se escriben las entradas. Cada cita de este sitio remite a uno de ellos.',
    draw: count({ number: esNumber }, 'entrada se basa', 'entradas se basan'),
    onIt: 'en él',
    pageDescription: (label) => `Un documento de origen: ${label}.`,
    follow: 'Sigue las entradas que se basan en él:',
    quotesFrom: 'Citas tomadas de él',
    quotedFrom: (shown, total) =>
      `De las ${shown} más recientes de las ${total} entradas que se basan en él.`,
    entriesFrom: 'Entradas que se basan en él',
    noEntries: 'Ninguna entrada se basa en él.',
    newestOf: (shown, total) => `Las ${shown} más recientes de ${total};`,
    searchAll: 'buscarlas todas',
  },

  search: {
    title: 'Búsqueda',
    description: (site) => `Busca en las entradas de ${site}.`,
    feedName: (terms) => (terms ? `«${terms}»` : 'búsqueda'),
    label: 'Palabras, o "una frase entre comillas"; deben aparecer todas',
    button: 'Buscar',
    cannotRun: 'No se puede hacer esa búsqueda.',
    results: 'Resultados',
    matching: (matches, cap) =>
      matches > cap
        ? `más de ${esNumber(cap)} entradas coinciden`
        : count({ number: esNumber }, 'entrada coincide', 'entradas coinciden')(matches),
    shown: (n) => `; se muestran las ${n} más recientes`,
    follow: 'Sigue esta búsqueda:',
    none: 'Ninguna entrada coincide. Prueba con menos palabras o con otra ortografía.',
    or: ' o ',
    inTopics: (names) => `en ${names}`,
    notInTopics: (names) => `fuera de ${names}`,
    involving: (names) => `en las que aparece ${names}`,
    since: (date) => `publicadas desde el ${date}`,
    until: (date) => `publicadas hasta el ${date}`,
  },

  errors: {
    titles: {
      400: 'Esa dirección no es del todo correcta',
      404: 'Página no encontrada',
      405: 'No permitido',
      410: 'Ya no existe',
    },
    other: 'Algo salió mal',
    leads: {
      400: 'Una parte de la dirección no se puede leer. Los detalles de abajo dicen qué parte y cómo debería ser.',
      404: 'No hay ninguna página en esta dirección. Puede que esté mal escrita o que la página se haya movido. Busca en las entradas o empieza desde una de las páginas de abajo.',
    },
    searchLabel: 'Buscar en las entradas',
    startFrom: 'O empieza desde',
    home: (site) => `${site}: las últimas entradas`,
    subscribe: 'Suscribirse a todo el sitio',
  },

  sourceLabel: {
    by: (author) => `, de ${author}`,
    about: 'hacia ',
    unnamed: 'Un documento sin nombre',
  },
}

/** Every interface language shipped, by primary language subtag. */
export const LANGUAGES: Readonly<Record<string, Words>> = { en, es }

const primary = (language: string) => language.toLowerCase().split('-')[0]!

/** True when `language` (a BCP 47 tag) has its own table; the build warns when it has not. */
export function hasInterfaceLanguage(language: string): boolean {
  return Object.hasOwn(LANGUAGES, primary(language))
}

/** The interface words for a site's `language`, English when it has no table. */
export function wordsFor(language: string): Words {
  return LANGUAGES[primary(language)] ?? en
}
