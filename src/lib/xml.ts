/**
 * @module xml
 * Escaping for XML 1.0 and HTML text. Every string that reaches a feed or a
 * page goes through one of these functions; nothing else builds markup from
 * data.
 */

/**
 * Characters a feed must not carry. XML 1.0 (section 2.2, production [2]
 * Char) forbids C0 controls other than tab, LF and CR, U+FFFE, U+FFFF and
 * surrogates that are not part of a pair (they cannot be encoded as UTF-8).
 * Section 2.2 also discourages DEL, the C1 controls and the noncharacters
 * (U+FDD0 to U+FDEF, and the last two code points of every plane), which
 * feed validators report; and U+FFFD only ever marks text already damaged.
 */
const INVALID_XML =
  /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFDD0-\uFDEF\uFFFD\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Removes every character of {@link INVALID_XML}, lone surrogates included. */
export function stripInvalidXml(s: string): string {
  return s.replace(INVALID_XML, '')
}

/**
 * The one cleaning function of plain-text content fields (titles, names,
 * summaries, quotes...): invalid XML characters and lone surrogates
 * removed, white space (line breaks, U+2028 and U+2029 included) folded to
 * single spaces, ends trimmed. Markup is left as text: plain text is
 * escaped where it is written, never tag-stripped, so `a<b and c>d` reads
 * as written.
 */
export function cleanText(s: string): string {
  return stripInvalidXml(s).replace(/\s+/g, ' ').trim()
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
const SPECIAL = /[&<>"']/g

/**
 * Escapes `& < > " '` for use in XML or HTML attribute values and markup.
 * Input is assumed to be free of invalid characters (see {@link clean}).
 */
export function escape(s: string): string {
  return SPECIAL.test(s) ? ((SPECIAL.lastIndex = 0), s.replace(SPECIAL, (c) => ESCAPES[c]!)) : s
}

const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
}

/**
 * Escapes plain text for an XML attribute value in double quotes, with the
 * predefined entities only (XML 1.0 section 4.6). An apostrophe needs no
 * escape there, and is left alone: some feed parsers do not decode numeric
 * references in attributes, and would show `&#39;`.
 */
export function escapeAttribute(s: string): string {
  return /[&<>"]/.test(s) ? s.replace(/[&<>"]/g, (c) => ATTRIBUTE_ESCAPES[c]!) : s
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&#x26;', '<': '&#x3C;', '>': '&#x3E;' }

/**
 * Escapes the plain text of a feed element with hexadecimal references, as
 * the RSS Best Practices Profile asks (`&` and `<`; `>` too, so `]]>` never
 * appears). Attribute values use {@link escape}: some parsers decode only
 * the predefined entities there.
 */
export function escapeText(s: string): string {
  return /[&<>]/.test(s) ? s.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]!) : s
}

/** Strips invalid characters, then escapes: safe for any untrusted string. */
export function clean(s: string): string {
  return escape(stripInvalidXml(s))
}

/**
 * Wraps text in a CDATA section. Every `]]>` inside is split across two
 * sections (XML 1.0 section 2.7: CDATA may not contain `]]>`), so any
 * number of them is safe.
 */
export function cdata(s: string): string {
  return `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`
}
