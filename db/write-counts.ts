// The write limit's count, one row per principal, shared by every API process (API_REPLICAS).
import type { Sql } from './connect';

export interface WriteCount {
  /** Writes in the principal's current window, this one included. */
  writes: number;
  /** Until the window ends and the count starts again. */
  remainingMs: number;
}

/**
 * Counts one write of `principalId`: a window starts at its first write and lasts `windowMs`; past
 * it the next write starts a new one. One statement, so writes that arrive at once on different
 * processes each see the count with theirs in it (the row's lock orders them).
 */
export async function countWrite(sql: Sql, principalId: string, windowMs: number): Promise<WriteCount> {
  const [row] = await sql<{ writes: number; remaining_ms: number }[]>`
    insert into write_counts as w (principal_id, window_start, writes)
    values (${principalId}, now(), 1)
    on conflict (principal_id) do update set
      window_start = case when w.window_start <= now() - make_interval(secs => ${windowMs / 1000}) then now() else w.window_start end,
      writes = case when w.window_start <= now() - make_interval(secs => ${windowMs / 1000}) then 1 else w.writes + 1 end
    returning writes, extract(epoch from (window_start + make_interval(secs => ${windowMs / 1000}) - now())) * 1000 as remaining_ms`;
  return { writes: row!.writes, remainingMs: Math.max(0, Number(row!.remaining_ms)) };
}
