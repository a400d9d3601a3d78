// `npm run demo -- --cases N [--seed S]`: two years of plausible cases for the demo province
// (system/demo-register.ts), written as a register (DATA_DIR/demo-register.csv) and brought in
// through the same path as a centre's own (POST /imports, with progress).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toCsv } from '../api/register-file';
import { loadConfig } from './config';
import { demoRegister } from './demo-register';
import { UploadError, uploadRegister } from './register-upload';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '1000' }, seed: { type: 'string', default: '2026' } } });
const count = Number(values.cases);
if (!Number.isInteger(count) || count < 1 || count > 200_000) {
  console.error('usage: npm run demo -- --cases N (1 to 200,000) [--seed S]');
  process.exit(2);
}

const records = demoRegister(count, Number(values.seed));

const config = loadConfig();
mkdirSync(config.dataDir, { recursive: true });
const file = join(config.dataDir, 'demo-register.csv');
writeFileSync(file, toCsv(records));
console.log(`[demo] ${count.toLocaleString('en')} cases over two years written to ${file}; importing…`);
const started = Date.now();
try {
  const totals = await uploadRegister(records, (line) => console.log(`[demo] ${line}`));
  for (const p of totals.rejected.slice(0, 20)) console.log(`  row ${p.row}, ${p.column}: ${p.message}`);
  console.log(
    `[demo] done in ${((Date.now() - started) / 1000).toFixed(0)} s: ${totals.accepted.toLocaleString('en')} imported, ${totals.unchanged.toLocaleString('en')} unchanged, ${totals.rejected.length} problem(s)`,
  );
} catch (err) {
  console.error(`[demo] ${err instanceof UploadError ? err.message : String(err)}`);
  process.exit(1);
}
