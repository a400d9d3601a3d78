// The notices a case workflow asks for: what kind, and to whom. The workflow decides who hears
// what; the words are composed by the activity that writes them (activities/notices.ts).
// Free of any library: the workflow bundle imports it.

/** Stands for the supervisor of the case's unit, whoever that is when the notice is written. */
export const UNIT_SUPERVISOR = 'unit-supervisor';
/** Stands for the supervisor of a given unit: `${UNIT_SUPERVISOR_OF}${unitId}`. */
export const UNIT_SUPERVISOR_OF = 'unit-supervisor:';
/** Stands for whoever reported the case, when that is a village collaborator: they hear its status only. */
export const REPORTING_COLLABORATOR = 'reporting-collaborator';

export const NOTICE_KINDS = [
  'case.new',
  'case.new_emergency',
  'case.assigned',
  'case.repeat_reported',
  'case.transferred',
  'risk.pending',
  'risk.emergency',
  'report.received',
  'report.in_progress',
  'report.closed',
  'referral.accepted',
  'referral.declined',
  'referral.completed',
  'referral.expired',
  'placement.limit_near',
  'placement.not_seen',
  // G1 (domain/programmes.ts): written with the session that completed a run of absences.
  'programme.absences',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
/** The escalation ladder's notices (db/escalations.ts): a kind each per level. */
export const LADDER_NOTICE_KINDS = ['deadline.reminder', 'deadline.supervisor', 'deadline.manager'] as const;

export interface NoticeDraft {
  kind: NoticeKind;
  /** Staff ids, UNIT_SUPERVISOR or REPORTING_COLLABORATOR. */
  to: string[];
}
