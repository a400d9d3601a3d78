// A case's opening: what its intake leaves it as, stated once for the two places that need it —
// the admission activity, which writes it, and the case workflow, which adopts what was written.
import type { RiskDecision } from './case';
import type { Deadline } from './deadlines';
import type { CaseIntake } from './intake';
import { REPORTING_COLLABORATOR, UNIT_SUPERVISOR, type NoticeDraft } from './notices';
import type { RoutingFacts } from './routing-facts';
import type { Stage } from './stages';

/** Where an admitted case stands: the answer of the admission activity, first attempt or retry. */
export interface Admitted {
  decision: RiskDecision;
  /** Whether the person is a child, as the routing facts said. */
  child: boolean;
  stage: Stage;
  unitId: string | null;
  assigneeId: string | null;
  restricted: boolean;
  /** The first deadline, keyed `${step}:1`; none for a stage without one. */
  deadline?: Deadline;
}

/**
 * I8: the worker hears of a new case; of an emergency, the unit's supervisor too; the
 * collaborator who reported it, that it was received. An imported case was known before: nobody
 * is told of it as new.
 */
export function openingNotices(stage: Stage, assigneeId: string | null, imported: boolean): NoticeDraft[] {
  if (imported) return [];
  const assignee = assigneeId ? [assigneeId] : [];
  return [
    stage === 'emergency_response' ? { kind: 'case.new_emergency', to: [...assignee, UNIT_SUPERVISOR] } : { kind: 'case.new', to: assignee },
    { kind: 'report.received', to: [REPORTING_COLLABORATOR] },
  ];
}

/**
 * The first event of the case's timeline: routed by the rules (from a contact, when it began as one,
 * issue 27), or brought in from a register with its recorded risk.
 */
export function openingEvent(
  stage: Stage,
  decision: RiskDecision,
  imported?: { registerNo: string },
  contact?: { id: string; ref: string },
): { kind: string; data: Record<string, unknown> } {
  return imported
    ? { kind: 'case.imported', data: { registerNo: imported.registerNo, stage, risk: decision } }
    : { kind: 'case.routed', data: { risk: decision, ...(contact ? { contact } : {}) } };
}

/** How every case starts: the intake as the API received it (the case workflow's input begins so). */
export interface IntakeStart {
  caseId: string;
  /** The tenant the case belongs to: the reporter's province. */
  province: string;
  /** The staff member or integration token that reported it. */
  reportedBy: string;
  reportedByName?: string;
  intake: CaseIntake;
  /** When the centre received the report (ISO-8601), as recorded by the API. */
  receivedAt: string;
}

/** How an imported case starts: the register's stage (an open one) and the risk it recorded. */
export interface ImportedStart {
  registerNo: string;
  /** The hash of the register row, so a re-run tells unchanged from changed. */
  rowHash: string;
  stage: Exclude<Stage, 'closed' | 'erased'>;
  decision: RiskDecision;
}

/** What the admission activity is given. */
export interface AdmissionInput extends IntakeStart {
  /** The workflow's time at admission (ISO-8601): the opening event's, and the first deadline's start. */
  at: string;
  /** A case from a past register: its stage and recorded risk, not scored again. */
  imported?: ImportedStart;
}

/** The case's row as its intake stores it: the start, how it was scored, and the stage it opens in. */
export function caseRecord(
  start: IntakeStart & { imported?: ImportedStart },
  scored: { decision: RiskDecision; facts: RoutingFacts; restricted: boolean },
  stage: Stage,
) {
  const { imported } = start;
  return {
    caseId: start.caseId,
    province: start.province,
    reportedBy: start.reportedBy,
    restricted: scored.restricted,
    intake: start.intake,
    receivedAt: start.receivedAt,
    stage,
    decision: scored.decision,
    facts: scored.facts,
    ...(imported ? { imported: { registerNo: imported.registerNo, rowHash: imported.rowHash } } : {}),
  };
}
