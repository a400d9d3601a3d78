// A report as a download: CSV (UTF-8 with a BOM, so Excel reads Vietnamese right) or XLSX, the same
// table either way — a header row in Vietnamese, then the rows; numbers stay numbers in XLSX.
// Every text cell goes through spreadsheetCell first: the files are opened in spreadsheets.
import type { Context } from 'hono';
import ExcelJS from 'exceljs';
import { toCsv } from './register-file';

export type Cell = string | number;
export type Table = { header: string[]; rows: Array<Cell[]> };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A text that a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage return
 * before one) begins with an apostrophe instead, as OWASP advises against CSV injection: a
 * programme named `=HYPERLINK("http://evil","x")` is shown as that text, never run on the
 * manager's computer when they open the report. A number is a number (−3 is not a formula), and
 * stays one. The one function every export uses (CSV and XLSX alike).
 */
export function spreadsheetCell<T extends Cell>(value: T): T {
  return (typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value) as T;
}

export async function download(c: Context, format: 'csv' | 'xlsx', name: string, table: Table): Promise<Response> {
  const header = table.header.map(spreadsheetCell);
  const rows = table.rows.map((r) => r.map(spreadsheetCell));
  if (format === 'csv') {
    const text = `\uFEFF${toCsv([header, ...rows.map((r) => r.map(String))])}`;
    return c.body(text, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` });
  }
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(name.slice(0, 31));
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.columns.forEach((column) => (column.width = 24));
  const buffer = await book.xlsx.writeBuffer();
  return c.body(new Uint8Array(buffer as ArrayBuffer), 200, { 'content-type': XLSX, 'content-disposition': `attachment; filename="${name}.xlsx"` });
}
