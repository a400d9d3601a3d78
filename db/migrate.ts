// Applies the numbered SQL files in db/migrations in order, each once, each in its own
// transaction, recorded in schema_migrations; then the data migrations of db/data-migrations.ts. Safe to run twice and from two processes at once.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sql } from './connect';
import { DATA_MIGRATIONS } from './data-migrations';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
// Any fixed number: the advisory lock that keeps two starting processes from racing.
const MIGRATION_LOCK = 727_001;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const sql = readFileSync(`${dir}/${name}`, 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export async function migrate(sql: Sql, log: (line: string) => void = () => {}, options: { until?: string } = {}): Promise<string[]> {
  // Tests of a migration stop before it, write data of the older shape, then migrate the rest.
  const later = (name: string) => options.until !== undefined && name.slice(0, 3) > options.until.slice(0, 3);
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    // A migration over a province's data may run for minutes: the pool's statement deadline is
    // for the requests it serves (db/connect.ts), not for this.
    await tx`set local statement_timeout = 0`;
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`create table if not exists schema_migrations (
      name text primary key, checksum text not null, applied_at timestamptz not null default now())`;
    const done = new Map((await tx<{ name: string; checksum: string }[]>`select name, checksum from schema_migrations`).map((r) => [r.name, r.checksum]));
    for (const m of listMigrations()) {
      if (later(m.name)) continue;
      const seen = done.get(m.name);
      if (seen !== undefined) {
        if (seen !== m.checksum) {
          throw new Error(`migration ${m.name} was edited after it was applied; add a new migration instead`);
        }
        continue;
      }
      log(`applying migration ${m.name}`);
      await tx.unsafe(m.sql);
      await tx`insert into schema_migrations (name, checksum) values (${m.name}, ${m.checksum})`;
      applied.push(m.name);
    }
    for (const m of DATA_MIGRATIONS) {
      if (done.has(m.name) || later(m.name)) continue;
      log(`applying data migration ${m.name}`);
      await m.run(tx);
      await tx`insert into schema_migrations (name, checksum) values (${m.name}, 'data')`;
      applied.push(m.name);
    }
  });
  return applied;
}
