/**
 * The never-requested-before feed URLs of the "first render" phases: the
 * `i`-th is /rss.xml?since=<day>&limit=<21..100>, a canonical query whose
 * `since` precedes every entry, so each variant holds the whole feed.
 * bench/wrk.lua computes the same sequence.
 */
export function distinctPath(i: number): string {
  const day = new Date((31_536_000 + (i % 19_700) * 86_400) * 1000).toISOString().slice(0, 10)
  return `/rss.xml?since=${day}&limit=${21 + (Math.floor(i / 19_700) % 80)}`
}
