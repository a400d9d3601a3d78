// One place that opens PostgreSQL connections, so every process uses the same settings, and the
// two handles every query function takes: the pool (Sql) or an open transaction (Tx).
import postgres from 'postgres';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

/** A new connection that gets no answer in this long fails (postgres.js would wait 30 s). */
const CONNECT_TIMEOUT_SECONDS = 10;

/**
 * `statementTimeoutMs`: PostgreSQL cancels a statement of this pool that runs, or waits for a lock,
 * longer than that (the API's pool: no statement outlives the request it serves). A server that
 * hangs cancels nothing; the request's own deadline answers for it (api/deadline.ts).
 */
export function connectDatabase(url: string, options: { max?: number; statementTimeoutMs?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: CONNECT_TIMEOUT_SECONDS,
    connection: { application_name: 'case-flow', ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}) },
  });
}

/**
 * Whether an error says the database cannot serve right now (refused, reset, shutting down,
 * starting up, the connection closed, out of disk) rather than anything about the query: then the caller hears
 * 503 with Retry-After, and the pool reconnects by itself when the server is back.
 */
export function databaseUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // 57P01–57P03: admin shutdown, crash shutdown, cannot connect now; 08xxx: connection exceptions;
  // 57014: a statement cancelled at statement_timeout (a lock or a server that would not finish);
  // 53xxx: the server is out of a resource (53100: its disk is full) — nothing about the query.
  return /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED|CONNECT_TIMEOUT|57P0[123]|57014|08...|53...)$/.test(
    code,
  );
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
