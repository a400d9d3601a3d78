// `npm run demo -- --cases N [--contacts M] [--seed S]`: two years of plausible records for the demo
// province (system/demo-register.ts): N cases written as a register (DATA_DIR/demo-register.csv)
// and M contacts as a hotline log (DATA_DIR/demo-contact-log.csv; by default six for each case,
// Quảng Ninh's ratio of calls to cases), each brought in through the same path as a centre's own
// (POST /imports, with progress); then the seeds' programmes with members, sessions and outcomes
// (system/demo-programmes.ts). Run again, it finds everything unchanged.
//
// `npm run demo -- --open N` brings in only N open cases (DATA_DIR/demo-open-register.csv): a
// province's caseload for a scale trial, each a workflow started at the engine's pace (the import
// starts eight at once), beside whatever is there already.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toCsv } from '../api/register-file';
import { loadConfig } from './config';
import { demoProgrammes } from './demo-programmes';
import { DEMO_CONTACTS_PER_CASE, demoContactLog, demoRegister } from './demo-register';
import { UploadError, uploadRecords, type ImportKind } from './register-upload';

const USAGE = [
  `usage: npm run demo -- --cases N (1 to 200,000) [--contacts M (0 to 1,200,000; ${DEMO_CONTACTS_PER_CASE} per case by default)] [--seed S]`,
  `       npm run demo -- --open N (1 to 200,000 open cases, nothing else) [--seed S]`,
].join('\n');
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000' },
    contacts: { type: 'string' },
    open: { type: 'string' },
    seed: { type: 'string', default: '2026' },
  },
});
const openOnly = values.open !== undefined;
const count = Number(openOnly ? values.open : values.cases);
const contactCount = values.contacts === undefined ? count * DEMO_CONTACTS_PER_CASE : Number(values.contacts);
if (!Number.isInteger(count) || count < 1 || count > 200_000 || !Number.isInteger(contactCount) || contactCount < 0 || contactCount > 1_200_000) {
  console.error(USAGE);
  process.exit(2);
}
const seed = Number(values.seed);

const config = loadConfig();
mkdirSync(config.dataDir, { recursive: true });

/** Writes the records to DATA_DIR and imports them; false when the API refused. */
async function bring(kind: ImportKind, records: string[][], fileName: string, what: string): Promise<boolean> {
  const file = join(config.dataDir, fileName);
  writeFileSync(file, toCsv(records));
  console.log(`[demo] ${what} written to ${file}; importing…`);
  const started = Date.now();
  try {
    const totals = await uploadRecords(kind, records, (line) => console.log(`[demo] ${line}`));
    for (const p of totals.rejected.slice(0, 20)) console.log(`  row ${p.row}, ${p.column}: ${p.message}`);
    console.log(
      `[demo] done in ${((Date.now() - started) / 1000).toFixed(0)} s: ${totals.accepted.toLocaleString('en')} imported, ${totals.unchanged.toLocaleString('en')} unchanged, ${totals.rejected.length} problem(s)`,
    );
    if (totals.emergencies.length > 0) {
      console.log(
        `[demo] ${totals.emergencies.length} past call(s) the published rules route to the emergency path, imported as the log says (a manager may open a case from them), e.g. ${totals.emergencies
          .slice(0, 3)
          .map((e) => e.ref)
          .join(', ')}`,
      );
    }
    return true;
  } catch (err) {
    console.error(`[demo] ${err instanceof UploadError ? err.message : String(err)}`);
    return false;
  }
}

if (openOnly) {
  const ok = await bring('register', demoRegister(count, seed, true), 'demo-open-register.csv', `${count.toLocaleString('en')} open cases over half a year`);
  process.exit(ok ? 0 : 1);
}
const register = demoRegister(count, seed);
const log = demoContactLog(contactCount, seed, register);
if (!(await bring('register', register, 'demo-register.csv', `${count.toLocaleString('en')} cases over two years`))) process.exit(1);
if (contactCount > 0 && !(await bring('contacts', log, 'demo-contact-log.csv', `${contactCount.toLocaleString('en')} contacts over two years`)))
  process.exit(1);
console.log("[demo] group and community work: the seeds' programmes, their members, twelve weeks of sessions…");
try {
  await demoProgrammes((process.env.CASEFLOW_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, ''), seed, (line) =>
    console.log(`[demo] ${line}`),
  );
} catch (err) {
  console.error(`[demo] programmes: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
