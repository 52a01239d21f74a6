/**
 * @module validity
 * A feed checker written from the specifications alone: XML 1.0 (fifth
 * edition) with Namespaces in XML, RSS 2.0 (rssboard.org) and the RSS
 * Advisory Board's RSS Best Practices Profile, Atom 1.0 (RFC 4287) with
 * RFC 3339 dates, RFC 822 / RFC 2822 dates, BCP 47 language tags, JSON Feed
 * 1.1, and what makes an HTML fragment safe and well-formed.
 *
 * A problem is a string `"error Code: message"` or `"warning Code: message"`.
 * Where the W3C Feed Validation Service documents a message for the same
 * problem, its code is reused as the identifier (`MissingSelf`,
 * `DuplicateUpdated`, `NotHtml`, ...) so that the problem can be looked up
 * there; every check and every message here is this module's own.
 *
 * Pure TypeScript with erasable syntax only, so it runs under Vitest in
 * workerd and under Node's type stripping alike. HTML is tokenized with
 * htmlparser2; the XML parser is this module's own, strict one.
 */
import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2'

/**
 * The media type each format must be served with: RSS and Atom as
 * `application/xml`, which the W3C Feed Validation Service accepts for
 * both (and browsers render with the feed preview's stylesheet).
 */
export const CONTENT_TYPES = {
  rss: 'application/xml; charset=utf-8',
  atom: 'application/xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
} as const

type Format = keyof typeof CONTENT_TYPES

const ATOM = 'http://www.w3.org/2005/Atom'
const CONTENT = 'http://purl.org/rss/1.0/modules/content/'
const DC = 'http://purl.org/dc/elements/1.1/'
const XHTML = 'http://www.w3.org/1999/xhtml'
const XML_NS = 'http://www.w3.org/XML/1998/namespace'
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/'
const DAY_MS = 86_400_000

/** Collects problems in the `"level Code: message"` form. */
class Report {
  list: string[] = []
  error(code: string, message: string): void {
    this.list.push(`error ${code}: ${message}`)
  }
  warning(code: string, message: string): void {
    this.list.push(`warning ${code}: ${message}`)
  }
}

/** A value for a message: quoted, and shortened when long. */
const show = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s)
const codePoint = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`

// --- Characters (XML 1.0 section 2.2) --------------------------------------

/**
 * `invalid`: outside the Char production (C0 controls other than tab, LF and
 * CR; surrogates, which here can only be unpaired; U+FFFE and U+FFFF).
 * `discouraged`: DEL and the C1 controls, the noncharacters, and U+FFFD,
 * which only ever stands for text that was already damaged.
 */
function charClass(cp: number): 'invalid' | 'discouraged' | undefined {
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d ? undefined : 'invalid'
  if (cp < 0x7f) return undefined
  if (cp <= 0x9f) return 'discouraged'
  if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffe || cp === 0xffff || cp > 0x10ffff)
    return 'invalid'
  if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe || cp === 0xfffd)
    return 'discouraged'
  return undefined
}

/** Anything outside this class needs a closer look; most text never does. */
const SUSPECT = /[^\t\n\r\x20-\x7E\xA0-\uD7FF\uE000-\uFDCF\uFDF0-\uFFFC]/

interface BadChar {
  cp: number
  at: number
}

/** The first invalid and the first discouraged character of `s`, with their offsets. */
function scanChars(s: string): { invalid?: BadChar; discouraged?: BadChar } {
  const found: { invalid?: BadChar; discouraged?: BadChar } = {}
  if (!SUSPECT.test(s)) return found
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!
    const kind = charClass(cp)
    if (kind && !found[kind]) found[kind] = { cp, at: i }
    if (cp > 0xffff) i++
  }
  return found
}

/** Reports characters a feed should not carry: invalid ones as errors, discouraged ones as warnings. */
function checkChars(s: string, label: string, r: Report): void {
  const { invalid, discouraged } = scanChars(s)
  if (invalid)
    r.error(
      'InvalidCharacter',
      `${label} contains ${codePoint(invalid.cp)}, which XML 1.0 does not allow`,
    )
  if (discouraged)
    r.warning(
      'BadCharacters',
      `${label} contains ${codePoint(discouraged.cp)}, a control character or noncharacter readers may mangle`,
    )
}

// --- XML 1.0 with namespaces: a small, strict, non-validating parser -------

/** An attribute with its namespace resolved (namespace declarations are not listed). */
export interface XmlAttribute {
  name: string
  local: string
  ns: string
  value: string
}
/** Character data: `text` decoded, `raw` as written (line ends normalized); `cdata` for a CDATA section. */
export interface XmlText {
  type: 'text'
  text: string
  raw: string
  cdata: boolean
}
/** An element: `name` as written, `local` and `ns` after namespace resolution. */
export interface XmlElement {
  type: 'element'
  name: string
  local: string
  ns: string
  attributes: XmlAttribute[]
  children: XmlNode[]
}
export type XmlNode = XmlElement | XmlText
/** The result of {@link parseXml}: the root element, or the fatal error as `error SAXError: ...`. */
export interface XmlDocument {
  root: XmlElement | undefined
  problems: string[]
}

class XmlError extends Error {}

const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}'
/** The Name production of XML 1.0, sticky so it matches at a given offset. */
const NAME = new RegExp(
  `[:${NAME_START}][:${NAME_START}.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040-]*`,
  'uy',
)
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const DOCTYPE = /<!DOCTYPE\s(?:[^[>"']|"[^"]*"|'[^']*')*(?:\[(?:[^\]"']|"[^"]*"|'[^']*')*\])?\s*>/y
const ATTRIBUTE_VALUE = /\s*=\s*(?:"([^"]*)"|'([^']*)')/y
const XML_DECL =
  /<\?xml\s+version\s*=\s*(["'])1\.\d+\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][\w.-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>/y

/** Reads one document; every method throws {@link XmlError} at the first fatal error. */
class XmlReader {
  xml: string
  pos = 0
  constructor(xml: string) {
    this.xml = xml
  }

  fail(message: string, at = this.pos): never {
    const line = this.xml.slice(0, at).split('\n').length
    throw new XmlError(`${message} (line ${line})`)
  }

  document(): XmlElement {
    const bad = scanChars(this.xml).invalid
    if (bad) this.fail(`${codePoint(bad.cp)} is not a character XML 1.0 allows`, bad.at)
    if (this.xml.startsWith('\uFEFF')) this.pos = 1
    if (this.xml.startsWith('<?xml', this.pos) && /[\s?]/.test(this.xml[this.pos + 5] ?? '')) {
      XML_DECL.lastIndex = this.pos
      if (!XML_DECL.test(this.xml)) this.fail('malformed XML declaration')
      this.pos = XML_DECL.lastIndex
    }
    this.misc(true)
    if (!/^<[^!?/]/.test(this.xml.slice(this.pos, this.pos + 2)))
      this.fail(
        this.pos < this.xml.length ? 'no root element where one should start' : 'no root element',
      )
    const root = this.content()
    this.misc(false)
    if (this.pos < this.xml.length) this.fail('content after the root element')
    return root
  }

  /** White space, comments and processing instructions around the root element (and the DOCTYPE before it). */
  misc(prolog: boolean): void {
    for (;;) {
      while (/[ \t\n]/.test(this.xml[this.pos] ?? '')) this.pos++
      if (this.xml.startsWith('<!--', this.pos)) this.comment()
      else if (this.xml.startsWith('<?', this.pos)) this.instruction()
      else if (prolog && this.xml.startsWith('<!DOCTYPE', this.pos)) this.doctype()
      else return
    }
  }

  comment(): void {
    const end = this.xml.indexOf('-->', this.pos + 4)
    if (end < 0) this.fail('unterminated comment')
    const body = this.xml.slice(this.pos + 4, end)
    if (body.includes('--') || body.endsWith('-')) this.fail('"--" inside a comment')
    this.pos = end + 3
  }

  instruction(): void {
    this.pos += 2
    const target = this.name()
    if (target.toLowerCase() === 'xml') this.fail('an XML declaration may only open the document')
    const end = this.xml.indexOf('?>', this.pos)
    if (end < 0 || (end > this.pos && !/\s/.test(this.xml[this.pos]!)))
      this.fail(`malformed processing instruction <?${target}`)
    this.pos = end + 2
  }

  /** Skipped, internal subset included; entities it might declare are not expanded (feeds need none). */
  doctype(): void {
    DOCTYPE.lastIndex = this.pos
    if (!DOCTYPE.test(this.xml)) this.fail('malformed DOCTYPE')
    this.pos = DOCTYPE.lastIndex
  }

  name(): string {
    NAME.lastIndex = this.pos
    const m = NAME.exec(this.xml)
    if (!m)
      this.fail(
        this.pos >= this.xml.length
          ? 'unexpected end of document'
          : `a name cannot start with ${show(this.xml[this.pos]!)}`,
      )
    this.pos += m[0].length
    return m[0]
  }

  /** Replaces character and entity references; a bare "&" or an undeclared entity is fatal. */
  decode(raw: string, at: number): string {
    if (!raw.includes('&')) return raw
    return raw.replace(
      /&(#x[0-9a-fA-F]+|#[0-9]+|[^\s&;<>"']+);|&/g,
      (_, ref: string | undefined) => {
        if (ref === undefined)
          return this.fail('"&" that starts no reference (escape it as &amp;)', at)
        if (ref.startsWith('#')) {
          const cp = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1))
          if (charClass(cp) === 'invalid')
            this.fail(`&${ref}; refers to a character XML 1.0 does not allow`, at)
          return String.fromCodePoint(cp)
        }
        return PREDEFINED[ref] ?? this.fail(`reference to the undeclared entity &${ref};`, at)
      },
    )
  }

  /** The root element and everything in it, read without recursion. */
  content(): XmlElement {
    const stack: { el: XmlElement; scope: Map<string, string> }[] = []
    let scope = new Map([['xml', XML_NS]])
    for (;;) {
      const top = stack.at(-1)
      const { xml, pos } = this
      if (xml.startsWith('</', pos)) {
        this.pos += 2
        const name = this.name()
        while (/\s/.test(xml[this.pos] ?? '')) this.pos++
        if (xml[this.pos] !== '>') this.fail(`malformed end tag </${name}`)
        this.pos++
        if (!top || top.el.name !== name)
          this.fail(
            top
              ? `</${name}> does not close the open <${top.el.name}>`
              : `</${name}> closes nothing`,
            pos,
          )
        stack.pop()
        if (!stack.length) return top.el
        scope = stack.at(-1)!.scope
      } else if (xml.startsWith('<!--', pos)) this.comment()
      else if (xml.startsWith('<![CDATA[', pos)) {
        const end = xml.indexOf(']]>', pos + 9)
        if (end < 0) this.fail('unterminated CDATA section')
        top!.el.children.push({
          type: 'text',
          text: xml.slice(pos + 9, end),
          raw: xml.slice(pos, end + 3),
          cdata: true,
        })
        this.pos = end + 3
      } else if (xml.startsWith('<?', pos)) this.instruction()
      else if (xml.startsWith('<!', pos)) this.fail('markup declaration inside the root element')
      else if (xml[pos] === '<') {
        const opened = this.startTag(scope)
        top?.el.children.push(opened.el)
        if (opened.empty && !top) return opened.el
        if (!opened.empty) {
          stack.push(opened)
          scope = opened.scope
        }
      } else if (pos >= xml.length) this.fail(`<${top!.el.name}> is never closed`)
      else {
        const end = xml.indexOf('<', pos)
        const raw = xml.slice(pos, end < 0 ? xml.length : end)
        const cdataEnd = raw.indexOf(']]>')
        if (cdataEnd >= 0) this.fail('"]]>" in text (escape ">" as &gt;)', pos + cdataEnd)
        top!.el.children.push({ type: 'text', text: this.decode(raw, pos), raw, cdata: false })
        this.pos += raw.length
      }
    }
  }

  startTag(parentScope: Map<string, string>): {
    el: XmlElement
    scope: Map<string, string>
    empty: boolean
  } {
    const at = this.pos++
    const name = this.name()
    const pairs: [string, string][] = []
    for (;;) {
      const before = this.pos
      while (/\s/.test(this.xml[this.pos] ?? '')) this.pos++
      if (this.xml.startsWith('/>', this.pos) || this.xml[this.pos] === '>') break
      if (this.pos === before) this.fail(`expected white space, ">" or "/>" in <${name}>`)
      const attribute = this.name()
      ATTRIBUTE_VALUE.lastIndex = this.pos
      const m = ATTRIBUTE_VALUE.exec(this.xml)
      if (!m) this.fail(`attribute ${attribute} of <${name}> has no quoted value`)
      const raw = m[1] ?? m[2]!
      if (raw.includes('<')) this.fail(`"<" in the value of ${attribute}`)
      if (pairs.some(([n]) => n === attribute))
        this.fail(`attribute ${attribute} appears twice on <${name}>`)
      pairs.push([attribute, this.decode(raw.replace(/[\t\n]/g, ' '), this.pos)])
      this.pos = ATTRIBUTE_VALUE.lastIndex
    }
    const empty = this.xml[this.pos] === '/'
    this.pos += empty ? 2 : 1
    const scope = this.declare(pairs, parentScope, at)
    const [prefix, local] = this.qname(name, at)
    const ns = prefix ? this.lookup(prefix, scope, at) : (scope.get('') ?? '')
    const attributes: XmlAttribute[] = []
    for (const [qname, value] of pairs) {
      if (qname === 'xmlns' || qname.startsWith('xmlns:')) continue
      const [p, l] = this.qname(qname, at)
      const attribute = { name: qname, local: l, ns: p ? this.lookup(p, scope, at) : '', value }
      if (attributes.some((a) => a.local === l && a.ns === attribute.ns))
        this.fail(`two attributes of <${name}> share the name {${attribute.ns}}${l}`, at)
      attributes.push(attribute)
    }
    return { el: { type: 'element', name, local, ns, attributes, children: [] }, scope, empty }
  }

  /** The scope in force inside an element, after its namespace declarations. */
  declare(pairs: [string, string][], parent: Map<string, string>, at: number): Map<string, string> {
    let scope = parent
    for (const [name, uri] of pairs) {
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue
      const prefix = name === 'xmlns' ? '' : this.qname(name, at)[1]
      if (prefix === 'xmlns' || uri === XMLNS_NS)
        this.fail('the xmlns prefix and namespace cannot be declared', at)
      if ((prefix === 'xml') !== (uri === XML_NS))
        this.fail('the xml prefix belongs to the XML namespace only', at)
      if (prefix && uri === '') this.fail(`prefix ${prefix} cannot be undeclared`, at)
      if (scope === parent) scope = new Map(parent)
      scope.set(prefix, uri)
    }
    return scope
  }

  /** Splits a qualified name; more than one colon, or an empty part, is not namespace-well-formed. */
  qname(name: string, at: number): [string, string] {
    const parts = name.split(':')
    if (parts.length > 2 || parts.some((p) => p === ''))
      this.fail(`${show(name)} is not a qualified name`, at)
    return parts.length === 2 ? [parts[0]!, parts[1]!] : ['', name]
  }

  lookup(prefix: string, scope: Map<string, string>, at: number): string {
    return scope.get(prefix) ?? this.fail(`undeclared namespace prefix ${show(prefix)}`, at)
  }
}

/**
 * Parses `xml` strictly (XML 1.0 well-formedness and Namespaces in XML).
 * On the first fatal error `root` is undefined and `problems` holds one
 * `error SAXError: ...`. Comments and processing instructions are dropped.
 */
export function parseXml(xml: string): XmlDocument {
  try {
    return { root: new XmlReader(xml.replace(/\r\n?/g, '\n')).document(), problems: [] }
  } catch (error) {
    if (error instanceof XmlError)
      return { root: undefined, problems: [`error SAXError: ${error.message}`] }
    throw error
  }
}

const elements = (el: XmlElement, ns?: string, local?: string): XmlElement[] =>
  el.children.filter(
    (c): c is XmlElement =>
      c.type === 'element' &&
      (ns === undefined || c.ns === ns) &&
      (local === undefined || c.local === local),
  )
const first = (el: XmlElement, ns: string, local: string): XmlElement | undefined =>
  elements(el, ns, local)[0]
const attr = (el: XmlElement, local: string, ns = ''): string | undefined =>
  el.attributes.find((a) => a.local === local && a.ns === ns)?.value
const text = (el: XmlElement): string =>
  el.children.map((c) => (c.type === 'text' ? c.text : '')).join('')

/** Reports unknown elements of `ns` and elements that may appear only once but repeat. */
function structure(
  parent: XmlElement,
  ns: string,
  allowed: Record<string, number>,
  where: string,
  r: Report,
): void {
  const counts = new Map<string, number>()
  for (const child of elements(parent, ns)) {
    const max = allowed[child.local]
    if (max === undefined)
      r.error('UndefinedElement', `<${child.name}> is not an element of ${where}`)
    counts.set(child.local, (counts.get(child.local) ?? 0) + 1)
    if (max !== undefined && counts.get(child.local) === max + 1)
      r.error('DuplicateElement', `${where} has more than one <${child.name}>`)
  }
}

/**
 * XHTML elements among a channel's, item's, feed's or entry's children: the
 * W3C Feed Validation Service knows a few (`allowed`: an XHTML `div` or a
 * robots `meta` in a channel or feed, an XHTML `body` in an RSS item) and
 * warns "Misplaced XHTML content" about any other, since readers look for
 * text in the formats' own elements.
 */
function xhtmlPlacement(parent: XmlElement, allowed: string[], where: string, r: Report): void {
  for (const child of elements(parent, XHTML))
    if (!allowed.includes(child.local))
      r.warning(
        'MisplacedXHTMLContent',
        `${where} holds an XHTML <${child.local}>; only ${allowed.length ? allowed.map((a) => `<${a}>`).join(' or ') : 'no XHTML element'} may stand there`,
      )
}

function required(parent: XmlElement, ns: string, names: string[], where: string, r: Report): void {
  for (const name of names)
    if (!first(parent, ns, name)) r.error('MissingElement', `${where} has no <${name}>`)
}

// --- Dates -----------------------------------------------------------------

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']
/** RFC 822 section 5.1 zones, in hours east of UTC (the military letters other than Z are left out, as RFC 2822 advises). */
const ZONES: Record<string, number> = {
  ut: 0,
  gmt: 0,
  z: 0,
  est: -5,
  edt: -4,
  cst: -6,
  cdt: -5,
  mst: -7,
  mdt: -6,
  pst: -8,
  pdt: -7,
}
const RFC822 =
  /^\s*(?:([a-z]{3})\s*,\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{4}|\d{2})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([a-z]{1,3}|[+-]\d{4})\s*$/i

/** Milliseconds since the epoch of a proleptic Gregorian UTC date-time, or NaN when a field is out of range. */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const days =
    new Date(Date.UTC(2000, mo, 0)).getUTCDate() -
    (mo === 2 && (y % 4 !== 0 || (y % 100 === 0 && y % 400 !== 0)) ? 1 : 0)
  if (mo < 1 || mo > 12 || d < 1 || d > days || h > 23 || mi > 59 || s > 60) return Number.NaN
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, s)
  return date.getTime()
}

/** `written`: the day name as given, lower case; `actual`: the one the date falls on. */
interface Rfc822Date {
  time: number
  written?: string
  actual: string
  twoDigitYear: boolean
}

function readRfc822(s: string): Rfc822Date | undefined {
  const m = RFC822.exec(s)
  if (!m) return undefined
  const [, weekday, day, month, year, hh, mm, ss = '0', zone] = m
  const mo = MONTHS.indexOf(month!.toLowerCase()) + 1
  // RFC 2822 section 4.3: a two-digit year below 50 is in the 2000s.
  const y = year!.length === 2 ? Number(year) + (Number(year) < 50 ? 2000 : 1900) : Number(year)
  const named = ZONES[zone!.toLowerCase()]
  const offset =
    named !== undefined
      ? named * 60
      : /^[+-]\d{4}$/.test(zone!) && Number(zone!.slice(3)) < 60
        ? Number(`${zone![0]}1`) * (Number(zone!.slice(1, 3)) * 60 + Number(zone!.slice(3)))
        : Number.NaN
  const time = utc(y, mo, Number(day), Number(hh), Number(mm), Number(ss)) - offset * 60_000
  if (Number.isNaN(time) || (weekday && !WEEKDAYS.includes(weekday.toLowerCase()))) return undefined
  const actual = WEEKDAYS[new Date(utc(y, mo, Number(day), 0, 0, 0)).getUTCDay()]!
  return {
    time,
    ...(weekday && { written: weekday.toLowerCase() }),
    actual,
    twoDigitYear: year!.length === 2,
  }
}

/** Parses an RFC 822 / RFC 2822 date-time (`Sat, 03 May 2025 00:00:00 GMT`); milliseconds since the epoch, NaN when invalid. */
export function parseRfc822(s: string): number {
  return typeof s === 'string' ? (readRfc822(s)?.time ?? Number.NaN) : Number.NaN
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/

/** Parses an RFC 3339 date-time (section 5.6, `date-time`); milliseconds since the epoch, NaN when invalid. */
export function rfc3339Time(s: string): number {
  const m = typeof s === 'string' ? RFC3339.exec(s) : null
  if (!m) return Number.NaN
  const [, y, mo, d, h, mi, sec, fraction = '', sign, oh = '0', om = '0'] = m
  if (Number(oh) > 23 || Number(om) > 59) return Number.NaN
  const offset = sign ? Number(`${sign}1`) * (Number(oh) * 60 + Number(om)) : 0
  return (
    utc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec)) +
    Math.floor(Number(`0${fraction}`) * 1000) -
    offset * 60_000
  )
}

function future(time: number, label: string, now: Date, r: Report): void {
  if (time > now.getTime() + DAY_MS)
    r.warning('ImplausibleDate', `${label} ${new Date(time).toISOString()} is in the future`)
}

function checkRfc822(el: XmlElement, label: string, now: Date, r: Report): number | undefined {
  const value = text(el)
  const date = readRfc822(value)
  if (!date)
    return void r.error(
      'InvalidRFC2822Date',
      `${label} ${show(value)} is not an RFC 822 date-time such as "Sat, 03 May 2025 00:00:00 GMT"`,
    )
  if (date.written && date.written !== date.actual)
    r.error('IncorrectDOW', `${label} ${show(value)}: that date is not a ${date.written}`)
  if (date.twoDigitYear)
    r.warning(
      'ProblematicalRFC822Date',
      `${label} ${show(value)} has a two-digit year; write all four digits`,
    )
  future(date.time, label, now, r)
  return date.time
}

function checkRfc3339(
  value: string,
  label: string,
  now: Date,
  r: Report,
  code = 'InvalidRFC3339Date',
): number | undefined {
  const time = rfc3339Time(value)
  // Atom (RFC 4287 section 3.3) and this checker want the upper-case "T" and "Z".
  if (Number.isNaN(time) || /[tz]/.test(value))
    return void r.error(
      code,
      `${label} ${show(value)} is not an RFC 3339 date-time such as "2025-05-03T00:00:00Z"`,
    )
  future(time, label, now, r)
  return time
}

// --- Small value syntaxes --------------------------------------------------

/** A well-formed BCP 47 (RFC 5646) tag with a two- or three-letter primary language, or a private-use tag. */
const LANGUAGE =
  /^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+)$/i
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/
const TOKEN = "[A-Za-z0-9!#$&^_.+'*`|~-]+"
const MIME = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"]*"))*$`)
/** Something that looks like an HTML tag or comment inside what should be plain text. */
const MARKUP = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>|<!--/

const isHttpUrl = (s: string): boolean => /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(s) && URL.canParse(s)
const isAbsoluteIri = (s: string): boolean => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/.test(s)

/** RFC 3986 section 6.2.2 normalization an http(s) identifier should already be in (compared case-sensitively, as Atom readers do). */
function isCanonicalHttp(s: string): boolean {
  const m = /^([^:]+):\/\/([^/?#]*)([^?#]*)/.exec(s)
  if (!m || !/^https?$/i.test(m[1]!)) return true
  const [, scheme, authority, path] = m
  const host = authority!.replace(/^[^@]*@/, '')
  const defaultPort = scheme!.toLowerCase() === 'http' ? ':80' : ':443'
  return (
    scheme === scheme!.toLowerCase() &&
    host === host.toLowerCase() &&
    !host.endsWith(':') &&
    !host.endsWith(defaultPort) &&
    path !== '' &&
    !/(?:^|\/)\.\.?(?:\/|$)/.test(path!) &&
    !/%[0-9A-F]?[a-f]/.test(s)
  )
}

function checkLanguage(value: string, label: string, r: Report): void {
  if (!LANGUAGE.test(value))
    r.error(
      'InvalidLanguage',
      `${label} ${show(value)} is not a language tag such as "en" or "pt-BR"`,
    )
}

// --- HTML fragments --------------------------------------------------------

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
])
/** Elements that run code, load other documents, take input or bring their own parsing rules. */
const ACTIVE = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'param',
  'form',
  'input',
  'button',
  'select',
  'option',
  'optgroup',
  'textarea',
  'keygen',
  'svg',
  'math',
  'base',
  'meta',
  'link',
  'template',
  'noscript',
])
/** Start tags that end an open paragraph: a `<p>` may hold phrasing content only. */
const ENDS_P = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'details',
  'dialog',
  'div',
  'dl',
  'dd',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'ul',
])
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'])
/** Where each table part may stand. */
const TABLE_PARENTS: Record<string, string[]> = {
  caption: ['table'],
  colgroup: ['table'],
  thead: ['table'],
  tbody: ['table'],
  tfoot: ['table'],
  tr: ['table', 'thead', 'tbody', 'tfoot'],
  td: ['tr'],
  th: ['tr'],
  col: ['colgroup', 'table'],
}
/** Table parts that hold only other table parts: anything else would be moved out of the table. */
const TABLE_CONTAINERS = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'colgroup'])
/** Boundaries of the "scope" in which an open `<p>` or `<li>` is found and closed by a new one. */
const SCOPE_LIMITS = new Set([
  'table',
  'td',
  'th',
  'caption',
  'button',
  'object',
  'template',
  'applet',
  'marquee',
])
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'cite',
  'action',
  'formaction',
  'background',
  'longdesc',
  'poster',
  'usemap',
  'data',
  'codebase',
  'classid',
  'dynsrc',
  'lowsrc',
  'manifest',
  'icon',
  'profile',
  'xlink:href',
  'ping',
])
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto'])

/** True when `name` is open on `stack` within the scope that ends at a table cell or at one of `limits`. */
function inScope(stack: string[], name: string, limits: Set<string>): boolean {
  for (let i = stack.length - 1; i >= 0; i--) {
    if (stack[i] === name) return true
    if (SCOPE_LIMITS.has(stack[i]!) || limits.has(stack[i]!)) return false
  }
  return false
}

/** Problems of one URL attribute: a scheme other than http, https or mailto; a relative reference when `absUrl`. */
function checkUrl(
  tag: string,
  name: string,
  value: string,
  absUrl: boolean,
  say: (level: 'error' | 'warning', code: string, m: string) => void,
): void {
  const urls =
    name === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value]
  for (const url of urls) {
    // Browsers ignore leading and trailing spaces and controls, and tabs and newlines anywhere, before they read the scheme.
    const compact = url.replace(/^[\0-\x20]+|[\0-\x20]+$/g, '').replace(/[\t\n\r]/g, '')
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(compact)?.[1]?.toLowerCase()
    if (scheme && !SAFE_SCHEMES.has(scheme))
      say(
        'warning',
        'SecurityRiskAttr',
        `<${tag} ${name}> uses the ${scheme}: scheme; only http, https and mailto are safe`,
      )
    else if (!scheme && absUrl)
      say(
        'warning',
        'ContainsRelRef',
        `<${tag} ${name}=${show(url)}> is relative, and a feed reader has no base to resolve it against`,
      )
  }
}

/** Structural and safety checks of one start tag. */
function openTag(
  tag: string,
  attributes: [string, string][],
  stack: string[],
  selfClosing: boolean,
  absUrl: boolean,
  say: (level: 'error' | 'warning', code: string, m: string) => void,
): void {
  const notHtml = (m: string) => say('warning', 'NotHtml', m)
  const parent = stack.at(-1)
  if (ACTIVE.has(tag))
    say('warning', 'SecurityRisk', `<${tag}> is active content a feed must not carry`)
  if (selfClosing && !VOID.has(tag))
    notHtml(`<${tag}/>: HTML ignores "/>" on an element that is not void, so it stays open`)
  if (ENDS_P.has(tag) && inScope(stack, 'p', new Set()))
    notHtml(`<${tag}> inside <p> ends the paragraph early`)
  if (HEADINGS.has(tag) && parent && HEADINGS.has(parent))
    notHtml(`<${tag}> inside <${parent}> ends the heading early`)
  if (tag === 'a' && stack.includes('a')) notHtml('<a> inside <a>: links cannot nest')
  if (
    (tag === 'li' && inScope(stack, 'li', new Set(['ul', 'ol']))) ||
    ((tag === 'dd' || tag === 'dt') &&
      (inScope(stack, 'dd', new Set(['dl'])) || inScope(stack, 'dt', new Set(['dl']))))
  )
    notHtml(`<${tag}> inside an open list item ends it early`)
  const places = TABLE_PARENTS[tag]
  if (places && !places.includes(parent ?? ''))
    notHtml(
      `<${tag}> outside ${places.map((p) => `<${p}>`).join(' or ')} is dropped by HTML parsers`,
    )
  else if (!places && parent && TABLE_CONTAINERS.has(parent))
    notHtml(`<${tag}> directly inside <${parent}> is moved out of the table by HTML parsers`)
  for (const [name, value] of attributes) {
    if (name.startsWith('on'))
      say('warning', 'SecurityRiskAttr', `<${tag} ${name}> is an event handler, which runs script`)
    else if (
      name === 'style' &&
      /expression\(|url\(|javascript:/.test(value.toLowerCase().replace(/\/\*.*?\*\/|[\s\\]/g, ''))
    )
      say('warning', 'SecurityRiskAttr', `<${tag} style> can load or run code: ${show(value)}`)
    else if (URL_ATTRIBUTES.has(name) || name === 'srcset') checkUrl(tag, name, value, absUrl, say)
  }
}

/**
 * Checks an HTML fragment as it would appear in `content:encoded`, an RSS
 * `description`, an Atom `content type="html"` or a JSON Feed `content_html`:
 * balanced and properly nested for a strict parser (no implied or stray end
 * tags, no misplaced table parts), free of active content (scripts, frames,
 * plugins, forms, SVG and MathML, event handlers, style attributes that load
 * or run code, URLs with schemes other than http, https and mailto), with
 * absolute URLs only when `absUrl` is set, and without characters XML
 * forbids or discourages. `field` and `where` name the fragment in messages.
 */
export function checkHtml(
  html: string,
  field: string,
  where: string,
  options: { absUrl?: boolean } = {},
): string[] {
  const r = new Report()
  const seen = new Set<string>()
  const say = (level: 'error' | 'warning', code: string, m: string) => {
    if (!seen.has(`${code} ${m}`))
      (seen.add(`${code} ${m}`), r[level](code, `${where} ${field}: ${m}`))
  }
  checkChars(html, `${where} ${field}`, r)
  // Numeric references are checked as written: the HTML decoder turns the forbidden ones into U+FFFD.
  for (const [ref, hex, dec] of html.matchAll(/&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?/g)) {
    const kind = charClass(hex !== undefined ? Number.parseInt(hex, 16) : Number(dec))
    if (kind === 'invalid')
      say('error', 'InvalidCharacter', `${ref} refers to a character XML 1.0 does not allow`)
    else if (kind)
      say('warning', 'BadCharacters', `${ref} refers to a control character or noncharacter`)
  }
  const stack: string[] = []
  let tag = ''
  let attributes: [string, string][] = []
  const slice = (start: number, end: number) => html.slice(start, end)
  const open = (selfClosing: boolean) => {
    openTag(tag, attributes, stack, selfClosing, options.absUrl === true, say)
    if (!VOID.has(tag) && !selfClosing) stack.push(tag)
  }
  const onText = (s: string) => {
    const parent = stack.at(-1)
    if (parent && TABLE_CONTAINERS.has(parent) && /\S/.test(s))
      say(
        'warning',
        'NotHtml',
        `text directly inside <${parent}> is moved out of the table by HTML parsers`,
      )
    if (/&[A-Za-z][A-Za-z0-9]*;/.test(s))
      say(
        'warning',
        'NotHtml',
        `${show(/&[A-Za-z][A-Za-z0-9]*;/.exec(s)![0])} is not an HTML character reference`,
      )
  }
  const notHtml = (m: string) => say('warning', 'NotHtml', m)
  const callbacks: TokenizerCallbacks = {
    onopentagname: (start, end) => ((tag = slice(start, end).toLowerCase()), (attributes = [])),
    onattribname: (start, end) => void attributes.push([slice(start, end).toLowerCase(), '']),
    onattribdata: (start, end) => void (attributes.at(-1)![1] += slice(start, end)),
    onattribentity: (cp) => void (attributes.at(-1)![1] += String.fromCodePoint(cp)),
    onattribend: () => {},
    onopentagend: () => open(false),
    onselfclosingtag: () => open(true),
    onclosetag: (start, end) => {
      const name = slice(start, end).toLowerCase()
      if (VOID.has(name)) return notHtml(`</${name}>: a void element has no end tag`)
      if (stack.at(-1) === name) return void stack.pop()
      const at = stack.lastIndexOf(name)
      if (at < 0) return notHtml(`</${name}> closes nothing`)
      notHtml(`</${name}> while <${stack.at(-1)}> is still open`)
      stack.length = at
    },
    ontext: (start, end) => onText(slice(start, end)),
    ontextentity: (cp) => onText(String.fromCodePoint(cp)),
    oncdata: () => notHtml('a CDATA section, which HTML reads as a bogus comment'),
    oncomment: (start) =>
      void (
        html.startsWith('<!--', start - 4) ||
        notHtml(
          `${show(slice(html.lastIndexOf('<', start), start + 10))}... is not HTML; parsers turn it into a comment`,
        )
      ),
    ondeclaration: () => notHtml('a declaration (<!...>) inside a fragment'),
    onprocessinginstruction: () => notHtml('a processing instruction inside a fragment'),
    onend: () => {},
  }
  const tokenizer = new Tokenizer({ decodeEntities: true }, callbacks)
  tokenizer.write(html)
  tokenizer.end()
  if (stack.length) notHtml(`${stack.map((t) => `<${t}>`).join(', ')} never closed`)
  return r.list
}

// --- RSS 2.0 ---------------------------------------------------------------

const ONCE = 1
const MANY = Number.POSITIVE_INFINITY
const CHANNEL: Record<string, number> = {
  title: ONCE,
  link: ONCE,
  description: ONCE,
  language: ONCE,
  copyright: ONCE,
  managingEditor: ONCE,
  webMaster: ONCE,
  pubDate: ONCE,
  lastBuildDate: ONCE,
  category: MANY,
  generator: ONCE,
  docs: ONCE,
  cloud: ONCE,
  ttl: ONCE,
  image: ONCE,
  rating: ONCE,
  textInput: ONCE,
  skipHours: ONCE,
  skipDays: ONCE,
  item: MANY,
}
const ITEM: Record<string, number> = {
  title: ONCE,
  link: ONCE,
  description: ONCE,
  author: ONCE,
  category: MANY,
  comments: ONCE,
  enclosure: ONCE,
  guid: ONCE,
  pubDate: ONCE,
  source: ONCE,
}

/** Plain-text elements: no markup, and (RSS Profile) "&" and "<" written as hexadecimal references. */
function plainText(el: XmlElement, label: string, r: Report): void {
  if (elements(el).length)
    r.error(
      'UndefinedElement',
      `${label} holds element <${elements(el)[0]!.name}>; it is plain text`,
    )
  const value = text(el)
  if (MARKUP.test(value))
    r.warning('ContainsHTML', `${label} is plain text but reads like HTML: ${show(value)}`)
  const written = el.children.filter((c) => c.type === 'text')
  if (
    written.some((c) => (c.cdata ? /[&<]/.test(c.text) : /&(?:amp|lt|#0*38|#0*60);/.test(c.raw)))
  ) {
    r.warning(
      'CharacterData',
      `${label}: write "&" and "<" in plain text as &#x26; and &#x3C;, which every RSS reader decodes the same way`,
    )
  }
}

function notBlank(el: XmlElement, label: string, r: Report): boolean {
  if (text(el).trim() !== '') return true
  r.error('NotBlank', `${label} is empty`)
  return false
}

/** `user@example.com` or `user@example.com (Name)`, as RSS 2.0 defines its contact elements. */
function checkContact(el: XmlElement, label: string, r: Report): void {
  const value = text(el).trim()
  const m = /^(\S+)(?:\s+\([^()]*\))?$/.exec(value)
  if (!m || !EMAIL.test(m[1]!))
    r.error(
      'InvalidContact',
      `${label} ${show(value)} must be an e-mail address, optionally followed by a name in parentheses`,
    )
}

function checkLink(el: XmlElement, label: string, r: Report): void {
  if (!isHttpUrl(text(el).trim()))
    r.error('InvalidUrl', `${label} ${show(text(el))} is not an absolute http(s) URL`)
}

function checkSelf(links: XmlElement[], type: string, expected: string, r: Report): void {
  const self = links.find((l) => attr(l, 'rel') === 'self')
  if (!self) return r.warning('MissingSelf', `no link with rel="self" gives the feed's own URL`)
  const href = attr(self, 'href') ?? ''
  if (attr(self, 'type') !== type)
    r.warning('SelfLinkType', `the self link should have type="${type}"`)
  if (href !== expected)
    r.warning(
      'SelfDoesntMatchLocation',
      `the self link ${show(href)} is not the URL the feed was fetched from, ${show(expected)}`,
    )
}

function checkRssItem(
  item: XmlElement,
  label: string,
  now: Date,
  guids: Map<string, string>,
  r: Report,
): number | undefined {
  structure(item, '', ITEM, label, r)
  xhtmlPlacement(item, ['body'], label, r)
  const get = (name: string) => first(item, '', name)
  if (!get('title') && !get('description'))
    r.error('MissingElement', `${label} needs a <title> or a <description>`)
  const title = get('title')
  if (title) plainText(title, `${label} <title>`, r)
  const link = get('link')
  if (link) checkLink(link, `${label} <link>`, r)
  const guid = get('guid')
  if (!guid) r.warning('MissingGuid', `${label} has no <guid>; readers may show it again as new`)
  else if (notBlank(guid, `${label} <guid>`, r)) {
    const value = text(guid).trim()
    const permalink = attr(guid, 'isPermaLink') ?? 'true'
    if (permalink !== 'true' && permalink !== 'false')
      r.error('InvalidBooleanAttribute', `${label} <guid isPermaLink> must be "true" or "false"`)
    if (permalink === 'true' && !isHttpUrl(value))
      r.error(
        'InvalidHttpGUID',
        `${label} <guid> ${show(value)} is a permalink, so it must be an absolute http(s) URL`,
      )
    if (guids.has(value))
      r.error('DuplicateValue', `${label} repeats the <guid> of ${guids.get(value)}`)
    else guids.set(value, label)
  }
  const author = get('author')
  if (author) checkContact(author, `${label} <author>`, r)
  for (const creator of elements(item, DC, 'creator'))
    if (notBlank(creator, `${label} <dc:creator>`, r))
      plainText(creator, `${label} <dc:creator>`, r)
  for (const category of elements(item, '', 'category'))
    if (notBlank(category, `${label} <category>`, r)) plainText(category, `${label} <category>`, r)
  const enclosure = get('enclosure')
  if (
    enclosure &&
    (!isHttpUrl(attr(enclosure, 'url') ?? '') ||
      !/^\d+$/.test(attr(enclosure, 'length') ?? '') ||
      !MIME.test(attr(enclosure, 'type') ?? ''))
  ) {
    r.error(
      'InvalidEnclosure',
      `${label} <enclosure> needs an http(s) url, a byte length and a MIME type`,
    )
  }
  const description = get('description')
  if (description)
    r.list.push(...checkHtml(text(description), '<description>', label, { absUrl: true }))
  const encoded = elements(item, CONTENT, 'encoded')
  if (encoded.length > 1)
    r.error('DuplicateElement', `${label} has more than one <content:encoded>`)
  if (encoded[0])
    r.list.push(...checkHtml(text(encoded[0]), '<content:encoded>', label, { absUrl: true }))
  const pubDate = get('pubDate')
  return pubDate && checkRfc822(pubDate, `${label} <pubDate>`, now, r)
}

function checkRss(root: XmlElement, expectedSelf: string, now: Date, r: Report): void {
  if (root.local !== 'rss' || root.ns !== '')
    return r.error('WrongRoot', `the root element is <${root.name}>, not <rss>`)
  if (attr(root, 'version') !== '2.0') r.error('InvalidVersion', `<rss version> must be "2.0"`)
  const channels = elements(root)
  if (channels.length !== 1 || channels[0]!.local !== 'channel' || channels[0]!.ns !== '')
    return r.error('MissingElement', '<rss> must hold exactly one <channel> and nothing else')
  const channel = channels[0]!
  structure(channel, '', CHANNEL, '<channel>', r)
  xhtmlPlacement(channel, ['div', 'meta'], '<channel>', r)
  required(channel, '', ['title', 'link', 'description'], '<channel>', r)
  // Every occurrence is checked, repeated ones included.
  const each = (names: string[], check: (el: XmlElement, label: string) => void) => {
    for (const name of names)
      for (const el of elements(channel, '', name)) check(el, `<channel> <${name}>`)
  }
  each(['title', 'description', 'copyright'], (el, label) => plainText(el, label, r))
  each(['category'], (el, label) => notBlank(el, label, r) && plainText(el, label, r))
  each(['link', 'docs'], (el, label) => checkLink(el, label, r))
  each(['managingEditor', 'webMaster'], (el, label) => checkContact(el, label, r))
  each(['language'], (el, label) => checkLanguage(text(el).trim(), label, r))
  each(
    ['ttl'],
    (el, label) =>
      /^\d+$/.test(text(el).trim()) ||
      r.error(
        'InvalidNonNegativeInteger',
        `${label} ${show(text(el))} must be a whole number of minutes`,
      ),
  )
  each(['pubDate'], (el, label) => checkRfc822(el, label, now, r))
  const lastBuildDate = first(channel, '', 'lastBuildDate')
  const lastBuild = lastBuildDate && checkRfc822(lastBuildDate, '<channel> <lastBuildDate>', now, r)
  checkSelf(elements(channel, ATOM, 'link'), 'application/rss+xml', expectedSelf, r)
  checkHistory(channel, elements(channel, ATOM, 'link'), '<channel>', r)

  const children = elements(channel)
  const firstItem = children.findIndex((c) => c.local === 'item' && c.ns === '')
  if (firstItem >= 0 && children.slice(firstItem).some((c) => c.local !== 'item' || c.ns !== ''))
    r.warning(
      'MisplacedItem',
      'channel elements follow the first <item>; put them all before the items',
    )
  const guids = new Map<string, string>()
  elements(channel, '', 'item').forEach((item, i) => {
    const pubDate = checkRssItem(item, `item ${i + 1}`, now, guids, r)
    if (lastBuild !== undefined && pubDate !== undefined && pubDate > lastBuild)
      r.warning(
        'LastBuildDateBeforeItem',
        `<lastBuildDate> is earlier than the <pubDate> of item ${i + 1}`,
      )
  })
}

// --- Feed Paging and Archiving (RFC 5005) ----------------------------------

const FH = 'http://purl.org/syndication/history/1.0'
const ARCHIVE_RELS = ['prev-archive', 'next-archive', 'current']

/**
 * RFC 5005 in a feed (Atom `link`, RSS `atom:link`, appendix B):
 * `fh:complete` (section 2) and `fh:archive` (section 4) are empty
 * elements of the feed or channel, at most once each, never both; a
 * complete feed holds every entry, so it has no archive links; an archive
 * document should name its subscription document (`current`), and links to
 * no archive it is itself; each archive relation appears at most once.
 */
function checkHistory(parent: XmlElement, links: XmlElement[], where: string, r: Report): void {
  for (const el of elements(parent).filter((e) => e.ns === FH)) {
    if (el.local !== 'complete' && el.local !== 'archive')
      r.error(
        'UndefinedElement',
        `${where} <${el.name}> is not an element of the feed history namespace (only complete and archive)`,
      )
    else if (el.children.some((c) => c.type === 'element' || c.text.trim() !== ''))
      r.error('NotBlank', `${where} <${el.name}> must be empty`)
  }
  const complete = elements(parent, FH, 'complete')
  const archive = elements(parent, FH, 'archive')
  if (complete.length > 1) r.error('DuplicateElement', `${where} has more than one fh:complete`)
  if (archive.length > 1) r.error('DuplicateElement', `${where} has more than one fh:archive`)
  if (complete.length && archive.length)
    r.error(
      'CompleteArchive',
      `${where} has both fh:complete and fh:archive: a complete feed has no archives`,
    )
  const byRel = new Map<string, string[]>()
  for (const link of links) {
    const rel = attr(link, 'rel') ?? 'alternate'
    if (ARCHIVE_RELS.includes(rel))
      byRel.set(rel, [...(byRel.get(rel) ?? []), attr(link, 'href') ?? ''])
  }
  for (const [rel, hrefs] of byRel)
    if (hrefs.length > 1)
      r.error('DuplicateRel', `${where} has ${hrefs.length} links with rel="${rel}"`)
  if (complete.length && byRel.size)
    r.error(
      'CompleteWithArchiveLinks',
      `${where} has fh:complete and a ${[...byRel.keys()].join(', ')} link: a complete feed is one document`,
    )
  if (archive.length && !byRel.has('current'))
    r.warning(
      'MissingCurrent',
      `${where} is an archive document (fh:archive) without a link rel="current" to its subscription document`,
    )
  if (!archive.length && byRel.has('current'))
    r.warning(
      'CurrentNotArchive',
      `${where} has a link rel="current" but no fh:archive: only archive documents name their subscription document`,
    )
  if (!archive.length && byRel.has('next-archive'))
    r.warning(
      'NextArchiveNotArchive',
      `${where} has a next-archive link but no fh:archive: the subscription document is the newest, and links to older archives only`,
    )
  const self = links.find((l) => attr(l, 'rel') === 'self')
  const selfHref = self && attr(self, 'href')
  for (const [rel, hrefs] of byRel)
    if (selfHref !== undefined && hrefs.includes(selfHref))
      r.error('ArchiveLinkToSelf', `${where} link rel="${rel}" points at the document itself`)
}

// --- Atom 1.0 (RFC 4287) ---------------------------------------------------

const FEED: Record<string, number> = {
  author: MANY,
  category: MANY,
  contributor: MANY,
  generator: ONCE,
  icon: ONCE,
  id: ONCE,
  link: MANY,
  logo: ONCE,
  rights: ONCE,
  subtitle: ONCE,
  title: ONCE,
  updated: ONCE,
  entry: MANY,
}
const ENTRY: Record<string, number> = {
  author: MANY,
  category: MANY,
  content: ONCE,
  contributor: MANY,
  id: ONCE,
  link: MANY,
  published: ONCE,
  rights: ONCE,
  source: ONCE,
  summary: ONCE,
  title: ONCE,
  updated: ONCE,
}

/** A text construct (section 3.1): text without markup, escaped HTML, or one XHTML div. */
function checkText(el: XmlElement, label: string, where: string, r: Report): void {
  const type = attr(el, 'type') ?? 'text'
  const name = `${where} ${label}`
  if (type === 'text') {
    if (elements(el).length)
      r.error('UndefinedElement', `${name} of type text holds element <${elements(el)[0]!.name}>`)
    if (MARKUP.test(text(el)))
      r.warning(
        'ContainsUndeclaredHTML',
        `${name} reads like HTML but its type is text: ${show(text(el))}`,
      )
  } else if (type === 'html') r.list.push(...checkHtml(text(el), label, where, { absUrl: true }))
  else if (type === 'xhtml') {
    const divs = elements(el)
    if (divs.length !== 1 || divs[0]!.local !== 'div' || divs[0]!.ns !== XHTML || text(el).trim())
      r.error('NotInline', `${name} of type xhtml must hold exactly one XHTML <div>`)
  } else r.error('InvalidTextType', `${name} type ${show(type)} must be text, html or xhtml`)
}

function checkContent(el: XmlElement, where: string, r: Report): void {
  const type = attr(el, 'type') ?? 'text'
  const src = attr(el, 'src')
  if (src !== undefined) {
    if (!isAbsoluteIri(src))
      r.error('InvalidIRI', `${where} <content src> ${show(src)} is not an absolute IRI`)
    if (el.children.some((c) => c.type === 'element' || c.text.trim()))
      r.error('ContentNotEmpty', `${where} <content> with src must be empty`)
  } else if (['text', 'html', 'xhtml'].includes(type)) checkText(el, '<content>', where, r)
  if (!['text', 'html', 'xhtml'].includes(type) && !MIME.test(type))
    r.error('InvalidMIMEType', `${where} <content type> ${show(type)} is not a MIME type`)
}

/** A person construct (section 3.2): one name, an optional IRI and an optional e-mail address. */
function checkPerson(el: XmlElement, label: string, r: Report): void {
  structure(el, ATOM, { name: ONCE, uri: ONCE, email: ONCE }, label, r)
  const name = first(el, ATOM, 'name')
  if (!name) r.error('MissingElement', `${label} has no <name>`)
  else notBlank(name, `${label} <name>`, r)
  const uri = first(el, ATOM, 'uri')
  if (uri && /[\s<>"]/.test(text(uri).trim()))
    r.error('InvalidIRI', `${label} <uri> ${show(text(uri))} is not an IRI`)
  const email = first(el, ATOM, 'email')
  if (email && !EMAIL.test(text(email).trim()))
    r.error('InvalidContact', `${label} <email> ${show(text(email))} is not an e-mail address`)
}

function checkCategories(parent: XmlElement, where: string, r: Report): void {
  for (const category of elements(parent, ATOM, 'category')) {
    const term = attr(category, 'term')
    const label = attr(category, 'label')
    if (term === undefined) r.error('MissingAttribute', `${where} <category> has no term`)
    else if (term.trim() === '') r.error('NotBlank', `${where} <category term> is empty`)
    if (label !== undefined && label.trim() === '')
      r.error('NotBlank', `${where} <category label> is empty`)
    const scheme = attr(category, 'scheme')
    if (scheme !== undefined && !isAbsoluteIri(scheme))
      r.error('InvalidIRI', `${where} <category scheme> ${show(scheme)} is not an absolute IRI`)
  }
}

/** Links (section 4.2.7); returns them. At most one alternate per type and language. */
function checkLinks(parent: XmlElement, where: string, r: Report): XmlElement[] {
  const links = elements(parent, ATOM, 'link')
  const alternates = new Set<string>()
  for (const link of links) {
    const href = attr(link, 'href')
    if (href === undefined) r.error('MissingAttribute', `${where} <link> has no href`)
    else if (/[\s<>"]/.test(href))
      r.error('InvalidIRI', `${where} <link href> ${show(href)} is not an IRI`)
    const type = attr(link, 'type')
    if (type !== undefined && !MIME.test(type))
      r.error('InvalidMIMEType', `${where} <link type> ${show(type)} is not a MIME type`)
    const hreflang = attr(link, 'hreflang')
    if (hreflang !== undefined) checkLanguage(hreflang, `${where} <link hreflang>`, r)
    const length = attr(link, 'length')
    if (length !== undefined && !/^\d+$/.test(length))
      r.error('InvalidNonNegativeInteger', `${where} <link length> must be a byte count`)
    if ((attr(link, 'rel') ?? 'alternate') === 'alternate') {
      const key = `${type ?? ''} ${hreflang ?? ''}`
      if (alternates.has(key))
        r.error(
          'DuplicateAlternate',
          `${where} has two alternate links with the same type and hreflang`,
        )
      alternates.add(key)
    }
  }
  return links
}

function checkId(parent: XmlElement, where: string, r: Report): string | undefined {
  const el = first(parent, ATOM, 'id')
  if (!el) return undefined
  const id = text(el).trim()
  if (!isAbsoluteIri(id)) r.error('InvalidIRI', `${where} <id> ${show(id)} is not an absolute IRI`)
  else if (!isCanonicalHttp(id))
    r.warning(
      'NonCanonicalURI',
      `${where} <id> ${show(id)} is not in normal form; readers compare ids character by character`,
    )
  return id
}

function checkEntry(
  entry: XmlElement,
  where: string,
  now: Date,
  feedHasAuthor: boolean,
  r: Report,
): { id?: string; updated?: number } {
  structure(entry, ATOM, ENTRY, where, r)
  xhtmlPlacement(entry, [], where, r)
  required(entry, ATOM, ['id', 'title', 'updated'], where, r)
  const id = checkId(entry, where, r)
  const updatedEl = first(entry, ATOM, 'updated')
  const updated = updatedEl && checkRfc3339(text(updatedEl), `${where} <updated>`, now, r)
  const published = first(entry, ATOM, 'published')
  if (published) checkRfc3339(text(published), `${where} <published>`, now, r)
  for (const name of ['title', 'summary', 'rights'])
    if (first(entry, ATOM, name)) checkText(first(entry, ATOM, name)!, `<${name}>`, where, r)
  const content = first(entry, ATOM, 'content')
  if (content) checkContent(content, where, r)
  if (content && attr(content, 'src') !== undefined && !first(entry, ATOM, 'summary'))
    r.error('MissingSummary', `${where} has content by reference (src), so it needs a <summary>`)
  const links = checkLinks(entry, where, r)
  if (!content && !links.some((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate'))
    r.error('MissingAlternateLink', `${where} has neither <content> nor an alternate link`)
  checkCategories(entry, where, r)
  const authors = elements(entry, ATOM, 'author')
  authors.forEach((a) => checkPerson(a, `${where} <author>`, r))
  const source = first(entry, ATOM, 'source')
  if (!feedHasAuthor && !authors.length && !(source && first(source, ATOM, 'author')))
    r.error('MissingAuthor', `${where} has no <author>, and neither has the feed`)
  return { ...(id !== undefined && { id }), ...(updated !== undefined && { updated }) }
}

function checkAtom(root: XmlElement, expectedSelf: string, now: Date, r: Report): void {
  if (root.local !== 'feed' || root.ns !== ATOM)
    return r.error(
      'WrongRoot',
      `the root element is <${root.name}> in ${show(root.ns)}, not <feed> in the Atom namespace`,
    )
  structure(root, ATOM, FEED, '<feed>', r)
  xhtmlPlacement(root, ['div', 'meta'], '<feed>', r)
  required(root, ATOM, ['id', 'title', 'updated'], '<feed>', r)
  checkId(root, '<feed>', r)
  const updated = first(root, ATOM, 'updated')
  if (updated) checkRfc3339(text(updated), '<feed> <updated>', now, r)
  for (const name of ['title', 'subtitle', 'rights'])
    if (first(root, ATOM, name)) checkText(first(root, ATOM, name)!, `<${name}>`, '<feed>', r)
  const authors = elements(root, ATOM, 'author')
  authors.forEach((a) => checkPerson(a, '<feed> <author>', r))
  elements(root, ATOM, 'contributor').forEach((c) => checkPerson(c, '<feed> <contributor>', r))
  checkCategories(root, '<feed>', r)
  const links = checkLinks(root, '<feed>', r)
  checkSelf(links, 'application/atom+xml', expectedSelf, r)
  checkHistory(root, links, '<feed>', r)
  if (!links.some((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate'))
    r.warning('MissingAlternateLink', '<feed> has no alternate link to the web page it belongs to')

  const children = elements(root)
  const firstEntry = children.findIndex((c) => c.local === 'entry' && c.ns === ATOM)
  if (
    firstEntry >= 0 &&
    children.slice(firstEntry).some((c) => c.local !== 'entry' || c.ns !== ATOM)
  )
    r.error(
      'MisplacedMetadata',
      'feed metadata follows the first <entry>; RFC 4287 puts it before the entries',
    )
  const ids = new Map<string, string>()
  const instants = new Map<number, string>()
  elements(root, ATOM, 'entry').forEach((entry, i) => {
    const where = `entry ${i + 1}`
    const { id, updated: time } = checkEntry(entry, where, now, authors.length > 0, r)
    if (id !== undefined && ids.has(id))
      r.warning('DuplicateEntries', `${where} has the same <id> as ${ids.get(id)}`)
    if (id !== undefined) ids.set(id, ids.get(id) ?? where)
    if (time !== undefined && instants.has(time))
      r.warning(
        'DuplicateUpdated',
        `${where} has the same <updated> instant as ${instants.get(time)}; readers cannot tell which changed`,
      )
    if (time !== undefined) instants.set(time, instants.get(time) ?? where)
  })
}

// --- JSON Feed 1.1 ---------------------------------------------------------

type Json = Record<string, unknown>
type Field = (value: unknown, label: string, r: Report) => void

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const typed =
  (test: (v: unknown) => boolean, what: string): Field =>
  (v, label, r) => {
    if (!test(v)) r.error('JsonFeedType', `${label} must be ${what}`)
  }
const string = typed((v) => typeof v === 'string', 'a string')
const boolean = typed((v) => typeof v === 'boolean', 'a boolean')
const number = typed((v) => typeof v === 'number' && v >= 0, 'a non-negative number')
const url: Field = (v, label, r) => {
  if (typeof v !== 'string' || !isHttpUrl(v))
    r.error('JsonFeedUrl', `${label} ${show(String(v))} must be an absolute http(s) URL`)
}
const language: Field = (v, label, r) =>
  typeof v === 'string' ? checkLanguage(v, label, r) : string(v, label, r)
const arrayOf =
  (each: Field): Field =>
  (v, label, r) =>
    Array.isArray(v)
      ? v.forEach((x, i) => each(x, `${label}[${i}]`, r))
      : r.error('JsonFeedType', `${label} must be an array`)
const object =
  (fields: Record<string, Field>, required: string[] = []): Field =>
  (v, label, r) =>
    checkObject(v, fields, required, label, r)

/** Reports unknown keys, badly named extensions and missing keys, then checks each known value. */
function checkObject(
  v: unknown,
  fields: Record<string, Field>,
  required: string[],
  label: string,
  r: Report,
): void {
  if (!isObject(v)) return r.error('JsonFeedType', `${label} must be an object`)
  for (const [key, value] of Object.entries(v)) {
    if (key.startsWith('_')) {
      if (!/^_[A-Za-z]/.test(key))
        r.error(
          'JsonFeedExtensionName',
          `${label} extension ${show(key)} must start with "_" and a letter`,
        )
    } else if (!Object.hasOwn(fields, key))
      r.error(
        'JsonFeedUnknownKey',
        `${label} has the key ${show(key)}, which JSON Feed 1.1 does not define (extensions start with "_")`,
      )
    else fields[key]!(value, `${label}.${key}`, r)
  }
  for (const key of required) if (!(key in v)) r.error('JsonFeedRequired', `${label} has no ${key}`)
}

const AUTHOR: Record<string, Field> = { name: string, url, avatar: url }
const author: Field = (v, label, r) => {
  checkObject(v, AUTHOR, [], label, r)
  if (isObject(v) && !['name', 'url', 'avatar'].some((k) => k in v))
    r.error('JsonFeedRequired', `${label} needs a name, url or avatar`)
}
const ATTACHMENT = object(
  { url, mime_type: string, title: string, size_in_bytes: number, duration_in_seconds: number },
  ['url', 'mime_type'],
)

function checkItem(
  item: unknown,
  label: string,
  now: Date,
  ids: Map<string, string>,
  r: Report,
): void {
  const date: Field = (v, l, rr) =>
    typeof v === 'string' ? void checkRfc3339(v, l, now, rr, 'JsonFeedDate') : string(v, l, rr)
  const html: Field = (v, l, rr) =>
    typeof v === 'string'
      ? rr.list.push(...checkHtml(v, 'content_html', label, { absUrl: true }))
      : string(v, l, rr)
  const fields: Record<string, Field> = {
    id: string,
    url,
    external_url: url,
    title: string,
    content_html: html,
    content_text: string,
    summary: string,
    image: url,
    banner_image: url,
    date_published: date,
    date_modified: date,
    authors: arrayOf(author),
    author,
    tags: arrayOf(string),
    language,
    attachments: arrayOf(ATTACHMENT),
  }
  checkObject(item, fields, ['id'], label, r)
  if (!isObject(item)) return
  if (!('content_html' in item) && !('content_text' in item))
    r.error('JsonFeedRequired', `${label} needs content_html or content_text`)
  if (typeof item.id !== 'string') return
  if (item.id.trim() === '') r.error('NotBlank', `${label}.id is empty`)
  else if (ids.has(item.id))
    r.error('JsonFeedDuplicateId', `${label} has the same id as ${ids.get(item.id)}`)
  else ids.set(item.id, label)
}

/** Every string of a parsed JSON value, keys included, for the character checks. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return v.flatMap(strings)
  if (isObject(v)) return Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)])
  return []
}

function checkJson(body: string, expectedSelf: string, now: Date, r: Report): void {
  let feed: unknown
  try {
    feed = JSON.parse(body)
  } catch (error) {
    return r.error(
      'JsonSyntax',
      `not JSON: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  const ids = new Map<string, string>()
  const version: Field = (v, label, rr) =>
    v !== 'https://jsonfeed.org/version/1.1' &&
    rr.error(
      'JsonFeedVersion',
      `${label} ${show(String(v))} must be "https://jsonfeed.org/version/1.1"`,
    )
  const hub = object({ type: string, url }, ['type', 'url'])
  const items: Field = (v, label, rr) =>
    Array.isArray(v)
      ? v.forEach((item, i) => checkItem(item, `item ${i + 1}`, now, ids, rr))
      : rr.error('JsonFeedType', `${label} must be an array`)
  const fields: Record<string, Field> = {
    version,
    title: string,
    home_page_url: url,
    feed_url: url,
    description: string,
    user_comment: string,
    next_url: url,
    icon: url,
    favicon: url,
    authors: arrayOf(author),
    author,
    language,
    expired: boolean,
    hubs: arrayOf(hub),
    items,
  }
  checkObject(feed, fields, ['version', 'title', 'items'], 'feed', r)
  if (!isObject(feed)) return
  if (feed.feed_url === undefined)
    r.warning('MissingSelf', 'feed has no feed_url giving its own URL')
  else if (feed.feed_url !== expectedSelf)
    r.warning(
      'SelfDoesntMatchLocation',
      `feed_url ${show(String(feed.feed_url))} is not the URL the feed was fetched from, ${show(expectedSelf)}`,
    )
  if (feed.next_url !== undefined && feed.next_url === feed.feed_url)
    r.error(
      'JsonFeedNextSelf',
      'next_url is the feed_url: the next page of items cannot be this one',
    )
  checkChars(strings(feed).join('\n'), 'a string of the feed', r)
}

// --- Entry point -----------------------------------------------------------

/** Reports an invalid `xml:lang` anywhere in the document. */
function checkXmlLang(el: XmlElement, r: Report): void {
  const lang = attr(el, 'lang', XML_NS)
  if (lang) checkLanguage(lang, `<${el.name} xml:lang>`, r)
  for (const child of elements(el)) checkXmlLang(child, r)
}

/**
 * Checks a feed document of the given format against its specification.
 * `expectedSelfUrl` is the URL the feed was fetched from, which its self
 * link (RSS `atom:link`, Atom `link rel="self"`, JSON `feed_url`) must give;
 * dates more than a day after `now` are reported as implausible. Returns the
 * problems found, `"error Code: message"` or `"warning Code: message"`;
 * an empty list means valid.
 */
export function checkFeed(
  format: Format,
  body: string,
  expectedSelfUrl: string,
  now: Date = new Date(),
): string[] {
  const r = new Report()
  if (format === 'json') {
    checkJson(body, expectedSelfUrl, now, r)
    return r.list
  }
  const { root, problems } = parseXml(body)
  if (!root) return problems
  const discouraged = scanChars(body).discouraged
  if (discouraged)
    r.warning(
      'BadCharacters',
      `the document contains ${codePoint(discouraged.cp)} (line ${body.slice(0, discouraged.at).split('\n').length}), a control character or noncharacter readers may mangle`,
    )
  checkXmlLang(root, r)
  if (format === 'rss') checkRss(root, expectedSelfUrl, now, r)
  else checkAtom(root, expectedSelfUrl, now, r)
  return r.list
}
