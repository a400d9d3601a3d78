// Sending a centre's past records to a running system's POST /imports in parts, with progress: a
// register (the default kind) or a hotline log (`kind=contacts`). The import CLI and the demo
// generator share it. Rows are numbered as in the whole file (the header is row 1), whatever part
// they were sent in; the API's messages come in the language of LANG (vi_VN… for Vietnamese).
import { toCsv } from '../api/register-file';
import { DEMO_PASSWORD } from './demo-directory';

export type ImportKind = 'register' | 'contacts';

export interface UploadTotals {
  accepted: number;
  unchanged: number;
  rejected: Array<{ row: number; column: string; message: string }>;
  ignoredColumns: string[];
  /** A log's rows whose facts route to the emergency path, imported as the log says (api/imports.ts). */
  emergencies: Array<{ row: number; logNo: string; contactId: string; ref: string }>;
}

const PART_ROWS = 500;

export class UploadError extends Error {}

/** The API's address and an administrator's token: CASEFLOW_TOKEN, or in development the demo administrator. */
export async function adminSession(): Promise<{ base: string; token: string }> {
  const base = (process.env.CASEFLOW_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
  if (process.env.CASEFLOW_TOKEN) return { base, token: process.env.CASEFLOW_TOKEN };
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin1', password: DEMO_PASSWORD }),
  }).catch((err: Error) => {
    throw new UploadError(`cannot reach the API at ${base} (${err.message}). Is \`npm start\` running? Set CASEFLOW_API_URL, or PORT.`);
  });
  if (!res.ok) throw new UploadError(`set CASEFLOW_TOKEN to an administrator's token (the demo administrator could not log in: ${res.status})`);
  return { base, token: ((await res.json()) as { token: string }).token };
}

export async function uploadRecords(kind: ImportKind, records: string[][], say: (line: string) => void): Promise<UploadTotals> {
  const [header, ...rows] = records;
  if (!header) throw new UploadError('the file is empty: it needs a header row');
  const { base, token } = await adminSession();
  const totals: UploadTotals = { accepted: 0, unchanged: 0, rejected: [], ignoredColumns: [], emergencies: [] };
  const language = /^vi/i.test(process.env.LANG ?? '') ? 'vi' : 'en';
  const started = Date.now();
  for (let from = 0; from < Math.max(rows.length, 1); from += PART_ROWS) {
    const part = rows.slice(from, from + PART_ROWS);
    const res = await fetch(`${base}/imports?kind=${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv; charset=utf-8', 'accept-language': language },
      body: toCsv([header, ...part]),
    });
    const answer = (await res.json()) as Omit<UploadTotals, 'emergencies'> & { emergencies?: UploadTotals['emergencies']; error?: { message: string } };
    if (!res.ok) throw new UploadError(`the API answered ${res.status}: ${answer.error?.message ?? ''}`);
    totals.accepted += answer.accepted;
    totals.unchanged += answer.unchanged;
    totals.ignoredColumns = answer.ignoredColumns;
    // Row 2 of a part is row from + 2 of the file; the header's own problems are said once.
    for (const p of answer.rejected) if (p.row > 1 || from === 0) totals.rejected.push({ ...p, row: p.row > 1 ? p.row + from : 1 });
    for (const e of answer.emergencies ?? []) totals.emergencies.push({ ...e, row: e.row + from });
    const done = Math.min(from + PART_ROWS, rows.length);
    const seconds = (Date.now() - started) / 1000;
    say(
      `${done.toLocaleString('en')} / ${rows.length.toLocaleString('en')} rows: ${totals.accepted.toLocaleString('en')} imported, ${totals.unchanged.toLocaleString('en')} unchanged, ${totals.rejected.length} problem(s) · ${seconds.toFixed(0)} s`,
    );
  }
  return totals;
}
