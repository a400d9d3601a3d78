// Sending one delivery, and dead-lettering it after its last try. The delivery workflow
// (workflows/delivery.ts) calls these with Temporal's retries and backoff. A delivery already sent
// (a retry after the receiver accepted it and the record of that) is not sent again; one sent
// again inside that window carries the same id (Message-ID, Idempotency-Key), for the receiver to
// drop (N2).
import { ApplicationFailure } from '@temporalio/common';
import { deliveryToSend, markDead, markSent, recordFailedAttempt, type DeliveryToSend } from '../db/deliveries';
import type { Sql } from '../db/connect';
import type { ReferralLinks } from '../security/referral-links';
import { DeliveryRefused, type Channels } from './channels';
import { partnerMail, referralWebhookBody, staffMail, staffSms } from './delivery-words';

/** The failure type of a delivery no retry can help: the workflow dead-letters it at once. */
export const DELIVERY_REFUSED = 'delivery_refused';

export function createDeliveryActivities(deps: { sql: Sql; channels: Channels; referralLinks: ReferralLinks; publicUrl: string }) {
  const { sql, channels } = deps;
  const domain = 'case-flow.local';

  async function send(d: DeliveryToSend): Promise<void> {
    const messageId = `<${d.id}@${domain}>`;
    if (d.recipientKind === 'staff') {
      if (d.channel === 'email') return await channels.email({ to: d.address, messageId, ...staffMail(d, `${deps.publicUrl}/app`) });
      if (d.channel === 'sms') return await channels.sms({ to: d.address, text: staffSms(d), deliveryId: d.id });
    }
    if (d.recipientKind === 'partner' && d.referral) {
      const respondUrl = deps.referralLinks.urlFor(d.referral.id, d.referralLinkHash);
      if (d.channel === 'email') return await channels.email({ to: d.address, messageId, ...partnerMail(d, respondUrl) });
      if (d.channel === 'webhook') {
        return await channels.webhook({ url: d.address, secret: d.webhookSecret, body: referralWebhookBody(d, respondUrl), deliveryId: d.id, event: d.event });
      }
    }
    throw new DeliveryRefused(`no way to send a ${d.channel} delivery to a ${d.recipientKind}`);
  }

  return {
    /** Sends the delivery unless it was sent (or dead-lettered) already; records each failed try. */
    async sendDelivery(deliveryId: string): Promise<void> {
      const d = await deliveryToSend(sql, deliveryId);
      if (!d || d.status !== 'pending') return;
      try {
        await send(d);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await recordFailedAttempt(sql, deliveryId, message);
        if (err instanceof DeliveryRefused) throw ApplicationFailure.create({ type: DELIVERY_REFUSED, message, nonRetryable: true });
        throw err;
      }
      await markSent(sql, deliveryId);
    },

    /** After the last try: listed at GET /deliveries?status=dead, with what went wrong. */
    async markDeliveryDead(deliveryId: string, error: string): Promise<void> {
      await markDead(sql, deliveryId, error);
    },
  };
}
