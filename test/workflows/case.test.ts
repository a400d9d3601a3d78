// The case workflow on the time-skipping test server, with real activities and PostgreSQL:
// routing, every stage on both paths, refusals, re-assessment, and a year of reviews in which a
// missed review climbs the escalation ladder by itself.
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../db/connect';
import type { Role } from '../../domain/access';
import { actionUpdate, caseWorkflow, routedUpdate, stateQuery, type Actor } from '../../workflows/case';
import { caseInput, caseRowCount, routeCase, routingRows } from '../support/cases';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { timeSkippingCases, type TimeSkippingCases } from '../support/time-skipping';

let env: TestWorkflowEnvironment;
let sql: Sql;
let taskQueue: string;
let cases: TimeSkippingCases;

beforeAll(async () => {
  cases = await timeSkippingCases('wf');
  ({ env, sql, taskQueue } = cases);
});

afterAll(async () => {
  await cases?.close();
});

async function as(username: string): Promise<Actor> {
  const [row] = await sql<{ id: string; role: Role }[]>`select id, role from staff where username = ${username}`;
  return { id: row!.id, name: username, role: row!.role };
}

async function start(intake = lonelyOlderMan()) {
  const caseId = randomUUID();
  const routed = await routeCase(env.client, sql, taskQueue, caseId, intake);
  return { caseId, routed, handle: env.client.workflow.getHandle(caseId) };
}

const events = async (caseId: string) =>
  (await sql<{ kind: string }[]>`select kind from case_events where case_id = ${caseId} order by seq`).map((e) => e.kind);
const stageOf = async (caseId: string) => (await sql<{ stage: string }[]>`select stage from cases where id = ${caseId}`)[0]!.stage;

async function toImplementation(handle: ReturnType<typeof env.client.workflow.getHandle>) {
  await handle.executeUpdate(actionUpdate('assessment'), { args: [await as('worker1'), { summary: 'Sống một mình, thiếu ăn', needs: ['food', 'home_care'] }] });
  await handle.executeUpdate(actionUpdate('plan'), {
    args: [await as('worker1'), { goals: ['Bữa ăn hằng ngày'], interventions: [{ type: 'home_care', description: 'Thăm nhà hằng tuần' }] }],
  });
  await handle.executeUpdate(actionUpdate('planDecision'), { args: [await as('manager1'), { decision: 'approve', comment: 'Thông qua' }] });
}

describe('routing', () => {
  it('routes an abused child to emergency_response and records the case and its routing once', async () => {
    const { caseId, routed } = await start(abusedChild());
    expect(routed.stage).toBe('emergency_response');
    expect(routed.risk).toMatchObject({ path: 'emergency', level: 'high', rulesetVersion: 1 });
    const [row] = await sql`select stage, path, risk_level, intake, due_at from cases where id = ${caseId}`;
    expect(row).toMatchObject({ stage: 'emergency_response', path: 'emergency', risk_level: 'high' });
    expect(row?.intake.client.fullName).toMatch(/^Nguyễn Thị Hoa/);
    expect(await routingRows(sql, caseId)).toEqual([{ seq: 1, path: 'emergency', level: 'high', ruleset_version: 1 }]);
    expect(await events(caseId)).toEqual(['case.routed']);
  });

  it('gives a child’s emergency response 12 hours, as the law asks', async () => {
    const { caseId, handle } = await start(abusedChild());
    const { deadline } = await handle.query(stateQuery);
    expect(deadline).toMatchObject({ step: 'emergency_response', policyVersion: 1 });
    const [routedAt] = await sql<{ at: Date }[]>`select at from case_events where case_id = ${caseId} and kind = 'case.routed'`;
    const hours = (Date.parse(deadline!.dueAt) - routedAt!.at.getTime()) / 3600_000;
    expect(hours).toBeLessThanOrEqual(12);
    expect(hours).toBeGreaterThan(11.99);
    const [row] = await sql<{ due_at: Date }[]>`select due_at from cases where id = ${caseId}`;
    expect(row!.due_at.toISOString()).toBe(deadline!.dueAt);
  });

  it('answers a repeated create with the first decision and writes nothing twice', async () => {
    const { caseId, routed } = await start(abusedChild());
    const again = await routeCase(env.client, sql, taskQueue, caseId, lonelyOlderMan());
    expect(again).toEqual(routed);
    expect(await routingRows(sql, caseId)).toHaveLength(1);
    expect(await caseRowCount(sql, caseId)).toBe(1);
  });
});

describe('stages', () => {
  it('walks a standard case from assessment to closure, through a rejected plan, and reopens it', async () => {
    const { caseId, handle, routed } = await start();
    expect(routed.stage).toBe('assessment');
    await handle.executeUpdate(actionUpdate('assessment'), { args: [await as('worker1'), { summary: 'Cụ sống một mình', needs: ['food'] }] });
    await handle.executeUpdate(actionUpdate('plan'), {
      args: [await as('worker1'), { goals: ['Ăn đủ'], interventions: [{ type: 'food', description: 'Suất ăn' }] }],
    });
    expect(
      (await handle.executeUpdate(actionUpdate('planDecision'), { args: [await as('manager1'), { decision: 'reject', comment: 'Thiếu kế hoạch y tế' }] }))
        .stage,
    ).toBe('planning');
    await handle.executeUpdate(actionUpdate('plan'), {
      args: [
        await as('worker1'),
        {
          goals: ['Ăn đủ', 'Khám sức khỏe'],
          // The first plan's intervention is kept by its id (I6); the second is new.
          interventions: [
            { id: 'i1', type: 'food', description: 'Suất ăn' },
            { type: 'health', description: 'Khám định kỳ' },
          ],
        },
      ],
    });
    expect(
      (await handle.executeUpdate(actionUpdate('planDecision'), { args: [await as('manager1'), { decision: 'approve', comment: 'Thông qua' }] })).stage,
    ).toBe('implementation');
    const added = await handle.executeUpdate(actionUpdate('addIntervention'), {
      args: [await as('worker1'), { type: 'club', description: 'Câu lạc bộ người cao tuổi' }],
    });
    await handle.executeUpdate(actionUpdate('updateIntervention'), {
      args: [await as('worker1'), { interventionId: added.interventionId!, status: 'done', outcome: 'Tham gia đều' }],
    });
    await handle.executeUpdate(actionUpdate('review'), { args: [await as('worker1'), { summary: 'Ổn định', progress: 'on_track' }] });
    for (const interventionId of ['i1', 'i2']) {
      await handle.executeUpdate(actionUpdate('updateIntervention'), { args: [await as('worker1'), { interventionId, status: 'done' }] });
    }
    await handle.executeUpdate(actionUpdate('closure'), {
      args: [await as('worker1'), { reasonCode: 'goals_met', goalsMet: 'all', reason: 'Mục tiêu đạt', outcome: 'Có người chăm sóc' }],
    });
    expect(
      (await handle.executeUpdate(actionUpdate('closureDecision'), { args: [await as('manager2'), { decision: 'approve', comment: 'Đồng ý' }] })).stage,
    ).toBe('closed');
    expect(await stageOf(caseId)).toBe('closed');
    expect((await handle.executeUpdate(actionUpdate('reopen'), { args: [await as('supervisor1'), { reason: 'Con đi làm xa trở lại' }] })).stage).toBe(
      'assessment',
    );

    expect(await events(caseId)).toEqual([
      'case.routed',
      'assessment.recorded',
      'plan.submitted',
      'plan.rejected',
      'plan.submitted',
      'plan.approved',
      'intervention.added',
      'intervention.updated',
      'review.recorded',
      'intervention.updated',
      'intervention.updated',
      'closure.proposed',
      'closure.approved',
      'case.reopened',
    ]);
    const [row] = await sql`select state from cases where id = ${caseId}`;
    expect(row?.state.interventions).toHaveLength(3);
    // The rejected plan is kept as version 1, with why it went back.
    expect(row?.state.plan).toMatchObject({ version: 2, goals: ['Ăn đủ', 'Khám sức khỏe'] });
    expect(row?.state.planVersions).toEqual([expect.objectContaining({ version: 1, goals: ['Ăn đủ'], rejection: 'Thiếu kế hoạch y tế' })]);
    expect(row?.state.interventions[2]).toMatchObject({ type: 'club', status: 'done', outcome: 'Tham gia đều' });
  });

  it('takes an emergency case from safety to assessment', async () => {
    const { caseId, handle } = await start(abusedChild());
    expect(
      (await handle.executeUpdate(actionUpdate('safetyConfirmed'), { args: [await as('worker1'), { actions: ['Nơi ở tạm thời', 'Khám sức khỏe'] }] })).stage,
    ).toBe('assessment');
    expect((await handle.query(stateQuery)).deadline?.step).toBe('assessment');
    expect(await events(caseId)).toEqual(['case.routed', 'safety.confirmed']);
  });

  it('refuses actions by the wrong role (before the stage), out of stage, or approving one’s own plan, and changes nothing', async () => {
    const { caseId, handle } = await start();
    const refusal = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      return ((err as WorkflowUpdateFailedError).cause as { type?: string }).type;
    };
    expect(await refusal(handle.executeUpdate(actionUpdate('plan'), { args: [await as('worker1'), { goals: ['x'], interventions: [] }] }))).toBe(
      'out_of_stage',
    );
    // The role is checked first: a collaborator hears "forbidden" whatever stage the case is in.
    expect(
      await refusal(handle.executeUpdate(actionUpdate('closureDecision'), { args: [await as('collaborator1'), { decision: 'approve', comment: 'x' }] })),
    ).toBe('forbidden');
    expect(await refusal(handle.executeUpdate(actionUpdate('assessment'), { args: [await as('collaborator1'), { summary: 'x', needs: [] }] }))).toBe(
      'forbidden',
    );
    await handle.executeUpdate(actionUpdate('assessment'), { args: [await as('manager1'), { summary: 'x', needs: [] }] });
    await handle.executeUpdate(actionUpdate('plan'), { args: [await as('manager1'), { goals: ['x'], interventions: [] }] });
    expect(await refusal(handle.executeUpdate(actionUpdate('planDecision'), { args: [await as('manager1'), { decision: 'approve', comment: 'mine' }] }))).toBe(
      'own_approval',
    );
    expect(await refusal(handle.executeUpdate(actionUpdate('planDecision'), { args: [await as('supervisor1'), { decision: 'approve', comment: 'x' }] }))).toBe(
      'forbidden',
    );
    expect(await stageOf(caseId)).toBe('plan_review');
    expect(await events(caseId)).toEqual(['case.routed', 'assessment.recorded', 'plan.submitted']);
  });

  it('moves a standard case onto the emergency path when a review finds new danger', async () => {
    const { caseId, handle } = await start();
    await toImplementation(handle);
    const reply = await handle.executeUpdate(actionUpdate('review'), {
      args: [await as('worker1'), { summary: 'Bị người thân đánh', progress: 'off_track', concerns: { immediateDanger: true, injury: true } }],
    });
    expect(reply.stage).toBe('emergency_response');
    expect(await routingRows(sql, caseId)).toEqual([
      { seq: 1, path: 'standard', level: 'medium', ruleset_version: 1 },
      { seq: 2, path: 'emergency', level: 'critical', ruleset_version: 1 },
    ]);
    expect((await sql`select path from cases where id = ${caseId}`)[0]?.path).toBe('emergency');
  });
});

describe('deadlines', () => {
  it('escalates a missed review worker → supervisor → managers once each, and resolves it when the review is recorded, over a year', async () => {
    const { caseId, handle } = await start();
    await toImplementation(handle);
    const worker1 = await as('worker1');
    // Medium risk: a review every 30 days; the supervisor after 5 more, the managers after 14.
    for (let month = 0; month < 4; month++) {
      await env.sleep('29 days');
      await handle.executeUpdate(actionUpdate('review'), { args: [worker1, { summary: `Tháng ${month + 1}`, progress: 'on_track' }] });
    }
    const escalations = () => sql<{ level: string; status: string }[]>`select level, status from escalations where case_id = ${caseId} order by level`;
    expect(await escalations()).toEqual([]);

    await env.sleep('31 days');
    const notes = (kind: string) => sql<{ recipient_id: string }[]>`select recipient_id from notifications where case_id = ${caseId} and kind = ${kind}`;
    expect((await notes('deadline.reminder')).map((n) => n.recipient_id)).toEqual([worker1.id]);
    expect(await escalations()).toEqual([]);
    await env.sleep('5 days');
    expect(await escalations()).toEqual([{ level: 'supervisor', status: 'open' }]);
    expect((await notes('deadline.supervisor')).map((n) => n.recipient_id)).toEqual([(await as('supervisor1')).id]);
    await env.sleep('9 days');
    expect(await escalations()).toEqual([
      { level: 'manager', status: 'open' },
      { level: 'supervisor', status: 'open' },
    ]);
    expect((await notes('deadline.manager')).map((n) => n.recipient_id).sort()).toEqual([(await as('manager1')).id, (await as('manager2')).id].sort());

    await handle.executeUpdate(actionUpdate('review'), { args: [worker1, { summary: 'Muộn', progress: 'at_risk' }] });
    expect(await escalations()).toEqual([
      { level: 'manager', status: 'resolved' },
      { level: 'supervisor', status: 'resolved' },
    ]);
    for (let month = 0; month < 6; month++) {
      await env.sleep('29 days');
      await handle.executeUpdate(actionUpdate('review'), { args: [worker1, { summary: `Tiếp ${month + 1}`, progress: 'on_track' }] });
    }
    expect(await escalations()).toHaveLength(2);
    expect(await notes('deadline.reminder')).toHaveLength(1);
    const reviews = (await events(caseId)).filter((k) => k === 'review.recorded');
    expect(reviews).toHaveLength(11);
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });
});

describe('history', () => {
  it('continues as new with its state, keeping the routing and escalating a missed review once', async () => {
    const caseId = randomUUID();
    const input = { ...(await caseInput(sql, caseId, lonelyOlderMan())), historyLimit: 40 };
    const startOp = () =>
      new WithStartWorkflowOperation(caseWorkflow, { workflowId: caseId, taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING' });
    const routed = await env.client.workflow.executeUpdateWithStart(routedUpdate, { startWorkflowOperation: startOp() });
    const handle = env.client.workflow.getHandle(caseId);
    const firstRun = (await handle.describe()).runId;
    await toImplementation(handle);
    const worker1 = await as('worker1');
    for (let n = 0; n < 8; n++) {
      await env.sleep('20 days');
      await handle.executeUpdate(actionUpdate('review'), { args: [worker1, { summary: `Lần ${n + 1}`, progress: 'on_track' }] });
    }
    const later = await handle.describe();
    expect(later.runId).not.toBe(firstRun);
    expect(later.status.name).toBe('RUNNING');
    const state = await handle.query(stateQuery);
    expect(state).toMatchObject({ stage: 'implementation', reviews: 8, risk: routed.risk });

    // A retried create after the new run began answers the stored decision; nothing is re-scored.
    expect(await env.client.workflow.executeUpdateWithStart(routedUpdate, { startWorkflowOperation: startOp() })).toEqual({
      stage: 'implementation',
      risk: routed.risk,
    });
    expect(await routingRows(sql, caseId)).toHaveLength(1);

    await env.sleep('50 days');
    expect((await sql`select level from escalations where case_id = ${caseId} order by level`).map((r) => r.level)).toEqual(['manager', 'supervisor']);
    await handle.executeUpdate(actionUpdate('review'), { args: [worker1, { summary: 'Muộn', progress: 'at_risk' }] });
    expect((await sql`select status from escalations where case_id = ${caseId}`).map((r) => r.status)).toEqual(['resolved', 'resolved']);
    const seqs = await sql<{ seq: number }[]>`select seq from case_events where case_id = ${caseId} order by seq`;
    expect(seqs.map((r) => r.seq)).toEqual(seqs.map((_, i) => i + 1));
  });
});
