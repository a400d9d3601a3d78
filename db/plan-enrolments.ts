// Enrolments made by a case's plan (issue 29, domain/plan-enrolments.ts): written with the case
// event that makes them (db/lifecycle.ts), and a case's enrolments as GET /cases/{id} shows them.
import type { CaseProgramme } from '../domain/case';
import type { EnrolmentRefusal, PlanEnrolment } from '../domain/plan-enrolments';
import { vietnamDay } from '../domain/vietnam-time';
import type { Sql, Tx } from './connect';
import { enrolIn, findProgramme, ProgrammeRefused } from './programmes';

/** The database refused an enrolment of a plan: nothing of the event was written. */
export class PlanEnrolmentRefused extends Error {
  constructor(
    readonly code: EnrolmentRefusal,
    readonly enrolment: PlanEnrolment,
  ) {
    super(`enrolment in programme ${enrolment.programmeId} refused: ${code}`);
    this.name = 'PlanEnrolmentRefused';
  }
}

/**
 * Writes the event's enrolments with the same rules as POST /programmes/{id}/enrolments (enrolIn,
 * under the programme's row lock), in the event's transaction: a refusal writes nothing of the
 * event. The programme must be of the case's province; an enrolment already written (the same id:
 * a retried activity) is left as it is. The person is the case's client; the day is the event's
 * in Vietnam, or the programme's first day when it has not begun yet.
 */
export async function writePlanEnrolments(tx: Tx, e: { caseId: string; at: string; actorId: string | null; enrolments: PlanEnrolment[] }) {
  for (const enrolment of e.enrolments) {
    const [own] = await tx`select 1 from enrolments where id = ${enrolment.id}`;
    if (own) continue;
    const [c] = await tx<{ client_id: string | null }[]>`
      select c.client_id from cases c join programmes g on g.province = c.province where c.id = ${e.caseId} and g.id = ${enrolment.programmeId}`;
    if (!c?.client_id) throw new PlanEnrolmentRefused('unknown_reference', enrolment);
    try {
      await enrolIn(tx, enrolment.programmeId, {
        id: enrolment.id,
        clientId: c.client_id,
        caseId: e.caseId,
        enrolledOn: vietnamDay(new Date(e.at)),
        consent: enrolment.consent,
        by: e.actorId,
        notBeforeStart: true,
      });
    } catch (err) {
      if (err instanceof ProgrammeRefused) throw new PlanEnrolmentRefused(err.code, enrolment);
      throw err;
    }
  }
}

/** Where a programme named by a plan stands for the case's person, before the workflow is asked (its write decides). */
export async function programmeStanding(sql: Sql, programmeId: string, province: string, clientId: string | null) {
  const programme = await findProgramme(sql, programmeId, province);
  if (!programme) return undefined;
  const [enrolled] = clientId ? await sql`select 1 from enrolments where programme_id = ${programmeId} and client_id = ${clientId}` : [];
  return {
    name: programme.name,
    closed: programme.closedAt !== null,
    full: programme.capacity !== null && programme.members >= programme.capacity,
    enrolled: !!enrolled,
  };
}

/** The case's enrolments, by its plan or not, the first first (the case's scope is checked by its caller). */
export async function caseProgrammes(sql: Sql, caseId: string): Promise<CaseProgramme[]> {
  const rows = await sql<
    {
      id: string;
      programme_id: string;
      name: string;
      kind: CaseProgramme['programme']['kind'];
      enrolled_on: string;
      outcome: CaseProgramme['outcome'];
      outcome_on: string | null;
    }[]
  >`
    select e.id, g.id as programme_id, g.name, g.kind, e.enrolled_on::text, e.outcome, e.outcome_on::text
    from enrolments e join programmes g on g.id = e.programme_id
    where e.case_id = ${caseId}
    order by e.enrolled_on, e.created_at, e.id`;
  return rows.map((r) => ({
    enrolmentId: r.id,
    programme: { id: r.programme_id, name: r.name, kind: r.kind },
    enrolledOn: r.enrolled_on,
    outcome: r.outcome,
    outcomeOn: r.outcome_on,
  }));
}
