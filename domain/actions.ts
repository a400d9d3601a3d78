// The catalogue of staff actions on a case: for each, where it is allowed (stages), who may do it
// (roles), its HTTP method and path, and its words for people ({vi, en}: a label for the button,
// a summary, a label per body field). Everything else derives from here: the Temporal update
// definitions (workflows/messages.ts), the workflow's checks, the HTTP routes and their OpenAPI
// entries (api/routes/case-actions.ts) and the README's table (npm run docs:actions).
//
// Free of any library: the workflow bundle imports it. The body schemas sit beside it in
// domain/action-bodies.ts, keyed by the same names; the workflow's handler for each is in
// workflows/case.ts. The names are also the names of the Temporal updates that recorded case
// histories hold: never rename one.
import type { Role } from './access';
import { STAGES, type Bilingual, type Stage } from './stages';

export interface ActionSpec {
  method: 'post' | 'patch';
  /** Under the API's root; `{id}` is the case, any other `{name}` is handed to the workflow in the body. */
  path: string;
  /** Stages in which the action is allowed; anywhere else it answers 409 out_of_stage. */
  stages: readonly Stage[];
  /** Roles that may do it; anyone else gets 403 forbidden, checked before the stage. */
  roles: readonly Role[];
  /** What the button says. */
  label: Bilingual;
  /** One sentence on what it does, for the API document and the console. */
  summary: Bilingual;
  /** A label for each field of the body (domain/action-bodies.ts holds their schemas). */
  fields: Record<string, Bilingual>;
  /** The action is about one referral: the API answers with it (201 when the action creates it), not with the case. */
  answers?: 'referral' | 'new_referral' | 'placement' | 'new_placement';
}

const CASE_WORKERS = ['social_worker', 'supervisor', 'manager'] as const satisfies readonly Role[];
const LEADS = ['supervisor', 'manager'] as const satisfies readonly Role[];
const MANAGERS = ['manager'] as const satisfies readonly Role[];
/** Every stage but `closed` and `erased`. */
export const OPEN_STAGES = STAGES.filter((s) => s !== 'closed' && s !== 'erased');
/** Where a person may be placed (issue 28): from emergency response to implementation. */
const PLACING_STAGES = ['emergency_response', 'assessment', 'planning', 'plan_review', 'implementation'] as const satisfies readonly Stage[];
/** Every stage but `erased`, after which a case takes no action. */
const LIVE_STAGES = STAGES.filter((s) => s !== 'erased');

const decisionFields = {
  decision: { vi: 'Quyết định (thông qua / không thông qua)', en: 'Decision (approve / reject)' },
  comment: { vi: 'Ý kiến', en: 'Comment' },
};

const placementFields = {
  carerId: { vi: 'Nơi chăm sóc', en: 'Carer' },
  kind: { vi: 'Hình thức', en: 'Kind of placement' },
  startsAt: { vi: 'Bắt đầu từ', en: 'Starts at' },
  decision: { vi: 'Quyết định (số, người ký, ngày)', en: 'Decision (number, by whom, on)' },
  until: { vi: 'Đến (theo quyết định)', en: 'Until (as decided)' },
  reason: { vi: 'Lý do', en: 'Reason' },
};

export const ACTIONS = {
  safetyConfirmed: {
    method: 'post',
    path: '/cases/{id}/safety-confirmed',
    stages: ['emergency_response'],
    roles: CASE_WORKERS,
    label: { vi: 'Xác nhận đã an toàn', en: 'Confirm safety' },
    summary: { vi: 'Người được trợ giúp đã an toàn: chuyển sang xác minh, đánh giá', en: 'The person is safe: emergency response → assessment' },
    fields: { actions: { vi: 'Các biện pháp đã thực hiện', en: 'Actions taken' } },
  },
  assessment: {
    method: 'post',
    path: '/cases/{id}/assessment',
    stages: ['assessment'],
    roles: CASE_WORKERS,
    label: { vi: 'Ghi đánh giá toàn diện', en: 'Record assessment' },
    summary: { vi: 'Ghi kết quả xác minh và đánh giá toàn diện: chuyển sang lập kế hoạch', en: 'Record the comprehensive assessment: → planning' },
    fields: {
      summary: { vi: 'Tóm tắt đánh giá', en: 'Assessment summary' },
      needs: { vi: 'Nhu cầu', en: 'Needs' },
      strengths: { vi: 'Nguồn lực, điểm mạnh (bản thân, gia đình, cộng đồng)', en: 'Resources and strengths (person, family, community)' },
    },
  },
  plan: {
    method: 'post',
    path: '/cases/{id}/plan',
    stages: ['planning'],
    roles: CASE_WORKERS,
    label: { vi: 'Trình kế hoạch can thiệp', en: 'Submit plan' },
    summary: { vi: 'Trình kế hoạch can thiệp, trợ giúp để Ban Giám đốc thông qua', en: 'Submit the intervention plan for approval: → plan review' },
    fields: {
      goals: { vi: 'Mục tiêu', en: 'Goals' },
      interventions: { vi: 'Các hoạt động can thiệp (giữ hoạt động cũ bằng mã của nó)', en: 'Interventions (keep an earlier one by its id)' },
      cancel: { vi: 'Hoạt động cũ dừng lại, và lý do', en: 'Earlier interventions that stop, and why' },
    },
  },
  planDecision: {
    method: 'post',
    path: '/cases/{id}/plan/decision',
    stages: ['plan_review'],
    roles: MANAGERS,
    label: { vi: 'Duyệt kế hoạch', en: 'Decide on the plan' },
    summary: {
      vi: 'Thông qua (→ thực hiện) hoặc trả lại (→ lập kế hoạch) kế hoạch; Ban Giám đốc, không phải người lập',
      en: 'Approve (→ implementation) or reject (→ planning) the plan; managers, not the plan’s author',
    },
    fields: decisionFields,
  },
  addIntervention: {
    method: 'post',
    path: '/cases/{id}/interventions',
    stages: ['implementation'],
    roles: CASE_WORKERS,
    label: { vi: 'Thêm hoạt động can thiệp', en: 'Add intervention' },
    summary: { vi: 'Thêm một hoạt động can thiệp trong khi thực hiện kế hoạch', en: 'Add an intervention (implementation)' },
    fields: {
      type: { vi: 'Loại', en: 'Type' },
      description: { vi: 'Mô tả', en: 'Description' },
      programmeId: { vi: 'Chương trình sinh hoạt nhóm (loại group)', en: 'Programme (type group)' },
      consent: { vi: 'Sự đồng ý tham gia chương trình', en: 'Consent to take part' },
    },
  },
  updateIntervention: {
    method: 'patch',
    path: '/cases/{id}/interventions/{interventionId}',
    stages: ['implementation'],
    roles: CASE_WORKERS,
    label: { vi: 'Cập nhật hoạt động can thiệp', en: 'Update intervention' },
    summary: { vi: 'Đổi trạng thái hoặc ghi kết quả của một hoạt động can thiệp', en: 'Change an intervention’s status or outcome' },
    fields: { status: { vi: 'Trạng thái', en: 'Status' }, outcome: { vi: 'Kết quả', en: 'Outcome' } },
  },
  review: {
    method: 'post',
    path: '/cases/{id}/reviews',
    stages: ['implementation'],
    roles: CASE_WORKERS,
    label: { vi: 'Ghi rà soát định kỳ', en: 'Record review' },
    summary: { vi: 'Ghi một lần rà soát định kỳ; mối lo ngại mới thì đánh giá lại nguy cơ', en: 'Record a periodic review; new concerns re-score the risk' },
    fields: {
      summary: { vi: 'Tóm tắt rà soát', en: 'Review summary' },
      progress: { vi: 'Tiến độ', en: 'Progress' },
      concerns: { vi: 'Mối lo ngại mới', en: 'New concerns' },
      resolvedConcerns: { vi: 'Mối lo ngại đã hết (trưởng phòng, Ban Giám đốc)', en: 'Concerns cleared (supervisors, managers)' },
    },
  },
  closure: {
    method: 'post',
    path: '/cases/{id}/closure',
    stages: ['implementation'],
    roles: CASE_WORKERS,
    label: { vi: 'Đề xuất kết thúc', en: 'Propose closure' },
    summary: { vi: 'Đề xuất kết thúc quản lý trường hợp: chờ duyệt', en: 'Propose closure: → closure review' },
    fields: {
      reasonCode: { vi: 'Lý do kết thúc', en: 'Reason for closing' },
      reason: { vi: 'Giải thích', en: 'Explanation' },
      goalsMet: { vi: 'Mức đạt mục tiêu', en: 'Goals met' },
      outcome: { vi: 'Kết quả đạt được', en: 'Outcome' },
    },
  },
  closureDecision: {
    method: 'post',
    path: '/cases/{id}/closure/decision',
    stages: ['closure_review'],
    roles: MANAGERS,
    label: { vi: 'Duyệt kết thúc', en: 'Decide on closure' },
    summary: {
      vi: 'Đồng ý kết thúc (→ đã kết thúc) hoặc không (→ thực hiện); Ban Giám đốc, không phải người đề xuất',
      en: 'Approve (→ closed) or reject (→ implementation) closure; managers, not the proposer',
    },
    fields: decisionFields,
  },
  reopen: {
    method: 'post',
    path: '/cases/{id}/reopen',
    stages: ['closed'],
    roles: LEADS,
    label: { vi: 'Mở lại trường hợp', en: 'Reopen' },
    summary: { vi: 'Mở lại một trường hợp đã kết thúc: quay lại xác minh, đánh giá', en: 'Reopen a closed case: → assessment' },
    fields: { reason: { vi: 'Lý do', en: 'Reason' } },
  },
  assign: {
    method: 'post',
    path: '/cases/{id}/assign',
    stages: OPEN_STAGES,
    roles: LEADS,
    label: { vi: 'Phân công lại', en: 'Reassign' },
    summary: { vi: 'Phân công trường hợp cho nhân viên khác (trưởng phòng hoặc Ban Giám đốc)', en: 'Reassign the case (the unit supervisor or a manager)' },
    fields: { workerId: { vi: 'Nhân viên được phân công', en: 'Social worker' } },
  },
  transfer: {
    method: 'post',
    path: '/cases/{id}/transfer',
    stages: OPEN_STAGES,
    roles: LEADS,
    label: { vi: 'Chuyển sang đơn vị khác', en: 'Transfer to another unit' },
    summary: {
      vi: 'Chuyển trường hợp sang đơn vị khác trong tỉnh; trưởng phòng hai đơn vị được báo, đơn vị mới phân công',
      en: 'Move the case to another unit of the province; both units’ supervisors are told, the new unit assigns it',
    },
    fields: { unitId: { vi: 'Đơn vị nhận', en: 'Unit' }, reason: { vi: 'Lý do', en: 'Reason' } },
  },
  merge: {
    method: 'post',
    path: '/cases/{id}/merge',
    stages: OPEN_STAGES,
    roles: CASE_WORKERS,
    label: { vi: 'Gộp vào trường hợp đang mở', en: 'Merge into open case' },
    summary: {
      vi: 'Gộp một báo cáo lặp lại vào trường hợp đang mở của cùng người: báo cáo này kết thúc',
      en: 'Merge a repeat report into the client’s open case: this one closes as merged',
    },
    fields: { intoCaseId: { vi: 'Trường hợp giữ lại', en: 'Case to merge into' } },
  },
  restriction: {
    method: 'post',
    path: '/cases/{id}/restriction',
    stages: LIVE_STAGES,
    roles: LEADS,
    label: { vi: 'Hạn chế quyền xem', en: 'Restrict access' },
    summary: {
      vi: 'Chỉ nhân viên phụ trách, trưởng phòng và Ban Giám đốc được xem trường hợp, hoặc bỏ hạn chế',
      en: 'Restrict a case to its assigned worker, unit supervisor and managers, or lift that',
    },
    fields: { restricted: { vi: 'Hạn chế', en: 'Restricted' }, reason: { vi: 'Lý do', en: 'Reason' } },
  },
  riskDecision: {
    method: 'post',
    path: '/cases/{id}/risk/decision',
    stages: OPEN_STAGES,
    roles: LEADS,
    label: { vi: 'Xác nhận mức nguy cơ thấp hơn', en: 'Decide on the lower risk' },
    summary: {
      vi: 'Xác nhận (áp dụng) hoặc bác bỏ mức nguy cơ thấp hơn đang chờ; không phải người đã gỡ mối lo ngại',
      en: 'Confirm (apply) or reject the pending lower risk; not the person who cleared the concern',
    },
    fields: decisionFields,
  },
  note: {
    method: 'post',
    path: '/cases/{id}/notes',
    stages: LIVE_STAGES,
    roles: CASE_WORKERS,
    label: { vi: 'Ghi chú', en: 'Add note' },
    summary: {
      vi: 'Ghi lại một lần liên lạc, thăm nhà hay điều cần nhớ về trường hợp',
      en: 'Record a contact, a home visit or anything worth remembering about the case',
    },
    fields: { text: { vi: 'Nội dung', en: 'Note' } },
  },
  refer: {
    method: 'post',
    path: '/cases/{id}/referrals',
    stages: OPEN_STAGES,
    roles: CASE_WORKERS,
    label: { vi: 'Chuyển gửi', en: 'Refer to a partner' },
    summary: {
      vi: 'Chuyển gửi người được trợ giúp tới một cơ quan, tổ chức đối tác, với sự đồng ý chia sẻ thông tin; đối tác phải trả lời trước thời hạn',
      en: 'Refer the person to a partner agency, with their consent to share; the partner must answer by a deadline',
    },
    fields: {
      partnerId: { vi: 'Đối tác', en: 'Partner' },
      service: { vi: 'Dịch vụ cần', en: 'Service needed' },
      reason: { vi: 'Lý do chuyển gửi', en: 'Why' },
      consent: { vi: 'Sự đồng ý: ai đồng ý, được chia sẻ thông tin nào', en: 'Consent: who gave it, what may be shared' },
      draft: { vi: 'Lưu nháp, chưa gửi', en: 'Keep as a draft, do not send yet' },
    },
    answers: 'new_referral',
  },
  sendReferral: {
    method: 'post',
    path: '/cases/{id}/referrals/{referralId}/send',
    stages: OPEN_STAGES,
    roles: CASE_WORKERS,
    label: { vi: 'Gửi chuyển gửi', en: 'Send referral' },
    summary: { vi: 'Gửi một chuyển gửi nháp cho đối tác; thời hạn trả lời bắt đầu', en: 'Send a draft referral to its partner; the answer clock starts' },
    fields: { comment: { vi: 'Ghi chú', en: 'Comment' } },
    answers: 'referral',
  },
  revokeReferral: {
    method: 'post',
    path: '/cases/{id}/referrals/{referralId}/revoke',
    stages: LIVE_STAGES,
    roles: CASE_WORKERS,
    label: { vi: 'Rút lại chuyển gửi', en: 'Revoke referral' },
    summary: {
      vi: 'Rút lại một chuyển gửi chưa hoàn thành; đường dẫn của đối tác hết hiệu lực',
      en: 'Revoke a referral before it completes; the partner’s link stops working',
    },
    fields: { reason: { vi: 'Lý do', en: 'Reason' } },
    answers: 'referral',
  },
  referralProgress: {
    method: 'post',
    path: '/cases/{id}/referrals/{referralId}/progress',
    stages: LIVE_STAGES,
    roles: CASE_WORKERS,
    label: { vi: 'Ghi tiến độ chuyển gửi', en: 'Record referral progress' },
    summary: {
      vi: 'Ghi điều đối tác báo qua điện thoại: đang cung cấp dịch vụ, hoặc đã hoàn thành và kết quả',
      en: 'Record what the partner said by phone: the service began, or it completed with an outcome',
    },
    fields: { status: { vi: 'Tiến độ', en: 'Progress' }, outcome: { vi: 'Kết quả', en: 'Outcome' } },
    answers: 'referral',
  },
  place: {
    method: 'post',
    path: '/cases/{id}/placements',
    stages: PLACING_STAGES,
    roles: CASE_WORKERS,
    label: { vi: 'Ghi nơi chăm sóc thay thế', en: 'Record a placement' },
    summary: {
      vi: 'Đưa người được trợ giúp tới nơi chăm sóc thay thế (gia đình nhận chăm sóc, nhà tạm lánh, cơ sở); tạm thời cách ly có thời hạn luật định',
      en: 'Place the person with a carer (a foster family, a shelter, a centre); a temporary separation has the law’s limit',
    },
    fields: placementFields,
    answers: 'new_placement',
  },
  movePlacement: {
    method: 'post',
    path: '/cases/{id}/placements/{placementId}/move',
    stages: PLACING_STAGES,
    roles: CASE_WORKERS,
    label: { vi: 'Chuyển nơi chăm sóc', en: 'Move to another carer' },
    summary: {
      vi: 'Kết thúc nơi chăm sóc hiện tại và bắt đầu nơi mới trong một thao tác',
      en: 'End the current placement and begin the next in one step',
    },
    fields: {
      ...placementFields,
      kind: { vi: 'Hình thức (mặc định: như cũ)', en: 'Kind (default: as before)' },
      startsAt: { vi: 'Chuyển lúc', en: 'Moved at' },
    },
    answers: 'new_placement',
  },
  extendPlacement: {
    method: 'post',
    path: '/cases/{id}/placements/{placementId}/extend',
    stages: OPEN_STAGES,
    roles: MANAGERS,
    label: { vi: 'Gia hạn tạm thời cách ly', en: 'Extend the separation' },
    summary: {
      vi: 'Gia hạn tạm thời cách ly theo một quyết định mới; Ban Giám đốc',
      en: 'Extend a temporary separation under a new decision; managers',
    },
    fields: { decision: placementFields.decision, until: { vi: 'Gia hạn đến', en: 'Extended until' }, reason: placementFields.reason },
    answers: 'placement',
  },
  endPlacement: {
    method: 'post',
    path: '/cases/{id}/placements/{placementId}/end',
    stages: OPEN_STAGES,
    roles: CASE_WORKERS,
    label: { vi: 'Kết thúc chăm sóc thay thế', en: 'End the placement' },
    summary: { vi: 'Ghi ngày kết thúc và kết quả: trở về gia đình, chăm sóc lâu dài…', en: 'Record when and how the placement ended' },
    fields: { endedAt: { vi: 'Kết thúc lúc', en: 'Ended at' }, outcome: { vi: 'Kết quả', en: 'Outcome' }, note: { vi: 'Ghi chú', en: 'Note' } },
    answers: 'placement',
  },
  placementVisit: {
    method: 'post',
    path: '/cases/{id}/placements/{placementId}/visits',
    stages: OPEN_STAGES,
    roles: CASE_WORKERS,
    label: { vi: 'Ghi lần thăm nơi chăm sóc', en: 'Record a monitoring visit' },
    summary: {
      vi: 'Ghi một lần thăm, giám sát người được chăm sóc thay thế; có gặp được người đó không',
      en: 'Record a monitoring visit to the placement, and whether the person was seen',
    },
    fields: { visitedOn: { vi: 'Ngày thăm', en: 'Visited on' }, seen: { vi: 'Đã gặp trực tiếp', en: 'Seen in person' }, note: { vi: 'Ghi nhận', en: 'Note' } },
    answers: 'placement',
  },
  erase: {
    method: 'post',
    path: '/cases/{id}/erase',
    stages: LIVE_STAGES,
    roles: MANAGERS,
    label: { vi: 'Xoá dữ liệu cá nhân', en: 'Erase personal data' },
    summary: {
      vi: 'Xoá dữ liệu định danh của người được trợ giúp; chỉ giữ số liệu thống kê đã ẩn danh; trường hợp không nhận thêm thao tác nào',
      en: 'Erase what identifies the person; keep only de-identified figures; the case takes no more actions',
    },
    fields: { reason: { vi: 'Lý do', en: 'Reason' } },
  },
} as const satisfies Record<string, ActionSpec>;

export type ActionName = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

type ParamsOf<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | ParamsOf<Rest> : never;
/** The path parameters of an action other than the case id: the workflow gets them in its input. */
export type ActionParams<K extends ActionName> = { [N in Exclude<ParamsOf<(typeof ACTIONS)[K]['path']>, 'id'>]: string };

/** What the workflow answers every action with. */
export interface ActionReply {
  stage: Stage;
  /** The intervention an action created, if it created one. */
  interventionId?: string;
  /** The referral an action created or moved. */
  referralId?: string;
  /** The placement an action created or changed. */
  placementId?: string;
}

/** The audit trail's name of an action: `case.plan_decision`. */
export function auditName(name: ActionName): string {
  return `case.${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
}
