// Two years of plausible cases for the demo province, as a register (domain/register.ts): what
// `npm run demo` imports and the import benchmark measures. The proportions follow
// ../shared/DOMAIN.md's picture of a provincial centre: children first, then older people living
// alone, then adults in crisis; most older cases closed, recent ones open at every step; one
// report in twenty about someone reported before. The same seed gives the same register.
import type { ClosureReason } from '../domain/closure';
import { CLOSURE_REASON_LABELS } from '../domain/labels';
import { UNITS } from './demo-directory';

export function demoRegister(count: number, seed: number): string[][] {
  /** mulberry32: the same seed, the same register. */
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const weighted = <T>(choices: Array<[T, number]>) => {
    let r = random() * choices.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of choices) if ((r -= w) < 0) return v;
    return choices.at(-1)![0];
  };

  const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô', 'Lò', 'Triệu', 'Hà', 'Vi'];
  const MIDDLE = { female: ['Thị', 'Thu', 'Ngọc', 'Thanh'], male: ['Văn', 'Đức', 'Minh', 'Quang'] };
  const GIVEN = {
    female: ['Hoa', 'Lan', 'Mai', 'Hương', 'Linh', 'Trang', 'Hạnh', 'Yến'],
    male: ['Nam', 'Bình', 'Tuấn', 'Hùng', 'Dũng', 'Long', 'Sơn', 'Phúc'],
  };
  const COMMUNES = UNITS.flatMap((u) => u.areas);
  const DAY = 86_400_000;
  const today = Date.now();
  const iso = (t: number) => new Date(t + 7 * 3600_000).toISOString().slice(0, 10);

  type Person = { name: string; gender: 'female' | 'male'; birthYear: number; commune: string; phone: string };
  const people: Person[] = [];

  function person(kind: 'child' | 'older' | 'adult', at: number): Person {
    // One report in twenty is about someone reported before.
    if (people.length > 20 && random() < 0.05) return pick(people);
    const gender = random() < 0.6 ? 'female' : 'male';
    const age = kind === 'child' ? 3 + Math.floor(random() * 13) : kind === 'older' ? 65 + Math.floor(random() * 30) : 18 + Math.floor(random() * 45);
    const p = {
      name: `${pick(FAMILY)} ${pick(MIDDLE[gender])} ${pick(GIVEN[gender])}`,
      gender,
      birthYear: new Date(at).getUTCFullYear() - age,
      commune: pick(COMMUNES),
      phone: random() < 0.5 ? `09${String(Math.floor(random() * 1e8)).padStart(8, '0')}` : '',
    } as Person;
    people.push(p);
    return p;
  }

  const header = [
    'registerNo',
    'receivedAt',
    'channel',
    'clientName',
    'birthYear',
    'gender',
    'commune',
    'phone',
    'categories',
    'riskLevel',
    'path',
    'stage',
    'closedAt',
    'closureReason',
    'outcome',
    'summary',
    'incidentDate',
  ];
  const rows: string[][] = [];
  for (let n = 1; n <= count; n++) {
    const at = today - Math.floor(random() * 730) * DAY - DAY;
    const kind = weighted<'child' | 'older' | 'adult'>([
      ['child', 45],
      ['older', 25],
      ['adult', 30],
    ]);
    const who = person(kind, at);
    const categories =
      kind === 'child'
        ? [
            weighted([
              ['child_at_risk', 50],
              ['child_special_circumstances', 35],
              ['sexual_abuse_victim', 5],
              ['domestic_violence_victim', 10],
            ]),
          ]
        : kind === 'older'
          ? [
              weighted([
                ['older_person_alone', 55],
                ['older_person', 35],
                ['disability', 10],
              ]),
            ]
          : [
              weighted([
                ['domestic_violence_victim', 30],
                ['disability', 20],
                ['mental_illness', 15],
                ['poor_household', 15],
                ['post_sentence', 10],
                ['drug_use', 8],
                ['trafficking_victim', 2],
              ]),
            ];
    // Sexual abuse of a child is at least high risk, as the default ruleset scores it.
    const riskLevel =
      categories[0] === 'sexual_abuse_victim'
        ? weighted([
            ['high', 70],
            ['critical', 30],
          ])
        : weighted([
            ['low', 40],
            ['medium', 35],
            ['high', 20],
            ['critical', 5],
          ]);
    const path = riskLevel === 'critical' || (riskLevel === 'high' && random() < 0.5) || categories[0] === 'sexual_abuse_victim' ? 'emergency' : 'standard';
    const old = today - at > 180 * DAY;
    const closed = random() < (old ? 0.9 : 0.3);
    const stage = closed
      ? 'closed'
      : weighted([
          ['emergency_response', path === 'emergency' ? 8 : 0],
          ['assessment', 20],
          ['planning', 15],
          ['plan_review', 5],
          ['implementation', 50],
          ['closure_review', 5],
        ]);
    const closedAt = closed ? Math.min(today - DAY, at + (30 + Math.floor(random() * 270)) * DAY) : undefined;
    const year = new Date(at).getUTCFullYear();
    rows.push([
      `DEMO-${year}-${String(n).padStart(6, '0')}`,
      iso(at),
      weighted([
        ['hotline', 40],
        ['walk_in', 20],
        ['collaborator', 25],
        ['referral', 10],
        ['outreach', 5],
      ]),
      who.name,
      String(who.birthYear),
      who.gender,
      who.commune,
      who.phone,
      categories.join(';'),
      riskLevel,
      path,
      stage,
      closedAt ? iso(closedAt) : '',
      closed
        ? CLOSURE_REASON_LABELS[
            weighted<ClosureReason>([
              ['goals_met', 50],
              ['family_care', 15],
              ['transferred', 10],
              ['no_longer_eligible', 10],
              ['moved_away', 5],
              ['lost_contact', 4],
              ['declined_services', 3],
              ['died', 2],
              ['other', 1],
            ])
          ].vi
        : '',
      closed ? pick(['Ổn định', 'An toàn, có người chăm sóc', 'Đã có việc làm', 'Đi học trở lại']) : '',
      'Dữ liệu trình diễn (demo data)',
      // Most reports say when it happened: mostly within days, some after months.
      random() < 0.7
        ? iso(
            at -
              weighted([
                [0, 25],
                [1 + Math.floor(random() * 3), 25],
                [4 + Math.floor(random() * 2), 10],
                [6 + Math.floor(random() * 9), 15],
                [15 + Math.floor(random() * 16), 10],
                [31 + Math.floor(random() * 60), 10],
                [91 + Math.floor(random() * 300), 5],
              ]) *
                DAY,
          )
        : '',
    ]);
  }
  return [header, ...rows];
}
