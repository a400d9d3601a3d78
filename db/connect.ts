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

/**
 * Whether an error says the database cannot be reached right now (refused, reset, shutting down,
 * starting up, the connection closed) rather than anything about the query: then the caller hears
 * 503 with Retry-After, and the pool reconnects by itself when the server is back.
 */
export function databaseUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // 57P01–57P03: admin shutdown, crash shutdown, cannot connect now; 08xxx: connection exceptions.
  return /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED|CONNECT_TIMEOUT|57P0[123]|08...)$/.test(code);
}

/** Creates the database on a fresh server, connecting to its `postgres` database to do so. */
export async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  const admin = postgres(serverUrl.replace(/\/[^/]*$/, '/postgres'), { max: 1, onnotice: () => {} });
  try {
    const [found] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!found) await admin.unsafe(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
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
