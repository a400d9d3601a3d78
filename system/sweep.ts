// A sweep in the worker process: a job that runs every so often, never two at once, and says once
// — not every round — that it cannot run yet (a dependency down), then again once it could.
import type { Client } from '@temporalio/client';
import type { Sql } from '../db/connect';

/** What every sweep over the database that starts or changes things in Temporal is given. */
export interface SweepOptions {
  sql: Sql;
  client: Client;
  taskQueue: string;
  /** How often it looks (default 10 s). */
  sweepMs?: number;
  /** How long the API's own call may take before the sweep makes it instead. */
  graceMs?: number;
  say?: (line: string) => void;
}

export interface Sweep {
  stop(): Promise<void>;
}

export function startSweep(everyMs: number, run: () => Promise<void>, cannot: (err: Error) => void): Sweep {
  let running: Promise<void> | undefined;
  let complaining = false;
  const timer = setInterval(() => {
    running ??= run()
      .then(() => {
        complaining = false;
      })
      .catch((err: unknown) => {
        if (!complaining) cannot(err as Error);
        complaining = true;
      })
      .finally(() => {
        running = undefined;
      });
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
