// The notices a case workflow asks for: what kind, and to whom. The workflow decides who hears
// what; the words are composed by the activity that writes them (activities/notices.ts).
// Free of any library: the workflow bundle imports it.

/** Stands for the supervisor of the case's unit, whoever that is when the notice is written. */
export const UNIT_SUPERVISOR = 'unit-supervisor';

export type NoticeKind = 'case.assigned' | 'risk.pending' | 'risk.emergency';

export interface NoticeDraft {
  kind: NoticeKind;
  /** Staff ids, or UNIT_SUPERVISOR. */
  to: string[];
}
