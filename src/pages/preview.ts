/**
 * @module preview
 * The feed preview: the stylesheet and the script that an RSS or Atom
 * document names (see `PREVIEW` in feeds/model.ts), so that a person who
 * opens a feed URL in a browser reads a page (title, what a feed is, the
 * address to copy, the newest entries) while a feed reader reads the same
 * document as before. The stylesheet alone gives the page; the script adds
 * links to the entries, a copy button and the tab title. Neither needs XSLT.
 * Also the subscribe page's copy script. See docs/feeds-in-browsers.md.
 */
import type { Words } from '../i18n.ts'

/** A string as a CSS string literal (CSS Syntax section 4.3.5: escape `"`, `\` and line breaks). */
function cssString(s: string): string {
  return `"${s.replace(/["\\\n]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`
}

/**
 * The preview stylesheet for RSS 2.0 and Atom 1.0 documents. Everything is
 * hidden but the feed's title and description, its self link (shown as the
 * address) and each entry's title, date and summary; the explanation comes
 * from generated content.
 */
export function previewCss(words: Words): string {
  return `@namespace a url(http://www.w3.org/2005/Atom);
@namespace h url(http://www.w3.org/1999/xhtml);
:root{display:block;color-scheme:light dark;font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;background:#fdfdfc;max-width:44rem;margin:0 auto;padding:1rem 1.25rem;overflow-wrap:break-word}
@media (prefers-color-scheme:dark){:root{color:#e9e9e6;background:#161616}h|a{color:#7db4ef}}
channel{display:block}
channel>*,a|feed>*,item>*,a|entry>*{display:none}
channel>item,a|feed>a|entry{display:block}
channel>title,a|feed>a|title{display:block;font-size:2rem;font-weight:700;line-height:1.2;margin:.5rem 0}
channel>description,a|feed>a|subtitle{display:block;font-size:1.125rem}
channel>description::after,a|feed>a|subtitle::after{display:block;content:${cssString(`${words.previewIntro} ${words.feedIs}`)};margin:1rem 0;padding:.5rem 1rem;border-left:4px solid #0b5cad;background:rgba(127,127,127,.12);font-size:1rem}
channel>a|link[rel=self],a|feed>a|link[rel=self]{display:block;overflow-wrap:anywhere;font-family:ui-monospace,monospace;font-size:.95rem}
channel>a|link[rel=self]::before,a|feed>a|link[rel=self]::before{content:${cssString(words.previewAddress)};font-family:system-ui,sans-serif}
channel>a|link[rel=self]::after,a|feed>a|link[rel=self]::after{content:attr(href)}
item:first-of-type::before,a|entry:first-of-type::before{display:block;content:${cssString(words.previewNewest)};font-size:1.4rem;font-weight:600;margin:2rem 0 .5rem}
item,a|entry{margin:0 0 1.25rem}
item>title,a|entry>a|title{display:block;font-weight:600;font-size:1.1rem}
item>pubDate,a|entry>a|published{display:block;color:#5d5d5d;font-size:.9rem}
item>description,a|entry>a|summary{display:block}
h|nav{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;margin:.75rem 0}
h|a{color:#0b5cad}h|button{font:inherit;padding:.3rem .9rem}
`
}

/**
 * The preview script: links each entry's title to its page, writes its
 * date (UTC, to the day) with the interface table's month names and
 * pattern, as the pages do, adds the tab title, and a row with a copy button for the address, the subscribe page
 * and the site. Same origin only; it reads nothing but the document.
 */
export function previewJs(words: Words): string {
  const w = JSON.stringify({
    months: words.dates.months,
    day: words.dates.day('{d}', '{m}', '{y}'),
    copy: words.copy,
    copied: words.copied,
    subscribe: words.howToSubscribe,
    site: words.visitSite,
  })
  return `'use strict';
const run=()=>{
const W=${w},H='http://www.w3.org/1999/xhtml',A='http://www.w3.org/2005/Atom',d=document,root=d.documentElement
const atom=root.namespaceURI===A,head=atom?root:root.firstElementChild
const el=(n,t,attrs)=>{const e=d.createElementNS(H,n);if(t)e.textContent=t;for(const k in attrs||{})e.setAttribute(k,attrs[k]);return e}
const kids=(p,n)=>[...p.children].filter(c=>c.localName===n)
const title=kids(head,'title')[0]
if(title){const t=el('title',title.textContent);t.setAttribute('hidden','');root.prepend(t)}
const self=[...head.children].find(c=>c.namespaceURI===A&&c.localName==='link'&&c.getAttribute('rel')==='self')
const home=atom?kids(head,'link').find(l=>l.getAttribute('rel')==='alternate')?.getAttribute('href'):kids(head,'link')[0]?.textContent
const base=location.pathname.replace(/\\/archive\\/\\d+\\/[^/]+$|\\/[^/]+$/,'')
const nav=el('nav',null,{'aria-label':W.subscribe})
if(self&&navigator.clipboard){const b=el('button',W.copy,{type:'button'});b.addEventListener('click',()=>navigator.clipboard.writeText(self.getAttribute('href')).then(()=>{b.textContent=W.copied}));nav.append(b)}
nav.append(el('a',W.subscribe,{href:base+'/subscribe'}))
if(home)nav.append(el('a',W.site,{href:home}))
;(self||title).after(nav)
for(const item of kids(head,atom?'entry':'item')){
const t=kids(item,'title')[0],href=atom?kids(item,'link').find(l=>(l.getAttribute('rel')||'alternate')==='alternate')?.getAttribute('href'):kids(item,'link')[0]?.textContent
if(t&&href){const a=el('a',t.textContent,{href:href.trim()});t.textContent='';t.append(a)}
const date=kids(item,atom?'published':'pubDate')[0]
if(date&&!isNaN(Date.parse(date.textContent))){const t=new Date(date.textContent);date.textContent=W.day.replace('{d}',t.getUTCDate()).replace('{m}',W.months[t.getUTCMonth()]).replace('{y}',String(t.getUTCFullYear()).padStart(4,'0'))}}
}
// An XML parser runs a script where it stands, before the entries that follow it: wait for the whole document.
if(document.readyState==='loading')document.addEventListener('DOMContentLoaded',run);else run()
`
}

/** The subscribe page's script: each `button[data-copy]` copies the text of the element it names, and is shown only when it can work. */
export const COPY_JS = `'use strict';for(const b of document.querySelectorAll('button[data-copy]')){const t=document.getElementById(b.dataset.copy);if(!t||!navigator.clipboard)continue;const label=b.textContent;b.hidden=false;b.addEventListener('click',()=>navigator.clipboard.writeText(t.textContent.trim()).then(()=>{b.textContent=b.dataset.done;setTimeout(()=>{b.textContent=label},2000)}))}
`
