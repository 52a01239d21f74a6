/** The three feed formats, by the names the benchmark uses. */
export const FORMAT_NAMES = ['rss', 'atom', 'json'] as const
export type FormatName = (typeof FORMAT_NAMES)[number]
export const FORMAT_LABEL: Record<FormatName, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' }
