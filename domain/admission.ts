// A case's opening: what its intake leaves it as, stated once for the two places that need it —
// the admission activity, which writes it, and the case workflow, which adopts what was written.
import type { RiskDecision } from './case';
import type { Deadline } from './deadlines';
import type { Intake } from './intake';
import { REPORTING_COLLABORATOR, UNIT_SUPERVISOR, type NoticeDraft } from './notices';
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

/** The first event of the case's timeline: routed by the rules, or brought in from a register with its recorded risk. */
export function openingEvent(stage: Stage, decision: RiskDecision, imported?: { registerNo: string }): { kind: string; data: Record<string, unknown> } {
  return imported
    ? { kind: 'case.imported', data: { registerNo: imported.registerNo, stage, risk: decision } }
    : { kind: 'case.routed', data: { risk: decision } };
}

/** What the admission activity is given: the intake as the API received it. */
export interface AdmissionInput {
  caseId: string;
  province: string;
  reportedBy: string;
  reportedByName?: string;
  intake: Intake;
  receivedAt: string;
  /** The workflow's time at admission (ISO-8601): the opening event's, and the first deadline's start. */
  at: string;
  /** A case from a past register: its stage and recorded risk, not scored again. */
  imported?: { registerNo: string; rowHash: string; stage: Stage; decision: RiskDecision };
}
