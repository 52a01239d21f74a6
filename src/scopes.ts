/**
 * @module scopes
 * The scope table: one row per kind of entry set that has its own feeds,
 * archives and pages (the whole site, a topic, a person, a source
 * document). Everything that varies by kind is a field of its row, and
 * everything else derives from the row: the store key (`site`,
 * `{kind}:{name}`), the path (`''`, `/{segment}/{name}`), the route pattern,
 * the filter that names members of the kind, the lookup of a member from a
 * path (any letter case; an unknown name is a 404 listing the valid ones),
 * the feed title and description, and the Cache-Tags.
 *
 * Adding a kind is one row here (and its list in the content and catalog,
 * and its nouns in each language's `scopes` of src/i18n.ts): feeds,
 * archives, discovery documents, OPML, WebSub topics, filters, tags and the
 * navigation follow from it.
 */
import type { Catalog, CatalogSource, ScopeStats } from './catalog.ts'
import type { Person, Site, Topic } from './content/types.ts'
import { NotFound, quote } from './errors.ts'
import type { Words } from './i18n.ts'

/** What a member of each kind is. */
export interface Members {
  site: Site
  topic: Topic
  person: Person
  source: CatalogSource
}

export type ScopeKind = keyof Members

/** One row of the scope table. */
export interface ScopeKindRow<K extends ScopeKind> {
  kind: K
  /** The path segment of the kind's members (`topics` → `/topics/{name}`); undefined for the site, whose path is `''`. */
  segment: string | undefined
  /** The route parameter that names a member (`slug`, `id`). */
  param: string
  /** The URL filter that keeps entries of any of the members it names (`?topic=a,b`); undefined for the site. */
  filter: string | undefined
  /** The URL filter that drops entries of every member it names (`?exclude=a`), if the kind has one. */
  negation: string | undefined
  /** In error messages and in a 404's JSON, never on pages (pages take their nouns from src/i18n.ts): `topic` and `topics`. */
  noun: string
  plural: string
  /** Every member, in content order. */
  members(catalog: Catalog): readonly Members[K][]
  /** Members by name. */
  index(catalog: Catalog): ReadonlyMap<string, Members[K]>
  /** A member's name: its slug or id (the site has none: `''`). */
  nameOf(member: Members[K]): string
  /** A member's own title (a topic's title, a person's name, a source's label). */
  titleOf(member: Members[K]): string
  /** What a member's feeds say they are, in the interface language when the content gives no description. */
  descriptionOf(member: Members[K], words: Words): string
  /** What the kind's discovery document (`/{plural}.json`) says of a member before its counts and URLs. */
  fields(member: Members[K]): Record<string, unknown>
  /** The names of the members an entry belongs to (entries always belong to the site). */
  ofEntry(entry: EntryNames): readonly string[]
}

/** The parts of a compiled entry that name its members. */
export interface EntryNames {
  topics: readonly string[]
  people: readonly { id: string }[]
  sources: readonly { slug: string }[]
}

type ScopeTable = { readonly [K in ScopeKind]: ScopeKindRow<K> }

/** The table: one row per kind, in the order discovery documents, OPML and WebSub list them. */
export const SCOPE_KINDS = {
  site: {
    kind: 'site',
    segment: undefined,
    param: '',
    filter: undefined,
    negation: undefined,
    noun: 'site',
    plural: 'sites',
    members: (catalog) => [catalog.site],
    index: (catalog) => new Map([['', catalog.site]]),
    nameOf: () => '',
    titleOf: (site) => site.title,
    descriptionOf: (site) => site.description,
    fields: () => ({}),
    ofEntry: () => [''],
  },
  topic: {
    kind: 'topic',
    segment: 'topics',
    param: 'slug',
    filter: 'topic',
    negation: 'exclude',
    noun: 'topic',
    plural: 'topics',
    members: (catalog) => catalog.topics,
    index: (catalog) => catalog.topicBySlug,
    nameOf: (topic) => topic.slug,
    titleOf: (topic) => topic.title,
    descriptionOf: (topic) => topic.description,
    fields: (topic) => ({ slug: topic.slug, title: topic.title, description: topic.description }),
    ofEntry: (entry) => entry.topics,
  },
  person: {
    kind: 'person',
    segment: 'people',
    param: 'id',
    filter: 'person',
    negation: undefined,
    noun: 'person',
    plural: 'people',
    members: (catalog) => catalog.people,
    index: (catalog) => catalog.personById,
    nameOf: (person) => person.id,
    titleOf: (person) => person.name,
    descriptionOf: (person) => person.role,
    fields: (person) => ({ id: person.id, name: person.name, role: person.role }),
    ofEntry: (entry) => entry.people.map((p) => p.id),
  },
  source: {
    kind: 'source',
    segment: 'sources',
    param: 'slug',
    filter: 'source',
    negation: undefined,
    noun: 'source',
    plural: 'sources',
    members: (catalog) => catalog.sources,
    index: (catalog) => catalog.sourceBySlug,
    nameOf: (source) => source.slug,
    titleOf: (source) => source.label,
    descriptionOf: (source, words) => words.scopes.source.feedDescription(source.label),
    fields: ({ slug, label, publication, author, headline, date, credits }) => ({
      slug,
      label,
      publication,
      author,
      headline,
      date,
      credits,
    }),
    ofEntry: (entry) => [...new Set(entry.sources.map((s) => s.slug))],
  },
} as const satisfies ScopeTable

/** The row of `kind`, typed by its kind. */
function rowOf<K extends ScopeKind>(kind: K): ScopeKindRow<K> {
  return SCOPE_KINDS[kind] as unknown as ScopeKindRow<K>
}

/** The rows in table order. */
export const SCOPE_ROWS: readonly ScopeKindRow<ScopeKind>[] = Object.values(
  SCOPE_KINDS,
) as ScopeKindRow<ScopeKind>[]

/** The rows whose members have their own paths (every kind but the site). */
export const MEMBER_ROWS = SCOPE_ROWS.filter((row) => row.segment !== undefined)

type Row = (typeof SCOPE_KINDS)[ScopeKind]

/** The names of the list filters: each kind's filter and negation (`topic`, `exclude`, `person`, `source`). */
export type ListFilter = NonNullable<Row['filter'] | Row['negation']>

/** A set of entries that has its own feeds: one member of one kind. */
export interface Scope<K extends ScopeKind = ScopeKind> {
  readonly kind: K
  /** The member's slug or id; `''` for the site. */
  readonly name: string
  readonly member: Members[K]
  /** The store's name for it: `site`, `topic:{slug}`, `person:{id}`, `source:{slug}`. */
  readonly key: string
  /** Root-relative path of its pages and feeds: `''`, `/topics/{slug}`, `/people/{id}`, `/sources/{slug}`. */
  readonly path: string
}

/** The store key of member `name` of `kind`. */
export function scopeKey(kind: ScopeKind, name: string): string {
  return SCOPE_KINDS[kind].segment === undefined ? kind : `${kind}:${name}`
}

/**
 * The store key of the entries that quote a person: kept by the store for
 * person pages, with no feeds, so it is no row of the table.
 */
export function speakerKey(id: string): string {
  return `speaker:${id}`
}

/** The scope of one member. */
export function scopeOf<K extends ScopeKind>(kind: K, member: Members[K]): Scope<K> {
  const row = rowOf(kind)
  const name = row.nameOf(member)
  return {
    kind,
    name,
    member,
    key: scopeKey(kind, name),
    path: row.segment === undefined ? '' : `/${row.segment}/${name}`,
  }
}

/** The whole site's scope. */
export function siteScope(catalog: Catalog): Scope<'site'> {
  return scopeOf('site', catalog.site)
}

/** Every scope with feeds, kind by kind in table order, members in content order. */
export function allScopes(catalog: Catalog): Scope[] {
  return SCOPE_ROWS.flatMap((row) =>
    row.members(catalog).map((member) => scopeOf(row.kind, member)),
  )
}

/** The Hono route pattern of a kind's member paths: `''` for the site, `/topics/:slug`. */
export function routePattern(row: ScopeKindRow<ScopeKind>): string {
  return row.segment === undefined ? '' : `/${row.segment}/:${row.param}`
}

/** A scope read from a path, and whether the path spells its name canonically (callers redirect when not). */
export interface Located<K extends ScopeKind = ScopeKind> {
  scope: Scope<K>
  spelled: boolean
}

/**
 * The member of `kind` that `raw` names, in any letter case; an unknown
 * name is a 404 listing the valid ones (`Valid topics: a, b.`).
 */
export function scopeNamed<K extends ScopeKind>(
  catalog: Catalog,
  kind: K,
  raw: string,
): Located<K> {
  const row = rowOf(kind)
  const index = row.index(catalog)
  const member = index.get(raw) ?? index.get(raw.toLowerCase())
  if (member === undefined) {
    const valid = [...index.keys()]
    throw new NotFound(
      `Unknown ${row.noun} ${quote(raw)}. Valid ${row.plural}: ${valid.join(', ')}.`,
      { [row.plural]: valid },
    )
  }
  const scope = scopeOf(kind, member)
  return { scope, spelled: scope.name === raw }
}

/** The counts of a store key (zero for one the build never saw). */
export function statsOf(catalog: Catalog, key: string): ScopeStats {
  return catalog.scopes[key] ?? { entries: 0, updated: null }
}

/** Entries of a store key, for choosing the cheapest scope to walk. */
export function sizesOf(catalog: Catalog): (key: string) => number {
  return (key) => catalog.scopes[key]?.entries ?? 0
}

/** A scope's own name on its pages: the site's title, a topic's title, a person's name, a source's label. */
export function scopeTitle(scope: Scope): string {
  return rowOf(scope.kind).titleOf(scope.member)
}

/** What a scope's feeds say they are. */
export function scopeDescription(scope: Scope, words: Words): string {
  return rowOf(scope.kind).descriptionOf(scope.member, words)
}

/** The title a feed gives itself; pages repeat it in autodiscovery links and OPML. */
export function feedTitle(catalog: Catalog, scope: Scope): string {
  const site = catalog.site.title
  return scope.path === '' ? site : `${site}: ${scopeTitle(scope)}`
}

/** The store keys an entry belongs to, in table order (without the store-only `speaker:` keys). */
export function entryScopeKeys(entry: EntryNames): string[] {
  return SCOPE_ROWS.flatMap((row) => row.ofEntry(entry).map((name) => scopeKey(row.kind, name)))
}

/** The names the filters may take, by kind's plural (`topics`, `people`, `sources`): what a 404 lists. */
export type Vocabulary = Readonly<Record<string, ReadonlySet<string>>>

const vocabularies = new WeakMap<Catalog, Vocabulary>()

/** The catalog's {@link Vocabulary}, worked out once per catalog. */
export function vocabularyOf(catalog: Catalog): Vocabulary {
  let vocabulary = vocabularies.get(catalog)
  if (!vocabulary) {
    vocabulary = Object.fromEntries(
      MEMBER_ROWS.map((row) => [row.plural, new Set(row.index(catalog).keys())]),
    )
    vocabularies.set(catalog, vocabulary)
  }
  return vocabulary
}

/** Cache-Tag of every document whose entry list comes from a store key: the tag scheme is src/tags.ts's. */
export { scopeTag } from './tags.ts'
