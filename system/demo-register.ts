// Two years of plausible records for the demo province: what `npm run demo` imports and the import
// benchmark measures. The same seed gives the same records.
//
// The register (domain/register.ts): the proportions follow ../shared/DOMAIN.md's picture of a
// provincial centre: children first, then older people living alone, then adults in crisis; most
// older cases closed, recent ones open at every step; one report in twenty about someone reported
// before.
//
// The hotline log (domain/contact-log.ts): about six contacts for each case. Quảng Ninh's centre
// answered 3,800 calls on its free hotline from 2011 to 2017 while it case-managed over 650
// children (Lao động Xã hội, 28/04/2017, "Trung tâm Công tác xã hội tỉnh Quảng Ninh: Mô hình hiệu
// quả…", in ../shared/seeds/002_ee2ba80c6a348976.txt; ../shared/DOMAIN.md): 3,800 / 650 ≈ 5.8.
// Most are information and benefit guidance answered on the call, some counselling, some a
// callback promised; silent, prank and wrong-number calls as every hotline has; the hotline call
// that began each of the register's hotline cases (about one contact in fifteen), referred into
// case management and naming its register number; and a few reports of a child in danger the
// operator passed to the police, which the published rules route to the emergency path: the
// import lists those (api/imports.ts, C1 at import).
import type { ClosureReason } from '../domain/closure';
import type { CallerRelation, CallType, ContactChannel, ContactOutcome } from '../domain/contacts';
import type { CategoryCode } from '../domain/intake';
import {
  CALL_TYPE_LABELS,
  CALLER_RELATION_LABELS,
  CATEGORY_LABELS,
  CLOSURE_REASON_LABELS,
  CONCERN_LABELS,
  CONTACT_CHANNEL_LABELS,
  CONTACT_OUTCOME_LABELS,
  GENDER_LABELS,
} from '../domain/labels';
import { UNITS } from './demo-directory';

/** mulberry32: the same seed, the same records. */
export function seeded(seed: number) {
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
  return { random, pick, weighted };
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô', 'Lò', 'Triệu', 'Hà', 'Vi'];
const MIDDLE = { female: ['Thị', 'Thu', 'Ngọc', 'Thanh'], male: ['Văn', 'Đức', 'Minh', 'Quang'] };
const GIVEN = {
  female: ['Hoa', 'Lan', 'Mai', 'Hương', 'Linh', 'Trang', 'Hạnh', 'Yến'],
  male: ['Nam', 'Bình', 'Tuấn', 'Hùng', 'Dũng', 'Long', 'Sơn', 'Phúc'],
};
const COMMUNES = UNITS.flatMap((u) => u.areas);
const DAY = 86_400_000;
/** A day in Vietnam (UTC+7), as the register writes it. */
const iso = (t: number) => new Date(t + 7 * 3600_000).toISOString().slice(0, 10);

/**
 * `count` register rows. `openOnly`: a caseload for a scale trial (`npm run demo -- --open N`):
 * every row open, received in the last half year, numbered DEMO-OPEN-… so that it sits beside the
 * two-year register instead of clashing with it.
 */
export function demoRegister(count: number, seed: number, openOnly = false): string[][] {
  const { random, pick, weighted } = seeded(seed);
  const today = Date.now();

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
    const at = today - Math.floor(random() * (openOnly ? 180 : 730)) * DAY - DAY;
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
    const closed = !openOnly && random() < (old ? 0.9 : 0.3);
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
      `DEMO-${openOnly ? 'OPEN-' : ''}${year}-${String(n).padStart(6, '0')}`,
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

/** Contacts for each case in the demo: Quảng Ninh's 3,800 calls to 650 case-managed children (see the header). */
export const DEMO_CONTACTS_PER_CASE = 6;

/** What each kind of call is about, as operators write it: a topic, the summary, and how old the person is. */
const CALLS: Record<Exclude<CallType, 'other'>, Array<{ topic?: CategoryCode; summary: string; ages?: [number, number] }>> = {
  information: [
    { summary: 'Hỏi địa chỉ, giờ làm việc của Trung tâm' },
    { summary: 'Hỏi Trung tâm có nhận tư vấn miễn phí không' },
    { topic: 'disability', summary: 'Hỏi nơi khám và xác định mức độ khuyết tật' },
    { topic: 'older_person', summary: 'Hỏi về cơ sở bảo trợ xã hội cho người cao tuổi', ages: [70, 90] },
    { topic: 'drug_use', summary: 'Hỏi thủ tục cai nghiện tự nguyện cho người nhà' },
  ],
  benefit_guidance: [
    { topic: 'older_person', summary: 'Hỏi thủ tục hưởng trợ cấp xã hội hằng tháng cho người cao tuổi', ages: [75, 95] },
    { topic: 'disability', summary: 'Hỏi chế độ trợ cấp cho người khuyết tật nặng và người chăm sóc', ages: [5, 60] },
    { topic: 'poor_household', summary: 'Hỏi điều kiện xét hộ cận nghèo và hỗ trợ bảo hiểm y tế' },
    { topic: 'child_special_circumstances', summary: 'Hỏi chế độ cho trẻ mồ côi đang ở với ông bà', ages: [3, 15] },
    { topic: 'agent_orange', summary: 'Hỏi hồ sơ hưởng chế độ nạn nhân chất độc da cam', ages: [40, 70] },
  ],
  counselling: [
    { topic: 'depression', summary: 'Căng thẳng kéo dài, mất ngủ; đã lắng nghe và hướng dẫn cách thư giãn', ages: [18, 45] },
    { topic: 'child_at_risk', summary: 'Mẹ lo con nghiện game, bỏ học; đã hướng dẫn cách trò chuyện với con', ages: [11, 16] },
    { topic: 'domestic_violence_victim', summary: 'Chị tâm sự chồng hay chửi mắng khi say; đã tư vấn kỹ năng an toàn và số 111' },
    { summary: 'Em học sinh áp lực thi cử; đã lắng nghe, giới thiệu phòng tham vấn của trường', ages: [14, 17] },
    { topic: 'mental_disorder', summary: 'Gia đình hỏi cách chăm sóc người thân rối nhiễu tâm trí', ages: [20, 50] },
  ],
  report_of_concern: [
    { topic: 'child_at_risk', summary: 'Báo trẻ thường xuyên ở nhà một mình, bỏ bữa; đã báo cán bộ trẻ em của xã', ages: [5, 12] },
    { topic: 'older_person_alone', summary: 'Hàng xóm báo cụ sống một mình, ốm không ai chăm; đã báo xã', ages: [75, 95] },
    { topic: 'homeless', summary: 'Báo có người lang thang ở chợ; đã báo công an phường' },
  ],
  referral_request: [
    { topic: 'poor_household', summary: 'Xin hỗ trợ học nghề, vay vốn; đã giới thiệu Phòng LĐTBXH và Ngân hàng Chính sách' },
    { topic: 'autism', summary: 'Xin nơi can thiệp sớm cho trẻ tự kỷ; đã giới thiệu cơ sở can thiệp', ages: [2, 6] },
    { topic: 'post_sentence', summary: 'Người mới chấp hành xong án hỏi nơi giới thiệu việc làm', ages: [20, 50] },
  ],
  follow_up: [{ summary: 'Gọi lại hỏi tiến độ hồ sơ đã nộp' }, { summary: 'Gọi lại báo đã làm theo hướng dẫn, cảm ơn Trung tâm' }],
  silent: [{ summary: 'Gọi đến nhưng không nói gì rồi tắt máy' }],
  prank: [{ summary: 'Trêu đùa, nói tục rồi cúp máy' }],
  wrong_number: [{ summary: 'Gọi nhầm số' }],
};

/**
 * A hotline log of `count` contacts over the same two years as the register, as domain/contact-log.ts
 * reads it. `register` is the demo register (its header first): its hotline cases each get the call
 * that began them.
 */
export function demoContactLog(count: number, seed: number, register: string[][]): string[][] {
  const { random, pick, weighted } = seeded(seed);
  const today = Date.now();
  const [registerHeader, ...cases] = register;
  const col = (name: string) => registerHeader!.indexOf(name);
  const began = cases.filter((r) => r[col('channel')] === 'hotline').slice(0, Math.floor(count / 10));
  const name = (gender: 'female' | 'male') => `${pick(FAMILY)} ${pick(MIDDLE[gender])} ${pick(GIVEN[gender])}`;
  // The log is written in the product's own Vietnamese words, which the import reads back.
  const channel = (c: ContactChannel) => CONTACT_CHANNEL_LABELS[c].vi;
  const relation = (r: CallerRelation) => CALLER_RELATION_LABELS[r].vi;
  const outcome = (o: ContactOutcome) => CONTACT_OUTCOME_LABELS[o].vi;
  const genderWord = (g: 'female' | 'male') => GENDER_LABELS[g].vi;
  const topics = (codes: string) =>
    codes
      .split(';')
      .filter(Boolean)
      .map((c) => CATEGORY_LABELS[c as CategoryCode]?.vi ?? c)
      .join('; ');
  /** A time of day in Vietnam, mostly in office hours, some in the evening. */
  const clock = () => {
    const hour = weighted([
      [7 + Math.floor(random() * 10), 85],
      [17 + Math.floor(random() * 5), 13],
      [Math.floor(random() * 7), 2],
    ]);
    return `${String(hour).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}`;
  };

  const header = [
    'Số sổ',
    'Ngày giờ',
    'Kênh',
    'Thời lượng (phút)',
    'Người gọi',
    'Số điện thoại',
    'Quan hệ',
    'Loại cuộc gọi',
    'Người được nói đến',
    'Tuổi',
    'Giới tính',
    'Xã/Phường',
    'Vấn đề',
    'Dấu hiệu nguy cơ',
    'Nội dung',
    'Kết quả',
  ];
  const rows: string[][] = [];
  for (let n = 1; n <= count; n++) {
    const kase = n <= began.length ? began[n - 1] : undefined;
    const at = kase ? Date.parse(`${kase[col('receivedAt')]}T00:00:00+07:00`) : today - Math.floor(random() * 730) * DAY - DAY;
    const day = iso(at);
    const when = `${day} ${clock()}`;
    const logNo = `TD-${day.slice(0, 4)}-${String(n).padStart(6, '0')}`;
    if (kase) {
      // The call that began a register case: the person named, no age written (the case has it), handed to case management.
      const gender = genderWord(kase[col('gender')] === 'male' ? 'male' : 'female');
      const named = random() < 0.5;
      const who = weighted<CallerRelation>([
        ['family', 40],
        ['neighbour', 20],
        ['commune_official', 15],
        ['teacher', 10],
        ['self', 15],
      ]);
      rows.push([
        logNo,
        when,
        channel('hotline'),
        String(5 + Math.floor(random() * 20)),
        !named ? 'Ẩn danh' : who === 'self' ? kase[col('clientName')]! : name(random() < 0.6 ? 'female' : 'male'),
        named && random() < 0.7 ? `09${String(Math.floor(random() * 1e8)).padStart(8, '0')}` : '',
        relation(who),
        CALL_TYPE_LABELS.report_of_concern.vi,
        kase[col('clientName')]!,
        '',
        gender,
        kase[col('commune')]!,
        topics(kase[col('categories')]!),
        '',
        `Tiếp nhận thông tin, chuyển quản lý trường hợp: hồ sơ ${kase[col('registerNo')]}`,
        outcome('referred'),
      ]);
      continue;
    }
    // A few reports of a child in danger, passed to the police on the call: C1 at import lists them.
    if (random() < 0.004) {
      rows.push([
        logNo,
        when,
        channel('hotline'),
        String(8 + Math.floor(random() * 15)),
        'Ẩn danh',
        '',
        relation('neighbour'),
        CALL_TYPE_LABELS.report_of_concern.vi,
        '',
        String(4 + Math.floor(random() * 11)),
        genderWord(random() < 0.5 ? 'female' : 'male'),
        pick(COMMUNES),
        topics('child_at_risk;domestic_violence_victim'),
        [CONCERN_LABELS.violenceOngoing, CONCERN_LABELS.injury, CONCERN_LABELS.immediateDanger].map((l) => l.vi).join('; '),
        'Hàng xóm báo cháu bé bị đánh nhiều ngày, có vết bầm tím; đã báo công an xã và cán bộ trẻ em',
        outcome('referred'),
      ]);
      continue;
    }
    const type = weighted<Exclude<CallType, 'other'>>([
      ['information', 30],
      ['benefit_guidance', 24],
      ['counselling', 16],
      ['report_of_concern', 4],
      ['referral_request', 6],
      ['follow_up', 7],
      ['silent', 6],
      ['prank', 4],
      ['wrong_number', 3],
    ]);
    const call = pick(CALLS[type]);
    const empty = type === 'silent' || type === 'prank' || type === 'wrong_number';
    const self = !empty && random() < (type === 'counselling' ? 0.6 : 0.35);
    const named = !empty && random() < 0.55;
    const gender = random() < 0.6 ? 'female' : 'male';
    const callerName = named ? name(self ? gender : random() < 0.6 ? 'female' : 'male') : 'Ẩn danh';
    const about = call.ages && random() < 0.7;
    const result: ContactOutcome = empty
      ? 'no_action'
      : type === 'referral_request' || type === 'report_of_concern'
        ? weighted<ContactOutcome>([
            ['referred', 80],
            ['callback_promised', 10],
            ['advice_given', 10],
          ])
        : type === 'follow_up'
          ? weighted<ContactOutcome>([
              ['advice_given', 80],
              ['no_action', 20],
            ])
          : weighted<ContactOutcome>([
              ['advice_given', 78],
              ['callback_promised', 12],
              ['referred', 10],
            ]);
    rows.push([
      logNo,
      when,
      channel(
        weighted<ContactChannel>([
          ['hotline', 86],
          ['walk_in', 8],
          ['counselling_cafe', type === 'counselling' ? 4 : 0],
          ['outreach', 2],
        ]),
      ),
      String(empty ? Math.floor(random() * 2) : 2 + Math.floor(random() * (type === 'counselling' ? 40 : 15))),
      callerName,
      named && random() < 0.7 ? `09${String(Math.floor(random() * 1e8)).padStart(8, '0')}` : '',
      empty
        ? ''
        : relation(
            self
              ? 'self'
              : weighted<CallerRelation>([
                  ['family', 55],
                  ['neighbour', 12],
                  ['commune_official', 12],
                  ['teacher', 8],
                  ['health_worker', 5],
                  ['other', 8],
                ]),
          ),
      CALL_TYPE_LABELS[type].vi,
      self && named ? callerName : '',
      about ? String(call.ages![0] + Math.floor(random() * (call.ages![1] - call.ages![0] + 1))) : '',
      about || self ? genderWord(gender) : '',
      about || random() < 0.3 ? pick(COMMUNES) : '',
      call.topic ? CATEGORY_LABELS[call.topic].vi : '',
      '',
      call.summary,
      outcome(result),
    ]);
  }
  return [header, ...rows];
}
