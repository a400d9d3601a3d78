// Placements in the case workflow on the time-skipping test server, with real activities and
// PostgreSQL, under the shipped deadline policy: a child's temporary separation warned of two days
// before its 15 days, overdue and escalated at the limit, carried across continue-as-new with its
// clock still running; foster care's visit rhythm climbing the ladder when a visit is missed (P4).
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCarer } from '../../db/carers';
import type { Sql } from '../../db/connect';
import type { Role } from '../../domain/access';
import { DEMO_PROVINCE } from '../../system/demo-directory';
import { actionUpdate, caseWorkflow, routedUpdate, stateQuery, type Actor } from '../../workflows/case';
import { caseInput } from '../support/cases';
import { abusedChild } from '../support/intakes';
import { timeSkippingCases, type TimeSkippingCases } from '../support/time-skipping';

let env: TestWorkflowEnvironment;
let sql: Sql;
let taskQueue: string;
let cases: TimeSkippingCases;
let shelter: { id: string };
let family: { id: string };

beforeAll(async () => {
  cases = await timeSkippingCases('placements');
  ({ env, sql, taskQueue } = cases);
  shelter = await insertCarer(sql, DEMO_PROVINCE.code, { kind: 'shelter', name: 'Nhà tạm lánh', commune: 'Hạ Long', capacity: 20, contact: {} });
  family = await insertCarer(sql, DEMO_PROVINCE.code, { kind: 'foster_family', name: 'Gia đình', commune: 'Hạ Long', capacity: 20, contact: {} });
});

afterAll(async () => {
  await cases?.close();
});

async function as(username: string): Promise<Actor> {
  const [row] = await sql<{ id: string; role: Role }[]>`select id, role from staff where username = ${username}`;
  return { id: row!.id, name: username, role: row!.role };
}

async function start(historyLimit?: number) {
  const caseId = randomUUID();
  const input = { ...(await caseInput(sql, caseId, abusedChild())), ...(historyLimit ? { historyLimit } : {}) };
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

/** The test server's time, which sleeping moves ahead of the machine's. */
const skippedNow = async () => new Date(await env.currentTimeMs()).toISOString();
const eventKinds = async (caseId: string) =>
  (await sql<{ kind: string }[]>`select kind from case_events where case_id = ${caseId} order by seq`).map((e) => e.kind);
const rowOf = async (id: string) => (await sql<{ status: string; ends_by: Date }[]>`select status, ends_by from placements where id = ${id}`)[0];
const escalationLevels = async (caseId: string) =>
  (
    await sql<{ level: string }[]>`
      select level from escalations where case_id = ${caseId} and status = 'open' and step in ('separation_limit', 'placement_visit') order by level`
  ).map((e) => e.level);

describe('P1 in the workflow', () => {
  it('warns two days before 15 days, and at the limit is overdue and escalated once, across continue-as-new', async () => {
    const handle = await start(40);
    const firstRun = (await handle.describe()).runId;
    const worker = await as('worker1');
    const { placementId } = await handle.executeUpdate(actionUpdate('place'), {
      args: [worker, { carerId: shelter.id, kind: 'temporary_separation', startsAt: await skippedNow(), reason: 'Cha bạo hành' }],
    });
    const placed = (await handle.query(stateQuery)).placements![0]!;
    expect(Date.parse(placed.endsBy!) - Date.parse(placed.startsAt)).toBe(15 * 86_400_000);
    for (let n = 0; n < 12; n++) await handle.executeUpdate(actionUpdate('note'), { args: [worker, { text: `Thăm trẻ lần ${n + 1}` }] });
    expect((await handle.describe()).runId).not.toBe(firstRun);

    await env.sleep('12 days');
    expect(await eventKinds(handle.workflowId)).not.toContain('placement.limit_near');
    await env.sleep('25 hours');
    expect(await eventKinds(handle.workflowId)).toContain('placement.limit_near');
    expect((await rowOf(placementId!))!.status).toBe('active');
    await env.sleep('2 days');
    expect((await rowOf(placementId!))!.status).toBe('overdue');
    expect(await escalationLevels(handle.workflowId)).toEqual(['manager', 'supervisor']);
    await env.sleep('10 days');
    const kinds = await eventKinds(handle.workflowId);
    const climbed = await sql<{ kind: string }[]>`
      select kind from case_events where case_id = ${handle.workflowId} and kind like 'deadline.%' and data->>'step' = 'separation_limit'`;
    expect(climbed.map((e) => e.kind).sort()).toEqual(['deadline.manager', 'deadline.reminder', 'deadline.supervisor']);
    expect(kinds.filter((k) => k === 'placement.overdue')).toHaveLength(1);
    expect((await handle.query(stateQuery)).placements![0]).toMatchObject({ status: 'overdue', fired: ['warning', 'reminder', 'supervisor', 'manager'] });
  });
});

describe('P4 in the workflow', () => {
  it('climbs the ladder when a foster placement goes unvisited, and a visit that saw the child starts the rhythm again', async () => {
    const handle = await start();
    const worker = await as('worker1');
    const { placementId } = await handle.executeUpdate(actionUpdate('place'), {
      args: [worker, { carerId: family.id, kind: 'foster_care', startsAt: await skippedNow(), reason: 'Chăm sóc thay thế' }],
    });
    await env.sleep('169 hours');
    expect(await eventKinds(handle.workflowId)).toContain('deadline.reminder');
    await env.sleep('2 days');
    expect(await escalationLevels(handle.workflowId)).toEqual(['supervisor']);
    const before = (await handle.query(stateQuery)).placements![0]!.deadline!;
    const today = new Date((await env.currentTimeMs()) + 7 * 3600_000).toISOString().slice(0, 10);
    await handle.executeUpdate(actionUpdate('placementVisit'), {
      args: [worker, { placementId: placementId!, visitedOn: today, seen: true, note: 'Trẻ khoẻ' }],
    });
    const after = (await handle.query(stateQuery)).placements![0]!;
    expect(after.deadline!.key).not.toBe(before.key);
    expect(Date.parse(after.deadline!.dueAt)).toBeGreaterThan(Date.parse(before.dueAt) + 8 * 86_400_000);
    expect(await escalationLevels(handle.workflowId)).toEqual([]);
    expect(after).toMatchObject({ visits: 1, lastVisitOn: today, fired: [] });
  });
});
