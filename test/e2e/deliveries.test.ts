// Notices that leave the system, with real receivers on loopback: an SMTP server (smtp-server), a
// webhook receiver checking signatures, and a stand-in for the SMS gateway (which lies outside the
// system). An escalation reaches a manager by e-mail and SMS; a referral reaches its partner by
// e-mail and a signed webhook; a receiver down for a while gets everything once it is up; a
// delivery that keeps failing is dead-lettered and, tried again, delivered. Two outbox relays run
// side by side on pools of their own, as two worker processes do (WORKERS, issue 33): every
// "once" below holds with both taking from the same outbox.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createChannels } from '../../activities/channels';
import { eventually } from '../support/eventually';
import { secondsPolicy } from '../support/policies';
import { abusedChild } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startHttpReceiver, startSmtpSink } from '../../system/receivers';
import { startTestSystem, type TestSystem } from '../support/system';
import { connectDatabase, type Sql } from '../../db/connect';
import { startDeliveryRelay } from '../../system/delivery-relay';

let system: TestSystem;
let province: TestProvince;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let sms: Awaited<ReturnType<typeof startHttpReceiver>>;
let hooks: Awaited<ReturnType<typeof startHttpReceiver>>;
let channels: ReturnType<typeof createChannels>;
let secondSql: Sql;
let secondRelay: Awaited<ReturnType<typeof startDeliveryRelay>>;
/** What the webhook receiver answers next: a test sets it. */
let hookAnswer = (_n: number) => 200;
const tokens: Record<string, string> = {};
const SECRET = 'partner-shared-secret-0123456789';

beforeAll(async () => {
  smtp = await startSmtpSink();
  sms = await startHttpReceiver();
  hooks = await startHttpReceiver((n) => hookAnswer(n));
  channels = createChannels({
    smtpUrl: smtp.url,
    mailFrom: 'Trung tâm CTXH <ctxh@case-flow.local>',
    smsGatewayUrl: `${sms.url}/send`,
    smsGatewayToken: 'gateway-token',
    webhookAllowedHosts: ['127.0.0.1'],
  });
  const retry = { maximumAttempts: 3, initialInterval: '200 milliseconds', maximumInterval: '1 second' };
  system = await startTestSystem({}, { channels, retry });
  secondSql = connectDatabase(inject('databaseUrl'));
  secondRelay = await startDeliveryRelay({ sql: secondSql, client: system.client, taskQueue: system.deps.taskQueue, retry, sweepMs: 1_000 });
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'manager2', 'supervisor', 'worker'] as const) tokens[who] = await system.login(province[who]);
});

afterAll(async () => {
  await secondRelay?.stop();
  await secondSql?.end();
  await system?.close();
  channels?.close();
  await Promise.all([smtp?.close(), sms?.close(), hooks?.close()]);
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const deliveriesOf = async (caseId: string) =>
  await system.sql<{ id: string; event: string; channel: string; status: string; attempts: number; recipient_kind: string }[]>`
    select id, event, channel, status, attempts, recipient_kind from deliveries where case_id = ${caseId} order by created_at`;

describe('notices that leave the system', () => {
  it('take each person’s contacts and choice at /me', async () => {
    const me = await call('manager', 'PATCH', '/me', { email: 'giamdoc@ctxh.example.vn', phone: '0912 000 111', language: 'vi' });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'giamdoc@ctxh.example.vn', phone: '0912 000 111', language: 'vi', role: 'manager' });
    expect((await call('manager', 'GET', '/me')).body.email).toBe('giamdoc@ctxh.example.vn');
    expect((await call('worker', 'PATCH', '/me', { email: 'not an address' })).body.error.details[0].path).toBe('email');
    expect((await call('worker', 'PATCH', '/me', { channels: { 'deadline.manager': ['pigeon'] } })).status).toBe(422);
    // The worker wants nothing but in-app for reminders, e-mail otherwise.
    const worker = await call('worker', 'PATCH', '/me', { email: 'nhanvien@ctxh.example.vn', language: 'en', channels: { 'deadline.reminder': [] } });
    expect(worker.body.channels).toEqual({ 'deadline.reminder': [] });
  });

  it('bring an escalation to a manager by e-mail and SMS, once each, with the reference and what to do', async () => {
    const draft = await call('manager', 'POST', '/policies/deadlines/drafts', {
      document: secondsPolicy('emergency_response', { due: 'PT2S', supervisorGrace: 'PT1S', managerGrace: 'PT2S' }),
      comment: 'Khẩn cấp theo giây',
    });
    expect((await call('manager', 'POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { comment: 'Thử' })).status).toBe(200);
    const created = await call('worker', 'POST', '/cases', abusedChild());
    const { id, ref } = created.body;
    const mail = await eventually(
      async () => smtp.mails.filter((m) => m.subject.includes(ref) && m.to.includes('giamdoc@')),
      (m) => m.length > 0,
    );
    expect(mail[0]!.subject).toContain('Ban Giám đốc');
    expect(mail[0]!.text).toContain(`http://127.0.0.1:3999/app/cases/${id}`);
    expect(mail[0]!.text).toMatch(/Người được trợ giúp: N\.T\.H\./);
    expect(mail[0]!.text).toContain('English');
    const text = await eventually(
      async () => sms.requests.filter((r) => r.json.text.includes(ref)),
      (r) => r.length > 0,
    );
    expect(text[0]!.json.to).toBe('0912 000 111');
    expect(text[0]!.headers.authorization).toBe('Bearer gateway-token');
    // SMS is not private: no name, no initials.
    expect(text[0]!.json.text).not.toMatch(/Hoa|N\.T\.H/);

    const rows = await eventually(
      () => deliveriesOf(id),
      (r) => r.length > 0 && r.every((d) => d.status !== 'pending'),
    );
    // The worker chose no channel for reminders; the supervisor has no contact; urgent ones went out.
    expect(rows.filter((d) => d.event === 'deadline.reminder')).toEqual([]);
    expect(
      rows
        .filter((d) => d.event === 'deadline.manager')
        .map((d) => [d.channel, d.status])
        .sort(),
    ).toEqual([
      ['email', 'sent'],
      ['sms', 'sent'],
    ]);
    // Each delivery's id travels with it, and no id arrived twice.
    const ids = smtp.mails.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    const sent = rows.filter((d) => d.channel === 'email').map((d) => `<${d.id}@case-flow.local>`);
    for (const messageId of sent) expect(ids).toContain(messageId);
  });

  it('bring a referral to its partner by e-mail and a signed webhook with exactly the shared data', async () => {
    const partner = await call('manager', 'POST', '/partners', {
      name: 'Bệnh viện Bãi Cháy',
      kind: 'health',
      services: ['khám'],
      contact: { email: 'ctxh@benhvien.example.vn' },
      webhook: { url: `${hooks.url}/referrals`, secret: SECRET },
    });
    const c = (await call('worker', 'POST', '/cases', abusedChild())).body;
    const referral = (
      await call('worker', 'POST', `/cases/${c.id}/referrals`, {
        partnerId: partner.body.id,
        service: 'khám',
        reason: 'Khám sau xâm hại',
        consent: { givenBy: 'Mẹ của em', scope: ['client.age'] },
      })
    ).body;
    const mail = await eventually(
      async () => smtp.mails.filter((m) => m.to.includes('ctxh@benhvien')),
      (m) => m.length > 0,
    );
    expect(mail[0]!.subject).toContain(c.ref);
    expect(mail[0]!.text).toContain(referral.partnerUrl);
    expect(mail[0]!.text).not.toContain('Hoa');

    const hook = await eventually(
      async () => hooks.requests.filter((r) => r.json?.referral?.id === referral.id),
      (r) => r.length > 0,
    );
    const got = hook[0]!;
    expect(got.json).toMatchObject({
      event: 'referral.sent',
      referral: { id: referral.id, caseRef: c.ref, status: 'sent', service: 'khám', sharedData: { client: { age: 11 } } },
      respondUrl: referral.partnerUrl,
    });
    expect(Object.keys(got.json.referral.sharedData)).toEqual(['client']);
    // The signature is HMAC-SHA256 over "<t>.<body>" with the partner's secret.
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(got.headers['x-caseflow-signature']))!;
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${got.body}`).digest('hex'));
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60);
    expect(got.headers['idempotency-key']).toBe(got.json.deliveryId);
  });

  it('deliver everything to a receiver that was down for a while, and dead-letter what keeps failing until tried again', async () => {
    const partner = await call('manager', 'POST', '/partners', {
      name: 'Nhà tạm lánh',
      kind: 'shelter',
      services: ['chỗ ở'],
      contact: {},
      webhook: { url: `${hooks.url}/shelter`, secret: SECRET },
    });
    const refer = (caseId: string) =>
      call('worker', 'POST', `/cases/${caseId}/referrals`, {
        partnerId: partner.body.id,
        service: 'chỗ ở',
        reason: 'Cần nơi ở an toàn',
        consent: { givenBy: 'Người được trợ giúp', scope: ['client.age'] },
      });
    const c = (await call('worker', 'POST', '/cases', abusedChild())).body;

    // Down for the first two tries, then up: delivered, once, on the third.
    const before = hooks.requests.length;
    hookAnswer = (n) => (n <= before + 2 ? 503 : 200);
    const first = (await refer(c.id)).body;
    const arrived = await eventually(
      async () => hooks.requests.filter((r) => r.json?.referral?.id === first.id),
      (r) => r.some((x) => x.status === 200),
    );
    expect(arrived.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(new Set(arrived.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    // The receiver logs its answer before the relay hears it and records the try: wait for the row.
    const delivered = await eventually(
      async () => (await deliveriesOf(c.id)).find((d) => d.channel === 'webhook'),
      (d) => d?.status !== 'pending',
    );
    expect(delivered).toMatchObject({ status: 'sent', attempts: 3 });

    // Down for good: dead after its three tries, listed for administrators with why.
    hookAnswer = () => 500;
    const second = (await refer(c.id)).body;
    const dead = await eventually(
      async () => (await deliveriesOf(c.id)).filter((d) => d.status === 'dead'),
      (d) => d.length === 1,
    );
    const admin = await system.login(province.admin);
    const listed = await system.call('GET', `/deliveries?status=dead&caseId=${c.id}`, { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toMatchObject([{ id: dead[0]!.id, channel: 'webhook', status: 'dead', attempts: 3, lastError: expect.stringContaining('500') }]);
    expect((await call('worker', 'GET', '/deliveries?status=dead')).status).toBe(403);
    expect((await system.call('POST', `/deliveries/${delivered!.id}/retry`, { token: admin })).status).toBe(409);

    // Back up, and tried again by an administrator: delivered, with the same id as before.
    hookAnswer = () => 200;
    const retried = await system.call('POST', `/deliveries/${dead[0]!.id}/retry`, { token: admin });
    expect(retried.body).toMatchObject({ status: 'pending', generation: 1 });
    const after = await eventually(
      async () => (await deliveriesOf(c.id)).find((d) => d.id === dead[0]!.id),
      (d) => d?.status === 'sent',
    );
    expect(after?.status).toBe('sent');
    const ok = hooks.requests.filter((r) => r.json?.referral?.id === second.id && r.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.headers['idempotency-key']).toBe(dead[0]!.id);
  });
});
