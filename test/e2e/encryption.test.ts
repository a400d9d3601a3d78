// Case data never sits in clear text in Temporal: payloads are sealed with the case's own key;
// erasing the case destroys the key and its history can no longer be read.
import { randomUUID } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CaseCodec } from '../../security/case-codec';
import { CaseErasedError, CaseKeyStore } from '../../security/case-keys';
import { createCodecApp } from '../../api/codec';
import { parseMasterKeys } from '../../security/master-keys';
import { testCodec } from '../support/cases';
import { abusedChild, intake } from '../support/intakes';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let raw: Client;
let connection: Connection;

beforeAll(async () => {
  system = await startTestSystem();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  // A client without the codec sees what Temporal stores.
  raw = new Client({ connection });
});

afterAll(async () => {
  await connection?.close();
  await system?.close();
});

const text = (bytes?: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('utf8') : '');

async function storedPayloads(caseId: string): Promise<Payload[]> {
  const history = await raw.workflow.getHandle(caseId).fetchHistory();
  return (history.events ?? []).flatMap((e) => [
    ...(e.workflowExecutionStartedEventAttributes?.input?.payloads ?? []),
    ...(e.activityTaskScheduledEventAttributes?.input?.payloads ?? []),
    ...(e.activityTaskCompletedEventAttributes?.result?.payloads ?? []),
    // A local activity's result (the admission's, issue 19) is kept in its marker's "result"; the SDK's
    // own fields beside it ("data": activity type, attempt, times) are not the case's.
    ...(e.markerRecordedEventAttributes?.details?.result?.payloads ?? []),
    ...(e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads ?? []),
    ...(e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success?.payloads ?? []),
  ]) as Payload[];
}

function sqliteHolds(needle: string): boolean {
  const file = inject('temporalDbFile');
  return [file, `${file}-wal`].filter(existsSync).some((f) => readFileSync(f).includes(Buffer.from(needle)));
}

describe('payload encryption', () => {
  it("keeps the client's name out of Temporal's database while the API still returns it", async () => {
    const name = `Lò Thị Mẩy ${randomUUID().slice(0, 8)}`;
    const worker = await system.login('worker1');
    const created = await system.call('POST', '/cases', { token: worker, body: intake({ client: { fullName: name } }) });
    expect(created.status).toBe(201);
    expect((await system.call('GET', `/cases/${created.body.id}`, { token: worker })).body.intake.client.fullName).toBe(name);

    const payloads = await storedPayloads(created.body.id);
    // At least the case's input, its admission's result and the create call's answer.
    expect(payloads.length).toBeGreaterThanOrEqual(3);
    for (const p of payloads) {
      expect(text(p.metadata?.encoding)).toBe('binary/encrypted');
      expect(text(p.metadata?.['encryption-key-id'])).toBe(`case:${created.body.id}`);
      expect(text(p.data)).not.toContain(name);
    }
    expect(sqliteHolds(name)).toBe(false);
  });

  it('makes the history of an erased case unreadable and keeps only a tombstone', async () => {
    const worker = await system.login('worker1');
    const created = await system.call('POST', '/cases', { token: worker, body: abusedChild() });
    const id = created.body.id;
    const { codec } = testCodec(system.sql);
    const before = await storedPayloads(id);
    await expect(codec.decode(before)).resolves.toHaveLength(before.length);

    const erased = await system.call('POST', `/cases/${id}/erase`, { token: await system.login('manager1'), body: { reason: 'Yêu cầu xóa dữ liệu cá nhân' } });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ id, stage: 'erased', intake: null, erasedAt: expect.any(String), deadline: null });

    // A fresh store, as any other process or a restore from backup would have: no cached key.
    const fresh = testCodec(system.sql).codec;
    await expect(fresh.decode(before)).rejects.toBeInstanceOf(CaseErasedError);
    // The workflow recorded the erasure and ended by itself before the key went.
    expect((await raw.workflow.getHandle(id).describe()).status.name).toBe('COMPLETED');
    const [facts] = await system.sql`select facts from routing_decisions where case_id = ${id}`;
    expect(facts?.facts).toEqual({
      channel: 'hotline',
      categories: ['child_at_risk', 'sexual_abuse_victim'],
      gender: 'female',
      isChild: true,
      ageGroup: '6-15',
      reportAgeGroup: '6-11',
    });
  });

  it('decodes payloads written before encryption unchanged', async () => {
    const plain: Payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"fullName":"cũ"}') };
    const { codec } = testCodec(system.sql);
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('still opens case keys wrapped by a rotated-out master key', async () => {
    const oldKeys = parseMasterKeys(inject('masterKeys'));
    const caseId = randomUUID();
    const sealed = await new CaseCodec(new CaseKeyStore(system.sql, oldKeys), oldKeys).encode(
      [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"bí mật"') }],
      { type: 'workflow', namespace: 'default', workflowId: caseId },
    );
    const rotated = parseMasterKeys(`${inject('masterKeys')},new2:${Buffer.alloc(32, 7).toString('base64')}`, 'new2');
    const decoded = await new CaseCodec(new CaseKeyStore(system.sql, rotated), rotated).decode(sealed);
    expect(text(decoded[0]?.data)).toBe('"bí mật"');
  });
});

describe('codec endpoint for the Web UI and CLI', () => {
  const origin = 'http://localhost:8233';
  const codecApp = () =>
    createCodecApp({ sql: system.sql, authSecret: system.deps.authSecret, trustProxy: false, codec: testCodec(system.sql).codec, origins: [origin] });
  const asJson = (payloads: Payload[]) => ({
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
      data: Buffer.from(p.data!).toString('base64'),
    })),
  });
  const decode = (app: ReturnType<typeof codecApp>, payloads: Payload[], token?: string) =>
    app.request('/decode', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(asJson(payloads)),
    });

  it("decodes a case's history for a supervisor or manager who may see the case, audits it, and answers CORS with credentials for the UI only", async () => {
    const name = `Đinh Văn Hùng ${randomUUID().slice(0, 8)}`;
    const created = await system.call('POST', '/cases', { token: await system.login('worker1'), body: intake({ client: { fullName: name } }) });
    const payloads = await storedPayloads(created.body.id);
    const app = codecApp();

    const res = await decode(app, payloads, await system.login('supervisor1'));
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    const decoded = (await res.json()) as { payloads: Array<{ data: string }> };
    expect(decoded.payloads.map((p) => Buffer.from(p.data, 'base64').toString()).join()).toContain(name);
    const [row] = await system.sql<{ role: string; outcome: number }[]>`
      select role, outcome from audit_log where action = 'codec.decode' and case_id = ${created.body.id}`;
    expect(row).toEqual({ role: 'supervisor', outcome: 200 });
    expect((await decode(app, payloads, await system.login('manager1'))).status).toBe(200);

    const preflight = await app.request('/decode', { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a request without a session, a role that does not supervise, and a case out of scope or restricted', async () => {
    const worker = await system.login('worker1');
    const created = await system.call('POST', '/cases', { token: worker, body: abusedChild() });
    const payloads = await storedPayloads(created.body.id);
    const app = codecApp();

    const anonymous = await decode(app, payloads);
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(await anonymous.json())).not.toContain('Lò');
    expect((await decode(app, payloads, worker)).status).toBe(403);
    const otherUnit = await decode(app, payloads, await system.login('supervisor2'));
    expect(otherUnit.status).toBe(404);
    expect(((await otherUnit.json()) as { error: { code: string } }).error.code).toBe('not_found');

    // A sexual-abuse case starts restricted: a deputy of the same unit does not decode it
    // until its supervisor lifts the restriction.
    const deputy = `deputy.${randomUUID().slice(0, 8)}`;
    await system.sql`
      insert into staff (id, province, username, display_name, role, password_hash, unit_id)
      select ${randomUUID()}, province, ${deputy}, 'Phó trưởng phòng', 'supervisor', password_hash, unit_id from staff where username = 'supervisor1'`;
    const deputyToken = await system.login(deputy);
    expect((await decode(app, payloads, deputyToken)).status).toBe(404);
    expect((await decode(app, payloads, await system.login('supervisor1'))).status).toBe(200);
    const lift = { restricted: false, reason: 'đã xác minh người nhà không làm ở trung tâm' };
    expect((await system.call('POST', `/cases/${created.body.id}/restriction`, { token: await system.login('supervisor1'), body: lift })).status).toBe(200);
    expect((await decode(app, payloads, deputyToken)).status).toBe(200);
  });
});
