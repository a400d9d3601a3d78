// Workers die at awkward moments: after writing the routing but before Temporal heard it
// finished; while a review deadline passes; after an SMTP server accepted an e-mail but before
// that was recorded. The next worker finishes the work, exactly once (e-mail: at least once, a
// repeat only inside that window, with the same Message-ID for the receiver to drop).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { connectDatabase, type Sql } from '../../db/connect';
import { createDraft, ensureFirstVersion, publishDraft } from '../../db/policies';
import type { Role } from '../../domain/access';
import { loadDefaultDeadlinePolicy } from '../../rules/default-deadlines';
import { createChannels } from '../../activities/channels';
import { insertNotifications } from '../../db/notifications';
import { actionUpdate, caseWorkflow, routedUpdate } from '../../workflows/case';
import { deliveryWorkflow } from '../../workflows/delivery';
import { eventually } from '../support/eventually';
import { startSmtpSink } from '../../system/receivers';
import { caseInput, caseRowCount, caseWorker, routingRows, testCodec, uniqueQueue } from '../support/cases';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { freshProvince } from '../support/province';

let sql: Sql;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  sql = connectDatabase(inject('databaseUrl'));
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, dataConverter: testCodec(sql).dataConverter });
});

afterAll(async () => {
  await connection?.close();
  await sql?.end();
});

function startWorkerProcess(taskQueue: string, stall = false, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../support/worker-process.ts', import.meta.url))], {
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      MASTER_KEYS: inject('masterKeys'),
      STALL_AFTER_ADMISSION: stall ? '1' : '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n')));
  const saw = (line: string, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const tick = setInterval(() => {
        if (lines.includes(line)) resolve();
        else if (child.exitCode !== null || Date.now() - started > timeoutMs) reject(new Error(`worker process never said "${line}"`));
        else return;
        clearInterval(tick);
      }, 50);
    });
  return { child, saw, lines };
}

it('completes a case exactly once after its worker is killed mid-routing', { timeout: 120_000 }, async () => {
  const taskQueue = uniqueQueue('crash');
  const caseId = randomUUID();
  const stalling = startWorkerProcess(taskQueue, true);
  await stalling.saw('ready');

  const handle = await client.workflow.start(caseWorkflow, {
    workflowId: caseId,
    taskQueue,
    args: [await caseInput(sql, caseId, abusedChild())],
  });
  await stalling.saw('admitted');
  expect(await routingRows(sql, caseId)).toHaveLength(1);
  stalling.child.kill('SIGKILL');

  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await caseWorker(nativeConnection, sql, taskQueue);
  try {
    // The workflow task's 10 s timeout lets Temporal give it to this worker.
    const routed = await worker.runUntil(handle.executeUpdate(routedUpdate));
    expect(routed).toMatchObject({ stage: 'emergency_response', risk: { path: 'emergency' } });
  } finally {
    await nativeConnection.close();
  }
  expect(await routingRows(sql, caseId)).toEqual([{ seq: 1, path: 'emergency', level: 'high', ruleset_version: 1 }]);
  expect(await caseRowCount(sql, caseId)).toBe(1);
  const history = await handle.fetchHistory();
  // The admission runs in the case's first workflow task (a local activity, issue 19): the killed
  // worker's task timed out and this worker ran it again, finding everything already written.
  expect(history.events?.some((e) => e.workflowTaskTimedOutEventAttributes)).toBe(true);
  const markers = history.events?.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity') ?? [];
  expect(markers).toHaveLength(1);
  const opening = await sql<{ seq: number; kind: string }[]>`select seq, kind from case_events where case_id = ${caseId} order by seq`;
  expect(opening).toEqual([{ seq: 1, kind: 'case.routed' }]);
  const told = await sql<{ kind: string }[]>`select kind from notifications where case_id = ${caseId} and kind = 'case.new_emergency'`;
  expect(told.length).toBeGreaterThan(0);
});

it('escalates a review deadline that passed while no worker ran, exactly once, after a restart', { timeout: 120_000 }, async () => {
  const province = await freshProvince(sql);
  const policy = loadDefaultDeadlinePolicy();
  policy.rules = policy.rules.map((r) => (r.step === 'review' ? { ...r, due: 'PT3S', supervisorGrace: 'PT2S', managerGrace: 'PT4S' } : r));
  await ensureFirstVersion(sql, province.code, 'deadlines', loadDefaultDeadlinePolicy());
  const line = { province: province.code, kind: 'deadlines' as const };
  const draft = await createDraft(sql, line, { document: policy, author: { id: randomUUID(), name: 'test' }, comment: 'seconds' });
  await publishDraft(sql, line, draft.version, 'seconds', () => {});

  const taskQueue = uniqueQueue('crash-deadline');
  const first = startWorkerProcess(taskQueue);
  await first.saw('ready');
  const caseId = randomUUID();
  const actor = async (username: string) => {
    const [row] = await sql<{ id: string; role: Role }[]>`select id, role from staff where username = ${username}`;
    return { id: row!.id, name: username, role: row!.role };
  };
  await client.workflow.executeUpdateWithStart(routedUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
      workflowId: caseId,
      taskQueue,
      args: [{ ...(await caseInput(sql, caseId, lonelyOlderMan(), province.worker)), province: province.code }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
  const handle = client.workflow.getHandle(caseId);
  await handle.executeUpdate(actionUpdate('assessment'), { args: [await actor(province.worker), { summary: 's', needs: [] }] });
  await handle.executeUpdate(actionUpdate('plan'), { args: [await actor(province.worker), { goals: ['g'], interventions: [] }] });
  await handle.executeUpdate(actionUpdate('planDecision'), { args: [await actor(province.manager), { decision: 'approve', comment: 'ok' }] });
  first.child.kill('SIGKILL');

  // The review falls due, and the supervisor's grace runs out, with no worker alive.
  await new Promise((r) => setTimeout(r, 6_000));
  expect(await sql`select 1 from escalations where case_id = ${caseId}`).toHaveLength(0);

  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await caseWorker(nativeConnection, sql, taskQueue);
  try {
    await worker.runUntil(async () => {
      for (let waited = 0; waited < 40 && (await sql`select 1 from escalations where case_id = ${caseId}`).length < 2; waited++) {
        await new Promise((r) => setTimeout(r, 500));
      }
    });
  } finally {
    await nativeConnection.close();
  }
  const levels = await sql<
    { level: string; n: number }[]
  >`select level, count(*)::int as n from escalations where case_id = ${caseId} group by level order by level`;
  expect(levels).toEqual([
    { level: 'manager', n: 1 },
    { level: 'supervisor', n: 1 },
  ]);
  const notes = await sql<
    { kind: string; n: number }[]
  >`select kind, count(*)::int as n from notifications where case_id = ${caseId} group by kind order by kind`;
  expect(notes).toEqual([
    // The worker heard of the new case at intake (I8), then each ladder step reached its people once.
    { kind: 'case.new', n: 1 },
    { kind: 'deadline.manager', n: 2 },
    { kind: 'deadline.reminder', n: 1 },
    { kind: 'deadline.supervisor', n: 1 },
  ]);
});

it('delivers every e-mail at least once after its worker is killed mid-send, repeating only what was sent but not recorded', { timeout: 120_000 }, async () => {
  const smtp = await startSmtpSink();
  const taskQueue = uniqueQueue('crash-mail');
  const stalling = startWorkerProcess(taskQueue, false, { SMTP_URL: smtp.url, STALL_AFTER_SEND: '1' });
  await stalling.saw('ready');
  const province = await freshProvince(sql);
  const people = await sql<{ id: string }[]>`
    update staff set email = username || '@ctxh.example.vn' where username in ${sql([province.manager, province.manager2, province.supervisor])} returning id`;
  const keys = people.map(() => `crash-mail:${randomUUID()}`);
  await sql.begin((tx) =>
    insertNotifications(
      tx,
      null,
      new Date().toISOString(),
      people.map((p, i) => ({ key: keys[i]!, recipientId: p.id, kind: 'deadline.manager', message: { vi: 'Quá hạn', en: 'Overdue' } })),
    ),
  );
  const deliveries = await sql<{ id: string }[]>`
    select d.id from deliveries d join notifications n on n.id = d.notification_id where n.key in ${sql(keys)} and d.channel = 'email'`;
  expect(deliveries).toHaveLength(3);
  const handles = await Promise.all(
    deliveries.map((d) =>
      client.workflow.start(deliveryWorkflow, { workflowId: `delivery-${d.id}-0`, taskQueue, args: [{ deliveryId: d.id, tryTimeout: '3 seconds' }] }),
    ),
  );
  // The server accepted them; the process froze before it could record that.
  const stalled = await eventually(
    async () => stalling.lines.filter((l) => l.startsWith('sent ')).map((l) => l.slice('sent '.length)),
    (sent) => sent.length > 0,
  );
  stalling.child.kill('SIGKILL');

  const nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await caseWorker(
    nativeConnection,
    sql,
    taskQueue,
    createChannels({ smtpUrl: smtp.url, mailFrom: 'crash@case-flow.local', webhookAllowedHosts: [] }),
  );
  try {
    const outcomes = await worker.runUntil(Promise.all(handles.map((h) => h.result())));
    expect(outcomes).toEqual(['sent', 'sent', 'sent']);
  } finally {
    await nativeConnection.close();
  }
  const arrived = new Map<string, number>();
  for (const m of smtp.mails) arrived.set(m.messageId, (arrived.get(m.messageId) ?? 0) + 1);
  for (const d of deliveries) expect(arrived.get(`<${d.id}@case-flow.local>`), `delivery ${d.id}`).toBeGreaterThanOrEqual(1);
  const repeated = [...arrived].filter(([, n]) => n > 1).map(([id]) => id);
  // What the frozen worker sent and never recorded is sent again (the window), and nothing else.
  expect(repeated.sort(), 'repeats are exactly the crash window').toEqual([...stalled].sort());
  const rows = await sql<{ status: string }[]>`select status from deliveries where id in ${sql(deliveries.map((d) => d.id))}`;
  expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  await smtp.close();
});
