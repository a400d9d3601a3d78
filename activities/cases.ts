// The case's record in PostgreSQL: the case itself at intake, then every event of its life with
// the state it leaves the case in, the routing decision it applies, and the notices it sends.
import { insertCaseWithRouting, type NewCase, type RecordedIntake } from '../db/cases';
import type { Sql, Tx } from '../db/connect';
import { reportingCollaborator, staffDisplayName, supervisorOfCase, supervisorOfUnit } from '../db/directory';
import { ApplicationFailure } from '@temporalio/activity';
import { recordCaseEvent, type CaseEvent } from '../db/lifecycle';
import { CarerFullError } from '../db/placements';
import { PlanEnrolmentRefused } from '../db/plan-enrolments';
import { ENROLMENT_REFUSED_FAILURE, type EnrolmentRefusalDetail } from '../domain/plan-enrolments';
import { CARER_FULL_FAILURE } from '../domain/errors';
import type { NotificationDraft } from '../db/notifications';
import { REPORTING_COLLABORATOR, UNIT_SUPERVISOR, UNIT_SUPERVISOR_OF, type NoticeDraft, type NoticeKind } from '../domain/notices';
import type { ReferralRecord } from '../domain/referrals';
import type { ReferralLinks } from '../security/referral-links';
import { noticeText } from './notices';

/** Drafts as workflows recorded before issue 9 still send them (a key and one recipient each). */
type EarlierDraft = { key: string; recipientId: string; kind: NoticeKind };

export type CaseEventInput = Omit<CaseEvent, 'notify' | 'referral'> & { notify: Array<NoticeDraft | EarlierDraft>; referral?: ReferralRecord };

/**
 * The notices of an event, each addressed to a person: the audiences a draft names (the unit's
 * supervisor, the reporting collaborator) stand for whoever fills them now, as `db` sees the case.
 */
export async function noticesOf(db: Sql | Tx, event: Pick<CaseEventInput, 'caseId' | 'seq' | 'notify' | 'assigneeId'>): Promise<NotificationDraft[]> {
  if (event.notify.length === 0) return [];
  const wants = (audience: string) => event.notify.some((n) => 'to' in n && n.to.includes(audience));
  const units = [...new Set(event.notify.flatMap((n) => ('to' in n ? n.to : [])).filter((to) => to.startsWith(UNIT_SUPERVISOR_OF)))];
  const { assigneeId } = event;
  // Asked together: in a transaction, postgres.js sends them in one go.
  const [supervisor, collaborator, supervisorsOf, assigneeName] = await Promise.all([
    wants(UNIT_SUPERVISOR) ? supervisorOfCase(db, event.caseId) : undefined,
    wants(REPORTING_COLLABORATOR) ? reportingCollaborator(db, event.caseId) : undefined,
    Promise.all(units.map(async (u) => [u, await supervisorOfUnit(db, u.slice(UNIT_SUPERVISOR_OF.length))] as const)).then((pairs) => new Map(pairs)),
    assigneeId ? staffDisplayName(db, assigneeId).then((name) => name ?? assigneeId) : undefined,
  ]);
  const stand = (to: string) =>
    to === UNIT_SUPERVISOR ? supervisor : to === REPORTING_COLLABORATOR ? collaborator : to.startsWith(UNIT_SUPERVISOR_OF) ? supervisorsOf.get(to) : to;
  return event.notify.flatMap((n) => {
    const message = noticeText(n.kind, { assigneeName });
    if ('recipientId' in n) return [{ key: n.key, recipientId: n.recipientId, kind: n.kind, message }];
    const recipients = [...new Set(n.to.map(stand).filter((id): id is string => !!id))];
    // Keyed by the event and the person: a retried activity notifies nobody twice.
    return recipients.map((recipientId) => ({ key: `${event.caseId}:${event.seq}:${n.kind}:${recipientId}`, recipientId, kind: n.kind, message }));
  });
}

export function createCaseActivities(deps: { sql: Sql; clock: () => Date; referralLinks: ReferralLinks }) {
  const { sql } = deps;

  return {
    // A retry finds the rows of the first attempt and keeps them, decision time included.
    async recordIntake(input: Omit<NewCase, 'decidedAt' | 'repeatNotice'>): Promise<RecordedIntake> {
      return await insertCaseWithRouting(sql, { ...input, decidedAt: deps.clock(), repeatNotice: noticeText('case.repeat_reported', {}) });
    },

    async recordCaseEvent(event: CaseEventInput): Promise<void> {
      const { referral, ...rest } = event;
      // A draft has no link yet; from its sending on, the link's hash opens it.
      const tokenHash = referral && referral.status !== 'draft' ? deps.referralLinks.hashOf(deps.referralLinks.tokenFor(referral.id)) : null;
      try {
        await recordCaseEvent(sql, { ...rest, notify: await noticesOf(sql, event), referral: referral && { record: referral, tokenHash } });
      } catch (err) {
        // P3: the carer filled up since the action was checked; sending it again changes nothing.
        if (err instanceof CarerFullError) throw ApplicationFailure.create({ type: CARER_FULL_FAILURE, message: err.message, nonRetryable: true });
        // Issue 29: the programme filled up, closed, or took the person since the action was checked.
        if (err instanceof PlanEnrolmentRefused) {
          const { interventionId, programmeId } = err.enrolment;
          const detail: EnrolmentRefusalDetail = { code: err.code, interventionId, programmeId };
          throw ApplicationFailure.create({ type: ENROLMENT_REFUSED_FAILURE, message: err.message, details: [detail], nonRetryable: true });
        }
        throw err;
      }
    },
  };
}
