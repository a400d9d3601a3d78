// Referrals in the case workflow on the time-skipping test server, with real activities and
// PostgreSQL: an emergency referral's clock in hours, and referrals carried across continue-as-new
// with their clocks still running to the end of the ladder.
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../db/connect';
import { insertPartner } from '../../db/partners';
import type { Role } from '../../domain/access';
import { DEMO_PROVINCE } from '../../system/demo-directory';
import { actionUpdate, caseWorkflow, partnerAnswerUpdate, routedUpdate, stateQuery, type Actor } from '../../workflows/case';
import { caseInput } from '../support/cases';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { timeSkippingCases, type TimeSkippingCases } from '../support/time-skipping';

let env: TestWorkflowEnvironment;
let sql: Sql;
let taskQueue: string;
let cases: TimeSkippingCases;
let partner: { id: string; name: string };

beforeAll(async () => {
  cases = await timeSkippingCases('referrals');
  ({ env, sql, taskQueue } = cases);
  partner = await insertPartner(sql, DEMO_PROVINCE.code, { name: 'Nhà tạm lánh', kind: 'shelter', services: ['chỗ ở tạm'], contact: {} });
});

afterAll(async () => {
  await cases?.close();
});

async function as(username: string): Promise<Actor> {
  const [row] = await sql<{ id: string; role: Role }[]>`select id, role from staff where username = ${username}`;
  return { id: row!.id, name: username, role: row!.role };
}

async function start(intake = lonelyOlderMan(), historyLimit?: number) {
  const caseId = randomUUID();
  const input = { ...(await caseInput(sql, caseId, intake)), ...(historyLimit ? { historyLimit } : {}) };
  await env.client.workflow.executeUpdateWithStart(routedUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
      workflowId: caseId,
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
  return env.client.workflow.getHandle(caseId);
}

const referral = { service: 'chỗ ở tạm', reason: 'Cần nơi ở an toàn', consent: { givenBy: 'Người được trợ giúp', scope: ['client.age' as const] } };
const statusOf = async (id: string) => (await sql<{ status: string }[]>`select status from referrals where id = ${id}`)[0]?.status;

describe('a referral’s clock', () => {
  it('gives an emergency referral hours, not days', async () => {
    const handle = await start(abusedChild());
    const { referralId } = await handle.executeUpdate(actionUpdate('refer'), { args: [await as('worker1'), { ...referral, partnerId: partner.id }] });
    const sent = (await handle.query(stateQuery)).referrals!.find((r) => r.id === referralId)!;
    expect(Date.parse(sent.deadline!.dueAt) - Date.parse(sent.deadline!.startedAt)).toBe(4 * 3600_000);
    await env.sleep('5 hours');
    expect(await statusOf(referralId!)).toBe('sent');
    await env.sleep('10 hours');
    expect(await statusOf(referralId!)).toBe('expired');
  });

  it('keeps running across continue-as-new, with each referral where it was', async () => {
    const handle = await start(lonelyOlderMan(), 40);
    const firstRun = (await handle.describe()).runId;
    const worker1 = await as('worker1');
    const waiting = await handle.executeUpdate(actionUpdate('refer'), { args: [worker1, { ...referral, partnerId: partner.id }] });
    const answered = await handle.executeUpdate(actionUpdate('refer'), { args: [worker1, { ...referral, partnerId: partner.id }] });
    const draft = await handle.executeUpdate(actionUpdate('refer'), { args: [worker1, { ...referral, partnerId: partner.id, draft: true }] });
    await handle.executeUpdate(partnerAnswerUpdate, { args: [{ referralId: answered.referralId!, action: 'accept', partner }] });
    for (let n = 0; n < 12; n++) await handle.executeUpdate(actionUpdate('note'), { args: [worker1, { text: `Gọi điện lần ${n + 1}` }] });
    expect((await handle.describe()).runId).not.toBe(firstRun);

    const carried = (await handle.query(stateQuery)).referrals!;
    expect(carried.map((r) => [r.id, r.status])).toEqual([
      [waiting.referralId, 'sent'],
      [answered.referralId, 'accepted'],
      [draft.referralId, 'draft'],
    ]);
    // The new run took over the clock: the unanswered referral climbs the ladder once per level and expires.
    await env.sleep('20 days');
    expect(await statusOf(waiting.referralId!)).toBe('expired');
    expect(await statusOf(answered.referralId!)).toBe('accepted');
    // (The case's own assessment deadline climbs its ladder too, under its own key.)
    const key = `referral:${waiting.referralId}`;
    const levels = await sql<{ level: string }[]>`select level from escalations where case_id = ${handle.workflowId} and deadline_key = ${key} order by level`;
    expect(levels.map((r) => r.level)).toEqual(['manager', 'supervisor']);
    const steps = await sql<{ kind: string }[]>`select kind from case_events where case_id = ${handle.workflowId} and data->>'deadline' = ${key} order by seq`;
    expect(steps.map((e) => e.kind)).toEqual(['deadline.reminder', 'deadline.supervisor', 'deadline.manager']);
    const kinds = (await sql<{ kind: string }[]>`select kind from case_events where case_id = ${handle.workflowId}`).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'referral.expired')).toHaveLength(1);
  });
});
