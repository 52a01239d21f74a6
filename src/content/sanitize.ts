/**
 * @module sanitize
 * Reduces untrusted HTML to a safe subset, once, at content build time.
 *
 * The input is parsed with htmlparser2 (the same tolerant tokenizer as
 * browsers use for broken markup) and written out again from an allowlist:
 * unknown elements are unwrapped (their text kept), dangerous ones are dropped
 * with their contents, every attribute not listed is removed, URLs keep only
 * http, https and mailto and are made absolute, and every tag is closed. The
 * output is well-formed XHTML-compatible markup with no invalid XML
 * characters, so it can go into a CDATA section or a JSON string as is.
 */
import { Parser } from 'htmlparser2'
import { escape, stripInvalidXml } from '../lib/xml.ts'

/** Elements kept, with the attributes each may carry. */
const ALLOWED: Record<string, readonly string[]> = {
  a: ['href', 'title'],
  abbr: ['title'],
  b: [], blockquote: ['cite'], br: [], caption: [], cite: [], code: [], dd: [], del: [], dl: [], dt: [],
  em: [], figcaption: [], figure: [], h2: [], h3: [], h4: [], h5: [], h6: [], hr: [], i: [],
  img: ['src', 'alt', 'title', 'width', 'height'],
  ins: [], kbd: [], li: [], mark: [], ol: ['start'], p: [], pre: [], q: ['cite'], s: [], small: [],
  strong: [], sub: [], sup: [], table: [], tbody: [], td: ['colspan', 'rowspan'], tfoot: [],
  th: ['colspan', 'rowspan', 'scope'], thead: [], time: ['datetime'], tr: [], u: [], ul: [],
}

/** Elements removed together with everything inside them. */
const DROPPED = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'template', 'noscript',
  'noembed', 'noframes', 'textarea', 'select', 'option', 'button', 'form', 'input', 'svg', 'math',
  'head', 'title', 'meta', 'link', 'base', 'xmp', 'plaintext', 'canvas', 'audio', 'video', 'source',
])

const VOID = new Set(['br', 'hr', 'img'])

/** Where each table part may stand; anywhere else an HTML parser reports an error and moves or drops it, so it is unwrapped. */
const TABLE_PARENTS: Record<string, readonly string[]> = {
  caption: ['table'], thead: ['table'], tbody: ['table'], tfoot: ['table'],
  tr: ['table', 'thead', 'tbody', 'tfoot'], td: ['tr'], th: ['tr'],
}
/** Table parts that hold only other table parts: text or any other element in them would be foster-parented, so it is dropped. */
const TABLE_CONTAINERS = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr'])
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite'])
const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:'])
/** Markup nested deeper than this is unwrapped: readers choke on it and no article needs it. */
const MAX_DEPTH = 32

/**
 * Resolves `value` against `base` (an absolute URL, the document's own) and
 * returns it only if the scheme is safe.
 * Browsers ignore tabs, newlines and controls inside URLs (`java\tscript:`),
 * so they are removed before the scheme is read.
 */
export function safeUrl(value: string, base: string): string | undefined {
  const compact = value.replace(/[\0-\x20\x7F]/g, '')
  if (compact === '') return undefined
  try {
    const url = new URL(compact, base)
    return SAFE_SCHEMES.has(url.protocol) ? url.href : undefined
  } catch {
    return undefined
  }
}

/**
 * Returns a safe, well-formed copy of `html`. Relative links resolve against
 * `baseUrl`, the URL of the page the HTML belongs to (an entry's
 * `{site}/entries/{id}`), as a browser showing that page would resolve them
 * (RFC 3986 section 5.2): `#notes` stays on the entry, `img/a.png` is a
 * sibling of it, `/about` is at the site root.
 */
export function sanitizeHtml(html: string, baseUrl: string): string {
  let out = ''
  /** Open elements as the parser sees them; `null` where the element was not written. */
  const stack: (string | null)[] = []
  let depth = 0
  let dropping = 0

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (dropping > 0 || DROPPED.has(name)) {
          dropping++
          stack.push(null)
          return
        }
        const parent = stack.findLast((open) => open !== null)
        if (parent && TABLE_CONTAINERS.has(parent) && !TABLE_PARENTS[name]?.includes(parent)) {
          dropping++
          stack.push(null)
          return
        }
        const allowed = ALLOWED[name]
        if (!allowed || depth >= MAX_DEPTH || (TABLE_PARENTS[name] && !TABLE_PARENTS[name].includes(parent ?? ''))) {
          stack.push(null)
          return
        }
        let tag = `<${name}`
        for (const attribute of allowed) {
          let value = attributes[attribute]
          if (value === undefined) continue
          if (URL_ATTRIBUTES.has(attribute)) value = safeUrl(value, baseUrl)
          if (value !== undefined) tag += ` ${attribute}="${escape(stripInvalidXml(value))}"`
        }
        if (name === 'a' && tag.includes(' href="')) tag += ' rel="noopener"'
        if (VOID.has(name)) {
          out += `${tag} />`
          stack.push(null)
          return
        }
        out += `${tag}>`
        stack.push(name)
        depth++
      },
      // htmlparser2 reports a close for every open, void elements included.
      onclosetag() {
        const open = stack.pop()
        if (open === undefined) return
        if (open === null) {
          if (dropping > 0) dropping--
          return
        }
        out += `</${open}>`
        depth--
      },
      ontext(text) {
        const parent = stack.findLast((open) => open !== null)
        if (dropping === 0 && !(parent && TABLE_CONTAINERS.has(parent))) out += escape(stripInvalidXml(text))
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: false },
  )
  parser.write(stripInvalidXml(html))
  parser.end()
  return out
}
