// A report as a download: CSV (UTF-8 with a BOM, so Excel reads Vietnamese right) or XLSX, the same
// table either way — a header row in Vietnamese, then the rows; numbers stay numbers in XLSX.
import type { Context } from 'hono';
import ExcelJS from 'exceljs';
import { toCsv } from './register-file';

export type Table = { header: string[]; rows: Array<Array<string | number>> };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function download(c: Context, format: 'csv' | 'xlsx', name: string, table: Table): Promise<Response> {
  if (format === 'csv') {
    const text = `\uFEFF${toCsv([table.header, ...table.rows.map((r) => r.map(String))])}`;
    return c.body(text, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` });
  }
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(name.slice(0, 31));
  sheet.addRow(table.header).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  sheet.columns.forEach((column) => (column.width = 24));
  const buffer = await book.xlsx.writeBuffer();
  return c.body(new Uint8Array(buffer as ArrayBuffer), 200, { 'content-type': XLSX, 'content-disposition': `attachment; filename="${name}.xlsx"` });
}
