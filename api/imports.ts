// Bringing a register's rows in (issue 15), one row at a time, each whole or not at all: a closed
// case is written with its events in one transaction and starts no workflow; an open case starts
// its workflow in the register's stage with the risk the register recorded (not re-scored), and
// the workflow writes it as an intake would, deadline counted from now. A row already imported
// under its number is unchanged, or reported as changed — never overwritten. The case id is
// derived from the province and the number, so a run interrupted and run again starts nothing twice.
import { createHash } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { hashJson } from '../db/canonical-json';
import { findImportedCase, importClosedCase } from '../db/cases';
import type { Principal } from '../domain/access';
import type { RiskDecision } from '../domain/case';
import { closureReasonCode, IMPORTED_REASON, registerIntake, type RegisterRow } from '../domain/register';
import { factsAtIntake } from '../rules/intake-facts';
import { caseWorkflow, routedUpdate } from '../workflows/case';
import type { ApiDeps } from './context';
import type { ReadRegister, RegisterProblem } from './register-file';

export interface ImportReport {
  accepted: number;
  unchanged: number;
  rejected: RegisterProblem[];
  ignoredColumns: string[];
}

/** A UUID (version 5 layout, SHA-256 based) from a name: the same register number, the same case. */
function caseIdFor(province: string, registerNo: string): string {
  const h = createHash('sha256').update(`case-flow register:${province}:${registerNo}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const importedDecision = (row: RegisterRow): RiskDecision => ({
  score: 0,
  level: row.riskLevel,
  path: row.path,
  reasons: [IMPORTED_REASON],
  rulesetVersion: 0,
});
/** A register's day as the moment the centre received the case: that day's start in Vietnam. */
const vietnamDay = (day: string) => new Date(`${day}T00:00:00+07:00`).toISOString();

/** Rows imported side by side: each starts a workflow or writes a transaction of its own. */
const ROWS_AT_ONCE = 8;

export async function importRegister(
  deps: Pick<ApiDeps, 'sql' | 'temporal' | 'taskQueue' | 'routingTimeoutMs'>,
  who: Principal,
  provinceName: string,
  read: ReadRegister,
): Promise<ImportReport> {
  const report: ImportReport = { accepted: 0, unchanged: 0, rejected: [...read.rejected], ignoredColumns: read.ignoredColumns };
  const queue = [...read.rows];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await importRow(next);
  };
  await Promise.all(Array.from({ length: ROWS_AT_ONCE }, worker));
  report.rejected.sort((a, b) => a.row - b.row);
  return report;

  async function importRow({ row, value }: ReadRegister['rows'][number]): Promise<void> {
    const rowHash = hashJson(value);
    const earlier = await findImportedCase(deps.sql, who.province, value.registerNo);
    if (earlier) {
      if (earlier.rowHash === rowHash) report.unchanged += 1;
      else report.rejected.push({ row, column: read.registerNoColumn, message: 'imported before with other values: not overwritten (change the case itself)' });
      return;
    }
    const caseId = caseIdFor(who.province, value.registerNo);
    const intake = registerIntake(value, provinceName);
    const receivedAt = vietnamDay(value.receivedAt);
    const decision = importedDecision(value);
    const imported = { registerNo: value.registerNo, rowHash };
    if (value.stage === 'closed') {
      const facts = await factsAtIntake(deps.sql, who.province, intake, new Date(receivedAt));
      await importClosedCase(deps.sql, {
        caseId,
        province: who.province,
        reportedBy: who.id,
        intake,
        receivedAt,
        decision,
        facts,
        imported,
        closedAt: vietnamDay(value.closedAt!),
        closure: { reasonCode: closureReasonCode(value.closureReason), reason: value.closureReason ?? '', outcome: value.outcome ?? '' },
      });
    } else {
      const input = {
        caseId,
        province: who.province,
        reportedBy: who.id,
        reportedByName: who.name,
        intake,
        receivedAt,
        imported: { ...imported, stage: value.stage, decision },
      };
      try {
        await deps.temporal.withDeadline(Date.now() + deps.routingTimeoutMs, () =>
          deps.temporal.workflow.executeUpdateWithStart(routedUpdate, {
            startWorkflowOperation: new WithStartWorkflowOperation(caseWorkflow, {
              workflowId: caseId,
              taskQueue: deps.taskQueue,
              args: [input],
              workflowIdConflictPolicy: 'USE_EXISTING',
            }),
          }),
        );
      } catch (err) {
        report.rejected.push({ row, column: '(row)', message: `not started yet (${(err as Error).message}); run the import again` });
        return;
      }
    }
    report.accepted += 1;
  }
}
