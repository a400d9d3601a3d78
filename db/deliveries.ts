// The deliveries outbox: one row per message to one person or partner on one channel, written in
// the transaction that decided on it, keyed by what it carries so a retried write makes no second
// (N2). The relay (system/delivery-relay.ts) starts a delivery workflow per row; the workflow's
// activity sends it and records the outcome here.
import { randomUUID } from 'node:crypto';
import { channelsFor, type ChannelChoice, type DeliveryChannel, type DeliveryStatus } from '../domain/channels';
import type { Intake } from '../domain/intake';
import type { ReferralRecord } from '../domain/referrals';
import type { Bilingual } from '../domain/stages';
import type { Sql, Tx } from './connect';

/** The PostgreSQL channel the relay listens on: a delivery was written. */
export const DELIVERIES_CHANNEL = 'case_flow_deliveries';
/** A delivery the relay handed to a workflow that has not finished it in this long is handed again. */
const REDISPATCH_AFTER = '5 minutes';

interface NewDelivery {
  key: string;
  province: string;
  caseId: string | null;
  notificationId?: string;
  referralId?: string;
  event: string;
  channel: DeliveryChannel;
  recipientKind: 'staff' | 'partner';
  recipientId: string;
  address: string;
}

async function insertDeliveries(tx: Tx, rows: NewDelivery[]): Promise<void> {
  for (const d of rows) {
    await tx`
      insert into deliveries (id, key, province, case_id, notification_id, referral_id, event, channel, recipient_kind, recipient_id, address)
      values (${randomUUID()}, ${d.key}, ${d.province}, ${d.caseId}, ${d.notificationId ?? null}, ${d.referralId ?? null}, ${d.event},
              ${d.channel}, ${d.recipientKind}, ${d.recipientId}, ${d.address})
      on conflict (key) do nothing`;
  }
  if (rows.length > 0) await tx`select pg_notify(${DELIVERIES_CHANNEL}, '')`;
}

/** The notices just written, on the channels each recipient gets them on (N1). */
export async function insertStaffDeliveries(tx: Tx, notices: Array<{ id: string; recipientId: string; kind: string; caseId: string | null }>): Promise<void> {
  if (notices.length === 0) return;
  const people = await tx<{ id: string; province: string; email: string | null; phone: string | null; channels: ChannelChoice }[]>`
    select id, province, email, phone, channels from staff where id in ${tx([...new Set(notices.map((n) => n.recipientId))])} and active`;
  const byId = new Map(people.map((p) => [p.id, p]));
  const rows = notices.flatMap((n) => {
    const person = byId.get(n.recipientId);
    if (!person) return [];
    return channelsFor(n.kind, person, person.channels).map((channel) => ({
      key: `notification:${n.id}:${channel}`,
      province: person.province,
      caseId: n.caseId,
      notificationId: n.id,
      event: n.kind,
      channel,
      recipientKind: 'staff' as const,
      recipientId: person.id,
      address: channel === 'email' ? person.email! : person.phone!,
    }));
  });
  await insertDeliveries(tx, rows);
}

/** What a partner hears of its referral: sent (with its link), and when it ends without its answer. */
export const PARTNER_EVENTS: readonly string[] = ['sent', 'revoked', 'expired'];

/** A referral event for its partner, by e-mail and webhook as the registry has them. */
export async function insertPartnerDeliveries(tx: Tx, caseId: string, r: ReferralRecord): Promise<void> {
  if (!PARTNER_EVENTS.includes(r.status)) return;
  const [p] = await tx<{ province: string; contact: { email?: string }; webhook_url: string | null }[]>`
    select province, contact, webhook_url from partners where id = ${r.partnerId}`;
  if (!p) return;
  const base = { province: p.province, caseId, referralId: r.id, event: `referral.${r.status}`, recipientKind: 'partner' as const, recipientId: r.partnerId };
  const rows: NewDelivery[] = [];
  if (p.contact.email) rows.push({ ...base, key: `referral:${r.id}:${r.status}:email`, channel: 'email', address: p.contact.email });
  if (p.webhook_url) rows.push({ ...base, key: `referral:${r.id}:${r.status}:webhook`, channel: 'webhook', address: p.webhook_url });
  await insertDeliveries(tx, rows);
}

/** Pending deliveries no workflow has (or a workflow has held too long), marked as handed over now. */
export async function claimPending(sql: Sql, limit: number): Promise<Array<{ id: string; generation: number }>> {
  return await sql<{ id: string; generation: number }[]>`
    update deliveries set dispatched_at = now()
    where id in (
      select id from deliveries
      where status = 'pending' and (dispatched_at is null or dispatched_at < now() - ${REDISPATCH_AFTER}::interval)
      order by created_at limit ${limit} for update skip locked)
    returning id, generation`;
}

/** Claims whose workflows could not be started: the next pass takes them at once. */
export async function releaseClaims(sql: Sql, ids: string[]): Promise<void> {
  if (ids.length > 0) await sql`update deliveries set dispatched_at = null where id in ${sql(ids)} and status = 'pending'`;
}

/** Everything needed to send one delivery, read when it is sent. */
export interface DeliveryToSend {
  id: string;
  generation: number;
  status: DeliveryStatus;
  channel: DeliveryChannel;
  address: string;
  event: string;
  recipientKind: 'staff' | 'partner';
  recipientName: string;
  language: 'vi' | 'en';
  caseId: string | null;
  caseRef: string | null;
  /** The case's intake while it is not erased: initials, and what a consent shares. */
  intake: Intake | null;
  notice: { kind: string; message: Bilingual } | null;
  referral: (ReferralRecord & { respondBy: string | null }) | null;
  /** The hash of the referral's link: a delivery sent after an AUTH_SECRET rotation carries the link the partner already has. */
  referralLinkHash: string | null;
  webhookSecret: string | null;
}

export async function deliveryToSend(sql: Sql, id: string): Promise<DeliveryToSend | undefined> {
  const [row] = await sql<
    Array<{
      id: string;
      generation: number;
      status: DeliveryStatus;
      channel: DeliveryChannel;
      address: string;
      event: string;
      recipient_kind: 'staff' | 'partner';
      staff_name: string | null;
      staff_language: 'vi' | 'en' | null;
      partner_name: string | null;
      webhook_secret: string | null;
      case_id: string | null;
      case_ref: string | null;
      intake: Intake | null;
      erased_at: Date | null;
      notice_kind: string | null;
      notice_message: Bilingual | null;
      referral_id: string | null;
      partner_id: string | null;
      service: string | null;
      reason: string | null;
      consent: ReferralRecord['consent'] | null;
      referral_status: ReferralRecord['status'] | null;
      respond_by: Date | null;
      token_hash: string | null;
    }>
  >`
    select d.id, d.generation, d.status, d.channel, d.address, d.event, d.recipient_kind,
           s.display_name as staff_name, s.language as staff_language, p.name as partner_name, p.webhook_secret,
           d.case_id, c.ref as case_ref, c.intake, c.erased_at, n.kind as notice_kind, n.message as notice_message,
           r.id as referral_id, r.partner_id, r.service, r.reason, r.consent, r.status as referral_status, r.respond_by, r.token_hash
    from deliveries d
    left join staff s on d.recipient_kind = 'staff' and s.id = d.recipient_id
    left join partners p on d.recipient_kind = 'partner' and p.id = d.recipient_id
    left join cases c on c.id = d.case_id
    left join notifications n on n.id = d.notification_id
    left join referrals r on r.id = d.referral_id
    where d.id = ${id}`;
  if (!row) return undefined;
  return {
    id: row.id,
    generation: row.generation,
    status: row.status,
    channel: row.channel,
    address: row.address,
    event: row.event,
    recipientKind: row.recipient_kind,
    recipientName: row.staff_name ?? row.partner_name ?? '',
    language: row.staff_language ?? 'vi',
    caseId: row.case_id,
    caseRef: row.case_ref,
    intake: row.erased_at ? null : row.intake,
    notice: row.notice_kind && row.notice_message ? { kind: row.notice_kind, message: row.notice_message } : null,
    referral: row.referral_id
      ? {
          id: row.referral_id,
          partnerId: row.partner_id!,
          service: row.service!,
          reason: row.reason!,
          consent: row.consent!,
          status: row.referral_status!,
          respondBy: row.respond_by?.toISOString() ?? null,
          createdBy: '',
          createdAt: '',
          updatedAt: '',
          fired: [],
        }
      : null,
    referralLinkHash: row.token_hash,
    webhookSecret: row.webhook_secret,
  };
}

/** A failed try: counted, with what went wrong, for the administrators' list. */
export async function recordFailedAttempt(sql: Sql, id: string, error: string): Promise<void> {
  await sql`update deliveries set attempts = attempts + 1, last_error = ${error.slice(0, 2000)}, updated_at = now() where id = ${id} and status = 'pending'`;
}

export async function markSent(sql: Sql, id: string): Promise<void> {
  await sql`update deliveries set status = 'sent', attempts = attempts + 1, sent_at = now(), updated_at = now() where id = ${id} and status = 'pending'`;
}

export async function markDead(sql: Sql, id: string, error: string): Promise<void> {
  await sql`
    update deliveries set status = 'dead', last_error = ${error.slice(0, 2000)}, dead_at = now(), updated_at = now()
    where id = ${id} and status = 'pending'`;
}

export interface DeliveryRow {
  id: string;
  caseId: string | null;
  event: string;
  channel: DeliveryChannel;
  recipientKind: 'staff' | 'partner';
  recipientId: string;
  address: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  generation: number;
  createdAt: string;
  sentAt: string | null;
  deadAt: string | null;
}

const toRow = (r: Record<string, unknown>): DeliveryRow => ({
  id: r.id as string,
  caseId: r.case_id as string | null,
  event: r.event as string,
  channel: r.channel as DeliveryChannel,
  recipientKind: r.recipient_kind as 'staff' | 'partner',
  recipientId: r.recipient_id as string,
  address: r.address as string,
  status: r.status as DeliveryStatus,
  attempts: r.attempts as number,
  lastError: r.last_error as string | null,
  generation: r.generation as number,
  createdAt: (r.created_at as Date).toISOString(),
  sentAt: (r.sent_at as Date | null)?.toISOString() ?? null,
  deadAt: (r.dead_at as Date | null)?.toISOString() ?? null,
});

export async function listDeliveries(sql: Sql, province: string, f: { status?: DeliveryStatus; caseId?: string; limit: number }): Promise<DeliveryRow[]> {
  const rows = await sql`
    select * from deliveries where province = ${province}
      ${f.status ? sql`and status = ${f.status}` : sql``}
      ${f.caseId ? sql`and case_id = ${f.caseId}` : sql``}
    order by created_at desc, id limit ${f.limit}`;
  return rows.map(toRow);
}

/** A dead delivery tried again: a new generation, handed to the relay at once. */
export async function retryDelivery(sql: Sql, id: string, province: string): Promise<DeliveryRow | 'not_dead' | undefined> {
  return await sql.begin(async (tx) => {
    const [row] = await tx`
      update deliveries set status = 'pending', generation = generation + 1, dispatched_at = null, last_error = null, dead_at = null, updated_at = now()
      where id = ${id} and province = ${province} and status = 'dead' returning *`;
    if (row) {
      await tx`select pg_notify(${DELIVERIES_CHANNEL}, '')`;
      return toRow(row);
    }
    const [exists] = await tx`select 1 from deliveries where id = ${id} and province = ${province}`;
    return exists ? 'not_dead' : undefined;
  });
}
