// The audit trail: a row per request that touches case data or the directory, chained by hash;
// the verifier names the first row that was edited, deleted or cut off.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendAudit, AuditAppender, AuditHeadWriter, verifyAuditChain } from '../../db/audit';
import { lonelyOlderMan } from '../support/intakes';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.close();
});

/** Changes audit_log behind the application's back, as someone with the database password could. */
async function tamper(change: (sql: TestSystem['sql']) => Promise<unknown>) {
  await system.sql.begin(async (tx) => {
    await tx`alter table audit_log disable trigger audit_log_append_only`;
    await change(tx as never);
    await tx`alter table audit_log enable trigger audit_log_append_only`;
  });
}

function verifyCli(headFile: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../system/audit-verify.ts', import.meta.url))], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), AUDIT_HEAD_FILE: headFile },
    encoding: 'utf8',
  });
}

describe('audit rows', () => {
  it('records logins, creates, reads (also refused ones) and lists with who, what, where and the outcome', async () => {
    const worker = await system.login('worker1');
    const created = await system.call('POST', '/cases', { token: worker, body: lonelyOlderMan() });
    await system.call('GET', `/cases/${created.body.id}`, { token: worker });
    await system.call('GET', `/cases/${created.body.id}`, { token: await system.login('worker2') });
    await system.call('GET', '/cases?stage=assessment&limit=3', { token: worker });

    const manager = await system.login('manager1');
    const trail = await system.call('GET', `/audit?caseId=${created.body.id}`, { token: manager });
    expect(trail.status).toBe(200);
    const rows = trail.body.items.reverse();
    expect(rows.map((r: { actor: string; action: string; outcome: number }) => [r.actor, r.action, r.outcome])).toEqual([
      ['worker1', 'case.create', 201],
      ['worker1', 'case.read', 200],
      ['worker2', 'case.read', 404],
    ]);
    expect(rows[0]).toMatchObject({ role: 'social_worker', address: expect.stringMatching(/127\.0\.0\.1/) });

    const [list] = await system.sql`select detail from audit_log where action = 'case.list' order by seq desc limit 1`;
    expect(list?.detail).toMatchObject({ filter: { stage: 'assessment', limit: 3 }, count: expect.any(Number) });
    const [login] = await system.sql`select actor, outcome, detail from audit_log where action = 'auth.login' order by seq desc limit 1`;
    expect(login).toMatchObject({ actor: 'manager1', outcome: 200, detail: { username: 'manager1' } });

    // The operators' commands concern every province: a manager sees them; a login under an unknown name, nobody's.
    const system_ = { province: null, actorId: null, role: 'system', caseId: null, address: null, outcome: 200, detail: {} };
    await appendAudit(system.sql, { ...system_, actor: 'backup (ops@centre)', action: 'backup.taken' });
    await appendAudit(system.sql, { ...system_, actor: 'nobody-known', role: null, action: 'auth.login', outcome: 401 });
    const recent = await system.call('GET', '/audit?limit=5', { token: manager });
    const actions = recent.body.items.map((r: { actor: string; action: string }) => [r.actor, r.action]);
    expect(actions).toContainEqual(['backup (ops@centre)', 'backup.taken']);
    expect(actions).not.toContainEqual(['nobody-known', 'auth.login']);
  });

  it('refuses updates and deletes through the application role', async () => {
    await expect(system.sql`update audit_log set outcome = 200 where seq = 1`).rejects.toThrow(/append-only/);
    await expect(system.sql`delete from audit_log where seq = 1`).rejects.toThrow(/append-only/);
  });
});

describe('audit chain verification', () => {
  it('keeps one chain, without a fork or a gap, when 40 requests append at once', async () => {
    const entry = { province: null, actorId: null, actor: 'test', role: null, action: 'test.concurrent', caseId: null, address: null, outcome: 200 };
    const appended = await Promise.all(Array.from({ length: 40 }, (_, i) => appendAudit(system.sql, { ...entry, detail: { i } })));
    const seqs = appended.map((a) => BigInt(a.seq)).sort((a, b) => (a < b ? -1 : 1));
    expect(new Set(seqs).size).toBe(40);
    const rows = await system.sql<{ seq: string; prev_hash: string; hash: string }[]>`
      select seq::text, prev_hash, hash from audit_log where seq between ${String(seqs[0]! - 1n)} and ${String(seqs[39]!)} order by audit_log.seq`;
    // Each appended row follows the row before it, whoever else appended in between.
    for (let i = 1; i < rows.length; i++) {
      expect(BigInt(rows[i]!.seq)).toBe(BigInt(rows[i - 1]!.seq) + 1n);
      expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    }
    expect(await verifyAuditChain(system.sql)).toMatchObject({ ok: true });
  });

  it("appends a process's concurrent requests together, in the order they ended, each answered once its row is in", async () => {
    const appender = new AuditAppender(system.sql);
    const entry = { province: null, actorId: null, actor: 'test', role: null, action: 'test.grouped', caseId: null, address: null, outcome: 200 };
    const written = await Promise.all(Array.from({ length: 40 }, (_, i) => appender.append({ ...entry, detail: { i } })));
    const seqs = written.map((w) => BigInt(w.seq));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
    const rows = await system.sql<
      { seq: string; detail: { i: number } }[]
    >`select seq::text, detail from audit_log where action = 'test.grouped' order by audit_log.seq`;
    expect(rows.slice(-40).map((r) => r.detail.i)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(await verifyAuditChain(system.sql)).toMatchObject({ ok: true });
  });

  it('names an edited row, a deleted row and a cut-off tail, and passes the intact chain', async () => {
    const token = await system.login('worker1');
    for (let n = 0; n < 3; n++) await system.call('GET', '/cases?limit=1', { token });
    const headFile = join(mkdtempSync(join(tmpdir(), 'audit-head-')), 'head.log');
    await new AuditHeadWriter(system.sql, headFile).writeNow();

    expect(await verifyAuditChain(system.sql, headFile)).toMatchObject({ ok: true });
    const intact = verifyCli(headFile);
    expect(intact.status, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/audit chain intact/);

    const [{ seq: last }] = (await system.sql`select max(seq)::text as seq from audit_log`) as unknown as [{ seq: string }];
    const victim = String(BigInt(last) - 1n);
    const [original] = await system.sql`select * from audit_log where seq = ${victim}`;

    await tamper((tx) => tx`update audit_log set outcome = 200, actor = 'someone else' where seq = ${victim}`);
    expect(await verifyAuditChain(system.sql, headFile)).toMatchObject({ ok: false, seq: victim, problem: expect.stringMatching(/edited/) });
    const broken = verifyCli(headFile);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`seq ${victim}`);

    await tamper((tx) => tx`delete from audit_log where seq = ${victim}`);
    expect(await verifyAuditChain(system.sql, headFile)).toMatchObject({ ok: false, seq: last, problem: expect.stringMatching(/missing/) });

    await tamper((tx) => tx`insert into audit_log ${tx(original as never)}`);
    expect(await verifyAuditChain(system.sql, headFile)).toMatchObject({ ok: true });

    const [tail] = await system.sql`select * from audit_log where seq = ${last}`;
    await tamper((tx) => tx`delete from audit_log where seq = ${last}`);
    expect(await verifyAuditChain(system.sql, headFile)).toMatchObject({ ok: false, seq: last, problem: expect.stringMatching(/tail cut off/) });
    await tamper((tx) => tx`insert into audit_log ${tx(tail as never)}`);
    expect(await verifyAuditChain(system.sql, headFile)).toMatchObject({ ok: true });
  });
});
