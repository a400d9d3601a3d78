// `npm run import -- FILE.csv|FILE.xlsx` brings a centre's past register into a running system;
// `npm run import -- --contacts FILE` (or `--kind contacts FILE`) its past hotline log. Either goes
// to POST /imports in parts of 500 rows, with progress, then every rejected row is listed with its
// column and reason (and, for a log, the rows whose facts route to the emergency path, imported as
// the log says: open a case from them with POST /contacts/{id}/case). Running it again changes
// nothing. Needs an administrator: CASEFLOW_TOKEN, or in development the demo administrator;
// CASEFLOW_API_URL or PORT if the API listens elsewhere; LANG=vi_VN.UTF-8 for the messages in Vietnamese.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { csvRecords, xlsxRecords } from '../api/register-file';
import { UploadError, uploadRecords, type ImportKind } from './register-upload';

const USAGE =
  'usage: npm run import -- FILE.csv|FILE.xlsx              a past register (the columns are in the README, "Past registers")\n' +
  '       npm run import -- --contacts FILE.csv|FILE.xlsx   a past hotline log (the README, "Past hotline logs"); --kind contacts is the same';

let kind: ImportKind;
let file: string | undefined;
try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { contacts: { type: 'boolean', default: false }, kind: { type: 'string', default: 'register' } },
  });
  if (values.kind !== 'register' && values.kind !== 'contacts') throw new Error(`--kind ${values.kind}: register or contacts`);
  kind = values.contacts ? 'contacts' : values.kind;
  file = positionals.length === 1 ? positionals[0] : undefined;
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!file) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const bytes = readFileSync(file);
  const records = /\.xlsx$/i.test(file)
    ? await xlsxRecords(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), { times: kind === 'contacts' })
    : csvRecords(bytes.toString('utf8'));
  const totals = await uploadRecords(kind, records, (line) => console.log(`[import] ${line}`));
  if (totals.ignoredColumns.length) console.log(`[import] columns read past: ${totals.ignoredColumns.join(', ')}`);
  for (const p of totals.rejected.slice(0, 200)) console.log(`  row ${p.row}, ${p.column}: ${p.message}`);
  if (totals.rejected.length > 200) console.log(`  … and ${totals.rejected.length - 200} more`);
  if (totals.emergencies.length) {
    console.log(`[import] ${totals.emergencies.length} row(s) the published rules route to the emergency path, imported as the log says, no case yet:`);
    for (const e of totals.emergencies.slice(0, 200)) console.log(`  row ${e.row}, ${e.logNo}: ${e.ref} → POST /contacts/${e.contactId}/case`);
  }
  console.log(`[import] done: ${totals.accepted} imported, ${totals.unchanged} unchanged, ${totals.rejected.length} problem(s)`);
} catch (err) {
  console.error(`[import] ${err instanceof UploadError || (err as NodeJS.ErrnoException).code === 'ENOENT' ? (err as Error).message : String(err)}`);
  process.exit(1);
}
