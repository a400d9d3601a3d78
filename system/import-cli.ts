// `npm run import -- FILE.csv|FILE.xlsx`: brings a centre's past register into a running system
// (POST /imports, in parts of 500 rows, with progress), then lists every rejected row with its
// column and reason. Running it again changes nothing. Needs an administrator: CASEFLOW_TOKEN, or in
// development the demo administrator; CASEFLOW_API_URL or PORT if the API listens elsewhere.
import { readFileSync } from 'node:fs';
import { csvRecords, xlsxRecords } from '../api/register-file';
import { UploadError, uploadRegister } from './register-upload';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run import -- FILE.csv|FILE.xlsx   (the columns are in the README, "Past registers")');
  process.exit(2);
}
try {
  const bytes = readFileSync(file);
  const records = /\.xlsx$/i.test(file)
    ? await xlsxRecords(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
    : csvRecords(bytes.toString('utf8'));
  const totals = await uploadRegister(records, (line) => console.log(`[import] ${line}`));
  if (totals.ignoredColumns.length) console.log(`[import] columns read past: ${totals.ignoredColumns.join(', ')}`);
  for (const p of totals.rejected.slice(0, 200)) console.log(`  row ${p.row}, ${p.column}: ${p.message}`);
  if (totals.rejected.length > 200) console.log(`  … and ${totals.rejected.length - 200} more`);
  console.log(`[import] done: ${totals.accepted} imported, ${totals.unchanged} unchanged, ${totals.rejected.length} problem(s)`);
} catch (err) {
  console.error(`[import] ${err instanceof UploadError || (err as NodeJS.ErrnoException).code === 'ENOENT' ? (err as Error).message : String(err)}`);
  process.exit(1);
}
