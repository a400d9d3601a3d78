// How an activity fails. Data PostgreSQL refuses (SQLSTATE class 22, a data exception, or 23, a
// constraint) fails with type `bad_data`: sending it again sends the same data, so a staff action
// waiting on it is answered at once (the workflow lists the type as non-retryable for actions).
// Anything else is retried; from the fifth attempt on it is recorded in PostgreSQL for GET /stuck,
// and the record goes when the activity succeeds.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Sql } from '../db/connect';
import { clearStuck, recordStuck } from '../db/stuck';
import { BAD_DATA_FAILURE } from '../domain/errors';
/** From this attempt on, a failing activity is listed at GET /stuck (about 8 s of retrying). */
export const STUCK_AFTER_ATTEMPTS = 5;

function refusedData(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

function currentAttempt() {
  try {
    return Context.current().info;
  } catch {
    return undefined; // called directly, outside a worker (tests)
  }
}

type AnyActivity = (...args: never[]) => Promise<unknown>;

/** The same activities, failing as above. */
export function withFailureRecord<T extends Record<string, AnyActivity>>(sql: Sql, activities: T): T {
  const wrapped: Record<string, AnyActivity> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args) => {
      const info = currentAttempt();
      const workflowId = info?.workflowExecution?.workflowId;
      const where = info && workflowId ? { workflowId, activityId: info.activityId } : undefined;
      const attempt = info?.attempt ?? 1;
      try {
        const result = await fn(...args);
        if (where && attempt >= STUCK_AFTER_ATTEMPTS) await clearStuck(sql, where.workflowId, where.activityId).catch(() => undefined);
        return result;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (where && attempt >= STUCK_AFTER_ATTEMPTS) {
          // The database may be what is down: then the record waits for the next attempt.
          await recordStuck(sql, { ...where, activity: name, attempts: attempt, lastError: message }).catch(() => undefined);
        }
        if (refusedData(err))
          throw ApplicationFailure.create({ type: BAD_DATA_FAILURE, message: `${name}: ${message}`, cause: err instanceof Error ? err : undefined });
        throw err;
      }
    };
  }
  return wrapped as T;
}
