// The statements the product sends PostgreSQL, counted by pg_stat_statements (the bench's embedded
// server loads it; another server may not): each statement is a round trip and work on both sides.
import type { Sql } from '../db/connect';

/** A running count of the statements run in the product's database, or undefined when pg_stat_statements is not loaded. */
export async function statementCounter(sql: Sql): Promise<(() => Promise<number>) | undefined> {
  try {
    await sql`create extension if not exists pg_stat_statements`;
    // Answers only once the library is loaded at the server's start.
    await sql`select 1 from pg_stat_statements limit 1`;
  } catch {
    return undefined;
  }
  return async () => {
    const [row] = await sql<{ n: string }[]>`
      select coalesce(sum(calls), 0)::bigint as n from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())`;
    return Number(row?.n ?? 0);
  };
}
