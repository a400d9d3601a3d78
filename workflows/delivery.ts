// One delivery (db/deliveries.ts): sent by an activity that Temporal retries with backoff, and
// dead-lettered after its last try or at once when retrying cannot help. Its workflow id is
// `delivery-<id>-<generation>`, so the relay starting it twice starts it once; a manual retry is
// the next generation. It carries only the delivery's id: what is sent is read when it is sent.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';

export interface DeliveryInput {
  deliveryId: string;
  /** Tries and backoff (tests shorten them); the default keeps trying for about an hour. */
  retry?: { maximumAttempts?: number; initialInterval?: string; maximumInterval?: string };
  /** How long one try may take before Temporal tries again elsewhere (a worker died mid-send). */
  tryTimeout?: string;
}

export const DELIVERY_RETRY = { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 12 };

export async function deliveryWorkflow(input: DeliveryInput): Promise<'sent' | 'dead'> {
  const { sendDelivery } = proxyActivities<CaseActivities>({
    startToCloseTimeout: input.tryTimeout ?? '30 seconds',
    retry: { ...DELIVERY_RETRY, ...input.retry },
  });
  // Recording the dead letter itself never gives up.
  const { markDeliveryDead } = proxyActivities<CaseActivities>({
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  });
  try {
    await sendDelivery(input.deliveryId);
    return 'sent';
  } catch (err) {
    const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.message : (err as Error).message;
    await markDeliveryDead(input.deliveryId, cause);
    return 'dead';
  }
}
