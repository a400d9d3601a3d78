// `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded cluster
// under DATA_DIR when DATABASE_URL is not set. (`npm start` does the same before it serves.)
import { join } from 'node:path';
import { connectDatabase } from '../db/connect';
import { migrate } from '../db/migrate';
import { loadConfig } from './config';
import { startEmbeddedPostgres } from './embedded-postgres';

const config = loadConfig();
const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dir: join(config.dataDir, 'postgres'), port: config.EMBEDDED_PG_PORT });
const sql = connectDatabase(config.DATABASE_URL ?? embedded!.url, { max: 1 });
try {
  const applied = await migrate(sql, (line) => console.log(`[migrate] ${line}`));
  console.log(applied.length ? `[migrate] ${applied.length} applied` : '[migrate] the database is up to date');
} finally {
  await sql.end();
  await embedded?.stop();
}
