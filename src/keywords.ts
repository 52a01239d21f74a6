/**
 * @module keywords
 * The keyword filter `q`: what a reader types (words and "quoted phrases"),
 * read into a list of terms, written back in one canonical spelling, and
 * turned into an FTS5 MATCH expression in which no input is ever read as
 * FTS5 syntax.
 *
 * Canonical spelling: NFC, lowercase, Latin letters without their accents
 * (`Línea` → `linea`: the index folds them the same way, so both spellings
 * find the same entries and share one URL), terms in the order typed and
 * each kept once, single spaces, phrases in double quotes, a one-word
 * phrase written as the word.
 *
 * FTS5 query syntax (https://sqlite.org/fts5.html section 3): inside a
 * string (`"…"`) every character but `"` is literal, so quoting each term
 * leaves `AND`, `OR`, `NOT`, `NEAR(`, `col:`, `*`, `^`, `-` and `+` as plain
 * text, which the tokenizer then splits into words like the indexed text.
 * Terms never contain `"`: the parser splits on it.
 */
import { BadParameter } from './errors.ts'

/** Longest `q`, in characters (code points), after trimming. */
export const MAX_KEYWORD_LENGTH = 200
/** Most words and phrases in one `q`. */
export const MAX_TERMS = 8

/** The accepted form, as a 400 states it. */
export const KEYWORDS_ACCEPTED = `at most ${MAX_TERMS} words or "quoted phrases" in at most ${MAX_KEYWORD_LENGTH} characters, each word with at least one letter or digit`

/** Quotation marks read as `"`: phones and word processors type the curly ones. */
const QUOTES = /[\u201C\u201D\u201E\u201F\u00AB\u00BB]/g
const WORD = /[\p{L}\p{N}]/u

/**
 * Lowercase and without the diacritics of Latin letters, as the index's
 * tokenizer (`unicode61 remove_diacritics 2`) folds them. Other scripts keep
 * their marks: the tokenizer keeps them too, and they can change the word.
 */
export function foldKeyword(text: string): string {
  return text
    .normalize('NFD')
    .toLowerCase()
    .replace(/(\p{Script=Latin})[\u0300-\u036F]+/gu, '$1')
    .normalize('NFC')
}

/**
 * Reads a `q` value into its terms: each a word, or a phrase of words
 * joined by single spaces. An unclosed quote runs to the end. Empty (or only
 * quotes and spaces) gives no terms.
 *
 * @throws BadParameter (400, naming `q`) when too long, with too many terms, or with a word without a letter or digit.
 */
export function parseKeywords(raw: string): string[] {
  // Control characters separate words: the index never holds one, and FTS5 reads a NUL as the end of the query.
  const text = raw
    .normalize('NFC')
    .replace(QUOTES, '"')
    .replace(/\p{Cc}/gu, ' ')
    .trim()
  const bad = () => new BadParameter('q', KEYWORDS_ACCEPTED)
  if ([...text].length > MAX_KEYWORD_LENGTH) throw bad()
  const terms: string[] = []
  // Split at the quotes: even pieces lie outside quotes, odd ones are phrases.
  text.split('"').forEach((piece, i) => {
    const words = foldKeyword(piece).split(/\s+/u).filter(Boolean)
    if (words.some((w) => !WORD.test(w))) throw bad()
    if (i % 2 === 0) terms.push(...words)
    else if (words.length) terms.push(words.join(' '))
  })
  const unique = [...new Set(terms)]
  if (unique.length > MAX_TERMS) throw bad()
  return unique
}

/** Terms as a reader writes them: `rubio "no foreign troops"`. */
export function keywordText(terms: readonly string[]): string {
  return terms.map((t) => (t.includes(' ') ? `"${t}"` : t)).join(' ')
}

/** The canonical `q` value in a query string: percent-encoded, spaces as `+` (as forms send them). */
export function encodeKeywords(terms: readonly string[]): string {
  return encodeURIComponent(keywordText(terms)).replaceAll('%20', '+')
}

/**
 * The FTS5 MATCH expression: every term an FTS5 string, all of them
 * required (juxtaposition is AND). A phrase's words must appear in order.
 */
export function ftsMatch(terms: readonly string[]): string {
  if (terms.length === 0) throw new Error('ftsMatch needs at least one term')
  return terms.map((t) => `"${t}"`).join(' ')
}
