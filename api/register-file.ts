// Reading a register file (CSV; see domain/register.ts for the columns): its header row mapped to
// fields, every row checked, each problem named by row number (as a spreadsheet numbers it, the
// header being row 1), column (as the file names it) and reason, in the caller's language.
import { parse } from 'csv-parse/sync';
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

/** Reads a CSV register (UTF-8, with or without BOM; comma or semicolon separated). */
export function readRegisterCsv(text: string): ReadRegister {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.indexOf('\n') >>> 0);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records = parse(body, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
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
