// Reading a centre's past records from a file, CSV or XLSX: a register of cases (domain/register.ts)
// or a hotline log of contacts (domain/contact-log.ts). The header row is mapped to fields, every
// row checked, each problem named by row number (as a spreadsheet numbers it, the header being
// row 1), column (as the file names it) and reason, in one language or both (the API says it in
// the caller's); a number given twice in one file is the second row's problem.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { checkLogRow, contactLogField, REQUIRED_LOG_FIELDS, type ContactLogField, type ContactLogRow } from '../domain/contact-log';
import { registerField, RegisterRowSchema, type RegisterField, type RegisterRow } from '../domain/register';
import type { Bilingual } from '../domain/stages';
import { ApiError } from './errors';
import { measureZip, type ZipBounds, type ZipMeasure } from './zip-bounds';

export interface RowProblem {
  row: number;
  column: string;
  message: string | Bilingual;
}
/** The register's name for a row's problem, kept for its callers. */
export type RegisterProblem = RowProblem;

export interface ReadFile<T> {
  rows: Array<{ row: number; value: T }>;
  rejected: RowProblem[];
  /** Columns that are not the file's kind's: read past, said so. */
  ignoredColumns: string[];
  /** The column of the row's own number as the file names it, for problems about a whole row. */
  keyColumn: string;
}
export type ReadRegister = ReadFile<RegisterRow>;
export type ReadContactLog = ReadFile<ContactLogRow>;

/** What tells one kind of file from another: its columns, the number that names a row, and the check of a row. */
interface FileKind<F extends string, T> {
  fieldOf(header: string): F | undefined;
  required: readonly F[];
  key: F;
  keyOf(value: T): string;
  check(raw: Partial<Record<F, string>>): { ok: true; value: T } | { ok: false; problems: Array<{ field: string; message: string | Bilingual }> };
  sameKey(earlierRow: number): string | Bilingual;
}

const REGISTER: FileKind<RegisterField, RegisterRow> = {
  fieldOf: registerField,
  required: ['registerNo', 'receivedAt', 'channel', 'clientName', 'gender', 'riskLevel', 'path', 'stage'],
  key: 'registerNo',
  keyOf: (row) => row.registerNo,
  check(raw) {
    const parsed = RegisterRowSchema.safeParse(raw);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, problems: parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? ''), message: issue.message })) };
  },
  sameKey: (row) => `the same register number as row ${row}`,
};

const CONTACT_LOG: FileKind<ContactLogField, ContactLogRow> = {
  fieldOf: contactLogField,
  required: REQUIRED_LOG_FIELDS,
  key: 'logNo',
  keyOf: (row) => row.logNo,
  check: checkLogRow,
  sameKey: (row) => ({ vi: `trùng số sổ với dòng ${row}`, en: `the same log number as row ${row}` }),
};

/** A CSV file's records (UTF-8, with or without BOM; comma or semicolon separated). */
export function csvRecords(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.indexOf('\n') >>> 0);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  return parse(body, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
}

/**
 * Records as CSV again: every cell quoted, so commas, semicolons and line breaks inside stay inside.
 * Cells as they are, for files this project reads back (a register cut into parts for upload, the
 * demo's register): a report for people to open goes through report-files.ts, which neutralises
 * formulas first.
 */
export function toCsv(records: string[][]): string {
  return records.map((r) => r.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n';
}

/** Reads a CSV register. */
export function readRegisterCsv(text: string): ReadRegister {
  return readRecords(REGISTER, csvRecords(text));
}

/** Reads a CSV hotline log. */
export function readContactLogCsv(text: string): ReadContactLog {
  return readRecords(CONTACT_LOG, csvRecords(text));
}

/** The XLSX type, as browsers and spreadsheets send it. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * What an XLSX workbook may hold once unzipped (zip-bounds.ts): a register of 10,000 rows is about
 * 8 MB of XML, so 40 MB is a register of some 50,000 rows — past that, ExcelJS, which holds it all
 * in memory, would take seconds and hundreds of megabytes per upload; a CSV has no such cost.
 * A workbook is a dozen or two parts; a thousand is no workbook a person made.
 */
export const XLSX_BOUNDS: ZipBounds = { maxEntries: 1_000, maxUnzippedBytes: 40 * 1024 * 1024 };

/** 413, naming the body: a workbook that unzips past the bounds, refused before it is parsed. */
function workbookTooLarge(measured: Extract<ZipMeasure, { problem: 'too_large' | 'too_many_entries' }>): ApiError {
  const mb = XLSX_BOUNDS.maxUnzippedBytes / 1024 / 1024;
  const message: Bilingual =
    measured.problem === 'too_many_entries'
      ? {
          vi: `tệp XLSX có ${measured.entries} phần, quá ${XLSX_BOUNDS.maxEntries} phần một sổ có thể có`,
          en: `the XLSX file holds ${measured.entries} parts, more than the ${XLSX_BOUNDS.maxEntries} a workbook may have`,
        }
      : {
          vi: `tệp XLSX giải nén ra hơn ${mb} MB; hãy chia sổ thành nhiều tệp, hoặc gửi dạng CSV`,
          en: `the XLSX file unzips to more than ${mb} MB; split the register into several files, or send it as CSV`,
        };
  return new ApiError('payload_too_large', [{ path: '(body)', message }], {
    vi: 'Tệp XLSX quá lớn khi giải nén',
    en: 'The XLSX file is too large once unzipped',
  });
}

/**
 * The first sheet of an XLSX workbook as records, everything else as its text; a date becomes
 * YYYY-MM-DD, or with `times` YYYY-MM-DD HH:MM when it has a time of day (a log's calls do; a
 * register's days are days). A spreadsheet's date has no zone: it is the wall clock as written.
 * Throws if unreadable; throws an ApiError (413) before parsing anything if it unzips past XLSX_BOUNDS.
 */
export async function xlsxRecords(file: ArrayBuffer, options: { times?: boolean } = {}): Promise<string[][]> {
  const measured = measureZip(new Uint8Array(file), XLSX_BOUNDS);
  if (!measured.ok) throw measured.problem === 'unreadable' ? new Error(measured.why) : workbookTooLarge(measured);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file);
  const records: string[][] = [];
  const dated = (d: Date) => {
    const iso = d.toISOString();
    return options.times && !iso.endsWith('T00:00:00.000Z') ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
  };
  book.worksheets[0]?.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      const v = cell.value;
      cells[col - 1] = v instanceof Date ? dated(v) : v === null || v === undefined ? '' : String(cell.text ?? v).trim();
    });
    records.push(Array.from(cells, (c) => c ?? ''));
  });
  return records;
}

/** Reads the first sheet of an XLSX register. */
export async function readRegisterXlsx(file: ArrayBuffer): Promise<ReadRegister> {
  return readXlsx(REGISTER, file, {});
}

/** Reads the first sheet of an XLSX hotline log. */
export async function readContactLogXlsx(file: ArrayBuffer): Promise<ReadContactLog> {
  return readXlsx(CONTACT_LOG, file, { times: true });
}

async function readXlsx<F extends string, T>(kind: FileKind<F, T>, file: ArrayBuffer, options: { times?: boolean }): Promise<ReadFile<T>> {
  try {
    return readRecords(kind, await xlsxRecords(file, options));
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const why = (err as Error).message;
    const message = { vi: `không đọc được tệp XLSX (${why})`, en: `not a readable XLSX file (${why})` };
    return { rows: [], rejected: [{ row: 1, column: '(file)', message }], ignoredColumns: [], keyColumn: kind.key };
  }
}

const EMPTY: Bilingual = { vi: 'tệp trống: cần có dòng tiêu đề', en: 'the file is empty: it needs a header row' };
const MISSING: Bilingual = { vi: 'thiếu cột này', en: 'this column is missing' };

/** A file's records, the header first: each row checked, each problem named. */
function readRecords<F extends string, T>(kind: FileKind<F, T>, records: string[][]): ReadFile<T> {
  const [header, ...lines] = records;
  if (!header) return { rows: [], rejected: [{ row: 1, column: '(file)', message: EMPTY }], ignoredColumns: [], keyColumn: kind.key };
  const fields = header.map((h) => kind.fieldOf(h));
  const ignoredColumns = header.filter((_, i) => fields[i] === undefined);
  const rejected: RowProblem[] = [];
  const columnOf = new Map<string, string>();
  fields.forEach((f, i) => f && columnOf.set(f, header[i]!));
  const keyColumn = columnOf.get(kind.key) ?? kind.key;
  const missing = kind.required.filter((f) => !columnOf.has(f));
  if (missing.length > 0) {
    return { rows: [], rejected: missing.map((f) => ({ row: 1, column: f, message: MISSING })), ignoredColumns, keyColumn };
  }
  const rows: ReadFile<T>['rows'] = [];
  const seen = new Map<string, number>();
  lines.forEach((cells, i) => {
    const row = i + 2;
    const raw: Partial<Record<F, string>> = {};
    fields.forEach((f, c) => f && cells[c] !== undefined && cells[c] !== '' && (raw[f] = cells[c]!));
    const checked = kind.check(raw);
    if (!checked.ok) {
      for (const p of checked.problems) rejected.push({ row, column: columnOf.get(p.field) ?? p.field, message: p.message });
      return;
    }
    const earlier = seen.get(kind.keyOf(checked.value));
    if (earlier !== undefined) {
      rejected.push({ row, column: keyColumn, message: kind.sameKey(earlier) });
      return;
    }
    seen.set(kind.keyOf(checked.value), row);
    rows.push({ row, value: checked.value });
  });
  return { rows, rejected, ignoredColumns, keyColumn };
}
