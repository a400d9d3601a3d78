// `npm run audit:verify`: walks the audit chain and checks it against the head file written
// outside the database. Exits 1 naming the first bad row.
import { join } from 'node:path';
import { verifyAuditChain } from '../db/audit';
import { connectDatabase } from '../db/connect';
import { loadConfig } from './config';
import { startEmbeddedPostgres } from './embedded-postgres';

const config = loadConfig();
const headFile = config.AUDIT_HEAD_FILE ?? join(config.dataDir, 'audit-head.log');
const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dir: join(config.dataDir, 'postgres'), port: config.EMBEDDED_PG_PORT });
const sql = connectDatabase(config.DATABASE_URL ?? embedded!.url, { max: 1 });
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
