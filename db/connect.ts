// One place that opens PostgreSQL connections, so every process uses the same settings, and the
// two handles every query function takes: the pool (Sql) or an open transaction (Tx).
import postgres from 'postgres';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

export function connectDatabase(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'case-flow' },
  });
}

/** Answers when the database does: for health checks. */
export async function ping(sql: Sql): Promise<void> {
  await sql`select 1`;
}

/**
 * A value for a jsonb column. Our documents are JSON by construction (parsed from JSON or built
 * from plain data), but their TypeScript types carry optional fields that postgres.js's JSONValue
 * does not admit; the one cast that says so lives here.
 */
export function jsonb(db: Sql | Tx, value: unknown) {
  return db.json(value as postgres.JSONValue);
}
