// The demo's group and community work (issue 29): the programmes the seeds' centres describe —
// the "Xanh lại ước mơ" club for people after a prison sentence, vocational training for children
// in special circumstances, the Deaf club, families with autistic children, life skills, parenting,
// community communication, foster families' training — with members drawn from the demo's cases,
// twelve weeks of weekly sessions and who came, and what became of members; all through the API,
// as a manager and the facilitators would record them. Run again, it adds nothing to a programme
// that exists.
import type { EnrolmentOutcome, ProgrammeKind } from '../domain/programmes';
import { vietnamDay } from '../domain/vietnam-time';
import { DEMO_PASSWORD } from './demo-directory';
import { seeded } from './demo-register';

interface Spec {
  name: string;
  kind: ProgrammeKind;
  unit: string;
  facilitator: string;
  members: number;
  capacity?: number;
  /** Outcomes recorded for a share of the members, as the seeds report them. */
  outcomes: Array<[EnrolmentOutcome, number]>;
  guests?: boolean;
}

const SPECS: Spec[] = [
  {
    name: 'CLB "Xanh lại ước mơ"',
    kind: 'club',
    unit: 'Hạ Long',
    facilitator: 'worker1',
    members: 32,
    outcomes: [
      ['apprenticeship', 25],
      ['dropped_out', 3],
    ],
  },
  {
    name: 'Dạy nghề cộng đồng cho trẻ em có hoàn cảnh đặc biệt',
    kind: 'vocational_training',
    unit: 'Hạ Long',
    facilitator: 'worker1',
    members: 40,
    capacity: 45,
    outcomes: [
      ['employed', 25],
      ['completed', 8],
      ['returned_to_school', 3],
    ],
  },
  { name: 'CLB người khiếm thính', kind: 'club', unit: 'Bình Liêu', facilitator: 'worker2', members: 43, outcomes: [] },
  { name: 'CLB gia đình có trẻ tự kỷ', kind: 'parenting', unit: 'Hạ Long', facilitator: 'supervisor1', members: 15, outcomes: [['moved_away', 1]] },
  { name: 'Lớp kỹ năng sống', kind: 'life_skills', unit: 'Bình Liêu', facilitator: 'worker2', members: 30, capacity: 30, outcomes: [['completed', 20]] },
  {
    name: 'Truyền thông cộng đồng phòng chống bạo lực gia đình',
    kind: 'community_communication',
    unit: 'Hạ Long',
    facilitator: 'worker1',
    members: 0,
    outcomes: [],
    guests: true,
  },
  {
    name: 'Tập huấn gia đình nhận chăm sóc thay thế',
    kind: 'carer_training',
    unit: 'Bình Liêu',
    facilitator: 'supervisor2',
    members: 12,
    outcomes: [['completed', 10]],
  },
];
const WEEKS = 12;
const DAY_MS = 86_400_000;

type Call = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown> & { items?: Array<Record<string, unknown>> }>;

async function session(base: string, username: string): Promise<Call> {
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`${username} could not log in: ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  const send = async (method: string, path: string, body: unknown): Promise<Response> => {
    const answer = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (answer.status !== 429) return answer;
    // The API's limit on one account's writes: wait as it says, then send it again.
    await answer.body?.cancel();
    await new Promise((r) => setTimeout(r, Number(answer.headers.get('retry-after') ?? 5) * 1000));
    return await send(method, path, body);
  };
  return async (method, path, body) => {
    const answer = await send(method, path, body);
    const json = (await answer.json()) as Record<string, unknown>;
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** Creates the demo programmes missing at `base`; says what it did. */
export async function demoProgrammes(base: string, seed: number, say: (line: string) => void): Promise<void> {
  const { random, pick } = seeded(seed + 29);
  const manager = await session(base, 'manager1');
  const existing = new Set(((await manager('GET', '/programmes')).items ?? []).map((p) => p.name as string));
  const staff = new Map(((await manager('GET', '/staff')).items ?? []).map((s) => [s.username as string, s.id as string]));
  const units = new Map(((await manager('GET', '/units')).items ?? []).map((u) => [u.name as string, u.id as string]));

  // The people: clients of the demo's cases, by unit, each once.
  const pool = new Map<string, Array<{ clientId: string; caseId: string }>>();
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (let page = 0; page < 40; page++) {
    const answer = await manager('GET', `/cases?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const c of answer.items ?? []) {
      const clientId = c.clientId as string | null;
      const unit = (c.unit as { id: string } | null)?.id;
      if (!clientId || !unit || seen.has(clientId)) continue;
      seen.add(clientId);
      pool.set(unit, [...(pool.get(unit) ?? []), { clientId, caseId: c.id as string }]);
    }
    cursor = answer.nextCursor as string | null;
    if (!cursor) break;
  }

  const startsOn = vietnamDay(new Date(Date.now() - WEEKS * 7 * DAY_MS));
  const facilitators = new Map<string, Call>();
  for (const spec of SPECS) {
    if (existing.has(spec.name)) {
      say(`"${spec.name}" is there already`);
      continue;
    }
    const unitId = units.get(spec.unit)!;
    const facilitatorId = staff.get(spec.facilitator)!;
    const programme = await manager('POST', '/programmes', {
      name: spec.name,
      kind: spec.kind,
      unitId,
      facilitators: [facilitatorId],
      startsOn,
      ...(spec.capacity ? { capacity: spec.capacity } : {}),
      schedule: { weekday: 'saturday', time: '08:00' },
    });
    const id = programme.id as string;
    const call = facilitators.get(spec.facilitator) ?? (await session(base, spec.facilitator));
    facilitators.set(spec.facilitator, call);
    const people = [...(pool.get(unitId) ?? [])].sort(() => random() - 0.5).slice(0, spec.members);
    const enrolled: Array<{ id: string; on: string }> = [];
    for (const person of people) {
      const on = vietnamDay(new Date(Date.parse(`${startsOn}T00:00:00+07:00`) + Math.floor(random() * 21) * DAY_MS));
      const e = await call('POST', `/programmes/${id}/enrolments`, { ...person, enrolledOn: on, consent: { givenBy: 'Người được trợ giúp' } });
      enrolled.push({ id: e.id as string, on });
    }
    for (let week = 0; week < WEEKS; week++) {
      const heldOn = vietnamDay(new Date(Date.parse(`${startsOn}T08:00:00+07:00`) + week * 7 * DAY_MS));
      // Most come; a few stop coming as the weeks go on (the ones G1 is for).
      const attendance = enrolled.filter((e) => e.on <= heldOn).map((e) => ({ enrolmentId: e.id, present: random() < 0.85 - week * 0.01 }));
      const guests = spec.guests
        ? { female: 20 + Math.floor(random() * 40), male: 10 + Math.floor(random() * 30), children: Math.floor(random() * 25) }
        : undefined;
      const topic = pick(['Chia sẻ kinh nghiệm', 'Kỹ năng giao tiếp', 'Tìm hiểu pháp luật', 'Thực hành nghề', 'Sinh hoạt chung', 'Phát tờ rơi, áp phích']);
      await call('POST', `/programmes/${id}/sessions`, { heldOn, topic, facilitator: facilitatorId, attendance, ...(guests ? { guests } : {}) });
    }
    let n = 0;
    for (const [outcome, count] of spec.outcomes) {
      for (const e of enrolled.slice(n, n + count)) await call('POST', `/programmes/${id}/enrolments/${e.id}/outcome`, { outcome, on: vietnamDay() });
      n += count;
    }
    say(`"${spec.name}": ${enrolled.length} members, ${WEEKS} sessions, ${Math.min(n, enrolled.length)} outcomes`);
  }
}
