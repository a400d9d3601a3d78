// A referral (chuyển gửi) of a case to a partner agency, as a protocol with its own clock:
//
//   draft → sent → accepted | declined(reason) | expired → in_service → completed(outcome)
//   and revoked(reason) by staff at any point before it ends.
//
// R1 A partner sees what the person consented to share, nothing more: the consent's scope lists
//    intake paths, and the partner's page and webhook carry exactly that subset.
// R2 A sent referral is answered or climbs the ladder: its deadline (step referral_response)
//    reminds the assignee, then calls the supervisor, then the managers, once each; at the manager
//    step it expires, and the assignee is told to refer elsewhere.
// R3 A case is not closed while a referral waits for an answer.
//
// Free of any library: the workflow bundle imports it.
import type { Deadline } from './deadlines';
import type { Bilingual } from './stages';

export const REFERRAL_STATUSES = ['draft', 'sent', 'accepted', 'declined', 'expired', 'in_service', 'completed', 'revoked'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** A referral in one of these has ended: its link answers 410 and nothing moves it again. */
export const TERMINAL_REFERRAL_STATUSES: readonly ReferralStatus[] = ['declined', 'expired', 'completed', 'revoked'];
/** Sent and not answered yet: its clock runs and the case cannot close (R3). */
export const AWAITING_ANSWER: readonly ReferralStatus[] = ['sent'];

export const PARTNER_KINDS = ['health', 'police', 'justice', 'education', 'shelter', 'vocational', 'programme', 'commune', 'other'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** What a consent may let a partner see: paths into the intake (R1). */
export const SHAREABLE_PATHS = [
  'client.fullName',
  'client.age',
  'client.gender',
  'client.phone',
  'client.location',
  'categories',
  'concerns',
  'summary',
] as const;
export type ShareablePath = (typeof SHAREABLE_PATHS)[number];

/** How the partner's page names what is shared. */
export const SHAREABLE_LABELS: Record<ShareablePath, Bilingual> = {
  'client.fullName': { vi: 'Họ tên', en: 'Full name' },
  'client.age': { vi: 'Tuổi', en: 'Age' },
  'client.gender': { vi: 'Giới tính', en: 'Gender' },
  'client.phone': { vi: 'Điện thoại', en: 'Phone' },
  'client.location': { vi: 'Địa chỉ', en: 'Address' },
  categories: { vi: 'Nhóm đối tượng', en: 'Categories' },
  concerns: { vi: 'Mối lo ngại', en: 'Concerns' },
  summary: { vi: 'Tóm tắt', en: 'Summary' },
};

/** What a partner's link can do while the referral is in a status. */
export function partnerActionsIn(status: ReferralStatus): PartnerAction[] {
  return PARTNER_ACTIONS.filter((a) => referralMayMove(status, a));
}

/** R1: the part of an intake a consent's scope lets the partner see. */
export function sharedData(intake: Record<string, unknown>, scope: readonly ShareablePath[]): Record<string, unknown> {
  const shared: Record<string, unknown> = {};
  for (const path of scope) {
    const [head, field] = path.split('.') as [string, string | undefined];
    const value = field ? (intake[head] as Record<string, unknown> | undefined)?.[field] : intake[head];
    if (value === undefined) continue;
    if (field) shared[head] = { ...((shared[head] as object | undefined) ?? {}), [field]: value };
    else shared[head] = value;
  }
  return shared;
}

/** What a partner can do through its link. */
export const PARTNER_ACTIONS = ['accept', 'decline', 'complete'] as const;
export type PartnerAction = (typeof PARTNER_ACTIONS)[number];

/** Where each move leads, and from where it may start; staff progress and partner answers share it. */
export const REFERRAL_MOVES = {
  send: { from: ['draft'], to: 'sent' },
  accept: { from: ['sent'], to: 'accepted' },
  decline: { from: ['sent'], to: 'declined' },
  // A partner that phoned to say the service began: staff record it, accepted or not before.
  in_service: { from: ['sent', 'accepted'], to: 'in_service' },
  complete: { from: ['accepted', 'in_service'], to: 'completed' },
  revoke: { from: ['draft', 'sent', 'accepted', 'in_service'], to: 'revoked' },
  expire: { from: ['sent'], to: 'expired' },
} as const satisfies Record<string, { from: readonly ReferralStatus[]; to: ReferralStatus }>;
export type ReferralMove = keyof typeof REFERRAL_MOVES;

export function referralMayMove(from: ReferralStatus, move: ReferralMove): boolean {
  return (REFERRAL_MOVES[move].from as readonly ReferralStatus[]).includes(from);
}

export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, Bilingual> = {
  draft: { vi: 'Nháp', en: 'Draft' },
  sent: { vi: 'Đã gửi, chờ trả lời', en: 'Sent, awaiting an answer' },
  accepted: { vi: 'Đã nhận', en: 'Accepted' },
  declined: { vi: 'Từ chối', en: 'Declined' },
  expired: { vi: 'Quá hạn, không trả lời', en: 'Expired without an answer' },
  in_service: { vi: 'Đang cung cấp dịch vụ', en: 'In service' },
  completed: { vi: 'Đã hoàn thành', en: 'Completed' },
  revoked: { vi: 'Đã rút lại', en: 'Revoked' },
};

/** A referral as the case workflow keeps it, and as it is recorded in PostgreSQL. */
export interface ReferralRecord {
  id: string;
  partnerId: string;
  service: string;
  reason: string;
  consent: { givenBy: string; scope: ShareablePath[] };
  status: ReferralStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** The answer clock, while the referral is sent. */
  deadline?: Deadline;
  /** Ladder levels already taken on its deadline. */
  fired: string[];
  declineReason?: string;
  outcome?: string;
  revokeReason?: string;
}
