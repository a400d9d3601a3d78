// The one page layout of what people read in a browser: the staff console and the partner's page.
// Vietnamese first (lang="vi"); sized for a 360-px phone (nothing scrolls sideways), labels on every
// control, a visible focus ring, and colours that keep 4.5:1 contrast on white.
import { html, raw } from 'hono/html';
import type { Bilingual } from '../../domain/stages';
import type { Lang } from './format';

const STYLE = `
*, *::before, *::after { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 48rem; padding: 0 1rem 2rem; color: #1d2430; overflow-wrap: anywhere; }
h1 { font-size: 1.35rem; margin: 1rem 0 0.5rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; border-bottom: 1px solid #c9d1dc; }
a { color: #0b5394; }
.en, .hint { color: #4d5666; font-size: 0.9em; }
dl { display: grid; grid-template-columns: minmax(7rem, auto) 1fr; gap: 0.3rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
label { display: block; margin-top: 0.6rem; font-weight: 600; }
label.check { font-weight: 400; display: flex; gap: 0.5rem; align-items: flex-start; margin-top: 0.3rem; }
label.check input { margin-top: 0.3rem; width: 1.2rem; height: 1.2rem; flex: none; }
input[type='text'], input[type='tel'], input[type='number'], input[type='password'], input[type='search'], input[type='datetime-local'], select, textarea {
  display: block; width: 100%; font: inherit; padding: 0.5rem; margin: 0.2rem 0 0.4rem; border: 1px solid #6b7585; border-radius: 0.3rem; background: #fff; color: inherit; }
textarea { min-height: 4rem; }
fieldset { border: 1px solid #c9d1dc; border-radius: 0.4rem; margin: 0.6rem 0; padding: 0.4rem 0.8rem 0.6rem; min-width: 0; }
fieldset.row { border-style: dashed; }
legend { font-weight: 600; padding: 0 0.3rem; }
.choices { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0 1rem; }
.choices legend, .choices .error { grid-column: 1 / -1; }
button { font: inherit; padding: 0.6rem 1rem; margin: 0.3rem 0.3rem 0.3rem 0; border-radius: 0.4rem; border: 1px solid #345; background: #fff; color: #1d2430; cursor: pointer; min-height: 2.75rem; }
.accept, .complete, .primary { background: #1f6f43; color: #fff; border-color: #1f6f43; }
.decline { background: #fff; color: #8a1c1c; border-color: #8a1c1c; }
.accept .en, .complete .en { color: #e3f1e8; }
.error { color: #8a1c1c; font-weight: 600; display: block; }
.notice { background: #e3f1e8; border-left: 4px solid #1f6f43; padding: 0.5rem 0.8rem; }
.alert { background: #fbeaea; border-left: 4px solid #8a1c1c; padding: 0.5rem 0.8rem; }
#outbox { background: #fff6e0; border-color: #b36b00; }
.req { color: #8a1c1c; }
:focus-visible { outline: 3px solid #0b5394; outline-offset: 2px; }
#said { font-weight: 600; }
.timer { font-size: 1.2rem; font-variant-numeric: tabular-nums; margin: 0.3rem 0; }
.timer output { font-weight: 700; }
header.top { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; align-items: center; padding: 0.5rem 0; border-bottom: 2px solid #1f6f43; }
header.top nav { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; flex: 1 1 auto; }
header.top nav a { padding: 0.4rem 0; font-weight: 600; }
header.top nav a[aria-current='page'] { color: #1d2430; text-decoration: none; border-bottom: 3px solid #1f6f43; }
header.top form { display: inline; margin: 0; }
header.top button { padding: 0.3rem 0.6rem; min-height: 2.5rem; margin: 0; }
ul.items { list-style: none; padding: 0; margin: 0; }
ul.items > li { border-bottom: 1px solid #e1e6ed; padding: 0.5rem 0; }
.badge { display: inline-block; padding: 0 0.4rem; border-radius: 0.3rem; font-size: 0.85em; font-weight: 600; border: 1px solid currentColor; }
.level-critical, .level-high, .overdue { color: #8a1c1c; }
.level-medium { color: #7a4a00; }
.level-low { color: #1f6f43; }
ol.stages { display: flex; flex-wrap: wrap; gap: 0.3rem; list-style: none; padding: 0; margin: 0.5rem 0; counter-reset: stage; }
ol.stages li { counter-increment: stage; padding: 0.2rem 0.5rem; border-radius: 1rem; border: 1px solid #c9d1dc; font-size: 0.9em; color: #4d5666; }
ol.stages li::before { content: counter(stage) '. '; }
ol.stages li.done { color: #1f6f43; border-color: #1f6f43; }
ol.stages li[aria-current='step'] { background: #1f6f43; color: #fff; border-color: #1f6f43; font-weight: 600; }
details { border: 1px solid #c9d1dc; border-radius: 0.4rem; margin: 0.5rem 0; padding: 0.3rem 0.8rem; }
details > summary { cursor: pointer; font-weight: 600; padding: 0.4rem 0; min-height: 2.5rem; }
details[open] > summary { border-bottom: 1px solid #e1e6ed; margin-bottom: 0.4rem; }
.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: 0.5rem; padding: 0; list-style: none; }
.counts li { border: 1px solid #c9d1dc; border-radius: 0.4rem; padding: 0.5rem; }
.counts strong { display: block; font-size: 1.6rem; }
.muted { color: #4d5666; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e1e6ed; vertical-align: top; }
td { text-align: right; }
figure.chart { margin: 0.5rem 0; max-width: 100%; overflow: hidden; }
figure.chart svg { max-width: 100%; height: auto; }
form.period { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: 0 1rem; align-items: end; }
input[type='date'] { display: block; width: 100%; font: inherit; padding: 0.45rem; margin: 0.2rem 0 0.4rem; border: 1px solid #6b7585; border-radius: 0.3rem; }
.a4 .notes { min-height: 8rem; border-bottom: 1px dotted #6b7585; }
.a4 table.signatures td { text-align: center; border: 0; width: 50%; }
@page { size: A4; margin: 18mm; }
@media print {
  header.top, .noprint { display: none; }
  body { max-width: none; padding: 0; font-size: 12pt; }
  h2 { break-after: avoid; }
  table { break-inside: avoid; }
}
textarea.code, pre.code { font: 0.85rem/1.4 ui-monospace, monospace; white-space: pre; overflow: auto; max-width: 100%; }
`;

/**
 * A page of the console. `me`: whose session it is — the offline script sends and shows only
 * their waiting reports (issue 30); `script`: with the console's scripts; `scripts`: other script
 * files of ours. Never an inline script: the Content-Security-Policy runs none (api/headers.ts).
 */
export function page(title: Bilingual, body: unknown, o: { lang?: Lang; header?: unknown; script?: boolean; scripts?: readonly string[]; me?: string } = {}) {
  const lang = o.lang ?? 'vi';
  const other: Lang = lang === 'vi' ? 'en' : 'vi';
  const scripts = [...(o.script ? ['/app/console.js', '/app/offline.js'] : []), ...(o.scripts ?? [])];
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title[lang]} · ${title[other]}</title>
        <link rel="manifest" href="/app/manifest.webmanifest" />
        <meta name="theme-color" content="#1f4e8c" />
        <style>
          ${raw(STYLE)}
        </style>
        ${scripts.map((src) => html`<script src="${src}" defer></script>`)}
      </head>
      <body ${o.me ? html`data-me="${o.me}"` : ''}>
        ${o.header ?? ''} ${o.me ? html`<div id="outbox" class="alert" aria-live="polite" hidden></div>` : ''}
        <main id="main">${body}</main>
      </body>
    </html>`;
}
