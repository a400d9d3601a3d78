// The outbox relay: hands every pending delivery to a delivery workflow of its own. It wakes when
// a transaction writes deliveries (PostgreSQL NOTIFY) and sweeps every few seconds besides, so a
// missed notification, a dead Temporal or a crash between the write and the start delays a
// delivery, never loses it. Starting is idempotent: the workflow id is the delivery's and its
// generation's. Runs in the worker process (worker.ts) and in the tests' systems.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { claimPending, DELIVERIES_CHANNEL, releaseClaims } from '../db/deliveries';
import type { Sql } from '../db/connect';
import { deliveryWorkflow, type DeliveryInput } from '../workflows/delivery';

export interface RelayOptions {
  sql: Sql;
  client: Client;
  taskQueue: string;
  /** Tries and backoff of each delivery (tests shorten them). */
  retry?: DeliveryInput['retry'];
  sweepMs?: number;
  say?: (line: string) => void;
}

const BATCH = 200;

export async function startDeliveryRelay(options: RelayOptions): Promise<{ stop(): Promise<void> }> {
  const { sql, client, taskQueue } = options;
  const say = options.say ?? ((line: string) => console.warn(`[relay] ${line}`));
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let complaining = false;

  async function handOver(): Promise<void> {
    for (;;) {
      const claimed = await claimPending(sql, BATCH);
      for (const [i, { id, generation }] of claimed.entries()) {
        try {
          await client.workflow.start(deliveryWorkflow, {
            workflowId: `delivery-${id}-${generation}`,
            taskQueue,
            args: [{ deliveryId: id, retry: options.retry }],
          });
        } catch (err) {
          if (err instanceof WorkflowExecutionAlreadyStartedError) continue;
          // Temporal is down: what was claimed and not started is released for the next pass.
          await releaseClaims(
            sql,
            claimed.slice(i).map((c) => c.id),
          ).catch(() => undefined);
          throw err;
        }
      }
      if (claimed.length < BATCH) return;
    }
  }

  /** One pass at a time; a wake-up during a pass runs one more pass after it. */
  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = handOver()
      .then(() => {
        if (complaining) say('handing deliveries over again');
        complaining = false;
      })
      .catch((err: unknown) => {
        // PostgreSQL or Temporal is down: said once; the sweep tries again (claims older than 5 minutes are claimed anew).
        if (!complaining) say(`cannot hand deliveries over yet: ${(err as Error).message}`);
        complaining = true;
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  const listening = await sql.listen(DELIVERIES_CHANNEL, wake).catch((err: unknown) => {
    say(`not listening for new deliveries (${(err as Error).message}); sweeping only`);
    return undefined;
  });
  const sweep = setInterval(wake, options.sweepMs ?? 5_000);
  wake();
  return {
    async stop() {
      stopped = true;
      clearInterval(sweep);
      await listening?.unlisten().catch(() => undefined);
      await running;
    },
  };
}
