// What the metrics endpoint reads from the database at each scrape: facts the workers write in
// processes of their own (escalations, deliveries, stuck activities), counted where they are kept,
// so one endpoint tells the truth about every worker. Each is one indexed aggregate.
import type { Sql } from './connect';

/** Escalations ever opened, by rung, and those still open. */
export async function escalationCounts(sql: Sql): Promise<Array<{ level: string; total: number; open: number }>> {
  return await sql<Array<{ level: string; total: number; open: number }>>`
    select level, count(*)::int as total, count(*) filter (where status = 'open')::int as open from escalations group by level`;
}

/** Deliveries by channel and where they stand (pending, sent, dead). */
export async function deliveryCounts(sql: Sql): Promise<Array<{ channel: string; status: string; count: number }>> {
  return await sql<Array<{ channel: string; status: string; count: number }>>`
    select channel, status, count(*)::int as count from deliveries group by channel, status`;
}

/** Activities that failed five times or more and still fail, by activity. */
export async function stuckCounts(sql: Sql): Promise<Array<{ activity: string; count: number }>> {
  return await sql<Array<{ activity: string; count: number }>>`select activity, count(*)::int as count from stuck_activities group by activity`;
}
