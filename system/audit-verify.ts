// `npm run audit:verify`: walks the audit chain and checks it against the head file written
// outside the database. Exits 1 naming the first bad row. Beside a running `npm start` it reads
// that system's PostgreSQL; otherwise it starts the embedded cluster for the time it reads.
import { join } from 'node:path';
import { verifyAuditChain } from '../db/audit';
import { loadConfig } from './config';
import { operatorDatabase } from './operator-database';

const config = loadConfig();
const headFile = config.AUDIT_HEAD_FILE ?? join(config.dataDir, 'audit-head.log');
const database = await operatorDatabase(config, 1);
const { sql } = database;
const running = database.found === 'running';
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
  await database.close();
}
process.exit(code);
