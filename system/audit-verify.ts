// `npm run audit:verify`: walks the audit chain and checks it against the head file written
// outside the database. Exits 1 naming the first bad row. Beside a running `npm start` it reads
// that system's PostgreSQL; otherwise it starts the embedded cluster for the time it reads.
import { join } from 'node:path';
import { verifyAuditChain } from '../db/audit';
import { connectDatabase } from '../db/connect';
import { loadConfig } from './config';
import { embeddedPostgresUrl, startEmbeddedPostgres } from './embedded-postgres';
import { assertPortFree } from './ports';

const config = loadConfig();
const headFile = config.AUDIT_HEAD_FILE ?? join(config.dataDir, 'audit-head.log');
const running = await assertPortFree(config.EMBEDDED_PG_PORT, '127.0.0.1', '', '').then(
  () => false,
  () => true,
);
const embedded =
  config.DATABASE_URL || running ? undefined : await startEmbeddedPostgres({ dir: join(config.dataDir, 'postgres'), port: config.EMBEDDED_PG_PORT });
const sql = connectDatabase(config.DATABASE_URL ?? embedded?.url ?? embeddedPostgresUrl(config.EMBEDDED_PG_PORT), { max: 1 });
if (running && !config.DATABASE_URL) console.log(`reading the running system's PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT}`);
let code = 0;
try {
  const verdict = await verifyAuditChain(sql, headFile);
  if (verdict.ok) {
    console.log(`audit chain intact: ${verdict.rows} rows${verdict.head ? `, head seq ${verdict.head.seq} ${verdict.head.hash}` : ''} (head file ${headFile})`);
  } else {
    console.error(`audit chain BROKEN at row seq ${verdict.seq}: ${verdict.problem} (${verdict.rows} rows verified before it)`);
    code = 1;
  }
} finally {
  await sql.end();
  await embedded?.stop();
}
process.exit(code);
