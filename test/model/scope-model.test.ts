// Model-based test of scope, erasure and the record (docs/process.md, I4, I5, I8), through the API
// in process (createApp().request()) on the real workflow (time-skipping server), real activities
// and PostgreSQL: random reports by workers of two units and a collaborator — repeats about the
// same people, children whose abuse restricts the case, replays of a create — then random
// restrictions, transfers, assignments and erasures by random people. After every step, every
// person reads everything they can (lists, each case, notices, work lists): what each is shown
// must be exactly what the scope rules, re-stated here, allow them; no answer may carry the id or
// the name of a case outside their scope; an erased person's name is nowhere in the database.
// Contacts (issue 27) too: random calls about the same people, some about an abused child (C1
// opens a case at once), read by everyone — each sees exactly the contacts the rules allow, and a
// contact's possible client names only cases in the reader's scope.
//
// npm test runs a bounded number of sequences; MODEL_RUNS and MODEL_SEED (or npm run test:model)
// run more. A failure prints its seed, path and shrunk sequence.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { Sql } from '../../db/connect';
import type { Role } from '../../domain/access';
import type { Intake } from '../../domain/intake';
import { issueSessionToken } from '../../security/session-tokens';
import { testApiDeps } from '../support/cases';
import { intake } from '../support/intakes';
import { timeSkippingCases, type TimeSkippingCases } from '../support/time-skipping';

const RUNS = Number(process.env.MODEL_RUNS ?? 12);
const SEED = Number(process.env.MODEL_SEED ?? 20_261_124);
const PATH = process.env.MODEL_PATH;
const STEPS = Number(process.env.MODEL_STEPS ?? 14);

const PEOPLE = ['worker1', 'worker2', 'supervisor1', 'supervisor2', 'manager1', 'admin1', 'collaborator1'] as const;
type Person = (typeof PEOPLE)[number];
interface Someone {
  id: string;
  role: Role;
  unitId: string | null;
  token: string;
}

let cases: TimeSkippingCases;
let sql: Sql;
let app: ReturnType<typeof createApp>;
const people = {} as Record<Person, Someone>;
const units: Record<string, { id: string; supervisorId: string | null }> = {};
const reached: Record<string, number> = {};
const count = (what: string) => (reached[what] = (reached[what] ?? 0) + 1);

beforeAll(async () => {
  cases = await timeSkippingCases('scope-model');
  sql = cases.sql;
  const deps = testApiDeps(sql, cases.env.client, cases.taskQueue);
  app = createApp(deps);
  for (const username of PEOPLE) {
    const [row] = await sql<{ id: string; role: Role; unit_id: string | null }[]>`select id, role, unit_id from staff where username = ${username}`;
    people[username] = { id: row!.id, role: row!.role, unitId: row!.unit_id, token: (await issueSessionToken(row!.id, deps.authSecret, 60)).token };
  }
  for (const u of await sql<
    { id: string; name: string; supervisor_id: string | null }[]
  >`select id, name, supervisor_id from units where province = 'quang-ninh'`) {
    units[u.name] = { id: u.id, supervisorId: u.supervisor_id };
  }
});

afterAll(async () => {
  console.log(
    `[scope model] reached: ${Object.entries(reached)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  await cases?.close();
});

async function call(who: Person, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${people[who].token}`,
      'x-forwarded-for': '192.0.2.20',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}

/** What the model knows of a case of this run, read back from the database after every step. */
interface KnownCase {
  id: string;
  name: string;
  intake: Intake;
  key: string;
  reporter: Person;
  /** The contact C1 opened it from: a replay asks that contact for its case again. */
  contactId?: string;
  unitId: string | null;
  assigneeId: string | null;
  reportedBy: string;
  restricted: boolean;
  erased: boolean;
}

interface World {
  cases: KnownCase[];
  names: string[];
  contacts: KnownContact[];
}

/** A contact of this run: who recorded it (and so its unit), and the case C1 opened for it. */
interface KnownContact {
  id: string;
  recordedBy: Person;
  caseId: string | null;
}

const CONTACT_ROLES: readonly Role[] = ['social_worker', 'supervisor', 'manager'];

/** Issue 27's scope of contacts, stated again independently of db/scope.ts. */
function mayReadContact(w: World, p: Someone, k: KnownContact): boolean {
  const recorder = people[k.recordedBy];
  const byRole =
    p.role === 'manager' ||
    (p.role === 'supervisor' && recorder.unitId === p.unitId) ||
    (p.role === 'social_worker' && (recorder.id === p.id || recorder.unitId === p.unitId));
  if (!byRole) return false;
  const opened = k.caseId ? w.cases.find((c) => c.id === k.caseId) : undefined;
  return !opened || recorder.id === p.id || mayRead(p, opened);
}

/** No answer to `who` carries the id of a case outside their scope, but those they are owed (a case their own call opened). */
function noCaseOutside(w: World, who: Person, text: string, what: string, owed: ReadonlySet<string>) {
  for (const c of w.cases) {
    if (mayRead(people[who], c) || owed.has(c.id)) continue;
    expect(text.includes(c.id), `${what} shows ${who} the case ${c.id} outside their scope`).toBe(false);
  }
}

/** The scope rules, stated again from docs/process.md, independently of db/cases.ts. */
function mayRead(p: Someone, c: KnownCase): boolean {
  const unitSupervisor = Object.values(units).find((u) => u.id === c.unitId)?.supervisorId;
  switch (p.role) {
    case 'manager':
      return true;
    case 'admin':
      return !c.restricted;
    case 'supervisor':
      return c.unitId === p.unitId && (!c.restricted || unitSupervisor === p.id);
    case 'social_worker':
      return c.assigneeId === p.id || ((c.unitId === p.unitId || c.reportedBy === p.id) && !c.restricted);
    case 'collaborator':
      return c.reportedBy === p.id;
  }
}

async function refresh(w: World) {
  for (const c of w.cases) {
    const [row] = await sql<{ unit_id: string | null; assigned_worker_id: string | null; reported_by: string; restricted: boolean; erased_at: Date | null }[]>`
      select unit_id, assigned_worker_id, reported_by, restricted, erased_at from cases where id = ${c.id}`;
    Object.assign(c, {
      unitId: row!.unit_id,
      assigneeId: row!.assigned_worker_id,
      reportedBy: row!.reported_by,
      restricted: row!.restricted,
      erased: row!.erased_at !== null,
    });
  }
}

/** I4: an answer to `who` names no case, and no person, they may not read; a collaborator's names nobody. */
function noSideDoor(w: World, who: Person, text: string, what: string, ownCase?: string) {
  const p = people[who];
  // A name is theirs to see when any case of that person is in their scope.
  const seenNames = new Set(w.cases.filter((c) => mayRead(p, c) && p.role !== 'collaborator').map((c) => c.name));
  for (const c of w.cases) {
    // The case the caller named or reported may be answered with its status, even out of scope.
    if (mayRead(p, c) || c.id === ownCase) continue;
    expect(text.includes(c.id), `${what} shows ${who} the case ${c.id} outside their scope`).toBe(false);
    if (!seenNames.has(c.name)) expect(text.includes(c.name), `${what} shows ${who} the name of someone outside their scope`).toBe(false);
  }
  if (p.role === 'collaborator') for (const name of w.names) expect(text.includes(name), `${what} shows a collaborator a name`).toBe(false);
}

/** Everyone reads everything they can; each answer is what the rules allow, and nothing more. */
async function everyoneReads(w: World) {
  await refresh(w);
  for (const who of PEOPLE) {
    const p = people[who];
    const list = await call(who, 'GET', '/cases?limit=100');
    noSideDoor(w, who, list.text, 'GET /cases');
    const listed = new Set((list.body.items as Array<{ id: string }>).map((c) => c.id));
    for (const c of w.cases) {
      expect(listed.has(c.id), `${who} lists ${c.id} (${c.restricted ? 'restricted' : 'open'}, unit ${c.unitId})`).toBe(mayRead(p, c));
      const one = await call(who, 'GET', `/cases/${c.id}`);
      expect(one.status, `${who} reads ${c.id}`).toBe(mayRead(p, c) ? 200 : 404);
      // A 404 repeats the id the caller asked for, and says nothing else.
      if (one.status === 404) expect(one.body.error.code).toBe('not_found');
      else noSideDoor(w, who, one.text, `GET /cases/${c.id}`);
      if (p.role === 'collaborator' && one.status === 200) expect(Object.keys(one.body).sort()).toEqual(['createdAt', 'id', 'ref', 'stage', 'updatedAt']);
    }
    for (const path of ['/me/notifications?limit=500', '/reviews/due?limit=500', '/escalations?limit=500']) {
      const res = await call(who, 'GET', path);
      if (res.status === 200) noSideDoor(w, who, res.text, `GET ${path}`);
      else expect([res.status, p.role]).toEqual([403, 'collaborator']);
    }
    await readsContacts(w, who);
  }
}

/** Every contact of the run, listed and read one by one: exactly those the rules allow. */
async function readsContacts(w: World, who: Person) {
  const p = people[who];
  const owed = new Set(w.contacts.filter((k) => k.recordedBy === who && k.caseId).map((k) => k.caseId!));
  const list = await call(who, 'GET', '/contacts?limit=100');
  if (!CONTACT_ROLES.includes(p.role)) {
    expect(list.status, `${who} lists contacts`).toBe(403);
    return;
  }
  expect(list.status).toBe(200);
  noCaseOutside(w, who, list.text, 'GET /contacts', owed);
  const listed = new Set((list.body.items as Array<{ id: string }>).map((k) => k.id));
  for (const k of w.contacts) {
    expect(listed.has(k.id), `${who} lists the contact ${k.id} recorded by ${k.recordedBy}`).toBe(mayReadContact(w, p, k));
    const one = await call(who, 'GET', `/contacts/${k.id}`);
    expect(one.status, `${who} reads the contact ${k.id}`).toBe(mayReadContact(w, p, k) ? 200 : 404);
    if (one.status === 200) noCaseOutside(w, who, one.text, `GET /contacts/${k.id}`, owed);
  }
}

/** I5: nothing that names an erased person stays, unless another case of theirs is alive. */
async function erasedIsGone(w: World) {
  for (const c of w.cases.filter((k) => k.erased)) {
    if (w.cases.some((o) => !o.erased && o.name === c.name)) continue;
    const [hits] = await sql<{ n: number }[]>`
      select (select count(*) from cases where intake::text like ${`%${c.name}%`})
           + (select count(*) from case_events where data::text like ${`%${c.name}%`})
           + (select count(*) from contacts where case_id = ${c.id} and body::text like ${`%${c.name}%`})
           + (select count(*) from clients where full_name = ${c.name})::int as n`;
    expect(Number(hits!.n), `${c.name} is still in the database after erasure`).toBe(0);
  }
}

type Cmd = fc.AsyncCommand<object, World>;

class Report implements Cmd {
  constructor(
    readonly reporter: 'worker1' | 'worker2' | 'collaborator1',
    readonly person: number,
    readonly child: boolean,
    readonly commune: 'Hạ Long' | 'Móng Cái',
  ) {}
  check = () => true;
  async run(_m: object, w: World) {
    const name = w.names[this.person % w.names.length]!;
    const body = intake({
      channel: this.reporter === 'collaborator1' ? 'collaborator' : 'hotline',
      client: { fullName: name, age: this.child ? 11 : 45, gender: 'female', location: { province: 'Quảng Ninh', commune: this.commune } },
      categories: this.child ? ['child_at_risk'] : ['domestic_violence_victim'],
      concerns: this.child ? { sexualAbuse: true } : { violenceOngoing: true },
    });
    const key = `model-${randomUUID()}`;
    const res = await call(this.reporter, 'POST', '/cases', body, { 'idempotency-key': key });
    expect(res.status).toBe(201);
    const known: KnownCase = {
      id: res.body.id,
      name,
      intake: body,
      key,
      reporter: this.reporter,
      unitId: null,
      assigneeId: null,
      reportedBy: '',
      restricted: false,
      erased: false,
    };
    w.cases.push(known);
    await refresh(w);
    count(known.restricted ? 'restricted report' : 'report');
    noSideDoor(w, this.reporter, res.text, 'POST /cases', known.id);
    if (!mayRead(people[this.reporter], known)) expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'id', 'ref', 'stage', 'updatedAt']);
    // I8: whoever has the case heard of it.
    if (known.assigneeId) {
      const [n] = await sql<{ n: number }[]>`select count(*)::int as n from notifications where case_id = ${known.id} and recipient_id = ${known.assigneeId}`;
      expect(n!.n, 'the assigned worker is told').toBeGreaterThan(0);
    }
    await everyoneReads(w);
  }
  toString = () => `${this.reporter} reports person #${this.person} (${this.child ? 'an abused child' : 'an adult'}) in ${this.commune}`;
}

/** A call about person #n recorded by someone; about an abused child, C1 must open a case at once. */
class Call implements Cmd {
  constructor(
    readonly who: Person,
    readonly person: number,
    readonly child: boolean,
    readonly danger: boolean,
    readonly commune: 'Hạ Long' | 'Móng Cái',
  ) {}
  check = () => true;
  async run(_m: object, w: World) {
    const name = w.names[this.person % w.names.length]!;
    const body = {
      channel: 'hotline',
      caller: { anonymous: true },
      about: { fullName: name, age: this.child ? 11 : 45, gender: 'female', location: { commune: this.commune } },
      callType: this.danger ? 'report_of_concern' : 'counselling',
      topics: this.child ? ['child_at_risk'] : ['domestic_violence_victim'],
      ...(this.danger ? { concerns: this.child ? { sexualAbuse: true } : { violenceOngoing: true } } : {}),
      summary: `Cuộc gọi về ${name}`,
      outcome: 'advice_given',
    };
    const res = await call(this.who, 'POST', '/contacts', body);
    if (!CONTACT_ROLES.includes(people[this.who].role)) {
      expect(res.status, `${this.who} records a contact`).toBe(403);
      count('call refused');
      return;
    }
    expect(res.status, res.text.slice(0, 300)).toBe(201);
    // C1: an emergency routing is a case, whatever was chosen; an abused child always is one.
    if (this.child && this.danger) expect(res.body.routing?.path).toBe('emergency');
    const emergency = res.body.routing?.path === 'emergency';
    expect(res.body.outcome).toBe(emergency ? 'case_opened' : 'advice_given');
    expect(res.body.caseId !== null).toBe(emergency);
    const known: KnownContact = { id: res.body.id, recordedBy: this.who, caseId: res.body.caseId };
    w.contacts.push(known);
    if (known.caseId) {
      w.cases.push({
        id: known.caseId,
        name,
        intake: intake(),
        key: '',
        reporter: this.who,
        contactId: known.id,
        unitId: null,
        assigneeId: null,
        reportedBy: '',
        restricted: false,
        erased: false,
      });
    }
    await refresh(w);
    count(known.caseId ? 'call opened a case (C1)' : 'call stayed advice');
    // What the caller learns of the person: only cases in their scope, or their own call's case.
    const possible = JSON.stringify(res.body.possibleClient);
    noCaseOutside(w, this.who, possible, 'a possible client', new Set(known.caseId ? [known.caseId] : []));
    if (res.body.possibleClient?.restricted) count('possible client with a restricted case');
    await everyoneReads(w);
  }
  toString = () =>
    `${this.who} records a call about person #${this.person} (${this.child ? 'a child' : 'an adult'}${this.danger ? ', in danger' : ''}) in ${this.commune}`;
}

/** Acts on the n-th case of the run (if any) as someone; whatever the answer, the reads that follow must hold. */
class Act implements Cmd {
  constructor(
    readonly who: Person,
    readonly n: number,
    readonly what: 'replay' | 'restrict' | 'unrestrict' | 'transfer' | 'assign' | 'erase' | 'note',
  ) {}
  check = () => true;
  async run(_m: object, w: World) {
    const c = w.cases[this.n % Math.max(1, w.cases.length)];
    if (!c) return;
    const path = `/cases/${c.id}`;
    const otherUnit = Object.values(units).find((u) => u.id !== c.unitId)!.id;
    const workerOfUnit = Object.values(people).find((p) => p.role === 'social_worker' && p.unitId === c.unitId)?.id ?? people.worker1.id;
    const res =
      this.what === 'replay'
        ? c.contactId
          ? await call(c.reporter, 'POST', `/contacts/${c.contactId}/case`, {})
          : await call(c.reporter, 'POST', '/cases', c.intake, { 'idempotency-key': c.key })
        : this.what === 'restrict' || this.what === 'unrestrict'
          ? await call(this.who, 'POST', `${path}/restriction`, { restricted: this.what === 'restrict', reason: 'Mô hình' })
          : this.what === 'transfer'
            ? await call(this.who, 'POST', `${path}/transfer`, { unitId: otherUnit, reason: 'Mô hình' })
            : this.what === 'assign'
              ? await call(this.who, 'POST', `${path}/assign`, { workerId: workerOfUnit })
              : this.what === 'erase'
                ? await call(this.who, 'POST', `${path}/erase`, { reason: 'Yêu cầu xoá' })
                : await call(this.who, 'POST', `${path}/notes`, { text: `Ghi chú về ${c.name}` });
    expect(res.status, `${this.toString()}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
    count(`${this.what} ${res.status}`);
    await refresh(w);
    // The answer may name the case acted on (the caller sent its id): as its status when the action
    // took it out of their scope; a refusal says nothing else.
    if (res.status < 400) noSideDoor(w, this.what === 'replay' ? c.reporter : this.who, res.text, this.toString(), c.id);
    if (res.status === 200 && !mayRead(people[this.what === 'replay' ? c.reporter : this.who], c)) {
      expect(Object.keys(res.body).sort(), 'out of scope after the action: its status only').toEqual(['createdAt', 'id', 'ref', 'stage', 'updatedAt']);
    }
    if (this.what === 'erase' && res.status === 200) await erasedIsGone(w);
    await everyoneReads(w);
  }
  toString = () => `${this.who} ${this.what} case #${this.n}`;
}

const reporter = fc.constantFrom('worker1' as const, 'worker2' as const, 'collaborator1' as const);
const anyone = fc.constantFrom(...PEOPLE);
const caller = fc.constantFrom('worker1' as const, 'worker2' as const, 'supervisor1' as const, 'manager1' as const, 'collaborator1' as const);
const commands = [
  {
    arbitrary: fc.tuple(caller, fc.nat(2), fc.boolean(), fc.boolean(), fc.constantFrom('Hạ Long' as const, 'Móng Cái' as const)).map((a) => new Call(...a)),
    weight: 3,
  },
  { arbitrary: fc.tuple(reporter, fc.nat(2), fc.boolean(), fc.constantFrom('Hạ Long' as const, 'Móng Cái' as const)).map((a) => new Report(...a)), weight: 4 },
  {
    arbitrary: fc
      .tuple(
        anyone,
        fc.nat(9),
        fc.constantFrom(
          'replay' as const,
          'restrict' as const,
          'unrestrict' as const,
          'transfer' as const,
          'assign' as const,
          'erase' as const,
          'note' as const,
        ),
      )
      .map(([who, n, what]) => new Act(who, n, what)),
    weight: 5,
  },
];

describe('scope, erasure and notices under random sequences', () => {
  it(
    `keep I4, I5 and I8 (${RUNS} sequences, seed ${SEED})`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.oneof(...commands), { minLength: Math.ceil(STEPS / 2), maxLength: STEPS }), async (cmds) => {
          // Three people per sequence, each a name no other sequence uses.
          const names = [0, 1, 2].map((i) => `Mô Hình ${randomUUID().slice(0, 6)} ${i}`);
          await fc.asyncModelRun(() => ({ model: {}, real: { cases: [], names, contacts: [] } }), cmds);
          count('sequences');
          reached.steps = (reached.steps ?? 0) + cmds.length;
          if (reached.sequences! % 50 === 0) console.log(`[scope model] ${reached.sequences} sequences, ${reached.steps} steps`);
        }),
        { numRuns: RUNS, seed: SEED, path: PATH, verbose: 1, endOnFailure: process.env.MODEL_NO_SHRINK === '1' },
      );
    },
    600_000 + RUNS * 60_000,
  );
});
