// Reading a register file (CSV; see domain/register.ts for the columns): its header row mapped to
// fields, every row checked, each problem named by row number (as a spreadsheet numbers it, the
// header being row 1), column (as the file names it) and reason, in the caller's language.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { registerField, RegisterRowSchema, type RegisterField, type RegisterRow } from '../domain/register';

export interface RegisterProblem {
  row: number;
  column: string;
  message: string;
}

export interface ReadRegister {
  rows: Array<{ row: number; value: RegisterRow }>;
  rejected: RegisterProblem[];
  /** Columns that are not the register's: read past, said so. */
  ignoredColumns: string[];
  /** The register number's column as the file names it, for problems about a whole row. */
  registerNoColumn: string;
}

/** A CSV file's records (UTF-8, with or without BOM; comma or semicolon separated). */
export function csvRecords(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.indexOf('\n') >>> 0);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  return parse(body, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
}

/** Records as CSV again: every cell quoted, so commas, semicolons and line breaks inside stay inside. */
export function toCsv(records: string[][]): string {
  return records.map((r) => r.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n';
}

/** Reads a CSV register. */
export function readRegisterCsv(text: string): ReadRegister {
  return readRegisterRecords(csvRecords(text));
}

/** The XLSX type, as browsers and spreadsheets send it. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The first sheet of an XLSX workbook as records; dates become YYYY-MM-DD, everything else its text. Throws if unreadable. */
export async function xlsxRecords(file: ArrayBuffer): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file);
  const records: string[][] = [];
  book.worksheets[0]?.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      const v = cell.value;
      cells[col - 1] = v instanceof Date ? v.toISOString().slice(0, 10) : v === null || v === undefined ? '' : String(cell.text ?? v).trim();
    });
    records.push(Array.from(cells, (c) => c ?? ''));
  });
  return records;
}

/** Reads the first sheet of an XLSX register. */
export async function readRegisterXlsx(file: ArrayBuffer): Promise<ReadRegister> {
  try {
    return readRegisterRecords(await xlsxRecords(file));
  } catch (err) {
    const message = `not a readable XLSX file (${(err as Error).message})`;
    return { rows: [], rejected: [{ row: 1, column: '(file)', message }], ignoredColumns: [], registerNoColumn: 'registerNo' };
  }
}

/** A register's records, the header first: each row checked, each problem named. */
function readRegisterRecords(records: string[][]): ReadRegister {
  const [header, ...lines] = records;
  if (!header)
    return {
      rows: [],
      rejected: [{ row: 1, column: '(file)', message: 'the file is empty: it needs a header row' }],
      ignoredColumns: [],
      registerNoColumn: 'registerNo',
    };
  const fields = header.map((h) => registerField(h));
  const ignoredColumns = header.filter((_, i) => fields[i] === undefined);
  const rejected: RegisterProblem[] = [];
  const columnOf = new Map<RegisterField, string>();
  fields.forEach((f, i) => f && columnOf.set(f, header[i]!));
  const missing = (['registerNo', 'receivedAt', 'channel', 'clientName', 'gender', 'riskLevel', 'path', 'stage'] as const).filter((f) => !columnOf.has(f));
  if (missing.length > 0) {
    const problems = missing.map((f) => ({ row: 1, column: f, message: 'this column is missing' }));
    return { rows: [], rejected: problems, ignoredColumns, registerNoColumn: columnOf.get('registerNo') ?? 'registerNo' };
  }
  const rows: ReadRegister['rows'] = [];
  const seen = new Map<string, number>();
  lines.forEach((cells, i) => {
    const row = i + 2;
    const raw: Record<string, string> = {};
    fields.forEach((f, c) => f && cells[c] !== undefined && cells[c] !== '' && (raw[f] = cells[c]!));
    const parsed = RegisterRowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        rejected.push({ row, column: columnOf.get(field as RegisterField) ?? field, message: issue.message });
      }
      return;
    }
    const earlier = seen.get(parsed.data.registerNo);
    if (earlier !== undefined) {
      rejected.push({ row, column: columnOf.get('registerNo')!, message: `the same register number as row ${earlier}` });
      return;
    }
    seen.set(parsed.data.registerNo, row);
    rows.push({ row, value: parsed.data });
  });
  return { rows, rejected, ignoredColumns, registerNoColumn: columnOf.get('registerNo')! };
}
