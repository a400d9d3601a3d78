// What the reports count cases by, and the words for each group: the department's and Primero's
// groupings (issue 18); what the contact log is counted by (issue 27); what placements are counted
// by (issue 28); what group and community work is counted by (issue 29); the indicators. Free of
// any library but zod for the query.
import type { DeadlineStep } from './deadlines';
import {
  CALL_TYPE_LABELS,
  CARER_KIND_LABELS,
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  CONTACT_CHANNEL_LABELS,
  CONTACT_OUTCOME_LABELS,
  DEADLINE_STEP_LABELS,
  GENDER_LABELS,
  PATH_LABELS,
  RISK_LEVEL_LABELS,
} from './labels';
import { calendarDay, text } from './input';
import { PLACEMENT_KIND_LABELS, PLACEMENT_OUTCOME_LABELS } from './placement-labels';
import { ENROLMENT_OUTCOME_LABELS, PROGRAMME_KIND_LABELS } from './programmes';
import type { Bilingual } from './stages';
import { z } from './zod';

/** Age groups of the reports (Circular 13/2021's children's groups, then adults and older people). */
export const REPORT_AGE_GROUPS = ['0-5', '6-11', '12-15', '16-17', '18-59', '60+'] as const;
export type ReportAgeGroup = (typeof REPORT_AGE_GROUPS)[number];

export function reportAgeGroup(age: number | null | undefined): ReportAgeGroup | null {
  if (age === null || age === undefined) return null;
  if (age < 6) return '0-5';
  if (age < 12) return '6-11';
  if (age < 16) return '12-15';
  if (age < 18) return '16-17';
  if (age < 60) return '18-59';
  return '60+';
}

export const AGE_GROUP_LABELS: Record<ReportAgeGroup | 'unknown', Bilingual> = {
  '0-5': { vi: '0–5 tuổi', en: '0–5 years' },
  '6-11': { vi: '6–11 tuổi', en: '6–11 years' },
  '12-15': { vi: '12–15 tuổi', en: '12–15 years' },
  '16-17': { vi: '16–17 tuổi', en: '16–17 years' },
  '18-59': { vi: '18–59 tuổi', en: '18–59 years' },
  '60+': { vi: 'Từ 60 tuổi', en: '60 and over' },
  unknown: { vi: 'Không rõ tuổi', en: 'Age unknown' },
};

/**
 * Days from what happened (the intake's `incidentDate`) to the report, in Primero's buckets: the
 * sooner abuse is reported the more can be done (a medical examination within 72 hours).
 * `upTo` is the last day of each bucket, included.
 */
export const REPORTING_DELAYS = [
  { key: '0-3', upTo: 3, label: { vi: '0–3 ngày', en: '0–3 days' } },
  { key: '4-5', upTo: 5, label: { vi: '4–5 ngày', en: '4–5 days' } },
  { key: '6-14', upTo: 14, label: { vi: '6–14 ngày', en: '6–14 days' } },
  { key: '15-30', upTo: 30, label: { vi: '15–30 ngày', en: '15–30 days' } },
  { key: '31-90', upTo: 90, label: { vi: 'Trên 1 tháng', en: 'Over a month' } },
  { key: '91+', upTo: null, label: { vi: 'Trên 3 tháng', en: 'Over three months' } },
] as const;

export const REPORT_GROUPINGS = ['channel', 'category', 'path', 'level', 'gender', 'ageGroup', 'reportingDelay', 'commune', 'month', 'unit'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** Words for a group's key, where the key is a code; communes, months and units are named by the query. */
export const GROUP_LABELS: Partial<Record<ReportGrouping, Record<string, Bilingual>>> = {
  channel: CHANNEL_LABELS,
  category: CATEGORY_LABELS,
  path: PATH_LABELS,
  level: RISK_LEVEL_LABELS,
  gender: GENDER_LABELS,
  ageGroup: AGE_GROUP_LABELS,
  reportingDelay: {
    ...Object.fromEntries(REPORTING_DELAYS.map((d) => [d.key, d.label])),
    unknown: { vi: 'Không rõ ngày xảy ra', en: 'Date of the incident unknown' },
  },
};

/**
 * What contacts (issue 27) are counted by. No commune: a call seldom says where the person lives,
 * so a commune would leave out most of the hotline's work and still look like a whole count.
 */
export const CONTACT_REPORT_GROUPINGS = ['callType', 'channel', 'outcome', 'topic', 'month', 'unit'] as const;
export type ContactReportGrouping = (typeof CONTACT_REPORT_GROUPINGS)[number];

/** Words for a contact group's key, where the key is a code; months and units are named by the query. */
export const CONTACT_GROUP_LABELS: Partial<Record<ContactReportGrouping, Record<string, Bilingual>>> = {
  callType: CALL_TYPE_LABELS,
  channel: CONTACT_CHANNEL_LABELS,
  outcome: CONTACT_OUTCOME_LABELS,
  topic: { ...CATEGORY_LABELS, none: { vi: 'Không ghi chủ đề', en: 'No topic recorded' } },
};

/**
 * What placements (issue 28) are counted by: their kind, their carer's kind, how they ended (those
 * not ended in a row of their own), and the month they began.
 */
export const PLACEMENT_REPORT_GROUPINGS = ['kind', 'carerKind', 'outcome', 'month'] as const;
export type PlacementReportGrouping = (typeof PLACEMENT_REPORT_GROUPINGS)[number];

/** The outcome key of a placement not ended yet (active or overdue). */
export const STILL_PLACED = 'ongoing';

/** Words for a placement group's key, where the key is a code; months are named by the query. */
export const PLACEMENT_GROUP_LABELS: Partial<Record<PlacementReportGrouping, Record<string, Bilingual>>> = {
  kind: PLACEMENT_KIND_LABELS,
  carerKind: CARER_KIND_LABELS,
  outcome: { ...PLACEMENT_OUTCOME_LABELS, [STILL_PLACED]: { vi: 'Đang ở nơi chăm sóc', en: 'Still placed' } },
};

/**
 * What enrolments in programmes (issue 29) are counted by: the programme (named by the query), its
 * kind, the member's gender and age group from their case's intake ('unknown' without a case),
 * what became of them (those with no outcome yet in a row of their own), and the programme's unit.
 */
export const PROGRAMME_REPORT_GROUPINGS = ['programme', 'kind', 'gender', 'ageGroup', 'outcome', 'unit'] as const;
export type ProgrammeReportGrouping = (typeof PROGRAMME_REPORT_GROUPINGS)[number];

/** The outcome key of an enrolment with no outcome recorded yet. */
export const STILL_TAKING_PART = 'ongoing';

/** Words for a programme group's key, where the key is a code; programmes and units are named by the query. */
export const PROGRAMME_GROUP_LABELS: Partial<Record<ProgrammeReportGrouping, Record<string, Bilingual>>> = {
  kind: PROGRAMME_KIND_LABELS,
  gender: GENDER_LABELS,
  ageGroup: AGE_GROUP_LABELS,
  outcome: { ...ENROLMENT_OUTCOME_LABELS, [STILL_TAKING_PART]: { vi: 'Đang tham gia', en: 'Still taking part' } },
};

export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;

/** A period in Vietnam's days, both included; a unit and a commune narrow it. */
export const ReportQuery = z
  .strictObject({
    from: calendarDay().describe('First day, in Vietnam (YYYY-MM-DD), included'),
    to: calendarDay().describe('Last day, in Vietnam (YYYY-MM-DD), included'),
    unit: z.uuid().optional(),
    commune: text(100).optional().describe('As written in the intakes; case and spacing do not matter'),
    format: z.enum(REPORT_FORMATS).default('json'),
  })
  .describe('A `from` after `to` is an empty period: every count is 0');

/** Work standing now: a unit narrows it. */
export const WorkloadQuery = z.strictObject({ unit: z.uuid().optional(), format: z.enum(REPORT_FORMATS).default('json') });

export interface IndicatorSpec {
  label: Bilingual;
  definition: Bilingual;
  unit:
    | 'cases'
    | 'contacts'
    | 'callbacks'
    | 'placements'
    | 'people'
    | 'enrolments'
    | 'sessions'
    | 'workers'
    | 'escalations'
    | 'referrals'
    | 'deadlines'
    | 'hours'
    | 'days'
    | 'percent'
    | 'ratio';
}

/**
 * The contact log's indicators (issue 27): the contacts recorded in the period and what became of
 * them. Counted over the province or a unit, never a commune (see CONTACT_REPORT_GROUPINGS).
 */
export const CONTACT_INDICATORS = {
  contactsReceived: {
    label: { vi: 'Cuộc gọi, lượt tư vấn tiếp nhận', en: 'Contacts received' },
    definition: {
      vi: 'Cuộc gọi, lượt đến gặp, trao đổi ghi nhận trong kỳ, kể cả cuộc đã thành trường hợp; không tính theo xã, phường',
      en: 'Calls, visits and conversations recorded in the period, those that became cases included; not narrowed by commune',
    },
    unit: 'contacts',
  },
  callbacksOnTime: {
    label: { vi: 'Gọi lại đúng hẹn', en: 'Callbacks kept on time' },
    definition: {
      vi: 'Hẹn gọi lại của các cuộc gọi ghi nhận trong kỳ, đã gọi lại trước giờ hẹn',
      en: 'Callbacks promised on the period’s contacts and made by the time promised',
    },
    unit: 'callbacks',
  },
  callbacksMissed: {
    label: { vi: 'Gọi lại trễ hẹn', en: 'Callbacks missed' },
    definition: {
      vi: 'Hẹn gọi lại của các cuộc gọi trong kỳ: gọi sau giờ hẹn, hoặc đến nay chưa gọi mà đã quá giờ hẹn',
      en: 'Callbacks promised on the period’s contacts: made after the time promised, or still not made and past it',
    },
    unit: 'callbacks',
  },
  contactsBecameCases: {
    label: { vi: 'Cuộc gọi chuyển thành trường hợp', en: 'Contacts that became cases' },
    definition: {
      vi: 'Cuộc gọi ghi nhận trong kỳ đã mở trường hợp: ngay khi ghi (luồng khẩn cấp, C1) hoặc sau đó',
      en: 'Contacts of the period a case was opened from: at once (the emergency path, C1) or later',
    },
    unit: 'contacts',
  },
} as const satisfies Record<string, IndicatorSpec>;
export type ContactIndicatorId = keyof typeof CONTACT_INDICATORS;

/**
 * The placements' indicators (issue 28): who is placed now, and how the period's placements went.
 * A temporary separation (Decree 56/2017) has a legal limit, which an extension moves; `overdueAt`
 * is when it first went past it, kept after an extension or its end. Over the province, a unit or a
 * commune (the case's), restricted cases included: these are counts, never who.
 */
export const PLACEMENT_INDICATORS = {
  placedNow: {
    label: { vi: 'Đang ở nơi chăm sóc thay thế', en: 'In placement now' },
    definition: {
      vi: 'Trường hợp có nơi chăm sóc chưa kết thúc, tại thời điểm xem, dù bắt đầu khi nào; mỗi trường hợp một lần',
      en: 'Cases with a placement not ended, now, whenever it began; each case once',
    },
    unit: 'cases',
  },
  separationsWithinLimit: {
    label: { vi: 'Tạm thời cách ly kết thúc trong thời hạn', en: 'Temporary separations ended within the limit' },
    definition: {
      vi: 'Tạm thời cách ly kết thúc trong kỳ, không muộn hơn thời hạn (thời hạn đã gia hạn, nếu có) và chưa từng quá hạn',
      en: 'Temporary separations ended in the period by their limit (the extended one, if extended), never past it',
    },
    unit: 'placements',
  },
  separationsExtended: {
    label: { vi: 'Tạm thời cách ly được gia hạn', en: 'Temporary separations extended' },
    definition: {
      vi: 'Tạm thời cách ly bắt đầu trong kỳ, được gia hạn ít nhất một lần',
      en: 'Temporary separations begun in the period and extended at least once',
    },
    unit: 'placements',
  },
  separationsOverdue: {
    label: { vi: 'Tạm thời cách ly quá thời hạn', en: 'Temporary separations overdue' },
    definition: {
      vi: 'Tạm thời cách ly bị quá thời hạn trong kỳ, hoặc đang quá hạn tại thời điểm xem',
      en: 'Temporary separations that went past their limit in the period, or are past it now',
    },
    unit: 'placements',
  },
  placementDaysMedian: {
    label: { vi: 'Số ngày ở nơi chăm sóc, trung vị', en: 'Days in placement, median' },
    definition: {
      vi: 'Từ ngày bắt đầu đến ngày kết thúc (chưa kết thúc: đến nay), các lần bố trí bắt đầu trong kỳ',
      en: 'From the start to the end (not ended: to now), for the placements begun in the period',
    },
    unit: 'days',
  },
  placementDaysP90: {
    label: { vi: 'Số ngày ở nơi chăm sóc, bách phân vị 90', en: 'Days in placement, 90th percentile' },
    definition: { vi: 'Như trên: 90% số lần bố trí không dài hơn', en: 'As above: 90% of the placements were no longer' },
    unit: 'days',
  },
} as const satisfies Record<string, IndicatorSpec>;
export type PlacementIndicatorId = keyof typeof PLACEMENT_INDICATORS;

/**
 * Group and community work's indicators (issue 29): who took part in the period's sessions, who
 * joined, the sessions and their attendance, the anonymous guests of community events, and what
 * became of members. Days are Vietnam's, as a session's `heldOn` and an enrolment's dates are
 * written. Over the province or a unit (the programme's), never a commune: a programme is a unit's,
 * not a commune's. Counts, never who: a member's case may be restricted or erased.
 */
export const PROGRAMME_INDICATORS = {
  programmeParticipants: {
    label: { vi: 'Người tham gia sinh hoạt nhóm, cộng đồng', en: 'People taking part in group and community work' },
    definition: {
      vi: 'Số người (mỗi người một lần) có mặt ít nhất một buổi sinh hoạt tổ chức trong kỳ, ở bất kỳ chương trình nào',
      en: 'People (each once) present at one session or more held in the period, in any programme',
    },
    unit: 'people',
  },
  programmeEnrolments: {
    label: { vi: 'Lượt ghi danh mới', en: 'New enrolments' },
    definition: {
      vi: 'Lượt ghi danh vào chương trình có ngày ghi danh trong kỳ; một người ở hai chương trình là hai lượt',
      en: 'Enrolments in a programme made on a day of the period; one person in two programmes is two',
    },
    unit: 'enrolments',
  },
  programmeSessions: {
    label: { vi: 'Buổi sinh hoạt đã tổ chức', en: 'Sessions held' },
    definition: { vi: 'Buổi sinh hoạt, lớp học, sự kiện tổ chức trong kỳ', en: 'Sessions, classes and events held in the period' },
    unit: 'sessions',
  },
  programmeAttendanceRate: {
    label: { vi: 'Tỷ lệ có mặt (%)', en: 'Attendance rate (%)' },
    definition: {
      vi: 'Số lượt có mặt trên số lượt điểm danh của các buổi tổ chức trong kỳ, làm tròn một chữ số thập phân; 0 khi không có lượt điểm danh nào',
      en: 'Present out of the attendance recorded at the sessions held in the period, to one decimal; 0 when none was recorded',
    },
    unit: 'percent',
  },
  programmeGuests: {
    label: { vi: 'Người dự sự kiện cộng đồng (không ghi danh)', en: 'Guests at community events (not enrolled)' },
    definition: {
      vi: 'Tổng số nữ, nam và trẻ em dự các buổi tổ chức trong kỳ mà không ghi danh; đếm lượt, không ghi tên',
      en: 'Women, men and children at the sessions held in the period without being enrolled, added up: counted, never named',
    },
    unit: 'people',
  },
  programmeEmployed: {
    label: { vi: 'Có việc làm sau chương trình', en: 'Employed after a programme' },
    definition: {
      vi: 'Lượt ghi danh có kết quả "có việc làm" ghi nhận với ngày kết quả trong kỳ',
      en: 'Enrolments whose outcome "employed" is dated in the period',
    },
    unit: 'enrolments',
  },
  programmeApprenticeships: {
    label: { vi: 'Học nghề sau chương trình', en: 'Apprenticeships after a programme' },
    definition: {
      vi: 'Lượt ghi danh có kết quả "học nghề, học việc" ghi nhận với ngày kết quả trong kỳ',
      en: 'Enrolments whose outcome "apprenticeship" is dated in the period',
    },
    unit: 'enrolments',
  },
  programmeBackToSchool: {
    label: { vi: 'Trở lại trường học', en: 'Returned to school' },
    definition: {
      vi: 'Lượt ghi danh có kết quả "đi học trở lại" ghi nhận với ngày kết quả trong kỳ',
      en: 'Enrolments whose outcome "returned to school" is dated in the period',
    },
    unit: 'enrolments',
  },
} as const satisfies Record<string, IndicatorSpec>;
export type ProgrammeIndicatorId = keyof typeof PROGRAMME_INDICATORS;

/** The indicators, each with what it counts; GET /reports/indicators answers them in this order. */
export const INDICATORS = {
  received: {
    label: { vi: 'Trường hợp tiếp nhận', en: 'Cases received' },
    definition: { vi: 'Số báo cáo tiếp nhận trong kỳ, kể cả đã gộp hay đã xoá dữ liệu', en: 'Reports received in the period, merged and erased ones included' },
    unit: 'cases',
  },
  emergency: {
    label: { vi: 'Phân vào luồng khẩn cấp', en: 'Routed to the emergency path' },
    definition: {
      vi: 'Trường hợp tiếp nhận trong kỳ mà lần phân luồng đầu tiên là khẩn cấp',
      en: 'Cases received whose intake routing was the emergency path',
    },
    unit: 'cases',
  },
  children: {
    label: { vi: 'Trẻ em (dưới 16 tuổi)', en: 'Children (under 16)' },
    definition: { vi: 'Trường hợp tiếp nhận là trẻ em theo Luật Trẻ em 2016', en: 'Cases received about a child under the Law on Children 2016' },
    unit: 'cases',
  },
  childAbuse: {
    label: { vi: 'Trẻ em bị xâm hại (chỉ tiêu 0101, Thông tư 13/2021)', en: 'Children abused (indicator 0101, Circular 13/2021)' },
    definition: {
      vi: 'Trẻ em có báo cáo xâm hại tình dục, bạo lực hoặc thương tích, hoặc thuộc nhóm nạn nhân xâm hại, bạo lực gia đình',
      en: 'Children with sexual abuse, violence or injury reported, or in the abuse or domestic-violence victim categories',
    },
    unit: 'cases',
  },
  childAbuseGirls: {
    label: { vi: 'Trẻ em gái bị xâm hại', en: 'Girls abused' },
    definition: { vi: 'Chỉ tiêu 0101, giới tính nữ', en: 'Indicator 0101, female' },
    unit: 'cases',
  },
  childAbuseBoys: {
    label: { vi: 'Trẻ em trai bị xâm hại', en: 'Boys abused' },
    definition: { vi: 'Chỉ tiêu 0101, giới tính nam', en: 'Indicator 0101, male' },
    unit: 'cases',
  },
  remote: {
    label: { vi: 'Ở vùng sâu, vùng xa, miền núi, hải đảo', en: 'In remote, mountain or island areas' },
    definition: { vi: 'Trường hợp tiếp nhận có nơi ở thuộc vùng khó khăn', en: 'Cases received from remote areas' },
    unit: 'cases',
  },
  ethnicMinority: {
    label: { vi: 'Người dân tộc thiểu số', en: 'Ethnic minority' },
    definition: { vi: 'Trường hợp tiếp nhận là người dân tộc thiểu số', en: 'Cases received about a member of an ethnic minority' },
    unit: 'cases',
  },
  repeats: {
    label: { vi: 'Báo cáo lặp lại', en: 'Repeat reports' },
    definition: { vi: 'Báo cáo đến khi người đó còn một trường hợp đang mở', en: 'Reports received while the same person had an open case' },
    unit: 'cases',
  },
  open: {
    label: { vi: 'Đang quản lý', en: 'Still open' },
    definition: { vi: 'Trường hợp tiếp nhận trong kỳ hiện chưa kết thúc', en: 'Cases received in the period that are open now' },
    unit: 'cases',
  },
  closed: {
    label: { vi: 'Đã kết thúc', en: 'Closed' },
    definition: { vi: 'Trường hợp tiếp nhận trong kỳ hiện đã kết thúc', en: 'Cases received in the period that are closed now' },
    unit: 'cases',
  },
  escalationsSupervisor: {
    label: { vi: 'Việc quá hạn báo trưởng phòng', en: 'Escalations to supervisors' },
    definition: { vi: 'Số lần việc quá hạn được báo lên trưởng phòng trong kỳ', en: 'Overdue work escalated to a supervisor in the period' },
    unit: 'escalations',
  },
  escalationsManager: {
    label: { vi: 'Việc quá hạn báo Ban Giám đốc', en: 'Escalations to managers' },
    definition: { vi: 'Số lần việc quá hạn được báo lên Ban Giám đốc trong kỳ', en: 'Overdue work escalated to the managers in the period' },
    unit: 'escalations',
  },
  referralsSent: {
    label: { vi: 'Chuyển gửi đã gửi', en: 'Referrals sent' },
    definition: { vi: 'Chuyển gửi tạo trong kỳ và đã gửi đối tác', en: 'Referrals made in the period and sent to a partner' },
    unit: 'referrals',
  },
  referralsAccepted: {
    label: { vi: 'Chuyển gửi được nhận', en: 'Referrals accepted' },
    definition: { vi: 'Đã được đối tác nhận (kể cả đang và đã cung cấp dịch vụ)', en: 'Accepted by the partner (in service and completed included)' },
    unit: 'referrals',
  },
  referralsDeclined: {
    label: { vi: 'Chuyển gửi bị từ chối', en: 'Referrals declined' },
    definition: { vi: 'Đối tác từ chối', en: 'Declined by the partner' },
    unit: 'referrals',
  },
  referralsExpired: {
    label: { vi: 'Chuyển gửi quá hạn không trả lời', en: 'Referrals unanswered in time' },
    definition: { vi: 'Đối tác không trả lời trước thời hạn', en: 'The partner did not answer by the deadline' },
    unit: 'referrals',
  },
  referralsCompleted: {
    label: { vi: 'Chuyển gửi hoàn thành', en: 'Referrals completed' },
    definition: { vi: 'Đối tác đã cung cấp xong dịch vụ', en: 'The partner completed the service' },
    unit: 'referrals',
  },
  referralSuccessPercent: {
    label: { vi: 'Tỷ lệ chuyển gửi thành công (%)', en: 'Referrals successful (%)' },
    definition: { vi: 'Hoàn thành trên số đã gửi, trong kỳ', en: 'Completed out of those sent, in the period' },
    unit: 'percent',
  },
  assessmentsCompleted: {
    label: { vi: 'Đánh giá toàn diện đã ghi', en: 'Assessments completed' },
    definition: { vi: 'Số lần ghi đánh giá toàn diện trong kỳ', en: 'Comprehensive assessments recorded in the period' },
    unit: 'cases',
  },
  plansApproved: {
    label: { vi: 'Kế hoạch được thông qua', en: 'Plans approved' },
    definition: { vi: 'Số kế hoạch can thiệp được thông qua trong kỳ', en: 'Intervention plans approved in the period' },
    unit: 'cases',
  },
  closuresApproved: {
    label: { vi: 'Trường hợp kết thúc', en: 'Cases closed' },
    definition: { vi: 'Số đề xuất kết thúc được duyệt trong kỳ', en: 'Closures approved in the period' },
    unit: 'cases',
  },
  reopened: {
    label: { vi: 'Trường hợp mở lại', en: 'Cases reopened' },
    definition: { vi: 'Số trường hợp đã kết thúc được mở lại trong kỳ', en: 'Closed cases reopened in the period' },
    unit: 'cases',
  },
  medianDaysToClose: {
    label: { vi: 'Thời gian quản lý trung vị (ngày)', en: 'Median time from opening to closing (days)' },
    definition: { vi: 'Từ tiếp nhận đến kết thúc, các trường hợp kết thúc trong kỳ', en: 'From intake to closure, for the cases closed in the period' },
    unit: 'days',
  },
  closedUnder1Month: {
    label: { vi: 'Kết thúc trong vòng 1 tháng', en: 'Closed within a month' },
    definition: { vi: 'Thời gian quản lý của các trường hợp kết thúc trong kỳ', en: 'Duration of the cases closed in the period' },
    unit: 'cases',
  },
  closed1to3Months: {
    label: { vi: 'Kết thúc sau 1–3 tháng', en: 'Closed after 1–3 months' },
    definition: { vi: 'Như trên', en: 'As above' },
    unit: 'cases',
  },
  closed3to6Months: {
    label: { vi: 'Kết thúc sau 3–6 tháng', en: 'Closed after 3–6 months' },
    definition: { vi: 'Như trên', en: 'As above' },
    unit: 'cases',
  },
  closedOver6Months: {
    label: { vi: 'Kết thúc sau hơn 6 tháng', en: 'Closed after more than 6 months' },
    definition: { vi: 'Như trên', en: 'As above' },
    unit: 'cases',
  },
  overdueNow: {
    label: { vi: 'Đang quá hạn', en: 'Overdue now' },
    definition: { vi: 'Trường hợp đang mở có việc đã quá hạn, tại thời điểm xem', en: 'Open cases whose current step is past due, now' },
    unit: 'cases',
  },
  socialWorkers: {
    label: { vi: 'Nhân viên CTXH đang làm việc', en: 'Active social workers' },
    definition: { vi: 'Tại thời điểm xem', en: 'Now' },
    unit: 'workers',
  },
  workersPerSupervisor: {
    label: { vi: 'Số nhân viên trên một trưởng phòng', en: 'Social workers per supervisor' },
    definition: { vi: 'Nhân viên CTXH đang làm việc chia cho trưởng phòng đang làm việc', en: 'Active social workers over active supervisors' },
    unit: 'ratio',
  },
  caseloadUpTo10: {
    label: { vi: 'Nhân viên phụ trách ≤ 10 trường hợp', en: 'Workers with 10 open cases or fewer' },
    definition: { vi: 'Nhân viên CTXH đang làm việc, theo số trường hợp đang mở hiện nay', en: 'Active social workers, by the open cases they hold now' },
    unit: 'workers',
  },
  caseload11to20: {
    label: { vi: 'Nhân viên phụ trách 11–20 trường hợp', en: 'Workers with 11–20 open cases' },
    definition: { vi: 'Như trên', en: 'As above' },
    unit: 'workers',
  },
  caseload21to30: {
    label: { vi: 'Nhân viên phụ trách 21–30 trường hợp', en: 'Workers with 21–30 open cases' },
    definition: { vi: 'Như trên', en: 'As above' },
    unit: 'workers',
  },
  caseloadOver30: {
    label: { vi: 'Nhân viên phụ trách trên 30 trường hợp', en: 'Workers with more than 30 open cases' },
    definition: { vi: 'Như trên', en: 'As above' },
    unit: 'workers',
  },
  ...CONTACT_INDICATORS,
  ...PLACEMENT_INDICATORS,
  ...PROGRAMME_INDICATORS,
} as const satisfies Record<string, IndicatorSpec>;

/** The steps whose timeliness is reported against the deadline policy in force when each began. */
export const TIMED_STEPS = [
  'emergency_response',
  'assessment',
  'planning',
  'plan_approval',
  'review',
  'closure_approval',
] as const satisfies readonly DeadlineStep[];

/** Four indicators per step: met on time, missed, median and 90th-percentile time to meet. */
export const TIMELINESS_INDICATORS: Record<string, IndicatorSpec> = Object.fromEntries(
  TIMED_STEPS.flatMap((step) => {
    const name = DEADLINE_STEP_LABELS[step];
    return [
      [
        `${step}.onTime`,
        {
          label: { vi: `${name.vi}: đúng hạn`, en: `${name.en}: on time` },
          definition: { vi: 'Thời hạn bắt đầu trong kỳ và được đáp ứng trước hạn', en: 'Deadlines started in the period and met by their due time' },
          unit: 'deadlines',
        },
      ],
      [
        `${step}.late`,
        {
          label: { vi: `${name.vi}: quá hạn`, en: `${name.en}: missed` },
          definition: { vi: 'Đáp ứng sau hạn, hoặc đến nay vẫn chưa đáp ứng mà đã quá hạn', en: 'Met after the due time, or still not met and past it' },
          unit: 'deadlines',
        },
      ],
      [
        `${step}.medianHours`,
        {
          label: { vi: `${name.vi}: thời gian trung vị (giờ)`, en: `${name.en}: median time (hours)` },
          definition: { vi: 'Từ lúc bắt đầu đến lúc đáp ứng, trung vị', en: 'From start to met, the median' },
          unit: 'hours',
        },
      ],
      [
        `${step}.p90Hours`,
        {
          label: { vi: `${name.vi}: 90% xong trong (giờ)`, en: `${name.en}: 90th percentile (hours)` },
          definition: { vi: 'Từ lúc bắt đầu đến lúc đáp ứng, bách phân vị 90', en: 'From start to met, the 90th percentile' },
          unit: 'hours',
        },
      ],
    ];
  }),
);
export type IndicatorId = keyof typeof INDICATORS;
