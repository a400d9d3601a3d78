// A master key rotation over a real PostgreSQL (a database of its own: the shared one's keys stay
// under the run's key) and the Temporal dev server: case keys made under key "a" are re-wrapped
// under "b" in batches, an interrupted run is finished by the next, a third changes nothing; with
// only "b" configured afterwards every case still decrypts; a programme's schedule sealed under
// "a" is applied again under "b"; a running workflow of no case keeps "a" needed until it ends;
// partners' links made with a previous AUTH_SECRET are counted and re-issued; the audit trail
// holds the rotation. And `npm run keys:rotate` refuses a key it does not have, in both languages.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keepProgrammeSchedule, programmeScheduleId } from '../../api/programme-schedule';
import { verifyAuditChain } from '../../db/audit';
import { connectDatabase, createDatabaseIfMissing, jsonb, type Sql } from '../../db/connect';
import { migrate } from '../../db/migrate';
import { CaseCodec } from '../../security/case-codec';
import { CaseErasedError, CaseKeyStore } from '../../security/case-keys';
import { clientDataConverter } from '../../security/data-converter';
import { parseMasterKeys } from '../../security/master-keys';
import { referralLinks } from '../../security/referral-links';
import { seedDemoDirectory } from '../../system/demo-directory';
import { rotateKeys, type RotationOptions } from '../../system/key-rotation';
import { eventually } from '../support/eventually';
import { uniqueQueue } from '../support/cases';

const run = promisify(execFile);
const key = () => randomBytes(32).toString('base64');
const A = `a:${key()}`;
const B = `b:${key()}`;
const OLD_SECRET = randomBytes(32).toString('base64url');
const NEW_SECRET = randomBytes(32).toString('base64url');

let url: string;
let sql: Sql;
let connection: Connection;
const taskQueue = uniqueQueue('keys');
const text = (bytes?: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('utf8') : '');
const payload = (s: string): Payload => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(s)) });

beforeAll(async () => {
  const name = `keys_${randomUUID().slice(0, 8)}`;
  url = inject('databaseUrl').replace(/\/[^/]*$/, `/${name}`);
  await createDatabaseIfMissing(url, name);
  sql = connectDatabase(url, { max: 4 });
  await migrate(sql, () => {});
  await seedDemoDirectory(sql);
  connection = await Connection.connect({ address: inject('temporalAddress') });
});

afterAll(async () => {
  await connection?.close();
  await sql?.end();
});

function codecWith(spec: string, activeId?: string) {
  const masterKeys = parseMasterKeys(spec, activeId);
  const caseKeys = new CaseKeyStore(sql, masterKeys);
  const codec = new CaseCodec(caseKeys, masterKeys);
  return { masterKeys, caseKeys, codec, client: new Client({ connection, dataConverter: clientDataConverter(codec) }) };
}

function rotation(spec: string, activeId: string, extra: Partial<RotationOptions> = {}) {
  const { masterKeys, caseKeys, client } = codecWith(spec, activeId);
  const lines: string[] = [];
  const options: RotationOptions = {
    sql,
    masterKeys,
    caseKeys,
    links: referralLinks({ current: NEW_SECRET, previous: OLD_SECRET }, 'http://127.0.0.1:3999'),
    temporal: { client, namespace: 'default', taskQueue },
    batchSize: 250,
    actor: 'keys:rotate (test)',
    say: (line) => lines.push(line),
    ...extra,
  };
  return { lines, go: () => rotateKeys(options) };
}

const rotations = async () =>
  await sql<{ detail: Record<string, unknown>; outcome: number }[]>`select detail, outcome from audit_log where action = 'keys.rotated' order by seq`;

/** A case, a partner and a referral sent with `secret`'s link, as the worker would have recorded them. */
async function referralSentWith(secret: string) {
  const caseId = randomUUID();
  const partnerId = randomUUID();
  const id = randomUUID();
  await sql`insert into cases (id, channel, intake, stage, path, risk_level, created_at, province, ref)
            values (${caseId}, 'hotline', '{}'::jsonb, 'implementation', 'standard', 'low', now(), 'quang-ninh', ${`QN-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`})`;
  await sql`insert into partners (id, province, name, kind, services) values (${partnerId}, 'quang-ninh', 'Bệnh viện Bãi Cháy', 'health', '{khám}')`;
  const links = referralLinks(secret, 'http://127.0.0.1:3999');
  await sql`insert into referrals (id, case_id, province, partner_id, service, reason, consent, status, token_hash, created_at, updated_at)
            values (${id}, ${caseId}, 'quang-ninh', ${partnerId}, 'khám', 'Khám sức khoẻ', ${jsonb(sql, { givenBy: 'Cụ ông', scope: [] })}, 'sent',
                    ${links.hashOf(links.tokenFor(id))}, now(), now())`;
  return { id, caseId };
}

describe('a master key rotation', () => {
  it('re-wraps every case key under the new key, finishes an interrupted run, and leaves every case readable with the new key alone', async () => {
    const before = codecWith(A);
    // 600 case keys under "a": three batches of 250 (two and a bit).
    const caseIds = Array.from({ length: 600 }, () => randomUUID());
    for (let i = 0; i < caseIds.length; i += 50) await Promise.all(caseIds.slice(i, i + 50).map((id) => before.caseKeys.keyFor(id)));
    const sealed = await Promise.all(
      caseIds.slice(0, 5).map((id) => before.codec.encode([payload(`bí mật ${id}`)], { type: 'workflow', namespace: 'default', workflowId: id })),
    );
    expect(text(sealed[0]![0]!.metadata!['encryption-key-id'])).toBe(`case:${caseIds[0]}`);
    // An erased case: its key stays destroyed through the rotation.
    const erased = caseIds[599]!;
    await before.caseKeys.destroy(erased);

    // Ctrl-C after the first batch: what was done is kept, and recorded as unfinished.
    const interrupted = rotation(`${A},${B}`, 'b', { stopRequested: () => true, temporal: undefined });
    const first = await interrupted.go();
    expect(first).toMatchObject({ interrupted: true, rewrapped: { a: 250 }, stillWrapped: { a: 349 } });
    expect(interrupted.lines).toContain('re-wrapped 250/599 case keys…');
    expect((await rotations()).at(-1)).toMatchObject({ outcome: 206, detail: { from: ['a'], to: 'b', caseKeysRewrapped: 250, complete: false } });

    const again = rotation(`${A},${B}`, 'b', { temporal: undefined });
    const second = await again.go();
    expect(second).toMatchObject({ interrupted: false, rewrapped: { a: 349 }, stillWrapped: {}, unopened: [], stillNeeded: [] });
    expect(again.lines).toEqual(expect.arrayContaining(['re-wrapped 250/349 case keys…', 're-wrapped 349/349 case keys…']));
    expect((await rotations()).at(-1)).toMatchObject({ outcome: 200, detail: { from: ['a'], to: 'b', caseKeysRewrapped: 349, complete: true } });

    // Nothing more to do: nothing re-wrapped, nothing recorded.
    const third = await rotation(`${A},${B}`, 'b', { temporal: undefined }).go();
    expect(third.rewrapped).toEqual({});
    expect(await rotations()).toHaveLength(2);
    const [counts] = await sql<{ a: number; b: number }[]>`
      select count(*) filter (where master_key_id = 'a')::int as a, count(*) filter (where master_key_id = 'b')::int as b from case_keys where wrapped_key is not null`;
    expect(counts).toEqual({ a: 0, b: 599 });

    // "a" removed from MASTER_KEYS: a fresh process (no cached key) reads every case.
    const after = codecWith(B);
    for (const [i, id] of caseIds.slice(0, 5).entries()) {
      const [opened] = await after.codec.decode(sealed[i]!);
      expect(text(opened!.data)).toBe(JSON.stringify(`bí mật ${id}`));
    }
    for (const id of caseIds.slice(0, 599)) expect(await after.caseKeys.existingKey(id)).toEqual(await before.caseKeys.existingKey(id));
    await expect(after.caseKeys.existingKey(erased)).rejects.toBeInstanceOf(CaseErasedError);
    expect(await verifyAuditChain(sql)).toMatchObject({ ok: true });
  });

  it('says which key cannot be re-wrapped because MASTER_KEYS no longer holds it', async () => {
    const lost = codecWith(`z:${key()}`);
    const caseId = randomUUID();
    await lost.caseKeys.keyFor(caseId);
    const report = await rotation(B, 'b', { temporal: undefined }).go();
    expect(report).toMatchObject({
      rewrapped: {},
      unopened: [{ masterKeyId: 'z', why: 'not_configured', count: 1 }],
      stillWrapped: { z: 1 },
      stillNeeded: [{ masterKeyId: 'z', why: ['1 case key(s) still wrapped by it'] }],
    });
    await sql`delete from case_keys where case_id = ${caseId}`;
  });

  it("applies a programme's schedule again under the new key, and keeps the old key needed while a workflow of no case started under it runs", async () => {
    const before = codecWith(A);
    const [unit] = await sql<{ id: string }[]>`select id from units where province = 'quang-ninh' limit 1`;
    const programmeId = randomUUID();
    const startsOn = new Date().toISOString().slice(0, 10);
    const schedule = { weekday: 'sunday' as const, time: '09:00' };
    await sql`insert into programmes (id, province, unit_id, name, kind, starts_on, schedule)
              values (${programmeId}, 'quang-ninh', ${unit!.id}, 'CLB Xanh lại ước mơ', 'club', ${startsOn}, ${jsonb(sql, schedule)})`;
    await keepProgrammeSchedule(before.client, taskQueue, { id: programmeId, name: 'CLB', schedule, startsOn, endsOn: null, closed: false, revision: 1 });
    const scheduleKey = async () => {
      const described = await before.client.workflowService.describeSchedule({ namespace: 'default', scheduleId: programmeScheduleId(programmeId) });
      return text(described.schedule?.action?.startWorkflow?.input?.payloads?.[0]?.metadata?.['encryption-key-id']);
    };
    expect(await scheduleKey()).toBe('master:a');
    // A delivery nobody picks up (no worker on this queue): running, its input sealed with "a".
    const waiting = await before.client.workflow.start('deliveryWorkflow', {
      taskQueue,
      workflowId: `delivery-${randomUUID()}-0`,
      args: [{ deliveryId: randomUUID() }],
    });
    try {
      // Visibility (what a rotation lists running workflows from) catches up a moment later.
      const listed = await eventually(
        async () =>
          (await before.client.workflowService.listWorkflowExecutions({ namespace: 'default', query: `WorkflowId = '${waiting.workflowId}'` })).executions ??
          [],
        (found) => found.length > 0,
        10_000,
      );
      expect(listed).toHaveLength(1);
      const report = await rotation(`${A},${B}`, 'b').go();
      expect(report.runningWorkflows).toMatchObject({ checked: 1, byKey: { a: 1 } });
      expect(report.schedules).toMatchObject({ checked: 1, reapplied: { a: 1 } });
      expect(await scheduleKey()).toBe('master:b');
      expect(report.stillNeeded).toEqual([{ masterKeyId: 'a', why: [expect.stringMatching(/^1 running workflow\(s\) of no case/)] }]);
      expect((await rotations()).at(-1)).toMatchObject({ detail: { from: ['a'], to: 'b', caseKeysRewrapped: 0, schedulesReapplied: 1, stillNeeded: ['a'] } });
    } finally {
      await waiting.terminate('test over');
      await before.client.schedule.getHandle(programmeScheduleId(programmeId)).delete();
    }
    const ended = await eventually(
      () => rotation(`${A},${B}`, 'b').go(),
      (r) => r.stillNeeded.length === 0,
      10_000,
    );
    expect(ended.runningWorkflows).toMatchObject({ byKey: {}, capped: false });
  });
});

describe("partners' links after AUTH_SECRET changed", () => {
  it('counts the links the previous secret made, and re-issues them under the current one on request, each in the audit trail', async () => {
    const old = await referralSentWith(OLD_SECRET);
    const current = await referralSentWith(NEW_SECRET);
    const lost = await referralSentWith(randomBytes(32).toString('base64url'));
    const counted = await rotation(B, 'b', { temporal: undefined }).go();
    expect(counted.links.byMaker).toEqual({ current: 1, previous: 1, neither: 1 });
    expect(counted.links.waiting.map((l) => l.id)).toEqual([old.id]);
    expect(counted.links.dead.map((l) => l.id)).toEqual([lost.id]);

    const reissued = await rotation(B, 'b', { temporal: undefined, reissueLinks: true }).go();
    expect(reissued.links).toMatchObject({ byMaker: { current: 3, previous: 0, neither: 0 }, reissued: 2, waiting: [], dead: [] });
    const links = referralLinks(NEW_SECRET, 'http://127.0.0.1:3999');
    const hashes = new Map((await sql<{ id: string; token_hash: string }[]>`select id, token_hash from referrals`).map((r) => [r.id, r.token_hash]));
    // The re-issued get the current secret's link; the one made with it keeps its own.
    for (const r of [old, lost, current]) expect(hashes.get(r.id)).toBe(links.hashOf(links.tokenFor(r.id)));
    const trail = await sql<
      { case_id: string; province: string }[]
    >`select case_id, province from audit_log where action = 'referral.link_reissued' order by seq`;
    expect(trail).toEqual([
      { case_id: old.caseId, province: 'quang-ninh' },
      { case_id: lost.caseId, province: 'quang-ninh' },
    ]);
    // Once more: nothing left to re-issue.
    expect((await rotation(B, 'b', { temporal: undefined, reissueLinks: true }).go()).links.reissued).toBe(0);
  });
});

describe('npm run keys:rotate', () => {
  const cli = async (env: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-rotate-'));
    const result = await run(process.execPath, ['--import', 'tsx', 'system/keys-rotate.ts'], {
      env: { PATH: process.env.PATH, DATA_DIR: dir, AUDIT_HEAD_FILE: join(dir, 'audit-head.log'), ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );
    return { ...result, dir };
  };

  it('refuses, in Vietnamese and English, when the active key is not among MASTER_KEYS', async () => {
    const refused = await cli({ MASTER_KEYS: A, MASTER_KEY_ID: 'b', AUTH_SECRET: NEW_SECRET, DATABASE_URL: url });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Không xoay khoá được: khoá đang dùng MASTER_KEY_ID="b" không có trong MASTER_KEYS (đang có: a)');
    expect(refused.stderr).toContain('Cannot rotate: the active key MASTER_KEY_ID="b" is not in MASTER_KEYS (it holds: a)');
  });

  it('rotates with progress and a summary, and writes the head of the audit chain', async () => {
    const C = `c:${key()}`;
    const done = await cli({
      MASTER_KEYS: `${B},${C}`,
      MASTER_KEY_ID: 'c',
      AUTH_SECRET: NEW_SECRET,
      DATABASE_URL: url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: taskQueue,
    });
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('[keys] re-wrapped 500/599 case keys…');
    expect(done.stdout).toContain('[keys] summary: 599 case key(s) re-wrapped under "c" (599 from "b")');
    expect(done.stdout).toContain('[keys] master key "b" is no longer needed: it can be removed from MASTER_KEYS');
    const [head] = await sql<{ seq: string; hash: string }[]>`select seq, hash from audit_log order by seq desc limit 1`;
    expect(readFileSync(join(done.dir, 'audit-head.log'), 'utf8')).toContain(head!.hash);
    expect((await rotations()).at(-1)).toMatchObject({ detail: { from: ['b'], to: 'c', caseKeysRewrapped: 599 } });
  });
});
