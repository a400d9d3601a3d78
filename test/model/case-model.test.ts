// Model-based test of the case workflow's rules (docs/process.md, I1, I2, I3, I7): random
// sequences of actions by random people — reviews that report and clear concerns, risk decisions,
// merges of a repeat report, plan approvals and rejections, closures, time passing — on the real
// workflow (time-skipping server) with real activities and PostgreSQL. After every step the rules
// are checked against what the workflow and the database say, and every refusal is checked
// against what the catalogue allows, with nothing changed.
//
// npm test runs a bounded number of sequences with a fixed seed; `npm run test:model -- --runs N
// --seed S` runs more. A failure prints the seed, the path and the shrunk sequence to replay it.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCase } from '../../db/cases';
import type { Sql } from '../../db/connect';
import type { Role } from '../../domain/access';
import type { ActionInput } from '../../domain/action-bodies';
import { ACTIONS, type ActionName } from '../../domain/actions';
import { CONCERN_KEYS, known, trueConcerns, type ConcernKey, type Concerns } from '../../domain/concerns';
import type { Intake } from '../../domain/intake';
import { lowers } from '../../domain/risk';
import { interventionMayMove, OPEN_INTERVENTION_STATUSES } from '../../domain/stages';
import { actionUpdate, stateQuery, type Actor, type caseWorkflow, type CaseState } from '../../workflows/case';
import { routeCase } from '../support/cases';
import { intake } from '../support/intakes';
import { timeSkippingCases, type TimeSkippingCases } from '../support/time-skipping';

const RUNS = Number(process.env.MODEL_RUNS ?? 20);
const SEED = Number(process.env.MODEL_SEED ?? 20_261_123);
const PATH = process.env.MODEL_PATH;
const STEPS = Number(process.env.MODEL_STEPS ?? 24);
/** What the sequences reached, printed at the end: a run that never clears a concern proves little. */
const reached: Record<string, number> = {};
const count = (what: string) => (reached[what] = (reached[what] ?? 0) + 1);

let env: TestWorkflowEnvironment;
let sql: Sql;
let taskQueue: string;
let cases: TimeSkippingCases;
const people: Record<string, Actor> = {};
const PEOPLE = ['worker1', 'supervisor1', 'manager1', 'manager2', 'collaborator1'] as const;
type Person = (typeof PEOPLE)[number];

beforeAll(async () => {
  cases = await timeSkippingCases('model');
  ({ env, sql, taskQueue } = cases);
  for (const username of PEOPLE) {
    const [row] = await sql<{ id: string; role: Role }[]>`select id, role from staff where username = ${username}`;
    people[username] = { id: row!.id, name: username, role: row!.role };
  }
});

afterAll(async () => {
  console.log(
    `[model] reached: ${Object.entries(reached)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  await cases?.close();
});

type Handle = WorkflowHandle<typeof caseWorkflow>;

/** The two cases of a run: the client's open case, and a repeat report about the same client. */
interface World {
  open: Handle;
  report: Handle;
  intake: Intake;
}

/** What the model remembers between steps: little, since the rules are relations between before and after. */
interface Model {
  reportMerged: boolean;
  openClosed: boolean;
}

interface Seen {
  state: CaseState & { caseId: string };
  db: NonNullable<Awaited<ReturnType<typeof findCase>>>;
}

async function see(handle: Handle): Promise<Seen> {
  const state = await handle.query(stateQuery);
  const db = await findCase(sql, handle.workflowId);
  if (!db) throw new Error(`case ${handle.workflowId} is not in the database`);
  return { state, db };
}

const knownOf = (s: Seen['state'], intakeConcerns: Concerns) => known(s.concerns ?? intakeConcerns);
const includes = (a: Concerns, b: Concerns) => trueConcerns(b).every((k) => a[k] === true);

/** I7: the workflow and the database agree on everything staff read. */
function agree(seen: Seen, intakeConcerns: Concerns) {
  const { state, db } = seen;
  expect(db.stage, 'stage').toBe(state.stage);
  expect(db.assignedWorker?.id ?? null, 'assignee').toBe(state.assigneeId);
  expect({ path: db.risk.path, level: db.risk.level, score: db.risk.score }, 'risk').toEqual({
    path: state.risk!.path,
    level: state.risk!.level,
    score: state.risk!.score,
  });
  expect(db.pendingRisk?.decision ?? null, 'pending risk').toEqual(state.pendingRisk?.decision ?? null);
  expect(db.pendingRisk?.resolvedBy ?? null, 'pending risk: who cleared').toBe(state.pendingRisk?.resolvedBy ?? null);
  expect(db.concerns, 'known concerns').toEqual(knownOf(state, intakeConcerns));
  expect(db.deadline, 'deadline').toEqual(state.deadline ?? null);
  if (state.restricted !== undefined) expect(db.restricted, 'restricted').toBe(state.restricted);
  // A pending risk is always lower than the one in force: otherwise it would have applied.
  if (state.pendingRisk) expect(lowers(state.pendingRisk.decision, state.risk!), 'pending is lower').toBe(true);
}

/**
 * I1: unless a lower risk was confirmed, the risk in force does not drop, and no known concern is
 * forgotten but those this step cleared (a clearing that lowers nothing applies at once).
 */
function neverDrops(before: Seen, after: Seen, intakeConcerns: Concerns, cleared: readonly ConcernKey[] = []) {
  expect(lowers(after.state.risk!, before.state.risk!), `risk dropped from ${before.state.risk!.level}/${before.state.risk!.path}`).toBe(false);
  const forgotten = trueConcerns(knownOf(before.state, intakeConcerns)).filter((k) => !knownOf(after.state, intakeConcerns)[k] && !cleared.includes(k));
  expect(forgotten, 'known concerns forgotten').toEqual([]);
}

/** I2: newly reported danger on the emergency path puts an open case in emergency response. */
function newDangerReopens(before: Seen, after: Seen, intakeConcerns: Concerns) {
  const newly = trueConcerns(knownOf(after.state, intakeConcerns)).filter((k) => knownOf(before.state, intakeConcerns)[k] !== true);
  if (newly.length > 0 && after.state.risk!.path === 'emergency' && before.state.stage !== 'closed') {
    expect(after.state.stage, `new ${newly.join(', ')} on the emergency path`).toBe('emergency_response');
  }
}

/** Whether the catalogue and the action's own rule allow this person to do it now, and if not, why. */
function allowed(name: ActionName, who: Actor, s: CaseState, extra: { clearing?: boolean; body?: unknown } = {}): string | null {
  const spec = ACTIONS[name] as { roles: readonly string[]; stages: readonly string[] };
  if (!spec.roles.includes(who.role)) return 'forbidden';
  if (name === 'review' && extra.clearing && who.role === 'social_worker') return 'forbidden';
  if (!spec.stages.includes(s.stage)) return 'out_of_stage';
  if (name === 'planDecision' && s.plan?.submittedBy === who.id) return 'own_approval';
  if (name === 'closureDecision' && s.closure?.requestedBy === who.id) return 'own_approval';
  if (name === 'riskDecision' && !s.pendingRisk) return 'no_pending_risk';
  if (name === 'riskDecision' && s.pendingRisk?.resolvedBy === who.id) return 'own_approval';
  // I6: a plan names what happens to every open intervention; closure waits for them all.
  const open = s.interventions.filter((i) => OPEN_INTERVENTION_STATUSES.includes(i.status)).map((i) => i.id);
  if (name === 'plan') {
    const body = extra.body as ActionInput<'plan'>;
    const named = [...body.interventions.map((i) => i.id), ...(body.cancel ?? []).map((c) => c.id)];
    if (open.some((id) => !named.includes(id))) return 'open_interventions';
  }
  if (name === 'closure' && open.length > 0) return 'open_interventions';
  if (name === 'updateIntervention') {
    const body = extra.body as ActionInput<'updateIntervention'>;
    const target = s.interventions.find((i) => i.id === body.interventionId);
    if (!target) return 'not_found';
    if (body.status && !interventionMayMove(target.status, body.status)) return 'invalid_transition';
  }
  return null;
}

/** Runs an action on the open case; checks refusals against the catalogue and that they change nothing. */
async function act<K extends ActionName>(w: World, name: K, person: Person, body: ActionInput<K>, extra: { clearing?: boolean } = {}) {
  const who = people[person]!;
  const before = await see(w.open);
  const expected = allowed(name, who, before.state, { ...extra, body });
  const outcome = await w.open.executeUpdate(actionUpdate(name), { args: [who, body] }).then(
    () => null,
    (err: unknown) => {
      if (err instanceof WorkflowUpdateFailedError) return (err.cause as { type?: string }).type ?? 'failed';
      throw err;
    },
  );
  expect(outcome, `${person} ${name} in ${before.state.stage}`).toBe(expected);
  count(outcome ? `refused ${name}:${outcome}` : name);
  const after = await see(w.open);
  agree(after, w.intake.concerns);
  if (outcome) {
    // A refused action changes nothing, in the workflow or the database.
    expect(after.state).toEqual(before.state);
    expect(after.db.updatedAt).toBe(before.db.updatedAt);
  }
  return { before, after, refused: outcome !== null };
}

// The people who move a case along come more often than those who may not touch it.
const person = fc.oneof(
  { arbitrary: fc.constant('worker1' as const), weight: 4 },
  { arbitrary: fc.constantFrom('manager1' as const, 'manager2' as const), weight: 3 },
  { arbitrary: fc.constant('supervisor1' as const), weight: 2 },
  { arbitrary: fc.constant('collaborator1' as const), weight: 1 },
);
// Reviews that clear concerns and risk decisions are the leads' work.
const lead = fc.oneof(
  { arbitrary: fc.constant('supervisor1' as const), weight: 3 },
  { arbitrary: fc.constantFrom('manager1' as const, 'manager2' as const), weight: 3 },
  { arbitrary: person, weight: 2 },
);
const concerns = fc.subarray([...CONCERN_KEYS], { maxLength: 3 }).map((keys) => Object.fromEntries(keys.map((k) => [k, true])) as Concerns);

class Act<K extends ActionName> implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly name: K,
    readonly person: Person,
    readonly body: ActionInput<K>,
  ) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const { before, after, refused } = await act(w, this.name, this.person, this.body);
    if (!refused) {
      neverDrops(before, after, w.intake.concerns);
      newDangerReopens(before, after, w.intake.concerns);
    }
  }
  toString = () => `${this.person} ${this.name} ${JSON.stringify(this.body)}`;
}

class Review implements fc.AsyncCommand<Model, World> {
  private cleared: ConcernKey[] = [];
  /** Clears `clearing` of the concerns known when it runs (from the `from`-th on): clearing what is not known proves nothing. */
  constructor(
    readonly person: Person,
    readonly added: Concerns | undefined,
    readonly clearing: number,
    readonly from: number,
  ) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const knownNow = trueConcerns(knownOf((await see(w.open)).state, w.intake.concerns));
    this.cleared = knownNow.length
      ? Array.from({ length: Math.min(this.clearing, knownNow.length) }, (_, i) => knownNow[(this.from + i) % knownNow.length]!)
      : [];
    const body = {
      summary: 'Rà soát',
      progress: 'on_track' as const,
      ...(this.added ? { concerns: this.added } : {}),
      ...(this.cleared.length ? { resolvedConcerns: this.cleared.map((concern) => ({ concern, reason: 'Đã hết' })) } : {}),
    };
    const { before, after, refused } = await act(w, 'review', this.person, body, { clearing: this.cleared.length > 0 });
    if (refused) return;
    neverDrops(before, after, w.intake.concerns, this.cleared);
    newDangerReopens(before, after, w.intake.concerns);
    // What was reported is known now, whatever was cleared in the same review.
    const grown = knownOf(after.state, w.intake.concerns);
    for (const k of trueConcerns(this.added ?? {})) if (!this.cleared.includes(k)) expect(grown[k], `${k} reported`).toBe(true);
    if (after.state.pendingRisk && this.cleared.length > 0) expect(after.state.pendingRisk.resolvedBy).toBe(people[this.person]!.id);
    if (after.state.pendingRisk) count('pending risk held');
    if (after.state.stage === 'emergency_response' && before.state.stage !== 'emergency_response') count('back to emergency');
  }
  toString = () => `${this.person} review +${trueConcerns(this.added ?? {}).join(',')} -${this.clearing} known from #${this.from}`;
}

class RiskDecision implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly person: Person,
    readonly decision: 'confirm' | 'reject',
  ) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const { before, after, refused } = await act(w, 'riskDecision', this.person, { decision: this.decision, comment: 'Quyết định' });
    if (refused) return;
    const pending = before.state.pendingRisk!;
    expect(after.state.pendingRisk, 'pending risk decided').toBeUndefined();
    if (this.decision === 'confirm') {
      // The only way a risk drops: a person other than the one who cleared the concern confirms it.
      expect(after.state.risk).toEqual(pending.decision);
      expect(knownOf(after.state, w.intake.concerns)).toEqual(known(pending.concerns));
      expect(people[this.person]!.id).not.toBe(pending.resolvedBy);
    } else {
      expect(after.state.risk).toEqual(before.state.risk);
      expect(knownOf(after.state, w.intake.concerns)).toEqual(knownOf(before.state, w.intake.concerns));
    }
  }
  toString = () => `${this.person} ${this.decision}s the pending risk`;
}

class Merge implements fc.AsyncCommand<Model, World> {
  constructor(readonly person: Person) {}
  check = (m: Readonly<Model>) => !m.reportMerged;
  async run(m: Model, w: World) {
    const who = people[this.person]!;
    const report = await see(w.report);
    const open = await see(w.open);
    const expected = open.state.stage === 'closed' ? 'closed' : allowed('merge', who, report.state);
    if (expected === 'closed') return; // the API refuses merging into a closed case before the workflow sees it
    const outcome = await w.report.executeUpdate(actionUpdate('merge'), { args: [who, { intoCaseId: w.open.workflowId }] }).then(
      () => null,
      (err: unknown) => (err instanceof WorkflowUpdateFailedError ? ((err.cause as { type?: string }).type ?? 'failed') : Promise.reject(err)),
    );
    expect(outcome, `${this.person} merges`).toBe(expected);
    if (outcome) return;
    m.reportMerged = true;
    count(report.state.stage === 'emergency_response' ? 'merge of an unconfirmed emergency' : 'merge');
    const merged = await see(w.report);
    expect(merged.db).toMatchObject({ stage: 'closed', mergedInto: w.open.workflowId });
    // The open case takes the report in as soon as its signal is handled.
    let after = await see(w.open);
    for (let i = 0; i < 100 && after.state.eventSeq === open.state.eventSeq; i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = await see(w.open);
    }
    agree(after, w.intake.concerns);
    const events = await sql<{ kind: string }[]>`select kind from case_events where case_id = ${w.open.workflowId} order by seq desc limit 1`;
    expect(events[0]?.kind).toBe('case.merge_received');
    // I3: the report's concerns join, the risk does not drop, an unconfirmed emergency returns.
    expect(includes(knownOf(after.state, w.intake.concerns), knownOf(report.state, report.state.concerns ?? {}))).toBe(true);
    neverDrops(open, after, w.intake.concerns);
    newDangerReopens(open, after, w.intake.concerns);
    if (report.state.stage === 'emergency_response' && open.state.stage !== 'closed') expect(after.state.stage).toBe('emergency_response');
  }
  toString = () => `${this.person} merges the report into the open case`;
}

/** The next step of the process, by the person whose work it is: sequences reach reviews often. */
class Progress implements fc.AsyncCommand<Model, World> {
  check = () => true;
  async run(_m: Model, w: World) {
    const { state } = await see(w.open);
    const open = state.interventions.filter((i) => OPEN_INTERVENTION_STATUSES.includes(i.status)).map((i) => i.id);
    const step = {
      emergency_response: () => act(w, 'safetyConfirmed', 'worker1', { actions: ['An toàn'] }),
      assessment: () => act(w, 'assessment', 'worker1', { summary: 'Đánh giá', needs: ['support'] }),
      planning: () =>
        act(w, 'plan', 'worker1', {
          goals: ['An toàn'],
          interventions: [{ type: 'visit', description: 'Thăm nhà' }],
          cancel: open.map((id) => ({ id, reason: 'Không cần nữa' })),
        }),
      plan_review: () => act(w, 'planDecision', 'manager1', { decision: 'approve', comment: 'Thông qua' }),
      // In implementation, the work gets done: one open intervention at a time.
      implementation: () => (open[0] ? act(w, 'updateIntervention', 'worker1', { interventionId: open[0], status: 'done', outcome: 'Xong' }) : undefined),
    }[state.stage as string];
    const done = await step?.();
    if (done) neverDrops(done.before, done.after, w.intake.concerns);
  }
  toString = () => 'the next step of the process';
}

class TimePasses implements fc.AsyncCommand<Model, World> {
  constructor(readonly hours: number) {}
  check = () => true;
  async run(_m: Model, w: World) {
    const before = await see(w.open);
    await env.sleep(`${this.hours} hours`);
    const after = await see(w.open);
    agree(after, w.intake.concerns);
    // Time alone changes no risk and no stage.
    expect(after.state.risk).toEqual(before.state.risk);
    expect(after.state.stage).toBe(before.state.stage);
  }
  toString = () => `${this.hours} hours pass`;
}

const commands = [
  // One step in four moves the case along the process, so sequences reach reviews and decisions.
  { arbitrary: fc.constant(new Progress()), weight: 6 },
  person.map((p) => new Act('safetyConfirmed', p, { actions: ['An toàn'] })),
  person.map((p) => new Act('assessment', p, { summary: 'Đánh giá', needs: ['support'] })),
  person.map((p) => new Act('plan', p, { goals: ['An toàn'], interventions: [{ type: 'visit', description: 'Thăm nhà' }] })),
  fc
    .tuple(person, fc.constantFrom('i1', 'i2', 'i3'), fc.constantFrom('planned' as const, 'in_progress' as const, 'done' as const, 'cancelled' as const))
    .map(([p, interventionId, status]) => new Act('updateIntervention', p, { interventionId, status })),
  fc.tuple(person, fc.constantFrom('approve' as const, 'reject' as const)).map(([p, d]) => new Act('planDecision', p, { decision: d, comment: 'Ý kiến' })),
  // Reviews and risk decisions are what the rules are about: they come often.
  {
    arbitrary: fc
      .tuple(lead, fc.option(concerns, { nil: undefined }), fc.integer({ min: 0, max: 2 }), fc.nat(11))
      .map(([p, added, clearing, from]) => new Review(p, added, clearing, from)),
    weight: 5,
  },
  { arbitrary: fc.tuple(lead, fc.constantFrom('confirm' as const, 'reject' as const)).map(([p, d]) => new RiskDecision(p, d)), weight: 3 },
  person.map((p) => new Act('closure', p, { reasonCode: 'goals_met', goalsMet: 'all', reason: 'Đạt mục tiêu', outcome: 'Ổn định' })),
  fc.tuple(person, fc.constantFrom('approve' as const, 'reject' as const)).map(([p, d]) => new Act('closureDecision', p, { decision: d, comment: 'Ý kiến' })),
  person.map((p) => new Act('reopen', p, { reason: 'Tái diễn' })),
  person.map((p) => new Merge(p)),
  fc.integer({ min: 1, max: 24 * 40 }).map((h) => new TimePasses(h)),
].map((c) => ('weight' in c ? c : { arbitrary: c as fc.Arbitrary<fc.AsyncCommand<Model, World>>, weight: 1 }));
const sequences = fc.array(fc.oneof(...commands), { minLength: Math.ceil(STEPS / 2), maxLength: STEPS });

const model = (): Model => ({ reportMerged: false, openClosed: false });

const client = fc.record({
  age: fc.constantFrom(9, 15, 34, 78),
  categories: fc.subarray(['child_at_risk', 'older_person_alone', 'domestic_violence_victim', 'disability'] as const, { maxLength: 2 }),
  concerns: fc.subarray([...CONCERN_KEYS], { minLength: 1, maxLength: 4 }).map((keys) => Object.fromEntries(keys.map((k) => [k, true])) as Concerns),
  reportConcerns: concerns,
  // Half the sequences start with the plan approved, where reviews and risk decisions happen.
  inImplementation: fc.boolean(),
});

describe('the case workflow under random sequences', () => {
  it(
    `keeps I1, I2, I3 and I7 (${RUNS} sequences, seed ${SEED})`,
    async () => {
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(client, sequences, async (c, cmds) => {
          const base = intake({
            channel: 'hotline',
            client: {
              fullName: `Người thử ${randomUUID().slice(0, 8)}`,
              age: c.age,
              gender: 'female',
              location: { province: 'Quảng Ninh', commune: 'Hạ Long' },
            },
            categories: [...c.categories],
            concerns: c.concerns,
          });
          const openId = randomUUID();
          const reportId = randomUUID();
          await routeCase(env.client, sql, taskQueue, openId, base);
          await routeCase(env.client, sql, taskQueue, reportId, { ...base, concerns: c.reportConcerns });
          const world: World = { open: env.client.workflow.getHandle(openId), report: env.client.workflow.getHandle(reportId), intake: base };
          for (let i = 0; c.inImplementation && i < 5 && (await see(world.open)).state.stage !== 'implementation'; i++)
            await new Progress().run(model(), world);
          agree(await see(world.open), base.concerns);
          await fc.asyncModelRun(() => ({ model: model(), real: world }), cmds);
          reached.sequences = (reached.sequences ?? 0) + 1;
          reached.steps = (reached.steps ?? 0) + cmds.length;
          if (reached.sequences % 50 === 0)
            console.log(`[model] ${reached.sequences} sequences, ${reached.steps} steps, ${Math.round((Date.now() - started) / 1000)} s`);
        }),
        { numRuns: RUNS, seed: SEED, path: PATH, verbose: 1, endOnFailure: process.env.MODEL_NO_SHRINK === '1' },
      );
    },
    600_000 + RUNS * 30_000,
  );
});
