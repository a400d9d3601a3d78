// The database a command of the operator's works on (audit:verify, keys:rotate, backup): a running
// `npm start`'s PostgreSQL, found by its port answering, and left running; DATABASE_URL's; or, with
// the system stopped, the embedded cluster in DATA_DIR, started for the time of the command.
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { connectDatabase, type Sql } from '../db/connect';
import type { Config } from './config';
import { embeddedPostgresUrl, startEmbeddedPostgres } from './embedded-postgres';
import { assertPortFree } from './ports';

export interface OperatorDatabase {
  sql: Sql;
  /** Which database it is: `running` (the system's, untouched), `url` (DATABASE_URL) or `started` (stopped system, started here). */
  found: 'running' | 'url' | 'started';
  /** Ends the connections, and stops the PostgreSQL started here. */
  close(): Promise<void>;
}

export async function operatorDatabase(config: Config, max: number): Promise<OperatorDatabase> {
  const running = await assertPortFree(config.EMBEDDED_PG_PORT, '127.0.0.1', '', '').then(
    () => false,
    () => true,
  );
  const embedded =
    config.DATABASE_URL || running ? undefined : await startEmbeddedPostgres({ dir: join(config.dataDir, 'postgres'), port: config.EMBEDDED_PG_PORT });
  const sql = connectDatabase(config.DATABASE_URL ?? embedded?.url ?? embeddedPostgresUrl(config.EMBEDDED_PG_PORT), { max });
  return {
    sql,
    found: config.DATABASE_URL ? 'url' : running ? 'running' : 'started',
    async close() {
      await sql.end();
      await embedded?.stop();
    },
  };
}

/** Who ran an operator's command, as its audit row names them: the command, the user and the machine. */
export function operatorName(command: string): string {
  try {
    return `${command} (${userInfo().username}@${hostname()})`;
  } catch {
    // A user with no entry in /etc/passwd (some containers).
    return `${command} (${hostname()})`;
  }
}
