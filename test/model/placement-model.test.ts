// Model-based test of placements (issue 28, domain/placements.ts: P1–P3): random sequences of
// placements made, moved, extended, ended and visited by random people through the API, of several
// cases placing at once with one carer, and of time passing — a few emergency cases and a few
// carers of capacity 1 or 2, on the real case workflow (time-skipping server) with real activities
// and PostgreSQL. The model states the rules on its own — who may do what, which answer each
// request gets (201/200, 403, 404, 409 active_placement / carer_full / carer_not_approved /
// invalid_transition, 422), where each placement's clock stands and what its ladder has done —
// and after every step PostgreSQL, the workflow and GET /cases/{id} must agree with it:
//   - P2: at most one placement per case is not ended;
//   - P3: no carer has more placements not ended than its capacity;
//   - P1: a temporary separation past its limit, neither ended nor extended, is overdue, with open
//     escalations to the supervisor and the managers, once each; an end, a move elsewhere or an
//     extension resolves them; a visit that saw the person re-arms foster and kinship care's clock;
//   - every placement's carer, kind, status, limit, visits and clock (key, times, levels taken) is
//     the model's in the workflow's state and in PostgreSQL; the ladder's events and escalations
//     are those of the levels whose time came while their clock ran, each once.
//
// npm test runs a bounded number of sequences with a fixed seed; `npm run test:model -- --runs N
// --seed S` runs more. A failure prints the seed, the path and the shrunk sequence to replay it.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { Sql } from '../../db/connect';
import { durationMs, type DeadlineRule } from '../../domain/deadlines';
import { clockOf, PLACEMENT_KINDS, PLACEMENT_OUTCOMES, type PlacementKind, type PlacementOutcome, type PlacementStatus } from '../../domain/placements';
import { vietnamDay } from '../../domain/vietnam-time';
import { loadDefaultDeadlinePolicy } from '../../rules/default-deadlines';
import { issueSessionToken } from '../../security/session-tokens';
import { stateQuery, type caseWorkflow } from '../../workflows/case';
import { staffId, testApiDeps } from '../support/cases';
import { eventually } from '../support/eventually';
import { intake } from '../support/intakes';
import { timeSkippingCases, type TimeSkippingCases } from '../support/time-skipping';

const RUNS = Number(process.env.MODEL_RUNS ?? 10);
const SEED = Number(process.env.MODEL_SEED ?? 20_261_228);
const PATH = process.env.MODEL_PATH;
const STEPS = Number(process.env.MODEL_STEPS ?? 40);
/** What the sequences reached, printed at the end: a run that never goes overdue proves little. */
const reached: Record<string, number> = {};
const count = (what: string) => (reached[what] = (reached[what] ?? 0) + 1);

const HOUR = 3600_000;
const PEOPLE = ['worker1', 'supervisor1', 'manager1', 'manager2', 'collaborator1'] as const;
type Person = (typeof PEOPLE)[number];
const MANAGERS: readonly Person[] = ['manager1', 'manager2'];
/** Carers a sequence registers; after them, one whose approval expired and an id no carer has. */
const CARERS = 3;
const EXPIRED = CARERS;
const UNKNOWN = CARERS + 1;

/** The shipped deadline policy's clocks (the demo province publishes none of its own), in ms. */
const policy = loadDefaultDeadlinePolicy();
function clockRule(step: 'separation_limit' | 'placement_visit') {
  const rule = policy.rules.find((r) => r.step === step)!;
  const ms = (d: DeadlineRule['due']) => {
    if (typeof d !== 'string') throw new Error(`${step}: the model counts calendar time, not working days`);
    return durationMs(d);
  };
  return {
    due: ms(rule.due),
    supervisor: ms(rule.supervisorGrace),
    manager: ms(rule.managerGrace),
    warning: rule.warning ? durationMs(rule.warning) : undefined,
  };
}
const LIMIT = clockRule('separation_limit');
const VISITS = clockRule('placement_visit');

let env: TestWorkflowEnvironment;
let sql: Sql;
let taskQueue: string;
let cases: TimeSkippingCases;
let app: ReturnType<typeof createApp>;
let deps: ReturnType<typeof testApiDeps>;
let expiredCarer: string;
const unknownCarer = randomUUID();
const tokens: Partial<Record<Person, string>> = {};

interface Reply {
  status: number;
  body: any;
}

/** The API in process, talking to the time-skipping server's cases. */
async function call(person: Person, method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${tokens[person]}`,
      'x-forwarded-for': '192.0.2.28',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Session tokens for the demo accounts, fresh for each sequence (a long run outlives one). */
async function login() {
  for (const username of PEOPLE) tokens[username] = (await issueSessionToken(await staffId(sql, username), deps.authSecret, deps.tokenTtlMinutes)).token;
}

beforeAll(async () => {
  cases = await timeSkippingCases('placement-model');
  ({ env, sql, taskQueue } = cases);
  deps = testApiDeps(sql, env.client, taskQueue);
  app = createApp(deps);
  await login();
  const expired = await call('manager1', 'POST', '/carers', {
    kind: 'foster_family',
    name: `Gia đình hết hạn ${randomUUID().slice(0, 6)}`,
    commune: 'Hạ Long',
    capacity: 2,
    contact: {},
    approvedUntil: '2020-01-01',
  });
  expect(expired.status, JSON.stringify(expired.body)).toBe(201);
  expiredCarer = expired.body.id;
});

afterAll(async () => {
  console.log(
    `[placement model] reached: ${Object.entries(reached)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  await cases?.close();
});

type Handle = WorkflowHandle<typeof caseWorkflow>;
const LEVELS = ['warning', 'reminder', 'supervisor', 'manager'] as const;
type Level = (typeof LEVELS)[number];

/** A placement's clock (P1's limit or P4's visits) as the model keeps it, from its arming to when it stopped. */
interface Clock {
  key: string;
  caseIx: number;
  step: 'separation_limit' | 'placement_visit';
  at: Partial<Record<Level, number>>;
  /** The levels whose time came while it ran, in order. */
  fired: Level[];
  live: boolean;
}

interface Placed {
  id: string;
  carer: number;
  kind: PlacementKind;
  status: PlacementStatus;
  startsAt: number;
  endsBy: number | null;
  visits: number;
  /** Its clock while it runs. */
  clock?: Clock;
  /** The workflow's clockSeq: how many clocks it armed (carried over by a move that goes on separating). */
  seq: number;
}

interface Model {
  cases: { id: string; placements: Placed[] }[];
  carers: { id: string; capacity: number }[];
  /** Every clock ever armed, for the ladder's events and escalations. */
  clocks: Clock[];
}

interface World {
  handles: Handle[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const current = (m: Model, ci: number) => m.cases[ci]!.placements.find((p) => p.status !== 'ended');
const taken = (m: Model, carer: number) => m.cases.flatMap((c) => c.placements).filter((p) => p.carer === carer && p.status !== 'ended').length;
const carerId = (m: Model, slot: number) => (slot === EXPIRED ? expiredCarer : slot === UNKNOWN ? unknownCarer : m.carers[slot]!.id);
const isSeparation = (k: PlacementKind) => k === 'temporary_separation';

/** Arms a fresh clock on a placement, as armPlacement does: P1's limit (or the earlier `until`), or P4's visits. */
function arm(m: Model, ci: number, p: Placed, from: number, until?: number) {
  const step = clockOf(p.kind);
  p.clock = undefined;
  if (!step) return;
  p.seq += 1;
  const rule = step === 'separation_limit' ? LIMIT : VISITS;
  const due = step === 'separation_limit' && until !== undefined ? until : from + rule.due;
  const clock: Clock = {
    key: `placement:${p.id}:${p.seq}`,
    caseIx: ci,
    step,
    at: {
      ...(rule.warning !== undefined ? { warning: due - rule.warning } : {}),
      reminder: due,
      supervisor: due + rule.supervisor,
      manager: due + rule.manager,
    },
    fired: [],
    live: true,
  };
  p.clock = clock;
  m.clocks.push(clock);
}

/** Stops a placement's clock: its escalations are resolved. */
function stop(p: Placed) {
  if (p.clock) p.clock.live = false;
  p.clock = undefined;
}

/** Time moves the model: each running clock takes the levels whose time came; a separation at its limit is overdue. */
function catchUp(m: Model, now: number) {
  for (const c of m.cases) {
    for (const p of c.placements) {
      const k = p.clock;
      if (!k || p.status === 'ended') continue;
      for (const level of LEVELS) {
        const at = k.at[level];
        if (at === undefined || at > now || k.fired.includes(level)) continue;
        k.fired.push(level);
        count(`${k.step} ${level}`);
        if (level === 'reminder' && isSeparation(p.kind)) p.status = 'overdue';
      }
    }
  }
}

/** Reads the clock the workflow armed and checks it is the model's (within `slack` ms where the workflow's own now counts). */
async function adopt(w: World, ci: number, p: Placed, slack = 0) {
  const state = await w.handles[ci]!.query(stateQuery);
  const d = state.placements?.find((x) => x.id === p.id)?.deadline;
  if (!p.clock) {
    expect(d, `placement ${p.id} (${p.kind}) has no clock`).toBeUndefined();
    return;
  }
  expect(d?.key, `clock of placement ${p.id}`).toBe(p.clock.key);
  const seen: Partial<Record<Level, number>> = {
    ...(d!.warningAt ? { warning: Date.parse(d!.warningAt) } : {}),
    reminder: Date.parse(d!.dueAt),
    supervisor: Date.parse(d!.supervisorAt),
    manager: Date.parse(d!.managerAt),
  };
  expect(Object.keys(seen), `levels of ${p.clock.key}`).toEqual(Object.keys(p.clock.at));
  for (const level of LEVELS) {
    if (seen[level] === undefined) continue;
    expect(Math.abs(seen[level] - p.clock.at[level]!), `${p.clock.key} ${level} at ${iso(seen[level])}, model ${iso(p.clock.at[level]!)}`).toBeLessThanOrEqual(
      slack,
    );
  }
  p.clock.at = seen;
}

interface Expected {
  status: number;
  code?: string;
}
const ok = (status: number): Expected => ({ status });
const refused = (status: number, code: string): Expected => ({ status, code });

function expectAnswer(res: Reply, expected: Expected, what: string) {
  const got = { status: res.status, ...(res.status >= 400 ? { code: res.body?.error?.code } : {}) };
  expect(got, `${what}: ${JSON.stringify(res.body)}`).toEqual(expected);
  count(`${what.split(' ')[1]} ${expected.status}${expected.code ? ` ${expected.code}` : ''}`);
}

/** The API's checks of a carer before the workflow sees the request (P3 first as a read, then under the lock). */
function carerRefusal(m: Model, slot: number): Expected | undefined {
  if (slot === UNKNOWN) return refused(404, 'not_found');
  if (slot === EXPIRED) return refused(409, 'carer_not_approved');
  if (taken(m, slot) >= m.carers[slot]!.capacity) return refused(409, 'carer_full');
  return undefined;
}

/**
 * A placement a request names: a current one, an ended one, or one this case does not have (another
 * case's, or nobody's). The command's case comes first; when it has no such placement, the next case
 * that has one (so that requests reach placements often), and when none has, the command's case with
 * whatever it has. Of current placements, those the request means most are preferred.
 */
type Target = 'current' | 'ended' | 'stranger';
const nobodys = randomUUID();
function target(
  m: Model,
  ci0: number,
  t: Target,
  prefer: (p: Placed) => boolean = () => true,
): { ci: number; p: Placed | undefined; path: (action: string) => string } {
  const n = m.cases.length;
  const lastEnded = (ci: number) => m.cases[ci]!.placements.filter((p) => p.status === 'ended').at(-1);
  const of = (ci: number, which: Target) => (which === 'current' ? current(m, ci) : which === 'ended' ? lastEnded(ci) : undefined);
  const at = (ci: number, p: Placed | undefined, id = p?.id ?? nobodys) => ({
    ci,
    p,
    path: (action: string) => `/cases/${m.cases[ci]!.id}/placements/${id}/${action}`,
  });
  if (t === 'stranger') return at(ci0 % n, undefined, m.cases[(ci0 + 1) % n]!.placements.at(-1)?.id);
  for (const preferred of t === 'current' ? [true, false] : [false]) {
    for (let k = 0; k < n; k++) {
      const ci = (ci0 + k) % n;
      const p = of(ci, t);
      if (p && (!preferred || prefer(p))) return at(ci, p);
    }
  }
  return at(ci0 % n, of(ci0 % n, t === 'current' ? 'ended' : 'current'));
}
/** The workflow refuses a request about a placement it does not have, or that has ended. */
const notCurrent = (p: Placed | undefined): Expected | undefined =>
  !p ? refused(404, 'not_found') : p.status === 'ended' ? refused(409, 'invalid_transition') : undefined;

const REASON = 'Trẻ không an toàn ở nhà';
const decisionOn = (at: number) => ({ number: '12/QĐ-UBND', by: 'Chủ tịch UBND xã', on: vietnamDay(new Date(at)) });
/** Arrived ten minutes ago: the limits then fall between the hours time passes by. */
const ARRIVED = 10 * 60_000;

class Place implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly person: Person,
    readonly ci: number,
    readonly carer: number,
    readonly kind: PlacementKind,
    readonly untilHours: number | undefined,
  ) {}
  check = () => true;
  async run(m: Model, w: World) {
    const ci = this.ci % m.cases.length;
    const now = await env.currentTimeMs();
    catchUp(m, now);
    const startsAt = now - ARRIVED;
    const until = this.untilHours === undefined ? undefined : startsAt + this.untilHours * HOUR;
    const body = {
      carerId: carerId(m, this.carer),
      kind: this.kind,
      startsAt: iso(startsAt),
      reason: REASON,
      ...(isSeparation(this.kind) ? { decision: decisionOn(now) } : {}),
      ...(until === undefined ? {} : { until: iso(until) }),
    };
    const expected =
      this.person === 'collaborator1'
        ? refused(403, 'forbidden')
        : (carerRefusal(m, this.carer) ??
          (current(m, ci)
            ? refused(409, 'active_placement')
            : isSeparation(this.kind) && until !== undefined && until > startsAt + LIMIT.due
              ? refused(422, 'validation_failed')
              : ok(201)));
    const res = await call(this.person, 'POST', `/cases/${m.cases[ci]!.id}/placements`, body);
    expectAnswer(res, expected, `${this.person} place ${this.kind}`);
    if (res.status === 201) await begun(m, w, ci, res, { carer: this.carer, kind: this.kind, startsAt, until });
    await agree(m, w);
  }
  toString = () =>
    `${this.person} places case #${this.ci} with carer #${this.carer} (${this.kind}${this.untilHours === undefined ? '' : `, until +${this.untilHours} h`})`;
}

/** A placement begun afresh (not a separation going on elsewhere): what the model expects of it, then its clock checked. */
async function begun(m: Model, w: World, ci: number, res: Reply, b: { carer: number; kind: PlacementKind; startsAt: number; until?: number }) {
  const p: Placed = {
    id: res.body.id,
    carer: b.carer,
    kind: b.kind,
    status: 'active',
    startsAt: b.startsAt,
    endsBy: isSeparation(b.kind) ? (b.until ?? b.startsAt + LIMIT.due) : (b.until ?? null),
    visits: 0,
    seq: 0,
  };
  arm(m, ci, p, b.startsAt, isSeparation(b.kind) ? b.until : undefined);
  m.cases[ci]!.placements.push(p);
  expect(res.body, 'the placement answered').toMatchObject({
    caseId: m.cases[ci]!.id,
    carer: { id: m.carers[b.carer]!.id },
    kind: b.kind,
    endsBy: p.endsBy === null ? null : iso(p.endsBy),
  });
  await adopt(w, ci, p);
  return p;
}

class Move implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly person: Person,
    readonly ci: number,
    readonly which: Target,
    readonly carer: number,
    readonly kind: PlacementKind | undefined,
    readonly untilHours: number | undefined,
  ) {}
  check = () => true;
  async run(m: Model, w: World) {
    const now = await env.currentTimeMs();
    catchUp(m, now);
    const { ci, p, path } = target(m, this.ci, this.which, (q) => q.status === 'overdue');
    const startsAt = now - ARRIVED;
    const until = this.untilHours === undefined ? undefined : startsAt + this.untilHours * HOUR;
    const kind = this.kind ?? p?.kind ?? 'foster_care';
    const carried = p !== undefined && isSeparation(p.kind) && isSeparation(kind);
    const body = {
      carerId: carerId(m, this.carer),
      startsAt: iso(startsAt),
      reason: 'Gần trường học hơn',
      ...(this.kind ? { kind: this.kind } : {}),
      ...(until === undefined ? {} : { until: iso(until) }),
    };
    const expected =
      this.person === 'collaborator1'
        ? refused(403, 'forbidden')
        : (carerRefusal(m, this.carer) ??
          notCurrent(p) ??
          (this.carer === p!.carer
            ? refused(422, 'validation_failed')
            : carried && until !== undefined && until > p!.endsBy!
              ? refused(422, 'validation_failed')
              : !carried && isSeparation(kind) && until !== undefined && until > startsAt + LIMIT.due
                ? refused(422, 'validation_failed')
                : ok(201)));
    const res = await call(this.person, 'POST', path('move'), body);
    expectAnswer(res, expected, `${this.person} move ${carried ? 'separation on' : `to ${kind}`}`);
    if (res.status !== 201) return await agree(m, w);
    const old = p!;
    if (!carried) {
      stop(old);
      old.status = 'ended';
      await begun(m, w, ci, res, { carer: this.carer, kind, startsAt, until });
    } else {
      // P1 counts the separation, not the carer: its limit, clock and ladder go on with it.
      const moved: Placed = {
        id: res.body.id,
        carer: this.carer,
        kind,
        status: old.status,
        startsAt,
        endsBy: until ?? old.endsBy,
        visits: 0,
        seq: old.seq,
        clock: old.clock,
      };
      if (until !== undefined && moved.clock) {
        const shift = until - moved.clock.at.reminder!;
        moved.clock.at = Object.fromEntries(Object.entries(moved.clock.at).map(([l, t]) => [l, t + shift]));
      }
      old.clock = undefined;
      old.status = 'ended';
      m.cases[ci]!.placements.push(moved);
      expect(res.body, 'the placement answered').toMatchObject({ carer: { id: m.carers[this.carer]!.id }, kind, endsBy: iso(moved.endsBy!) });
      await adopt(w, ci, moved);
      count(`separation moved while ${moved.status}`);
    }
    await agree(m, w);
  }
  toString = () =>
    `${this.person} moves a ${this.which} placement (case #${this.ci} first) to carer #${this.carer}${this.kind ? ` as ${this.kind}` : ''}${this.untilHours === undefined ? '' : `, until +${this.untilHours} h`}`;
}

class Extend implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly person: Person,
    readonly ci: number,
    readonly which: Target,
    readonly hoursPast: number,
  ) {}
  check = () => true;
  async run(m: Model, w: World) {
    const now = await env.currentTimeMs();
    catchUp(m, now);
    const { ci, p, path } = target(m, this.ci, this.which, (q) => isSeparation(q.kind));
    // The new limit counts from the current one, or from now once that has passed.
    const base = Math.max(now, p?.endsBy ?? now);
    const until = base + this.hoursPast * HOUR;
    const body = { decision: { ...decisionOn(now), number: '15/QĐ-UBND' }, until: iso(until), reason: 'Gia đình chưa an toàn' };
    const expected = !MANAGERS.includes(this.person)
      ? refused(403, 'forbidden')
      : (notCurrent(p) ??
        (!isSeparation(p!.kind)
          ? refused(409, 'invalid_transition')
          : until <= base || until > base + LIMIT.due
            ? refused(422, 'validation_failed')
            : ok(200)));
    const res = await call(this.person, 'POST', path('extend'), body);
    expectAnswer(res, expected, `${this.person} extend ${p?.status ?? 'nothing'}`);
    if (res.status === 200) {
      stop(p!);
      p!.status = 'active';
      p!.endsBy = until;
      arm(m, ci, p!, base, until);
      expect(res.body, 'the placement answered').toMatchObject({ id: p!.id, status: 'active', endsBy: iso(until) });
      await adopt(w, ci, p!);
    }
    await agree(m, w);
  }
  toString = () => `${this.person} extends a ${this.which} placement (case #${this.ci} first) to ${this.hoursPast} h past its limit`;
}

class End implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly person: Person,
    readonly ci: number,
    readonly which: Target,
    readonly outcome: PlacementOutcome,
    readonly early: boolean,
  ) {}
  check = () => true;
  async run(m: Model, w: World) {
    const now = await env.currentTimeMs();
    catchUp(m, now);
    const { p, path } = target(m, this.ci, this.which);
    const endedAt = this.early && p ? p.startsAt - HOUR : now;
    const expected =
      this.person === 'collaborator1' ? refused(403, 'forbidden') : (notCurrent(p) ?? (endedAt < p!.startsAt ? refused(422, 'validation_failed') : ok(200)));
    const res = await call(this.person, 'POST', path('end'), { endedAt: iso(endedAt), outcome: this.outcome, note: 'Kết thúc' });
    expectAnswer(res, expected, `${this.person} end ${p?.status ?? 'nothing'}`);
    if (res.status === 200) {
      stop(p!);
      p!.status = 'ended';
      expect(res.body, 'the placement answered').toMatchObject({ id: p!.id, status: 'ended', outcome: this.outcome });
    }
    await agree(m, w);
  }
  toString = () => `${this.person} ends a ${this.which} placement (case #${this.ci} first) (${this.outcome}${this.early ? ', before it began' : ''})`;
}

class Visit implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly person: Person,
    readonly ci: number,
    readonly which: Target,
    readonly seen: boolean,
  ) {}
  check = () => true;
  async run(m: Model, w: World) {
    const now = await env.currentTimeMs();
    catchUp(m, now);
    const { ci, p, path } = target(m, this.ci, this.which, (q) => clockOf(q.kind) === 'placement_visit');
    const expected = this.person === 'collaborator1' ? refused(403, 'forbidden') : (notCurrent(p) ?? ok(200));
    const res = await call(this.person, 'POST', path('visits'), { visitedOn: vietnamDay(new Date(now)), seen: this.seen, note: 'Thăm' });
    expectAnswer(res, expected, `${this.person} visit ${p?.kind ?? 'nothing'}${this.seen ? '' : ' unseen'}`);
    if (res.status === 200) {
      p!.visits += 1;
      // P4: a visit that saw the person starts foster and kinship care's rhythm again, from the workflow's now.
      if (this.seen && clockOf(p!.kind) === 'placement_visit') {
        stop(p!);
        arm(m, ci, p!, now);
        await adopt(w, ci, p!, 60_000);
      }
    }
    await agree(m, w);
  }
  toString = () => `${this.person} visits a ${this.which} placement (case #${this.ci} first) (${this.seen ? 'seen' : 'not seen'})`;
}

/**
 * P3 under a race: every case not placed asks for the same carer at once — the first from the
 * command's on with exactly one free place, when one has — and exactly its free places are given.
 */
class Race implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly from: number,
    readonly kinds: PlacementKind[],
  ) {}
  check = (m: Readonly<Model>) => m.cases.filter((_, ci) => !current(m as Model, ci)).length >= 2;
  async run(m: Model, w: World) {
    const now = await env.currentTimeMs();
    catchUp(m, now);
    const startsAt = now - ARRIVED;
    const slots = m.carers.map((_, k) => (this.from + k) % m.carers.length);
    const carer = slots.find((k) => m.carers[k]!.capacity - taken(m, k) === 1) ?? slots[0]!;
    const free = Math.max(0, m.carers[carer]!.capacity - taken(m, carer));
    const racing = m.cases.map((_, ci) => ci).filter((ci) => !current(m, ci));
    const kindOf = (i: number) => this.kinds[i % this.kinds.length]!;
    const answers = await Promise.all(
      racing.map((ci, i) =>
        call('worker1', 'POST', `/cases/${m.cases[ci]!.id}/placements`, {
          carerId: m.carers[carer]!.id,
          kind: kindOf(i),
          startsAt: iso(startsAt),
          reason: REASON,
        }),
      ),
    );
    const placed = answers.filter((a) => a.status === 201).length;
    expect(
      answers.map((a) => (a.status === 201 ? 201 : `${a.status} ${a.body?.error?.code}`)).sort(),
      `P3 under a race: ${racing.length} cases asked at once for carer #${carer}'s ${free} free place(s): ${JSON.stringify(answers.map((a) => a.body))}`,
    ).toEqual([
      ...Array<number>(Math.min(free, racing.length)).fill(201),
      ...Array<string>(racing.length - Math.min(free, racing.length)).fill('409 carer_full'),
    ]);
    count(`race ${racing.length} for ${free}, ${placed} placed`);
    for (const [i, ci] of racing.entries()) {
      if (answers[i]!.status === 201) await begun(m, w, ci, answers[i]!, { carer, kind: kindOf(i), startsAt });
    }
    await agree(m, w);
  }
  toString = () => `the cases not placed race for a carer (#${this.from} on, ${this.kinds.join(', ')})`;
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

/**
 * Time runs to a minute after one of the next steps of the placements' clocks (a limit, a warning,
 * a level of the ladder), or to half an hour before it, where nothing of it may have happened yet.
 */
class ClockRunsOut implements fc.AsyncCommand<Model, World> {
  constructor(
    readonly nth: number,
    readonly minutes: number,
  ) {}
  check = () => true;
  async run(m: Model, w: World) {
    const now = await env.currentTimeMs();
    catchUp(m, now);
    const steps = m.cases
      .flatMap((c) => c.placements)
      .flatMap((p) => (p.clock && p.status !== 'ended' ? LEVELS.filter((l) => !p.clock!.fired.includes(l)).map((l) => p.clock!.at[l]) : []))
      .filter((t): t is number => t !== undefined && t > now);
    const next = [...new Set(steps)].sort((a, b) => a - b);
    const to = next.length ? next[this.nth % next.length]! + this.minutes * 60_000 : now + 24 * HOUR;
    if (to > now) await env.sleep(to - now);
    count(next.length ? `clock runs out ${this.minutes > 0 ? 'just past' : 'almost'}` : 'clock runs out: none runs');
    await agree(m, w);
  }
  toString = () => `time runs to ${Math.abs(this.minutes)} min ${this.minutes > 0 ? 'after' : 'before'} the clocks' next step #${this.nth}`;
}

/** What the model expects a placement to be, as the workflow, PostgreSQL and the API each show it. */
function expectedOf(m: Model, p: Placed) {
  return {
    id: p.id,
    carerId: m.carers[p.carer]!.id,
    kind: p.kind,
    status: p.status,
    endsBy: p.endsBy === null ? null : iso(p.endsBy),
    visits: p.visits,
    key: p.clock?.key ?? null,
  };
}

/**
 * Everything that differs between the model, the workflow, PostgreSQL and the API at `now`, and
 * every broken invariant, in words; empty when all agree.
 */
async function differences(m: Model, w: World, now: number): Promise<string[]> {
  const diffs: string[] = [];
  const differ = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) diffs.push(`${what}: got ${JSON.stringify(got)}, model ${JSON.stringify(want)}`);
  };
  const ids = m.cases.map((c) => c.id);
  const rows = await sql<
    {
      id: string;
      case_id: string;
      carer_id: string;
      kind: PlacementKind;
      status: PlacementStatus;
      ends_by: Date | null;
      detail: { visits?: number; deadline?: { key: string } };
    }[]
  >`select id, case_id, carer_id, kind, status, ends_by, detail from placements where case_id in ${sql(ids)}`;
  const carerRows = await sql<{ id: string; capacity: number; current: number }[]>`
    select r.id, r.capacity, (select count(*)::int from placements q where q.carer_id = r.id and q.status <> 'ended') as current
    from carers r where r.id in ${sql(m.carers.map((c) => c.id))}`;

  // P3, from PostgreSQL alone: no carer over its capacity.
  for (const r of carerRows) if (r.current > r.capacity) diffs.push(`P3: carer ${r.id} has ${r.current} placements not ended, capacity ${r.capacity}`);

  for (const [ci, c] of m.cases.entries()) {
    const inDb = rows.filter((r) => r.case_id === c.id);
    // P2, from PostgreSQL alone: one placement not ended at most.
    const notEnded = inDb.filter((r) => r.status !== 'ended');
    if (notEnded.length > 1) diffs.push(`P2: case #${ci} has ${notEnded.length} placements not ended: ${notEnded.map((r) => r.id).join(', ')}`);
    const want = c.placements.map((p) => expectedOf(m, p));
    const byId = new Map(inDb.map((r) => [r.id, r]));
    differ(
      `case #${ci} in PostgreSQL`,
      c.placements.map((p) => {
        const r = byId.get(p.id);
        return r
          ? {
              id: r.id,
              carerId: r.carer_id,
              kind: r.kind,
              status: r.status,
              endsBy: r.ends_by?.toISOString() ?? null,
              visits: r.detail.visits ?? 0,
              key: r.detail.deadline?.key ?? null,
            }
          : null;
      }),
      want,
    );
    if (inDb.length !== c.placements.length) diffs.push(`case #${ci}: ${inDb.length} placements in PostgreSQL, ${c.placements.length} in the model`);

    const state = await w.handles[ci]!.query(stateQuery);
    const flow = state.placements ?? [];
    differ(
      `case #${ci} in the workflow`,
      flow.map((p) => ({
        id: p.id,
        carerId: p.carerId,
        kind: p.kind,
        status: p.status,
        endsBy: p.endsBy,
        visits: p.visits,
        key: p.deadline?.key ?? null,
        fired: p.fired,
        dueAt: p.deadline?.dueAt ?? null,
      })),
      c.placements.map((p) => ({ ...expectedOf(m, p), fired: p.clock?.fired ?? [], dueAt: p.clock ? iso(p.clock.at.reminder!) : null })),
    );

    const shown = await call('manager1', 'GET', `/cases/${c.id}`);
    const now_ = current(m, ci);
    differ(
      `case #${ci} as GET /cases/{id} shows it`,
      {
        placement: shown.body.placement && { id: shown.body.placement.id, status: shown.body.placement.status, endsBy: shown.body.placement.endsBy },
        placedNow: shown.body.placedNow && { id: shown.body.placedNow.id, status: shown.body.placedNow.status },
        placements: (shown.body.placements as { id: string }[]).map((p) => p.id).sort(),
      },
      {
        placement: now_ ? { id: now_.id, status: now_.status, endsBy: now_.endsBy === null ? null : iso(now_.endsBy) } : null,
        placedNow: now_ ? { id: now_.id, status: now_.status } : null,
        placements: c.placements.map((p) => p.id).sort(),
      },
    );
  }

  // P1, from PostgreSQL alone: a separation past its limit, neither ended nor extended, is overdue and escalated once to each level.
  const escalations = await sql<{ case_id: string; deadline_key: string; level: string; status: string }[]>`
    select case_id, deadline_key, level, status from escalations where case_id in ${sql(ids)} and deadline_key like 'placement:%'`;
  for (const r of rows) {
    if (r.kind !== 'temporary_separation' || r.status === 'ended' || !r.ends_by || r.ends_by.getTime() > now) continue;
    if (r.status !== 'overdue') diffs.push(`P1: separation ${r.id} is ${r.status} ${now - r.ends_by.getTime()} ms past its limit`);
    const key = r.detail.deadline?.key;
    for (const level of ['supervisor', 'manager']) {
      const open = escalations.filter((e) => e.deadline_key === key && e.level === level && e.status === 'open').length;
      if (open !== 1) diffs.push(`P1: separation ${r.id} past its limit has ${open} open escalation(s) to the ${level} on ${key}`);
    }
  }

  // The ladder: each clock's levels whose time came while it ran, once each; open while it runs, resolved once it stopped.
  const wantEscalations = m.clocks
    .flatMap((k) => (['supervisor', 'manager'] as const).filter((l) => k.fired.includes(l)).map((l) => `${k.key} ${l} ${k.live ? 'open' : 'resolved'}`))
    .sort();
  differ('placement escalations', escalations.map((e) => `${e.deadline_key} ${e.level} ${e.status}`).sort(), wantEscalations);
  const events = await sql<{ case_id: string; kind: string; deadline: string | null }[]>`
    select case_id, kind, data->>'deadline' as deadline from case_events
    where case_id in ${sql(ids)} and (kind in ('placement.limit_near', 'placement.overdue') or data->>'deadline' like 'placement:%')
    order by case_id, seq`;
  for (const [ci, c] of m.cases.entries()) {
    const mine = events.filter((e) => e.case_id === c.id);
    const clocks = m.clocks.filter((k) => k.caseIx === ci);
    differ(
      `case #${ci}'s ladder steps`,
      clocks.map((k) => [k.key, mine.filter((e) => e.deadline === k.key).map((e) => e.kind)]),
      clocks.map((k) => [k.key, k.fired.filter((l) => l !== 'warning').map((l) => `deadline.${l}`)]),
    );
    differ(`case #${ci}'s warnings`, mine.filter((e) => e.kind === 'placement.limit_near').length, clocks.filter((k) => k.fired.includes('warning')).length);
    differ(
      `case #${ci}'s overdue events`,
      mine.filter((e) => e.kind === 'placement.overdue').length,
      clocks.filter((k) => k.step === 'separation_limit' && k.fired.includes('reminder')).length,
    );
  }
  return diffs;
}

/** After every step: the model (caught up with the workflow's clock), the workflow, PostgreSQL and the API agree. */
async function agree(m: Model, w: World) {
  // A ladder step whose time just came may still be on its way: give it a moment, on the workflow's clock.
  const diffs = await eventually(
    async () => {
      const now = await env.currentTimeMs();
      catchUp(m, now);
      return await differences(m, w, now);
    },
    (d) => d.length === 0,
    5_000,
  );
  expect(diffs).toEqual([]);
}

const person = fc.oneof(
  { arbitrary: fc.constant('worker1' as const), weight: 4 },
  { arbitrary: fc.constantFrom('supervisor1' as const, 'manager1' as const), weight: 3 },
  { arbitrary: fc.constant('manager2' as const), weight: 1 },
  { arbitrary: fc.constant('collaborator1' as const), weight: 1 },
);
// Extensions are managers' (P1): they come most often, but the others try too.
const extender = fc.oneof(
  { arbitrary: fc.constantFrom('manager1' as const, 'manager2' as const), weight: 3 },
  { arbitrary: fc.constant('supervisor1' as const), weight: 1 },
  { arbitrary: fc.constantFrom('worker1' as const, 'collaborator1' as const), weight: 1 },
);
const caseIx = fc.nat(2);
const carer = fc.oneof({ arbitrary: fc.nat(CARERS - 1), weight: 10 }, { arbitrary: fc.constantFrom(EXPIRED, UNKNOWN), weight: 1 });
const kind = fc.oneof(
  { arbitrary: fc.constant('temporary_separation' as const), weight: 3 },
  { arbitrary: fc.constantFrom(...PLACEMENT_KINDS.filter((k) => k !== 'temporary_separation')), weight: 2 },
);
// An `until` in hours from the start: short limits go overdue soon; past P15D a separation's is refused.
const untilHours = fc.option(fc.constantFrom(12, 36, 24 * 6, 24 * 15 - 1, 24 * 15 + 6), { nil: undefined, freq: 2 });
const which = fc.oneof(
  { arbitrary: fc.constant<Target>('current'), weight: 6 },
  { arbitrary: fc.constant<Target>('ended'), weight: 1 },
  { arbitrary: fc.constant<Target>('stranger'), weight: 1 },
);

const commands = [
  { arbitrary: fc.tuple(person, caseIx, carer, kind, untilHours).map((a) => new Place(...a)), weight: 8 },
  {
    arbitrary: fc.tuple(person, caseIx, which, carer, fc.option(kind, { nil: undefined, freq: 1 }), untilHours).map((a) => new Move(...a)),
    weight: 4,
  },
  { arbitrary: fc.tuple(extender, caseIx, which, fc.constantFrom(-6, 24, 24 * 7, 24 * 15 - 1, 24 * 15 + 6)).map((a) => new Extend(...a)), weight: 3 },
  {
    arbitrary: fc.tuple(person, caseIx, which, fc.constantFrom(...PLACEMENT_OUTCOMES), fc.constantFrom(false, false, false, true)).map((a) => new End(...a)),
    weight: 2,
  },
  { arbitrary: fc.tuple(person, caseIx, which, fc.boolean()).map((a) => new Visit(...a)), weight: 3 },
  { arbitrary: fc.tuple(fc.nat(CARERS - 1), fc.array(kind, { minLength: 1, maxLength: 3 })).map((a) => new Race(...a)), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 24 * 10 }).map((h) => new TimePasses(h)), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom(0, 0, 0, 1, 2), fc.constantFrom(1, 1, -30)).map((a) => new ClockRunsOut(...a)), weight: 3 },
];
const sequences = fc.array(fc.oneof(...commands), { minLength: Math.ceil(STEPS / 2), maxLength: STEPS });
const setting = fc.record({
  cases: fc.integer({ min: 2, max: 3 }),
  capacities: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: CARERS, maxLength: CARERS }),
  // Most cases start placed (the i-th with the i-th carer), so that sequences soon reach moves, limits and extensions.
  placed: fc.array(fc.option(kind, { nil: undefined, freq: 3 }), { minLength: 3, maxLength: 3 }),
});

/** A child in danger at home, reported to the Hạ Long unit: an emergency case, visible to its worker and supervisor. */
const childInDanger = () =>
  intake({
    channel: 'hotline',
    reporter: { name: 'Cô giáo Lan', phone: '0912345678' },
    client: { fullName: `Trẻ thử ${randomUUID().slice(0, 8)}`, age: 9, gender: 'female', location: { province: 'Quảng Ninh', commune: 'Hạ Long' } },
    categories: ['child_at_risk'],
    concerns: { injury: true, violenceOngoing: true, perpetratorHasAccess: true },
    summary: 'Trẻ bị đánh, người gây hại vẫn ở nhà',
  });

describe('placements under random sequences', () => {
  it(
    `keep one place per case (P2), carers within capacity (P3) and separations within their limit (P1) (${RUNS} sequences, seed ${SEED})`,
    async () => {
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(setting, sequences, async (s, cmds) => {
          await login();
          const carers = [];
          for (const capacity of s.capacities) {
            const made = await call('manager1', 'POST', '/carers', {
              kind: 'foster_family',
              name: `Gia đình thử ${randomUUID().slice(0, 6)}`,
              commune: 'Hạ Long',
              capacity,
              contact: {},
            });
            expect(made.status, JSON.stringify(made.body)).toBe(201);
            carers.push({ id: made.body.id as string, capacity });
          }
          const model: Model = { cases: [], carers, clocks: [] };
          const world: World = { handles: [] };
          for (let i = 0; i < s.cases; i++) {
            const made = await call('worker1', 'POST', '/cases', childInDanger());
            expect(made.status, JSON.stringify(made.body)).toBe(201);
            expect(made.body.stage).toBe('emergency_response');
            model.cases.push({ id: made.body.id, placements: [] });
            world.handles.push(env.client.workflow.getHandle(made.body.id));
          }
          try {
            for (const [ci, k] of s.placed.slice(0, s.cases).entries()) if (k) await new Place('worker1', ci, ci, k, undefined).run(model, world);
            await fc.asyncModelRun(() => ({ model, real: world }), cmds);
          } finally {
            // The sequence's cases are done with: their clocks need not tick on through the next ones.
            await Promise.all(world.handles.map((h) => h.terminate('model sequence done').catch(() => {})));
          }
          reached.sequences = (reached.sequences ?? 0) + 1;
          reached.steps = (reached.steps ?? 0) + cmds.length;
          if (reached.sequences % 25 === 0)
            console.log(`[placement model] ${reached.sequences} sequences, ${reached.steps} steps, ${Math.round((Date.now() - started) / 1000)} s`);
        }),
        { numRuns: RUNS, seed: SEED, path: PATH, verbose: 1, endOnFailure: process.env.MODEL_NO_SHRINK === '1' },
      );
    },
    120_000 + RUNS * 30_000,
  );
});
