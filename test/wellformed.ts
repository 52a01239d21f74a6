/**
 * Structural checks shared by the robustness tests: XML well-formedness,
 * absence of XML-invalid characters, and script-free HTML.
 */
import { XMLValidator } from 'fast-xml-parser'
import { Parser } from 'htmlparser2'

const INVALID_XML_CHAR =
  /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Problems that make `xml` unreadable to a strict XML parser; empty when well-formed. */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = []
  if (INVALID_XML_CHAR.test(xml)) problems.push('contains a character XML 1.0 does not allow')
  const result = XMLValidator.validate(xml, { allowBooleanAttributes: false })
  if (result !== true)
    problems.push(`${result.err.code}: ${result.err.msg} (line ${result.err.line})`)
  return problems
}

const ACTIVE = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'frame',
  'form',
  'svg',
  'math',
  'base',
  'meta',
  'link',
])

/** Script vectors left in an HTML fragment: active elements, event handlers, URLs with a scheme other than http, https or mailto. */
export function scriptProblems(html: string): string[] {
  const problems: string[] = []
  const parser = new Parser({
    onopentag(name, attributes) {
      if (ACTIVE.has(name)) problems.push(`<${name}>`)
      for (const [key, value] of Object.entries(attributes)) {
        if (key.startsWith('on')) problems.push(`${name}[${key}]`)
        const compact = value.replace(/[\0-\x20\x7F]/g, '')
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1]?.toLowerCase()
        if (
          ['href', 'src', 'cite', 'action', 'formaction', 'xlink:href'].includes(key) &&
          scheme &&
          !['http', 'https', 'mailto'].includes(scheme)
        ) {
          problems.push(`${name}[${key}=${value.slice(0, 40)}]`)
        }
      }
    },
  })
  parser.write(html)
  parser.end()
  return problems
}

/** Text of every `<content:encoded>` / `<content>` CDATA-or-escaped block, decoded. */
export function xmlHtmlFields(xml: string): string[] {
  const out: string[] = []
  for (const m of xml.matchAll(/<(content:encoded|content)\b[^>]*>([\s\S]*?)<\/\1>/g)) {
    const inner = m[2]!
    out.push(
      inner.includes('<![CDATA[')
        ? inner.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
        : inner
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&quot;/g, '"')
            .replace(/&#39;/g, "'")
            .replace(/&amp;/g, '&'),
    )
  }
  return out
}
