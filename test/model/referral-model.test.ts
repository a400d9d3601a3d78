// Model-based test of referrals (domain/referrals.ts, R2 and R3, and I7 for referrals): random
// sequences of referrals made, sent, revoked, progressed by staff, answered by partners, closures
// tried and time passing, on the real case workflow (time-skipping server) with real activities
// and PostgreSQL. The model states the protocol on its own — which move leads where, when a clock
// expires — and after every step the workflow and the database must agree with it:
//   - every referral's status is the model's, in the workflow and in PostgreSQL (I7);
//   - a sent referral's ladder took exactly the steps whose time came before it was answered,
//     once each, and it expired at its managers' step if nobody answered (R2);
//   - closure is refused with open_referrals exactly while a referral waits for its answer (R3).
//
// npm test runs a bounded number of sequences with a fixed seed; `npm run test:model -- --runs N
// --seed S` runs more.
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../db/connect';
import { insertPartner } from '../../db/partners';
import type { Role } from '../../domain/access';
import type { ReferralStatus } from '../../domain/referrals';
import { DEMO_PROVINCE } from '../../system/demo-directory';
import { actionUpdate, partnerAnswerUpdate, stateQuery, type Actor, type caseWorkflow } from '../../workflows/case';
import { routeCase } from '../support/cases';
import { lonelyOlderMan } from '../support/intakes';
import { timeSkippingCases, type TimeSkippingCases } from '../support/time-skipping';

const RUNS = Number(process.env.MODEL_RUNS ?? 10);
const SEED = Number(process.env.MODEL_SEED ?? 20_261_201);
const PATH = process.env.MODEL_PATH;
const STEPS = Number(process.env.MODEL_STEPS ?? 20);
const reached: Record<string, number> = {};
const count = (what: string) => (reached[what] = (reached[what] ?? 0) + 1);

let env: TestWorkflowEnvironment;
let sql: Sql;
let taskQueue: string;
let cases: TimeSkippingCases;
let partner: { id: string; name: string };
const people: Record<string, Actor> = {};
const PEOPLE = ['worker1', 'supervisor1', 'manager1', 'manager2', 'collaborator1'] as const;
type Person = (typeof PEOPLE)[number];

beforeAll(async () => {
  cases = await timeSkippingCases('referral-model');
  ({ env, sql, taskQueue } = cases);
  for (const username of PEOPLE) {
    const [row] = await sql<{ id: string; role: Role }[]>`select id, role from staff where username = ${username}`;
    people[username] = { id: row!.id, name: username, role: row!.role };
  }
  partner = await insertPartner(sql, DEMO_PROVINCE.code, { name: 'Trung tâm thử', kind: 'programme', services: ['tư vấn'], contact: {} });
});

afterAll(async () => {
  console.log(
    `[referral model] reached: ${Object.entries(reached)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  await cases?.close();
});

type Handle = WorkflowHandle<typeof caseWorkflow>;
type Move = 'send' | 'accept' | 'decline' | 'in_service' | 'complete' | 'revoke';

/** The protocol as the model states it, apart from the code: where each move leads from each status. */
const NEXT: Record<Move, Partial<Record<ReferralStatus, ReferralStatus>>> = {
  send: { draft: 'sent' },
  accept: { sent: 'accepted' },
  decline: { sent: 'declined' },
  in_service: { sent: 'in_service', accepted: 'in_service' },
  complete: { accepted: 'completed', in_service: 'completed' },
  revoke: { draft: 'revoked', sent: 'revoked', accepted: 'revoked', in_service: 'revoked' },
};
const ENDED: ReferralStatus[] = ['declined', 'expired', 'completed', 'revoked'];
const LEVELS = ['reminder', 'supervisor', 'manager'] as const;

interface ModelReferral {
  id: string;
  status: ReferralStatus;
  /** The ladder's times, once sent. */
  clock?: { key: string; reminder: number; supervisor: number; manager: number };
  /** When it stopped waiting for an answer (answered, revoked, expired). */
  leftSentAt?: number;
}

interface Model {
  referrals: ModelReferral[];
}

interface World {
  handle: Handle;
}

const statusWord = (err: unknown) => {
  if (err instanceof WorkflowUpdateFailedError) return (err.cause as { type?: string }).type ?? 'failed';
  throw err;
};

/** Time moves the model: a sent referral whose managers' step has come has expired. */
async function catchUp(m: Model): Promise<number> {
  const now = await env.currentTimeMs();
  for (const r of m.referrals) {
    if (r.status === 'sent' && r.clock && r.clock.manager <= now) {
      r.status = 'expired';
      r.leftSentAt = r.clock.manager;
      count('expired');
    }
  }
  return now;
}

/** After every step: the workflow, PostgreSQL and the model say the same of every referral. */
async function agree(m: Model, w: World) {
  const now = await catchUp(m);
  const state = await w.handle.query(stateQuery);
  const rows = await sql<
    { id: string; status: string; deadline: unknown }[]
  >`select id, status, deadline from referrals where case_id = ${w.handle.workflowId}`;
  const inDb = new Map(rows.map((r) => [r.id, r]));
  expect(
    (state.referrals ?? []).map((r) => [r.id, r.status]),
    'workflow',
  ).toEqual(m.referrals.map((r) => [r.id, r.status]));
  for (const r of m.referrals) {
    expect(inDb.get(r.id)?.status, `referral ${r.id} in PostgreSQL`).toBe(r.status);
    const inState = state.referrals!.find((x) => x.id === r.id)!;
    expect(inDb.get(r.id)?.deadline ?? null, 'deadline in PostgreSQL').toEqual(inState.deadline ?? null);
    if (r.status === 'sent') expect(inState.deadline, 'a sent referral has its clock').toBeDefined();
    else expect(inState.deadline, `a ${r.status} referral has no clock`).toBeUndefined();
    if (!r.clock) continue;
    // R2: exactly the ladder steps whose time came while it waited, each once.
    const until = Math.min(now, r.leftSentAt ?? now);
    const due = LEVELS.filter((l) => r.clock![l] <= until).map((l) => `deadline.${l}`);
    const steps = await sql<{ kind: string }[]>`
      select kind from case_events where case_id = ${w.handle.workflowId} and data->>'deadline' = ${r.clock.key} order by seq`;
    expect(
      steps.map((s) => s.kind),
      `ladder of ${r.id}`,
    ).toEqual(due);
    const escalated = await sql<{ level: string }[]>`
      select level from escalations where case_id = ${w.handle.workflowId} and deadline_key = ${r.clock.key} order by opened_at`;
    expect(
      escalated.map((e) => e.level),
      `escalations of ${r.id}`,
    ).toEqual(due.filter((k) => k !== 'deadline.reminder').map((k) => k.slice('deadline.'.length)));
    if (due.length) count(`ladder reached ${due.at(-1)}`);
  }
}

/** Reads the clock the workflow set when a referral was sent. */
async function clockOf(w: World, id: string): Promise<ModelReferral['clock']> {
  const d = (await w.handle.query(stateQuery)).referrals!.find((r) => r.id === id)!.deadline!;
  return { key: d.key, reminder: Date.parse(d.dueAt), supervisor: Date.parse(d.supervisorAt), manager: Date.parse(d.managerAt) };
}

const staff = fc.oneof(
  { arbitrary: fc.constant('worker1' as const), weight: 5 },
  { arbitrary: fc.constantFrom('supervisor1' as const, 'manager1' as const), weight: 2 },
  { arbitrary: fc.constant('collaborator1' as const), weight: 1 },
);

class Refer implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly person: Person,
    readonly draft: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.referrals.length < 5;
  async run(m: Model, w: World) {
    await catchUp(m);
    const body = {
      partnerId: partner.id,
      service: 'tư vấn',
      reason: 'Cần tư vấn',
      consent: { givenBy: 'Người được trợ giúp', scope: ['client.age' as const] },
      ...(this.draft ? { draft: true } : {}),
    };
    const outcome = await w.handle.executeUpdate(actionUpdate('refer'), { args: [people[this.person]!, body] }).then((r) => r, statusWord);
    if (this.person === 'collaborator1') {
      expect(outcome).toBe('forbidden');
      return await agree(m, w);
    }
    const id = (outcome as { referralId: string }).referralId;
    const made: ModelReferral = { id, status: this.draft ? 'draft' : 'sent' };
    if (!this.draft) made.clock = await clockOf(w, id);
    m.referrals.push(made);
    count(this.draft ? 'drafted' : 'sent');
    await agree(m, w);
  }
  toString = () => `${this.person} refers${this.draft ? ' (draft)' : ''}`;
}

/** A staff move (send, revoke, progress) on the n-th referral. */
class StaffMove implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly move: 'send' | 'revoke' | 'in_service' | 'complete',
    readonly n: number,
  ) {}
  check = (m: Readonly<Model>) => m.referrals.length > 0;
  async run(m: Model, w: World) {
    await catchUp(m);
    const r = m.referrals[this.n % m.referrals.length]!;
    const worker = people.worker1!;
    const call =
      this.move === 'send'
        ? w.handle.executeUpdate(actionUpdate('sendReferral'), { args: [worker, { referralId: r.id }] })
        : this.move === 'revoke'
          ? w.handle.executeUpdate(actionUpdate('revokeReferral'), { args: [worker, { referralId: r.id, reason: 'Không cần nữa' }] })
          : w.handle.executeUpdate(actionUpdate('referralProgress'), {
              args: [
                worker,
                this.move === 'complete' ? { referralId: r.id, status: 'completed', outcome: 'Xong' } : { referralId: r.id, status: 'in_service' },
              ],
            });
    const outcome = await call.then(() => null, statusWord);
    const next = NEXT[this.move][r.status];
    expect(outcome, `${this.move} from ${r.status}`).toBe(next ? null : 'invalid_transition');
    count(next ? `staff ${this.move}` : `refused staff ${this.move}`);
    if (next) this.apply(r, next, await env.currentTimeMs());
    if (next === 'sent') r.clock = await clockOf(w, r.id);
    await agree(m, w);
  }
  private apply(r: ModelReferral, next: ReferralStatus, now: number) {
    if (r.status === 'sent') r.leftSentAt = now;
    r.status = next;
  }
  toString = () => `staff ${this.move} referral #${this.n}`;
}

/** The partner answers the n-th referral through its link (the update the link sends). */
class PartnerAnswers implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly action: 'accept' | 'decline' | 'complete',
    readonly n: number,
  ) {}
  check = (m: Readonly<Model>) => m.referrals.length > 0;
  async run(m: Model, w: World) {
    await catchUp(m);
    const r = m.referrals[this.n % m.referrals.length]!;
    const answer =
      this.action === 'decline'
        ? { referralId: r.id, action: 'decline' as const, reason: 'Hết chỗ', partner }
        : this.action === 'complete'
          ? { referralId: r.id, action: 'complete' as const, outcome: 'Xong', partner }
          : { referralId: r.id, action: 'accept' as const, partner };
    const outcome = await w.handle.executeUpdate(partnerAnswerUpdate, { args: [answer] }).then((a) => a, statusWord);
    const next = NEXT[this.action][r.status];
    const lands = { accept: 'accepted', decline: 'declined', complete: 'completed' }[this.action];
    if (lands === r.status) {
      expect(outcome, 'a repeated answer changes nothing').toEqual({ status: r.status, changed: false });
      count('partner repeats');
    } else if (next) {
      expect(outcome).toEqual({ status: next, changed: true });
      if (r.status === 'sent') r.leftSentAt = await env.currentTimeMs();
      r.status = next;
      count(`partner ${this.action}`);
    } else {
      expect(outcome, `${this.action} from ${r.status}`).toBe(ENDED.includes(r.status) ? 'referral_closed' : 'invalid_transition');
      count(`refused partner ${this.action}`);
    }
    await agree(m, w);
  }
  toString = () => `partner ${this.action}s referral #${this.n}`;
}

/** R3: closure is refused exactly while a referral waits; an accepted closure is sent back at once. */
class TryClosure implements fc.AsyncCommand<Model, World> {
  check = () => true;
  async run(m: Model, w: World) {
    await catchUp(m);
    const waiting = m.referrals.some((r) => r.status === 'sent');
    const outcome = await w.handle
      .executeUpdate(actionUpdate('closure'), { args: [people.worker1!, { reasonCode: 'goals_met', goalsMet: 'all', reason: 'Đạt', outcome: 'Ổn' }] })
      .then(() => null, statusWord);
    expect(outcome, waiting ? 'a referral waits' : 'nothing waits').toBe(waiting ? 'open_referrals' : null);
    count(waiting ? 'closure held by a referral' : 'closure proposed');
    if (!outcome) await w.handle.executeUpdate(actionUpdate('closureDecision'), { args: [people.manager2!, { decision: 'reject', comment: 'Chưa' }] });
    await agree(m, w);
  }
  toString = () => 'closure is proposed';
}

class TimePasses implements fc.AsyncCommand<Model, World> {
  constructor(readonly hours: number) {}
  check = () => true;
  async run(m: Model, w: World) {
    await env.sleep(`${this.hours} hours`);
    await agree(m, w);
  }
  toString = () => `${this.hours} hours pass`;
}

const n = fc.nat(7);
const commands = [
  { arbitrary: fc.tuple(staff, fc.boolean()).map(([p, d]) => new Refer(p, d)), weight: 4 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('send' as const, 'revoke' as const, 'in_service' as const, 'complete' as const), n)
      .map(([mv, i]) => new StaffMove(mv, i)),
    weight: 3,
  },
  { arbitrary: fc.tuple(fc.constantFrom('accept' as const, 'decline' as const, 'complete' as const), n).map(([a, i]) => new PartnerAnswers(a, i)), weight: 4 },
  { arbitrary: fc.constant(new TryClosure()), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 24 * 8 }).map((h) => new TimePasses(h)), weight: 3 },
];
const sequences = fc.array(fc.oneof(...commands), { minLength: Math.ceil(STEPS / 2), maxLength: STEPS });

describe('referrals under random sequences', () => {
  it(
    `keep their protocol, their clocks (R2) and closure's wait (R3) (${RUNS} sequences, seed ${SEED})`,
    async () => {
      await fc.assert(
        fc.asyncProperty(sequences, async (cmds) => {
          const caseId = randomUUID();
          await routeCase(env.client, sql, taskQueue, caseId, lonelyOlderMan());
          const handle: Handle = env.client.workflow.getHandle(caseId);
          const worker = people.worker1!;
          await handle.executeUpdate(actionUpdate('assessment'), { args: [worker, { summary: 'Đánh giá', needs: ['support'] }] });
          await handle.executeUpdate(actionUpdate('plan'), { args: [worker, { goals: ['Ổn định'], interventions: [] }] });
          await handle.executeUpdate(actionUpdate('planDecision'), { args: [people.manager1!, { decision: 'approve', comment: 'Thông qua' }] });
          await fc.asyncModelRun(() => ({ model: { referrals: [] }, real: { handle } }), cmds);
          reached.sequences = (reached.sequences ?? 0) + 1;
          reached.steps = (reached.steps ?? 0) + cmds.length;
        }),
        { numRuns: RUNS, seed: SEED, path: PATH, verbose: 1, endOnFailure: process.env.MODEL_NO_SHRINK === '1' },
      );
    },
    Math.max(120_000, RUNS * 20_000),
  );
});
