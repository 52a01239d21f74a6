/**
 * @module i18n
 * The interface's words, one table keyed by language: every string a page,
 * a feed preview or a subscribe page shows that is not content. A site's
 * `language` picks its table by primary subtag (`es-MX` uses `es`); a
 * language without a table falls back to English (the build warns, see
 * {@link hasInterfaceLanguage}).
 */

export interface Words {
  /** BCP 47 tag for `Intl` date formats (`en-GB`: "3 May 2025", as the pages write dates). */
  locale: string
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
  /** Visually hidden words that follow a feed link's format label: "RSS" + " feed of X". */
  feedOf: (name: string) => string
  backTo: (name: string) => string
  /** The page shell (pages/layout.tsx). */
  skip: string
  nav: {
    label: string
    topics: string
    people: string
    sources: string
    archive: string
    search: string
  }
  footer: { label: string; wholeSite: string; subscribe: string }
  latest: string
  topics: string
  subscribeSite: string
}

const en: Words = {
  locale: 'en-GB',
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
  feedOf: (name) => ` feed: ${name}`,
  backTo: (name) => `Back to ${name}`,
  skip: 'Skip to content',
  nav: {
    label: 'Site',
    topics: 'Topics',
    people: 'People',
    sources: 'Sources',
    archive: 'Archive',
    search: 'Search',
  },
  footer: {
    label: 'Feeds',
    wholeSite: 'Whole site:',
    subscribe: 'Subscribe (RSS, Atom, JSON Feed)',
  },
  latest: 'Latest entries',
  topics: 'Topics',
  subscribeSite: 'Subscribe to the whole site:',
}

const es: Words = {
  locale: 'es',
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
  feedOf: (name) => `, feed: ${name}`,
  backTo: (name) => `Volver a ${name}`,
  skip: 'Ir al contenido',
  nav: {
    label: 'Sitio',
    topics: 'Temas',
    people: 'Personas',
    sources: 'Fuentes',
    archive: 'Archivo',
    search: 'Buscar',
  },
  footer: {
    label: 'Feeds',
    wholeSite: 'Todo el sitio:',
    subscribe: 'Suscribirse (RSS, Atom, JSON Feed)',
  },
  latest: 'Últimas entradas',
  topics: 'Temas',
  subscribeSite: 'Suscribirse a todo el sitio:',
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
