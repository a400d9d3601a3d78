// A printed case document as a PDF (issue 31): the model of document.ts drawn with pdfkit on A4,
// laid out like html.ts lays out the page the browser prints — the two-column heading of an
// official form, the title, the blocks, the signatures side by side — so the centre's paper looks
// the same whichever way it was made. Every page gets its footer (and MẬT) at the end, once the
// page count is known; the contents page gets its page numbers then too.
import PDFDocument from 'pdfkit';
import { FONT_FILES, fontFile, type FontName } from './fonts';
import { footerText, word, type Block, type PrintedDocument, type PrintedForm, type PrintHeader } from './document';

type Doc = PDFKit.PDFDocument;

const MM = 72 / 25.4;
// An administrative document's margins (Circular 01/2011: 30 mm on the left for the binding).
const MARGINS = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };
const SIZE = { body: 13, heading: 12, title: 14, table: 11, small: 11, footer: 8, secret: 12 };
const LINE_GAP = { body: 3, table: 1.5 };
// DejaVu Serif's ascent: where a line's baseline sits below its top, per point of size.
const ASCENT = 0.93;
const RED = '#c00000';
const GRAY = '#333333';
const PAGE_NUMBER_WIDTH = 36;
const SIGNATURES_PER_ROW = 4;
// At the table's size even the narrowest letters make a line of this many wider than the page.
const LONGER_THAN_A_LINE = 300;

type Fonts = Record<FontName, Buffer>;

/** The font files (fonts.ts reads each once per process): pdfkit embeds the subset the document uses. */
async function fonts(): Promise<Fonts> {
  const names = Object.keys(FONT_FILES) as FontName[];
  const files = await Promise.all(names.map((name) => fontFile(FONT_FILES[name])!));
  return Object.fromEntries(names.map((name, i) => [name, files[i]])) as Fonts;
}

interface TextStyle {
  font: FontName;
  size: number;
  align?: 'left' | 'center' | 'right' | 'justify';
  lineGap?: number;
}

const BODY: TextStyle = { font: 'regular', size: SIZE.body, lineGap: LINE_GAP.body };

function use(doc: Doc, style: TextStyle): Doc {
  return doc.font(style.font).fontSize(style.size);
}

function textOptions(style: TextStyle, width: number): PDFKit.Mixins.TextOptions {
  return { width, align: style.align ?? 'left', lineGap: style.lineGap ?? 0 };
}

function heightOf(doc: Doc, text: string, style: TextStyle, width: number): number {
  // An empty value still takes a line (a blank field is a line to write on).
  return use(doc, style).heightOfString(text === '' ? ' ' : text, textOptions(style, width));
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function left(doc: Doc): number {
  return doc.page.margins.left;
}

function atPageTop(doc: Doc, below = 0): boolean {
  return doc.y <= doc.page.margins.top + below + 0.5;
}

/** A new page unless `height` still fits on this one (or this one is empty: it would not fit anywhere). */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.maxY() && !atPageTop(doc)) doc.addPage();
}

/** Space between blocks, none at the top of a page. */
function gap(doc: Doc, points: number): void {
  if (!atPageTop(doc)) doc.y += points;
}

// Stacks: lines one under another, centered in a column (each of the heading's two columns).

interface StackItem {
  text: string;
  style: TextStyle;
  /** Underlined with a rule as long as the words (the centre's name, the motto). */
  rule?: boolean;
}

/** Draws the items centered in the column; returns the y under the last one. */
function drawStack(doc: Doc, items: StackItem[], x: number, y: number, width: number): number {
  for (const item of items) {
    const style = { ...item.style, align: 'center' as const };
    const height = heightOf(doc, item.text, style, width);
    doc.text(item.text, x, y, textOptions(style, width));
    y += height;
    if (item.rule) {
      // The rule under the centre's name and the motto, as long as their longest line.
      const ruleWidth = doc.boundsOfString(item.text, textOptions(style, width)).width;
      const from = x + (width - ruleWidth) / 2;
      doc
        .moveTo(from, y + 1)
        .lineTo(from + ruleWidth, y + 1)
        .lineWidth(0.8)
        .stroke();
      y += 3;
    }
  }
  return y;
}

/** The largest size up to `max` at which the text fits on one line of the width. */
function fittingSize(doc: Doc, text: string, font: FontName, max: number, width: number): number {
  const natural = doc.font(font).fontSize(max).widthOfString(text);
  return natural <= width ? max : Math.floor(((max * width) / natural) * 10) / 10;
}

/** The heading of an official form: who issues it on the left, the nation and its motto on the right. */
function drawHeading(doc: Doc, h: PrintHeader): void {
  const width = contentWidth(doc);
  const x = left(doc);
  const top = doc.y;
  const leftWidth = width * 0.42;
  const rightWidth = width - leftWidth;
  const nation = word('nation', h.lang);
  // DejaVu is wider than the Times of the paper forms: the nation's name stays on one line.
  const nationSize = fittingSize(doc, nation, 'bold', SIZE.heading, rightWidth);
  const issuer: StackItem[] = [
    { text: h.provinceName.toLocaleUpperCase('vi'), style: { font: 'regular', size: SIZE.heading } },
    { text: h.centreName, style: { font: 'bold', size: SIZE.heading }, rule: true },
  ];
  const state: StackItem[] = [
    { text: nation, style: { font: 'bold', size: nationSize } },
    { text: word('motto', h.lang), style: { font: 'bold', size: SIZE.heading }, rule: true },
  ];
  const bottom = Math.max(drawStack(doc, issuer, x, top, leftWidth), drawStack(doc, state, x + leftWidth, top, rightWidth));
  doc.x = x;
  doc.y = bottom + 18;
}

function drawTitle(doc: Doc, title: string, subtitle: string): void {
  const width = contentWidth(doc);
  const titleStyle: TextStyle = { font: 'bold', size: SIZE.title, align: 'center' };
  use(doc, titleStyle).text(title.toLocaleUpperCase('vi'), left(doc), doc.y, textOptions(titleStyle, width));
  if (subtitle) {
    const style: TextStyle = { ...BODY, font: 'italic', align: 'center' };
    doc.y += 2;
    use(doc, style).text(subtitle, left(doc), doc.y, textOptions(style, width));
  }
  doc.y += 12;
}

// Rows: cells side by side (a table's row, a field's label and value) that break across pages.

interface Cell {
  x: number;
  width: number;
  text: string;
  style: TextStyle;
  /** An empty value: a dotted line to write on. */
  blank?: boolean;
}

interface RowLook {
  pad: number;
  borders: boolean;
  /** What a grid repeats at the top of each page it continues on (its header row), and its height. */
  repeat?: { draw: () => void; height: number };
}

function rowHeight(doc: Doc, cells: Cell[], texts: string[], pad: number): number {
  return Math.max(...cells.map((cell, i) => heightOf(doc, texts[i] ?? '', cell.style, cell.width - 2 * pad))) + 2 * pad;
}

function paintRow(doc: Doc, cells: Cell[], texts: string[], height: number, look: RowLook): void {
  const y = doc.y;
  cells.forEach((cell, i) => {
    const inner = cell.width - 2 * look.pad;
    // The height bounds the text to its row: pdfkit never starts a page from inside a cell.
    use(doc, cell.style).text(texts[i] ?? '', cell.x + look.pad, y + look.pad, { ...textOptions(cell.style, inner), height: height - 2 * look.pad + 1 });
    if (cell.blank) {
      const lineY = y + look.pad + ASCENT * cell.style.size + 2;
      doc
        .save()
        .dash(1, { space: 2 })
        .lineWidth(0.6)
        .moveTo(cell.x + look.pad, lineY)
        .lineTo(cell.x + cell.width, lineY)
        .stroke()
        .restore();
    }
    if (look.borders) doc.lineWidth(0.6).rect(cell.x, y, cell.width, height).stroke();
  });
  doc.x = left(doc);
  doc.y = y + height;
}

function continueOnNewPage(doc: Doc, look: RowLook): void {
  doc.addPage();
  look.repeat?.draw();
}

/** The words of `text` that fit in `maxHeight`, and the rest; at least one word when `force`. */
function splitToFit(doc: Doc, text: string, style: TextStyle, width: number, maxHeight: number, force: boolean): [string, string] {
  const tokens = text.split(/(\s+)/); // words at even indices, the spaces between them at odd ones
  const head = (words: number) => tokens.slice(0, 2 * words - 1).join('');
  let fits = 0;
  let tooMany = Math.ceil(tokens.length / 2) + 1;
  while (tooMany - fits > 1) {
    const middle = Math.floor((fits + tooMany) / 2);
    if (use(doc, style).heightOfString(head(middle), textOptions(style, width)) <= maxHeight) fits = middle;
    else tooMany = middle;
  }
  if (fits === 0 && force) fits = 1;
  return fits === 0 ? ['', text] : [head(fits).trimEnd(), tokens.slice(2 * fits).join('')];
}

/**
 * Draws one row from doc.y: on this page if it fits, else on the next (after the repeated header),
 * and a row taller than what is left of a page continues on the next one, cell by cell.
 */
function drawRow(doc: Doc, cells: Cell[], look: RowLook): void {
  let texts = cells.map((cell) => cell.text);
  for (;;) {
    const needed = rowHeight(doc, cells, texts, look.pad);
    const room = doc.page.maxY() - doc.y;
    if (needed <= room) return paintRow(doc, cells, texts, needed, look);
    const top = atPageTop(doc, look.repeat?.height ?? 0);
    if (!top && needed <= doc.page.maxY() - doc.page.margins.top - (look.repeat?.height ?? 0)) {
      continueOnNewPage(doc, look);
      continue;
    }
    const split = cells.map((cell, i) => splitToFit(doc, texts[i] ?? '', cell.style, cell.width - 2 * look.pad, room - 2 * look.pad, top));
    if (split.some(([head]) => head !== '')) {
      const heads = split.map(([head]) => head);
      paintRow(doc, cells, heads, Math.min(room, rowHeight(doc, cells, heads, look.pad)), look);
      texts = split.map(([, tail]) => tail);
    }
    continueOnNewPage(doc, look);
  }
}

function drawFields(doc: Doc, rows: Array<{ label: string; value: string }>): void {
  const look: RowLook = { pad: 1.5, borders: false };
  // Cells start a padding left of the margin, so the words line up with the section's title.
  const x = left(doc) - look.pad;
  const width = contentWidth(doc) + look.pad;
  for (const row of rows) {
    const label = `${row.label.replace(/\s*:\s*$/, '')}:`;
    const labelWidth = Math.min(use(doc, BODY).widthOfString(label) + 2 * look.pad + 1, width * 0.45);
    const value = row.value.trim();
    drawRow(
      doc,
      [
        { x, width: labelWidth, text: label, style: BODY },
        { x: x + labelWidth + 3, width: width - labelWidth - 3, text: value, style: BODY, blank: value === '' },
      ],
      look,
    );
  }
}

/** What a column's cells ask for: the width of their longest line, and of their longest word. */
function columnWants(doc: Doc, columns: string[], rows: string[][], width: number, pad: number): Array<{ full: number; word: number }> {
  // Measuring a long note costs more than the whole table: a line of so many letters is surely wider than the page.
  const widthOf = (text: string) => (text.length > LONGER_THAN_A_LINE ? width : doc.widthOfString(text));
  const measure = (text: string, font: FontName) => {
    doc.font(font).fontSize(SIZE.table);
    const lines = text.split('\n').map(widthOf);
    const words = text.split(/\s+/).map(widthOf);
    return { full: Math.max(0, ...lines) + 2 * pad, word: Math.max(0, ...words) + 2 * pad };
  };
  return columns.map((column, c) => {
    const sizes = [measure(column, 'bold'), ...rows.map((row) => measure(row[c] ?? '', 'regular'))];
    const full = Math.min(width, Math.max(...sizes.map((s) => s.full)));
    return { full, word: Math.min(full, Math.max(...sizes.map((s) => s.word))) };
  });
}

/**
 * Columns as wide as their words ask, within the page: a column that asks for less than an equal
 * share of what is left gets all it asks (a date, a name on one line); the others share the rest,
 * each at least as wide as its longest word when they can be.
 */
function columnWidths(doc: Doc, columns: string[], rows: string[][], width: number, pad: number): number[] {
  const wants = columnWants(doc, columns, rows, width, pad);
  const widths = wants.map(() => 0);
  let open = wants.map((want, i) => ({ ...want, i }));
  let rest = width;
  for (;;) {
    const share = rest / open.length;
    const modest = open.filter((want) => want.full <= share);
    if (modest.length === 0 || modest.length === open.length) break;
    for (const want of modest) {
      widths[want.i] = want.full;
      rest -= want.full;
    }
    open = open.filter((want) => want.full > share);
  }
  const fulls = open.reduce((sum, want) => sum + want.full, 0);
  const words = open.reduce((sum, want) => sum + want.word, 0);
  for (const want of open) {
    // All fit: stretched to the page's width, like the printed page's table.
    if (fulls <= rest) widths[want.i] = (want.full * rest) / fulls;
    else if (words >= rest) widths[want.i] = (want.word * rest) / words;
    else widths[want.i] = want.word + ((want.full - want.word) * (rest - words)) / (fulls - words);
  }
  return widths;
}

function drawTable(doc: Doc, block: Extract<Block, { kind: 'table' }>): void {
  const x = left(doc);
  const width = contentWidth(doc);
  const pad = 3.5;
  const headStyle: TextStyle = { font: 'bold', size: SIZE.table, align: 'center', lineGap: LINE_GAP.table };
  const cellStyle: TextStyle = { font: 'regular', size: SIZE.table, lineGap: LINE_GAP.table };
  const columns = block.columns.length ? block.columns : [''];
  const widths = columnWidths(doc, columns, block.rows, width, pad);
  const place = (texts: string[], style: TextStyle): Cell[] => {
    let at = x;
    return widths.map((w, i) => {
      const cell = { x: at, width: w, text: texts[i] ?? '', style };
      at += w;
      return cell;
    });
  };
  const header = place(columns, headStyle);
  const headerHeight = rowHeight(doc, header, columns, pad);
  const look: RowLook = { pad, borders: true, repeat: { draw: () => paintRow(doc, header, columns, headerHeight, look), height: headerHeight } };
  const body = block.rows.length
    ? block.rows.map((row) => place(row, cellStyle))
    : [[{ x, width, text: block.empty, style: { ...cellStyle, font: 'italic' as const, align: 'center' as const } }]];
  // The header never ends a page alone: it goes with the first row (or its first lines).
  const first = body[0] ?? [];
  const firstHeight = rowHeight(
    doc,
    first,
    first.map((cell) => cell.text),
    pad,
  );
  ensureSpace(doc, headerHeight + Math.min(firstHeight, 4 * SIZE.table));
  look.repeat?.draw();
  for (const row of body) drawRow(doc, row, look);
}

function drawText(doc: Doc, text: string): void {
  const style: TextStyle = { ...BODY, align: 'justify' };
  // Flows over as many pages as it takes: pdfkit continues a long paragraph on the next page.
  use(doc, style).text(text, left(doc), doc.y, textOptions(style, contentWidth(doc)));
}

function drawSection(doc: Doc, title: string): void {
  const style: TextStyle = { font: 'bold', size: SIZE.body, lineGap: LINE_GAP.body };
  const width = contentWidth(doc);
  // A section's title is not left alone at the bottom of a page: it keeps two lines of what follows.
  ensureSpace(doc, heightOf(doc, title, style, width) + 2 * heightOf(doc, ' ', BODY, width));
  use(doc, style).text(title, left(doc), doc.y, textOptions(style, width));
  doc.y += 3;
}

type Place = Extract<Block, { kind: 'signatures' }>['places'][number];

const SIGNED_SPACE = 22 * MM;

/** A place's lines in bands (date, role, "signed", then the space to sign, then the name): a row's bands line up across its places. */
function signatureBands(place: Place, h: PrintHeader): Array<{ text: string; style: TextStyle }> {
  return [
    { text: place.date ?? '', style: { ...BODY, font: 'italic' } },
    { text: place.role, style: { ...BODY, font: 'bold' } },
    { text: word('signed', h.lang), style: { font: 'italic', size: SIZE.small } },
    { text: place.name ?? '', style: { ...BODY, font: 'bold' } },
  ];
}

const SIGNED_BAND = 2; // the space to sign comes after it

function drawSignatureRow(doc: Doc, h: PrintHeader, places: Place[]): void {
  const x = left(doc);
  const columnWidth = contentWidth(doc) / places.length;
  const inner = columnWidth - 6;
  const columns = places.map((place) => signatureBands(place, h));
  const bandHeights = (columns[0] ?? []).map((_, band) =>
    Math.max(...columns.map((lines) => (lines[band]?.text ? heightOf(doc, lines[band].text, lines[band].style, inner) : 0))),
  );
  const height = bandHeights.reduce((sum, band) => sum + band, SIGNED_SPACE);
  // A row is kept on one page: a signature is not split from its role.
  ensureSpace(doc, height);
  let y = doc.y;
  bandHeights.forEach((bandHeight, band) => {
    columns.forEach((lines, i) => {
      const line = lines[band];
      if (!line?.text) return;
      const style = { ...line.style, align: 'center' as const };
      use(doc, style).text(line.text, x + i * columnWidth + 3, y, textOptions(style, inner));
    });
    y += bandHeight + (band === SIGNED_BAND ? SIGNED_SPACE : 0);
  });
  doc.x = x;
  doc.y = y + 12;
}

/** The places to sign side by side in equal columns, a few to a row so each column keeps room for a name. */
function drawSignatures(doc: Doc, h: PrintHeader, places: Place[]): void {
  for (let from = 0; from < places.length; from += SIGNATURES_PER_ROW) drawSignatureRow(doc, h, places.slice(from, from + SIGNATURES_PER_ROW));
}

function drawBlock(doc: Doc, h: PrintHeader, block: Block): void {
  switch (block.kind) {
    case 'section':
      gap(doc, 10);
      return drawSection(doc, block.title);
    case 'fields':
      gap(doc, 2);
      return drawFields(doc, block.rows);
    case 'table':
      gap(doc, 5);
      drawTable(doc, block);
      return gap(doc, 8);
    case 'text':
      gap(doc, 4);
      return drawText(doc, block.text);
    case 'signatures':
      gap(doc, 18);
      return drawSignatures(doc, h, block.places);
  }
}

const destination = (index: number) => `part-${index + 1}`;

/** A part on its own pages; returns the (0-based) index of its first page. */
function drawPart(doc: Doc, h: PrintHeader, part: PrintedForm, index: number): number {
  doc.addPage();
  const page = doc.bufferedPageRange().count - 1;
  doc.addNamedDestination(destination(index));
  doc.outline.addItem(part.title);
  drawHeading(doc, h);
  drawTitle(doc, part.title, part.subtitle);
  for (const block of part.blocks) drawBlock(doc, h, block);
  return page;
}

/** Where a part's line of the contents is, to write its page number there once it is known. */
interface ContentsLine {
  page: number;
  y: number;
  height: number;
  /** Where the words end, when they take one line: the dotted leader starts there. */
  end: number | null;
}

function drawContents(doc: Doc, printed: PrintedDocument): ContentsLine[] {
  const h = printed.header;
  doc.addPage();
  doc.outline.addItem(word('contents', h.lang));
  drawHeading(doc, h);
  drawTitle(doc, printed.title, `${word('caseRef', h.lang)} ${h.caseRef}`);
  const heading: TextStyle = { font: 'bold', size: SIZE.body, align: 'center' };
  use(doc, heading).text(word('contents', h.lang), left(doc), doc.y, textOptions(heading, contentWidth(doc)));
  doc.y += 10;
  const width = contentWidth(doc) - PAGE_NUMBER_WIDTH - 6;
  return printed.parts.map((part, i) => {
    const text = `${i + 1}. ${part.title}`;
    const height = heightOf(doc, text, BODY, width) + 2;
    ensureSpace(doc, height);
    const line = { page: doc.bufferedPageRange().count - 1, y: doc.y, height };
    const oneLine = height <= heightOf(doc, ' ', BODY, width) + 2;
    const end = oneLine ? left(doc) + doc.widthOfString(text) : null;
    doc.text(text, left(doc), doc.y, textOptions(BODY, width));
    doc.goTo(left(doc), line.y, contentWidth(doc), height, destination(i));
    doc.y = line.y + height;
    return { ...line, end };
  });
}

function writePageNumber(doc: Doc, line: ContentsLine, pageNumber: number): void {
  doc.switchToPage(line.page);
  const number = String(pageNumber);
  const right = left(doc) + contentWidth(doc);
  const lineHeight = heightOf(doc, ' ', BODY, PAGE_NUMBER_WIDTH);
  const top = line.y + line.height - 2 - lineHeight;
  doc.text(number, right - PAGE_NUMBER_WIDTH, top, { ...textOptions({ ...BODY, align: 'right' }, PAGE_NUMBER_WIDTH), height: lineHeight + 1 });
  if (line.end === null) return;
  const baseline = top + ASCENT * SIZE.body;
  const to = right - doc.widthOfString(number) - 4;
  if (to - line.end < 8) return;
  doc
    .save()
    .dash(1, { space: 3 })
    .lineWidth(0.8)
    .moveTo(line.end + 4, baseline)
    .lineTo(to, baseline)
    .stroke()
    .restore();
}

function drawFooter(doc: Doc, h: PrintHeader, number: number, of: number): void {
  const page = doc.page;
  const bottom = page.margins.bottom;
  // The footer is written inside the bottom margin: with the margin at 0 pdfkit does not take it
  // for an overflow and start a page after it.
  page.margins.bottom = 0;
  try {
    const style: TextStyle = { font: 'regular', size: SIZE.footer, align: 'center' };
    const text = footerText(h, { number, of });
    const width = contentWidth(doc);
    const height = heightOf(doc, text, style, width);
    doc.fillColor(GRAY).text(text, left(doc), page.height - bottom / 2 - height / 2, textOptions(style, width));
    doc.fillColor('black');
  } finally {
    page.margins.bottom = bottom;
  }
}

/** MẬT, in a red box at the top right of the page, above the heading. */
function drawSecret(doc: Doc, h: PrintHeader): void {
  const label = word('secret', h.lang);
  use(doc, { font: 'bold', size: SIZE.secret });
  const width = doc.widthOfString(label) + 14;
  const height = doc.currentLineHeight() + 6;
  const x = doc.page.width - doc.page.margins.right - width;
  const y = (doc.page.margins.top - height) / 2;
  doc.save().lineWidth(1.5).strokeColor(RED).rect(x, y, width, height).stroke().restore();
  doc.fillColor(RED).text(label, x + 7, y + 3, { lineBreak: false });
  doc.fillColor('black');
}

function finishPages(doc: Doc, h: PrintHeader): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    drawFooter(doc, h, i + 1, count);
    if (h.restricted) drawSecret(doc, h);
  }
}

function newDocument(printed: PrintedDocument, files: Fonts): Doc {
  const h = printed.header;
  const printedAt = new Date(h.printedAt);
  // The print's own instant, not the clock: the same print gives the same bytes.
  const when = Number.isNaN(printedAt.getTime()) ? new Date() : printedAt;
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    autoFirstPage: false,
    bufferPages: true,
    lang: h.lang === 'vi' ? 'vi-VN' : 'en',
    displayTitle: true,
    info: {
      Title: printed.title,
      Author: h.centreName,
      Subject: `${word('caseRef', h.lang)} ${h.caseRef}`,
      Creator: 'case-flow',
      CreationDate: when,
      ModDate: when,
    },
  });
  for (const name of Object.keys(files) as FontName[]) doc.registerFont(name, files[name]);
  return doc;
}

function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

/**
 * The document as an A4 PDF: the contents first when asked for (each part with the page it starts
 * on, and a bookmark per part), each part from a new page, the footer with the page's number on
 * every page and MẬT on every page of a restricted case.
 */
export async function renderPdf(printed: PrintedDocument): Promise<Buffer> {
  const doc = newDocument(printed, await fonts());
  const out = collect(doc);
  const h = printed.header;
  const contents = printed.contents ? drawContents(doc, printed) : [];
  const firstPages = printed.parts.map((part, i) => drawPart(doc, h, part, i));
  // A print with nothing in it is still a page: its heading and its title.
  if (!printed.contents && printed.parts.length === 0) drawPart(doc, h, { name: '', title: printed.title, subtitle: '', blocks: [] }, 0);
  contents.forEach((line, i) => writePageNumber(doc, line, (firstPages[i] ?? 0) + 1));
  finishPages(doc, h);
  doc.end();
  return out;
}
