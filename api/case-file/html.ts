// A printed case document as the page the browser prints (issue 31): the model of document.ts laid
// out like the centre's paper forms — the two-column heading of an official form, the title, the
// blocks, the signatures side by side — on A4. The same page is read on screen (the console wraps
// it in its toolbar at the marker) and printed from it: the print styles below are what makes the
// paper, so a form printed from any browser looks like the PDF made from the same model.
import { html, raw } from 'hono/html';
import { FONT_FILES, FONT_PATH, type FontName } from './fonts';
import { footerText, word, type Block, type PrintedDocument, type PrintedForm, type PrintHeader } from './document';

/** Where the console puts its buttons (class `noprint`): once, right after <body>. */
export const TOOLBAR_MARKER = '<!--toolbar-->';

// The fonts are the console's (fonts.ts): the paper does not depend on the printing computer's fonts.
const FACES: Record<FontName, { weight: string; style: string }> = {
  regular: { weight: 'normal', style: 'normal' },
  bold: { weight: 'bold', style: 'normal' },
  italic: { weight: 'normal', style: 'italic' },
};
const FONTS = (Object.keys(FACES) as FontName[])
  .map(
    (name) =>
      `@font-face { font-family: 'DejaVu Serif'; src: url('${FONT_PATH}${FONT_FILES[name]}') format('truetype'); font-weight: ${FACES[name].weight}; font-style: ${FACES[name].style}; font-display: block; }`,
  )
  .join('\n');

/**
 * The footer of every printed page (who printed it and when), and the room each sheet keeps for it
 * on every page it runs onto (`roomAbove`: for MẬT). Shared with the A4 period report
 * (api/console/reports-page.ts), so both print it the same way.
 */
export function printedFooterStyle(sheet: string, roomAbove = '0') {
  return `@media print {
  ${sheet} { padding: ${roomAbove} 0 8mm; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
  footer.printed { position: fixed; bottom: 0; left: 0; right: 0; margin: 0; padding: 0; font-size: 8pt; }
}
`;
}

/** The footer as an element: at the end on screen, on every page on paper. */
export const printedFooter = (text: string) => html`<footer class="printed">${text}</footer>`;

// The margins are those of an administrative document (Decree 30/2020: 30 mm on the left for
// the binding). The footer and MẬT are fixed elements: Chromium repeats a fixed element on every
// printed page, which is how they reach each page without knowing where pages break. A fixed
// element placed in the page's margin (negative offsets) is lost or misplaced by Chromium, so each
// sheet keeps room for them instead: its padding, cloned on every page it runs onto
// (box-decoration-break), is where the footer and MẬT sit, never over the form's own lines.
const STYLE = `${FONTS}
*, *::before, *::after { box-sizing: border-box; }
html { background: #e6e8eb; }
body { margin: 0; font: 12pt/1.45 'DejaVu Serif', 'Times New Roman', serif; color: #000; overflow-wrap: anywhere; }
.part, .contents { background: #fff; max-width: 210mm; margin: 1rem auto; padding: 20mm 15mm 20mm 30mm; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25); }
.heading { display: flex; justify-content: space-between; gap: 0.8rem; text-align: center; font-size: 10.5pt; line-height: 1.35; margin-bottom: 1.5rem; }
.heading p { margin: 0; }
.heading .left { flex: 0 1 40%; }
.heading .right { flex: 0 1 60%; }
/* The short line under the centre's name, and the line under the motto, as on the paper forms. */
.heading .centre::after { content: ''; display: block; width: 35%; margin: 3px auto 0; border-top: 1px solid #000; }
.heading .motto strong { display: inline-block; border-bottom: 1px solid #000; padding-bottom: 2px; }
h1.title { text-align: center; font-weight: bold; font-size: 14pt; margin: 1rem 0 0.2rem; }
p.subtitle { text-align: center; font-style: italic; margin: 0 0 1rem; }
h2.section { font-size: 13pt; font-weight: bold; margin: 1rem 0 0.4rem; break-after: avoid; }
.fields { margin: 0.3rem 0; }
.fields .row { display: flex; gap: 0.4rem; align-items: baseline; margin: 0.15rem 0; break-inside: avoid; }
.fields .label { flex: none; max-width: 45%; }
.fields .value { flex: 1 1 auto; white-space: pre-line; }
.fields .value.blank { border-bottom: 1px dotted #000; min-height: 1.2em; }
table.grid { width: 100%; border-collapse: collapse; margin: 0.4rem 0 0.8rem; font-size: 11pt; }
/* break-word, not anywhere: a column is never narrower than its longest word (a number, a code). */
table.grid th, table.grid td { border: 1px solid #000; padding: 0.2rem 0.35rem; text-align: left; vertical-align: top; white-space: pre-line; overflow-wrap: break-word; }
table.grid th { font-weight: bold; text-align: center; }
table.grid td.empty { text-align: center; font-style: italic; }
table.grid tr { break-inside: avoid; }
p.text { white-space: pre-line; margin: 0.3rem 0; text-align: justify; }
/* Side by side, each place's date, role, words, room to sign and name level with the others' (a subgrid of five rows). */
.signatures { display: grid; grid-auto-flow: column; grid-auto-columns: 1fr; grid-template-rows: repeat(5, auto); gap: 0 1rem; margin-top: 1.5rem; text-align: center; break-inside: avoid; }
.signatures .place { display: grid; grid-row: span 5; grid-template-rows: subgrid; }
.signatures p { margin: 0; }
.signatures .date { font-style: italic; }
.signatures .role { font-weight: bold; }
.signatures .signed { font-style: italic; font-size: 11pt; }
.signatures .space { height: 22mm; }
.signatures .name { font-weight: bold; }
.contents h2 { text-align: center; font-size: 13pt; margin: 1.5rem 0 0.5rem; }
.contents ol { margin: 0; padding-left: 1.5rem; }
.contents li { margin: 0.2rem 0; }
.contents a { color: inherit; }
footer.printed { max-width: 210mm; margin: 0 auto 1rem; padding: 0 15mm 0 30mm; font-size: 9pt; color: #333; }
.secret { position: fixed; top: 0.5rem; right: 0.5rem; z-index: 2; border: 2px solid #c00000; color: #c00000; font-weight: bold; padding: 0.1rem 0.6rem; background: #fff; letter-spacing: 0.05em; }
body > nav.noprint { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center; padding: 0.5rem 1rem;
  background: #fff; border-bottom: 2px solid #1f6f43; font: 15px/1.4 system-ui, sans-serif; }
body > nav.noprint a, body > nav.noprint button { font: inherit; color: #0b5394; }
body > nav.noprint button { padding: 0.4rem 0.8rem; border: 1px solid #345; border-radius: 0.3rem; background: #fff; color: #1d2430; cursor: pointer; min-height: 2.5rem; }
@media screen and (max-width: 40rem) {
  .part, .contents { padding: 1rem; margin: 0 0 0.5rem; }
  .heading { flex-direction: column; }
  .heading .left, .heading .right { flex: none; }
  .signatures { display: block; }
  .signatures .place { display: block; margin-bottom: 1rem; }
  footer.printed { padding: 0 1rem; }
}
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
@media print {
  html, body { background: #fff; }
  .noprint { display: none !important; }
  .part, .contents { max-width: none; margin: 0; box-shadow: none; break-before: page; }
  /* The first sheet needs no break before it (a blank first page otherwise). */
  body > section:first-of-type { break-before: auto; }
  .secret { position: fixed; top: 0; right: 0; font-size: 10pt; }
}
${printedFooterStyle('.part, .contents', '11mm')}`;

/** The heading every form of the centre carries: who issues it (left), the nation and its motto (right). */
function heading(h: PrintHeader) {
  return html`<header class="heading">
    <div class="left">
      <p class="province">${h.provinceName.toLocaleUpperCase('vi')}</p>
      <p class="centre"><strong>${h.centreName}</strong></p>
    </div>
    <div class="right">
      <p class="nation"><strong>${word('nation', h.lang)}</strong></p>
      <p class="motto"><strong>${word('motto', h.lang)}</strong></p>
    </div>
  </header>`;
}

function fields(rows: Array<{ label: string; value: string }>) {
  return html`<div class="fields">
    ${rows.map(
      (r) =>
        html`<div class="row">
          <span class="label">${r.label.replace(/\s*:\s*$/, '')}:</span>
          ${r.value.trim() ? html`<span class="value">${r.value}</span>` : html`<span class="value blank"></span>`}
        </div>`,
    )}
  </div>`;
}

function block(b: Block, h: PrintHeader) {
  switch (b.kind) {
    case 'section':
      return html`<h2 class="section">${b.title}</h2>`;
    case 'fields':
      return fields(b.rows);
    case 'table':
      return html`<table class="grid">
        <thead>
          <tr>
            ${b.columns.map((col) => html`<th scope="col">${col}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${
            b.rows.length
              ? b.rows.map(
                  (row) =>
                    html`<tr>
                      ${row.map((cell) => html`<td>${cell}</td>`)}
                    </tr>`,
                )
              : html`<tr>
                  <td class="empty" colspan="${Math.max(1, b.columns.length)}">${b.empty}</td>
                </tr>`
          }
        </tbody>
      </table>`;
    case 'text':
      return html`<p class="text">${b.text}</p>`;
    case 'signatures':
      return html`<div class="signatures">
        ${b.places.map(
          (p) =>
            html`<div class="place">
              <p class="date">${p.date ?? ''}</p>
              <p class="role">${p.role}</p>
              <p class="signed">${word('signed', h.lang)}</p>
              <div class="space"></div>
              <p class="name">${p.name ?? ''}</p>
            </div>`,
        )}
      </div>`;
  }
}

function part(f: PrintedForm, h: PrintHeader) {
  return html`<section class="part" id="part-${f.name}">
    ${heading(h)}
    <h1 class="title">${f.title.toLocaleUpperCase('vi')}</h1>
    ${f.subtitle ? html`<p class="subtitle">${f.subtitle}</p>` : ''} ${f.blocks.map((b) => block(b, h))}
  </section>`;
}

/** The whole file's first page: its heading and title, then the parts, each a link to its page. */
function contents(doc: PrintedDocument) {
  const h = doc.header;
  return html`<section class="contents" id="contents">
    ${heading(h)}
    <h1 class="title">${doc.title.toLocaleUpperCase('vi')}</h1>
    <p class="subtitle">${word('caseRef', h.lang)} ${h.caseRef}</p>
    <h2>${word('contents', h.lang)}</h2>
    <ol>
      ${doc.parts.map((f) => html`<li><a href="#part-${f.name}">${f.title}</a></li>`)}
    </ol>
  </section>`;
}

/** The document as a standalone HTML5 page: no script, every text escaped, the console's toolbar marker after <body>. */
export function renderHtml(doc: PrintedDocument): string {
  const h = doc.header;
  const page = html`<!doctype html>
    <html lang="${h.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${doc.title.includes(h.caseRef) ? doc.title : `${doc.title} · ${h.caseRef}`}</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        ${raw(TOOLBAR_MARKER)} ${h.restricted ? html`<div class="secret">${word('secret', h.lang)}</div>` : ''} ${doc.contents ? contents(doc) : ''}
        ${doc.parts.map((f) => part(f, h))} ${printedFooter(footerText(h))}
      </body>
    </html>`;
  // Nothing above waits on anything, so the template is already a string.
  return String(page);
}
