// A report downloaded as CSV or XLSX is opened in a spreadsheet (issue 32): a text cell a person
// wrote that begins like a formula (=, +, -, @, a tab or a carriage return) comes out behind an
// apostrophe, so the spreadsheet shows it and never runs it; numbers, negative ones too, stay numbers.
import ExcelJS from 'exceljs';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { csvRecords } from '../../api/register-file';
import { download, spreadsheetCell, type Table } from '../../api/report-files';

const HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+cmd|' /C calc'!A0", '-2+3', '@SUM(A1:A2)', '\t=1+1', '\r=1+1'];
const TABLE: Table = {
  header: ['Mã', 'Nhóm', '=Số'],
  rows: [...HOSTILE.map((name, i) => [`p-${i}`, name, i + 1]), ['negative', 'Nguyễn Thị Hoa - lớp 5', -3], ['decimal', 'a=b', -0.5]],
};

async function fetched(format: 'csv' | 'xlsx') {
  const app = new Hono().get('/', (c) => download(c, format, 'bao-cao', TABLE));
  return await app.request('/');
}

describe('spreadsheet cells', () => {
  it('puts an apostrophe before a text that would be a formula, and leaves everything else as it is', () => {
    for (const text of HOSTILE) expect(spreadsheetCell(text)).toBe(`'${text}`);
    for (const text of ['Nguyễn Thị Hoa', 'a=b', '', ' =1', "'=already"]) expect(spreadsheetCell(text)).toBe(text);
    for (const n of [-3, 0, 4.5, -0.5]) expect(spreadsheetCell(n)).toBe(n);
  });

  it('neutralises every text cell of a CSV download, and keeps its numbers as numbers', async () => {
    const res = await fetched('csv');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const records = csvRecords(await res.text());
    expect(records[0]).toEqual(['Mã', 'Nhóm', "'=Số"]);
    // csv-parse trims the cells it reads; the tab and carriage return are checked on the raw text below.
    expect(records.slice(1, 5).map((r) => r[1])).toEqual(HOSTILE.slice(0, 4).map((t) => `'${t}`));
    expect(records.slice(-2)).toEqual([
      ['negative', 'Nguyễn Thị Hoa - lớp 5', '-3'],
      ['decimal', 'a=b', '-0.5'],
    ]);
    const raw = await (await fetched('csv')).text();
    expect(raw).toContain(`"'\t=1+1"`);
    expect(raw).toContain(`"'\r=1+1"`);
    // No cell of the file begins with a formula's first character.
    for (const cell of raw.replace(/^\uFEFF/, '').matchAll(/(?:^|,)"((?:[^"]|"")*)"/gm)) expect(cell[1]).not.toMatch(/^[=+@\t\r]|^-[^\d]/);
  });

  it('neutralises every text cell of an XLSX download, read back with ExcelJS, and keeps its numbers as numbers', async () => {
    const res = await fetched('xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.worksheets[0]!;
    const values = sheet.getSheetValues().slice(1) as unknown[][];
    const rows = values.map((row) => row.slice(1));
    expect(rows[0]).toEqual(['Mã', 'Nhóm', "'=Số"]);
    // XML reads a carriage return as a line feed: the apostrophe before it is what matters.
    expect(rows.slice(1, 1 + HOSTILE.length).map((r) => r[1])).toEqual(HOSTILE.map((t) => `'${t}`.replace(/\r/g, '\n')));
    expect(rows.slice(1, 1 + HOSTILE.length).map((r) => r[2])).toEqual(HOSTILE.map((_, i) => i + 1));
    expect(rows.slice(-2)).toEqual([
      ['negative', 'Nguyễn Thị Hoa - lớp 5', -3],
      ['decimal', 'a=b', -0.5],
    ]);
    // Text stays text and numbers stay numbers: no cell became a formula.
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        expect([ExcelJS.ValueType.String, ExcelJS.ValueType.Number]).toContain(cell.type);
        if (cell.type === ExcelJS.ValueType.String) expect(String(cell.value)).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
  });
});
