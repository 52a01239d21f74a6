/**
 * @module xml
 * Escaping for XML 1.0 and HTML text. Every string that reaches a feed or a
 * page goes through one of these functions; nothing else builds markup from
 * data.
 */

/**
 * Characters XML 1.0 does not allow (section 2.2, production [2] Char):
 * C0 controls other than tab, LF and CR; U+FFFE and U+FFFF; and surrogate
 * code units that are not part of a pair (they cannot be encoded as UTF-8).
 */
const INVALID_XML = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Removes every character XML 1.0 cannot carry, including lone surrogates. */
export function stripInvalidXml(s: string): string {
  return s.replace(INVALID_XML, '')
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const SPECIAL = /[&<>"']/g

/**
 * Escapes `& < > " '` for use in XML or HTML text and attribute values.
 * Input is assumed to be free of invalid characters (see {@link clean}).
 */
export function escape(s: string): string {
  return SPECIAL.test(s) ? ((SPECIAL.lastIndex = 0), s.replace(SPECIAL, (c) => ESCAPES[c]!)) : s
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
