// The case's forms (issue 31), each drawn from the case file's record as the paper form lays it
// out: fields in the law's order (Decree 56/2017), then the signatures' places with the names and
// dates the timeline knows. A form whose step has not happened is not offered; a referral's form
// carries only what the person consented to share (R1).
import { CASE_FORMS, REFERRAL_FORM, REFERRAL_FORM_PREFIX, type CaseFileExport, type CaseFormName } from '../../domain/case-file';
import { CONCERN_KEYS } from '../../domain/concerns';
import {
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  CLOSURE_REASON_LABELS,
  CONCERN_LABELS,
  GENDER_LABELS,
  GOALS_MET_LABELS,
  INTERVENTION_STATUS_LABELS,
  PARTNER_KIND_LABELS,
  PATH_LABELS,
  RISK_LEVEL_LABELS,
  sharedRows,
  VALUE_LABELS,
} from '../../domain/labels';
import { REFERRAL_STATUS_LABELS, SHAREABLE_LABELS, sharedData } from '../../domain/referrals';
import type { Bilingual } from '../../domain/stages';
import { dateOnly, dateTime } from '../console/format';
import type { Block, PrintedForm, PrintLanguage } from './document';

type Record_ = CaseFileExport;
type Referral = Record_['referrals'][number];

/** A form the case can print now, by its name in the API. */
export interface OfferedForm {
  name: string;
  title: Bilingual;
  step: string;
}

/** Why a form cannot be printed yet: the step it waits for. */
export interface NotReady {
  notReady: { step: string; label: Bilingual };
}

const events = (r: Record_, ...kinds: string[]) => r.timeline.filter((e) => kinds.includes(e.kind));
const last = <T>(xs: T[]): T | undefined => xs[xs.length - 1];

/** What decides which forms a case can print: the kinds of its events, and its referrals. */
export interface FormFacts {
  kinds: ReadonlySet<string>;
  referrals: ReadonlyArray<{ id: string; partner: { name: string } }>;
}

/** The facts of a whole record (the file, a form); GET /cases/{id}/forms reads them alone. */
export const factsOf = (r: Record_): FormFacts => ({ kinds: new Set(r.timeline.map((e) => e.kind)), referrals: r.referrals });

/** The forms the case can print now, in the law's order, then one per referral. */
export function offeredForms(facts: FormFacts): OfferedForm[] {
  const own = (Object.entries(CASE_FORMS) as Array<[CaseFormName, (typeof CASE_FORMS)[CaseFormName]]>)
    .filter(([, spec]) => spec.after.length === 0 || spec.after.some((kind) => facts.kinds.has(kind)))
    .map(([name, spec]) => ({ name, title: spec.title, step: spec.step.code }));
  const referrals = facts.referrals.map((f) => ({
    name: `${REFERRAL_FORM_PREFIX}${f.id}`,
    title: { vi: `${REFERRAL_FORM.title.vi}: ${f.partner.name}`, en: `${REFERRAL_FORM.title.en}: ${f.partner.name}` },
    step: REFERRAL_FORM.step.code,
  }));
  return [...own, ...referrals];
}

/** Every name a form of this case may have: the case's own, and one per referral. */
export function formNames(r: Record_): string[] {
  return [...Object.keys(CASE_FORMS), ...r.referrals.map((f) => `${REFERRAL_FORM_PREFIX}${f.id}`)];
}

/** The form, or why it is not ready; undefined when the case has no form of that name. */
export function buildForm(r: Record_, name: string, lang: PrintLanguage): PrintedForm | NotReady | undefined {
  const referral = name.startsWith(REFERRAL_FORM_PREFIX) ? r.referrals.find((f) => `${REFERRAL_FORM_PREFIX}${f.id}` === name) : undefined;
  if (referral) return referralForm(r, referral, lang);
  if (!Object.hasOwn(CASE_FORMS, name)) return undefined;
  const spec = CASE_FORMS[name as CaseFormName];
  if (spec.after.length > 0 && events(r, ...spec.after).length === 0) return { notReady: { step: spec.step.code, label: spec.step.label } };
  const w = words(lang);
  const form = { name, title: w(spec.title).toUpperCase(), subtitle: `${w(REF)} ${r.case.ref}` };
  return { ...form, blocks: BUILDERS[name as CaseFormName](r, w) };
}

type W = (b: Bilingual) => string;
const words =
  (lang: PrintLanguage): W =>
  (b) =>
    b[lang];

const REF: Bilingual = { vi: 'Mã trường hợp', en: 'Case reference' };
const ERASED: Bilingual = { vi: '(đã xoá theo yêu cầu)', en: '(erased on request)' };
const NONE: Bilingual = { vi: 'Không có', en: 'None' };
const YES: Bilingual = { vi: 'Có', en: 'Yes' };

const section = (title: string): Block => ({ kind: 'section', title });
const fields = (rows: Array<[string, string | undefined | null]>): Block => ({
  kind: 'fields',
  rows: rows.map(([label, value]) => ({ label, value: value ?? '' })),
});
const text = (t: string): Block => ({ kind: 'text', text: t });
const list = (items: unknown): string => (Array.isArray(items) ? items.map((x, i) => `${i + 1}. ${String(x)}`).join('\n') : '');
const day = (iso: string | undefined | null) => (iso ? dateOnly(iso) : '');
const at = (iso: string | undefined | null) => (iso ? dateTime(iso) : '');
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The person's name of a staff id, as the timeline recorded it when they acted. */
function nameOf(r: Record_, id: string | null | undefined): string | null {
  if (!id) return null;
  if (r.case.assignedWorker?.id === id) return r.case.assignedWorker.displayName;
  return r.timeline.find((e) => e.actorId === id && e.actor)?.actor ?? null;
}

function concernsSaid(w: W, concerns: Record<string, boolean | undefined> | undefined): string {
  const on = CONCERN_KEYS.filter((k) => concerns?.[k] === true);
  return on.length ? on.map((k) => w(CONCERN_LABELS[k])).join('; ') : w(NONE);
}

/** The plan's interventions as they stand: what was done, what stopped. */
function interventionsNow(r: Record_, w: W): Block {
  return {
    kind: 'table',
    columns: ['#', w({ vi: 'Hoạt động', en: 'Intervention' }), w({ vi: 'Trạng thái, kết quả', en: 'Status, outcome' })],
    rows: r.case.interventions.map((x) => [
      x.id,
      `${x.type}: ${x.description}`,
      [w(INTERVENTION_STATUS_LABELS[x.status]), x.outcome].filter(Boolean).join(' — '),
    ]),
    empty: w(NONE),
  };
}

const BUILDERS: Record<CaseFormName, (r: Record_, w: W) => Block[]> = {
  intake: (r, w) => {
    const opened = r.timeline[0];
    const i = r.case.intake;
    const received: Block[] = [
      section(w({ vi: '1. Thông tin tiếp nhận', en: '1. The report' })),
      fields([
        [w({ vi: 'Thời điểm tiếp nhận', en: 'Received at' }), at(r.case.createdAt)],
        [w({ vi: 'Thời điểm ghi (trên điện thoại)', en: 'Written at (on a phone)' }), at(i?.recordedAt)],
        [w({ vi: 'Kênh tiếp nhận', en: 'Channel' }), i ? w(CHANNEL_LABELS[i.channel]) : ''],
        [w({ vi: 'Người tiếp nhận, ghi nhận', en: 'Received by' }), opened?.actor],
      ]),
    ];
    if (!i) return [...received, text(w(ERASED))];
    const c = i.client;
    const place = [c.location.commune, c.location.district, c.location.province].filter(Boolean).join(', ');
    return [
      ...received,
      section(w({ vi: '2. Người báo tin', en: '2. The reporter' })),
      fields([
        [w({ vi: 'Họ và tên', en: 'Full name' }), i.reporter?.name],
        [w({ vi: 'Điện thoại', en: 'Phone' }), i.reporter?.phone],
        [w({ vi: 'Cơ quan, tổ chức', en: 'Organisation' }), i.reporter?.organisation],
      ]),
      section(w({ vi: '3. Người cần trợ giúp', en: '3. The person needing help' })),
      fields([
        [w({ vi: 'Họ và tên', en: 'Full name' }), c.fullName],
        [
          w({ vi: 'Năm sinh / tuổi', en: 'Born / age' }),
          [c.birthYear, c.age !== undefined ? `${c.age}` : undefined].filter((x) => x !== undefined).join(' / '),
        ],
        [w({ vi: 'Giới tính', en: 'Gender' }), w(GENDER_LABELS[c.gender])],
        [w({ vi: 'Dân tộc', en: 'Ethnicity' }), c.ethnicity ?? (c.ethnicMinority ? w({ vi: 'Dân tộc thiểu số', en: 'Ethnic minority' }) : undefined)],
        [w({ vi: 'Nơi ở', en: 'Address' }), place],
        [w({ vi: 'Vùng sâu, vùng xa, miền núi, hải đảo', en: 'Remote, mountain or island area' }), c.location.remote ? w(YES) : undefined],
        [w({ vi: 'Điện thoại', en: 'Phone' }), c.phone],
      ]),
      section(w({ vi: '4. Nội dung thông tin, thông báo', en: '4. What was reported' })),
      fields([
        [w({ vi: 'Nhóm đối tượng', en: 'Categories' }), i.categories.map((k) => w(CATEGORY_LABELS[k])).join('; ')],
        [w({ vi: 'Mối lo ngại', en: 'Concerns' }), concernsSaid(w, i.concerns)],
        [w({ vi: 'Ngày xảy ra sự việc', en: 'When it happened' }), i.incidentDate ? day(`${i.incidentDate}T12:00:00+07:00`) : undefined],
      ]),
      text(i.summary),
      {
        kind: 'signatures',
        places: [
          { role: w({ vi: 'Người báo tin', en: 'Reporter' }), name: i.reporter?.name ?? null, date: day(r.case.createdAt) },
          { role: w({ vi: 'Người tiếp nhận', en: 'Received by' }), name: opened?.actor ?? null, date: day(r.case.createdAt) },
        ],
      },
    ];
  },

  'initial-risk': (r, w) => {
    const opened = events(r, 'case.routed', 'case.imported')[0];
    const initial = (opened?.data.risk as Record_['case']['risk'] | undefined) ?? r.case.risk;
    const reasons = initial.reasons.map((x) => [x.rule, String(x.points), x.forcesEmergency ? w(YES) : '', w(x.note)]);
    const now = r.case.risk;
    const changed = now.level !== initial.level || now.path !== initial.path;
    return [
      section(w({ vi: '1. Kết quả đánh giá nguy cơ ban đầu', en: '1. The initial risk assessment' })),
      fields([
        [w({ vi: 'Thời điểm đánh giá', en: 'Assessed at' }), at(opened?.at ?? r.case.createdAt)],
        [w({ vi: 'Mức độ nguy cơ', en: 'Risk level' }), w(RISK_LEVEL_LABELS[initial.level])],
        [w({ vi: 'Hướng xử lý', en: 'Path' }), w(PATH_LABELS[initial.path])],
        [w({ vi: 'Tổng điểm', en: 'Score' }), String(initial.score)],
        [w({ vi: 'Phiên bản bộ quy tắc', en: 'Ruleset version' }), String(initial.rulesetVersion)],
        [w({ vi: 'Mối lo ngại khi tiếp nhận', en: 'Concerns at intake' }), r.case.intake ? concernsSaid(w, r.case.intake.concerns) : w(ERASED)],
      ]),
      section(w({ vi: '2. Căn cứ đánh giá (các quy tắc áp dụng)', en: '2. Why (the rules that applied)' })),
      {
        kind: 'table',
        columns: [
          w({ vi: 'Quy tắc', en: 'Rule' }),
          w({ vi: 'Điểm', en: 'Points' }),
          w({ vi: 'Buộc khẩn cấp', en: 'Forces emergency' }),
          w({ vi: 'Giải thích', en: 'Reason' }),
        ],
        rows: reasons,
        empty: w({ vi: 'Không có quy tắc nào áp dụng', en: 'No rule applied' }),
      },
      ...(changed
        ? [
            section(w({ vi: '3. Mức nguy cơ hiện nay (sau rà soát)', en: '3. The risk now (after review)' })),
            fields([
              [w({ vi: 'Mức độ nguy cơ', en: 'Risk level' }), w(RISK_LEVEL_LABELS[now.level])],
              [w({ vi: 'Hướng xử lý', en: 'Path' }), w(PATH_LABELS[now.path])],
            ]),
          ]
        : []),
      {
        kind: 'signatures',
        places: [
          { role: w({ vi: 'Người đánh giá', en: 'Assessed by' }), name: opened?.actor ?? null, date: day(opened?.at) },
          { role: w({ vi: 'Trưởng phòng', en: 'Supervisor' }), name: null, date: null },
        ],
      },
    ];
  },

  assessment: (r, w) => {
    const safety = events(r, 'safety.confirmed');
    const blocks: Block[] = [];
    if (safety.length) {
      blocks.push(
        section(w({ vi: 'Can thiệp khẩn cấp đã thực hiện', en: 'Emergency response taken' })),
        ...safety.map((e) => fields([[`${at(e.at)} · ${e.actor ?? ''}`, list(e.data.actions)]])),
      );
    }
    const assessments = events(r, 'assessment.recorded');
    assessments.forEach((e, n) => {
      const strengths = (e.data.strengths ?? {}) as { person?: string; family?: string; community?: string };
      const numbered = assessments.length > 1 ? ` (${n + 1}/${assessments.length})` : '';
      blocks.push(
        section(w({ vi: `1. Kết quả xác minh, đánh giá${numbered}`, en: `1. Findings${numbered}` })),
        fields([
          [w({ vi: 'Ngày đánh giá', en: 'Assessed on' }), day(e.at)],
          [w({ vi: 'Người đánh giá', en: 'Assessed by' }), e.actor],
        ]),
        text(str(e.data.summary)),
        section(w({ vi: '2. Nhu cầu của người được trợ giúp', en: '2. Needs' })),
        text(list(e.data.needs) || w(NONE)),
        section(w({ vi: '3. Nguồn lực, điểm mạnh', en: '3. Resources and strengths' })),
        fields([
          [w({ vi: 'Của bản thân', en: 'Of the person' }), strengths.person],
          [w({ vi: 'Của gia đình', en: 'Of the family' }), strengths.family],
          [w({ vi: 'Của cộng đồng', en: 'Of the community' }), strengths.community],
        ]),
      );
    });
    const lastOne = last(assessments);
    blocks.push({
      kind: 'signatures',
      places: [
        { role: w({ vi: 'Người đánh giá', en: 'Assessed by' }), name: lastOne?.actor ?? null, date: day(lastOne?.at) },
        { role: w({ vi: 'Trưởng phòng', en: 'Supervisor' }), name: null, date: null },
      ],
    });
    return blocks;
  },

  plan: (r, w) => {
    const submitted = last(events(r, 'plan.submitted'));
    const approved = last(events(r, 'plan.approved'));
    const approvedNow = approved && submitted && approved.seq > submitted.seq ? approved : undefined;
    const plan = r.case.plan;
    const who = r.case.assignedWorker?.displayName ?? '';
    const period = approvedNow ? `${day(approvedNow.at)} – ${day(r.case.nextReviewAt)}` : '';
    const referrals = r.referrals.filter((f) => f.status !== 'revoked');
    return [
      section(w({ vi: '1. Thông tin kế hoạch', en: '1. The plan' })),
      fields([
        [w({ vi: 'Lần lập kế hoạch', en: 'Version' }), String(plan?.version ?? 1)],
        [w({ vi: 'Người lập', en: 'Written by' }), nameOf(r, plan?.submittedBy) ?? submitted?.actor],
        [w({ vi: 'Ngày trình', en: 'Submitted on' }), day(plan?.submittedAt ?? submitted?.at)],
        [w({ vi: 'Nhân viên phụ trách', en: 'Case worker' }), who],
        [w({ vi: 'Rà soát tiếp theo', en: 'Next review' }), day(r.case.nextReviewAt)],
      ]),
      section(w({ vi: '2. Mục tiêu', en: '2. Goals' })),
      text(list(plan?.goals) || w(NONE)),
      section(w({ vi: '3. Các hoạt động hỗ trợ, can thiệp', en: '3. Interventions' })),
      {
        kind: 'table',
        columns: [
          '#',
          w({ vi: 'Hoạt động', en: 'Intervention' }),
          w({ vi: 'Người thực hiện', en: 'Who' }),
          w({ vi: 'Thời gian', en: 'When' }),
          w({ vi: 'Trạng thái, kết quả', en: 'Status, outcome' }),
        ],
        rows: r.case.interventions.map((x) => [
          x.id,
          `${x.type}: ${x.description}`,
          x.programmeId ? (r.case.programmes?.find((p) => p.enrolmentId === x.enrolmentId)?.programme.name ?? who) : who,
          period,
          [w(INTERVENTION_STATUS_LABELS[x.status]), x.outcome, x.cancelReason].filter(Boolean).join(' — '),
        ]),
        empty: w(NONE),
      },
      ...(referrals.length
        ? [
            section(w({ vi: '4. Chuyển gửi dịch vụ', en: '4. Referrals' })),
            {
              kind: 'table' as const,
              columns: [w({ vi: 'Đối tác', en: 'Partner' }), w({ vi: 'Dịch vụ', en: 'Service' }), w({ vi: 'Trạng thái', en: 'Status' })],
              rows: referrals.map((f) => [f.partner.name, f.service, w(REFERRAL_STATUS_LABELS[f.status])]),
              empty: w(NONE),
            },
          ]
        : []),
      section(w({ vi: 'Phê duyệt', en: 'Approval' })),
      fields([
        [
          w({ vi: 'Ý kiến phê duyệt', en: 'Decision' }),
          approvedNow ? `${w(VALUE_LABELS.decision!.approve!)}: ${str(approvedNow.data.comment)}` : w({ vi: 'Chờ phê duyệt', en: 'Awaiting approval' }),
        ],
        ...(plan?.rejection ? ([[w({ vi: 'Lần trước bị trả lại vì', en: 'Sent back before because' }), plan.rejection]] as Array<[string, string]>) : []),
      ]),
      {
        kind: 'signatures',
        places: [
          { role: w({ vi: 'Người lập kế hoạch', en: 'Written by' }), name: nameOf(r, plan?.submittedBy) ?? submitted?.actor ?? null, date: day(submitted?.at) },
          { role: w({ vi: 'Giám đốc phê duyệt', en: 'Approved by (director)' }), name: approvedNow?.actor ?? null, date: day(approvedNow?.at) },
          { role: w({ vi: 'Chủ tịch UBND cấp xã', en: 'Commune chairman' }), name: null, date: null },
        ],
      },
    ];
  },

  review: (r, w) => {
    const reviews = events(r, 'review.recorded');
    const blocks: Block[] = reviews.flatMap((e, n) => {
      const risk = e.data.risk as Record_['case']['risk'] | undefined;
      const progress = VALUE_LABELS.progress![str(e.data.progress)];
      const resolved = (e.data.resolvedConcerns as Array<{ concern: string; reason: string }> | undefined) ?? [];
      return [
        section(w({ vi: `Lần rà soát ${n + 1}`, en: `Review ${n + 1}` })),
        fields([
          [w({ vi: 'Ngày rà soát', en: 'Reviewed on' }), day(e.at)],
          [w({ vi: 'Người rà soát', en: 'Reviewed by' }), e.actor],
          [w({ vi: 'Tiến độ', en: 'Progress' }), progress ? w(progress) : str(e.data.progress)],
          [w({ vi: 'Mức nguy cơ sau rà soát', en: 'Risk after the review' }), risk ? w(RISK_LEVEL_LABELS[risk.level]) : undefined],
          [w({ vi: 'Mối lo ngại mới', en: 'New concerns' }), e.data.concerns ? concernsSaid(w, e.data.concerns as Record<string, boolean>) : undefined],
          [
            w({ vi: 'Mối lo ngại được gỡ', en: 'Concerns cleared' }),
            resolved
              .map(
                (x) =>
                  `${CONCERN_LABELS[x.concern as keyof typeof CONCERN_LABELS] ? w(CONCERN_LABELS[x.concern as keyof typeof CONCERN_LABELS]) : x.concern}: ${x.reason}`,
              )
              .join('; ') || undefined,
          ],
        ]),
        text(str(e.data.summary)),
      ];
    });
    const lastOne = last(reviews);
    return [
      ...blocks,
      section(w({ vi: 'Điều chỉnh: các hoạt động hiện nay', en: 'Adjustment: the interventions now' })),
      interventionsNow(r, w),
      {
        kind: 'signatures',
        places: [
          { role: w({ vi: 'Người rà soát', en: 'Reviewed by' }), name: lastOne?.actor ?? null, date: day(lastOne?.at) },
          { role: w({ vi: 'Trưởng phòng', en: 'Supervisor' }), name: null, date: null },
        ],
      },
    ];
  },

  closure: (r, w) => {
    const proposed = last(events(r, 'closure.proposed'))!;
    const decided = events(r, 'closure.approved', 'closure.rejected').filter((e) => e.seq > proposed.seq)[0];
    const reason = CLOSURE_REASON_LABELS[str(proposed.data.reasonCode) as keyof typeof CLOSURE_REASON_LABELS];
    const goals = GOALS_MET_LABELS[str(proposed.data.goalsMet) as keyof typeof GOALS_MET_LABELS];
    const decision = decided
      ? `${decided.kind === 'closure.approved' ? w(VALUE_LABELS.decision!.approve!) : w(VALUE_LABELS.decision!.reject!)}: ${str(decided.data.comment)}`
      : w({ vi: 'Chờ phê duyệt', en: 'Awaiting a decision' });
    return [
      section(w({ vi: '1. Đề xuất kết thúc', en: '1. The closure proposed' })),
      fields([
        [w({ vi: 'Ngày đề xuất', en: 'Proposed on' }), day(proposed.at)],
        [w({ vi: 'Người đề xuất', en: 'Proposed by' }), proposed.actor],
        [w({ vi: 'Lý do kết thúc', en: 'Reason' }), reason ? w(reason) : undefined],
        [w({ vi: 'Mức độ đạt mục tiêu', en: 'Goals met' }), goals ? w(goals) : undefined],
      ]),
      text(str(proposed.data.reason)),
      section(w({ vi: '2. Kết quả hỗ trợ', en: '2. Outcome' })),
      text(str(proposed.data.outcome)),
      interventionsNow(r, w),
      section(w({ vi: '3. Phê duyệt', en: '3. Decision' })),
      fields([
        [w({ vi: 'Ý kiến', en: 'Decision' }), decision],
        [w({ vi: 'Ngày', en: 'On' }), day(decided?.at)],
      ]),
      {
        kind: 'signatures',
        places: [
          { role: w({ vi: 'Người đề xuất', en: 'Proposed by' }), name: proposed.actor, date: day(proposed.at) },
          { role: w({ vi: 'Giám đốc', en: 'Director' }), name: decided?.kind === 'closure.approved' ? decided.actor : null, date: day(decided?.at) },
        ],
      },
    ];
  },
};

/** The referral as its partner may read it: the consented data only, never the rest of the case. */
function referralForm(r: Record_, f: Referral, lang: PrintLanguage): PrintedForm {
  const w = words(lang);
  const shared = r.case.intake ? sharedRows(sharedData(r.case.intake as unknown as Record<string, unknown>, f.consent.scope)) : [];
  const drafted = r.timeline.find((e) => e.kind === 'referral.drafted' && e.data.referralId === f.id);
  const kind = PARTNER_KIND_LABELS[f.partner.kind as keyof typeof PARTNER_KIND_LABELS];
  return {
    name: `${REFERRAL_FORM_PREFIX}${f.id}`,
    title: w(REFERRAL_FORM.title).toUpperCase(),
    subtitle: `${w(REF)} ${r.case.ref} · ${f.partner.name}`,
    blocks: [
      section(w({ vi: '1. Nơi nhận', en: '1. To' })),
      fields([
        [w({ vi: 'Đối tác', en: 'Partner' }), `${f.partner.name}${kind ? ` (${w(kind)})` : ''}`],
        [w({ vi: 'Dịch vụ đề nghị', en: 'Service asked for' }), f.service],
        [w({ vi: 'Trả lời trước', en: 'Answer by' }), at(f.respondBy)],
        [w({ vi: 'Trạng thái', en: 'Status' }), w(REFERRAL_STATUS_LABELS[f.status])],
      ]),
      section(w({ vi: '2. Lý do chuyển gửi', en: '2. Why' })),
      text(f.reason),
      section(w({ vi: '3. Thông tin được chia sẻ (theo sự đồng ý)', en: '3. Shared with consent' })),
      fields([
        [w({ vi: 'Người đồng ý', en: 'Consent given by' }), f.consent.givenBy],
        [w({ vi: 'Phạm vi đồng ý', en: 'Consented to share' }), f.consent.scope.map((s) => w(SHAREABLE_LABELS[s])).join('; ')],
      ]),
      shared.length ? fields(shared.map((row) => [w(row.label), w(row.words)])) : text(r.case.intake ? w(NONE) : w(ERASED)),
      ...(f.declineReason || f.outcome
        ? [section(w({ vi: '4. Phản hồi của đối tác', en: '4. The partner’s answer' })), text(f.declineReason ?? f.outcome ?? '')]
        : []),
      {
        kind: 'signatures',
        places: [
          { role: w({ vi: 'Người chuyển gửi', en: 'Referred by' }), name: drafted?.actor ?? nameOf(r, f.createdBy), date: day(f.createdAt) },
          { role: w({ vi: 'Đối tác tiếp nhận', en: 'Received by the partner' }), name: null, date: null },
        ],
      },
    ],
  };
}
