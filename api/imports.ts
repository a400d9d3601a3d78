// Bringing a centre's past records in, one row at a time, each whole or not at all, for
// POST /imports, `npm run import` and `npm run demo` alike. A row already imported under its own
// number is unchanged, or reported as changed — never overwritten — and its id is derived from the
// province and the number, so a run interrupted and run again writes nothing twice.
//
// A register (issue 15): a closed case is written with its events in one transaction and starts no
// workflow; an open case starts its workflow in the register's stage with the risk the register
// recorded (not re-scored), and the workflow writes it as an intake would, deadline counted from now.
//
// A hotline log (issue 27, 8): each row is recorded as the contact it was, by the importer, at the
// time the log gives, with its log number; a callback it promised is its outcome, with no clock.
// C1 at import: a row with facts enough to score is scored by the published ruleset, and the
// routing kept on the contact. One the ruleset routes to the emergency path is still imported as
// the log says — the past cannot be re-routed, and a case opened now would begin its deadlines
// years late — but the report lists it (`emergencies`, on every run until a case is opened from it)
// for a supervisor or manager to read and, if it still matters, open a case: POST /contacts/{id}/case.
import { createHash } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { hashJson } from '../db/canonical-json';
import { findImportedCase, importClosedCase } from '../db/cases';
import { findImportedContact } from '../db/contact-imports';
import { insertContact } from '../db/contacts';
import type { Principal } from '../domain/access';
import type { RiskDecision } from '../domain/case';
import { closureReasonCode, IMPORTED_REASON, registerIntake, type RegisterRow } from '../domain/register';
import { routeContact } from '../rules/contact-routing';
import { factsAtIntake } from '../rules/intake-facts';
import { publishedRulesets } from '../rules/ruleset-source';
import { caseWorkflow, routedUpdate } from '../workflows/case';
import type { ApiDeps } from './context';
import type { ReadContactLog, ReadRegister, RowProblem } from './register-file';

export interface ImportReport {
  accepted: number;
  unchanged: number;
  rejected: RowProblem[];
  ignoredColumns: string[];
}

/** A log row whose facts route to the emergency path, imported as the log says, with no case yet. */
export interface ImportedEmergency {
  row: number;
  logNo: string;
  contactId: string;
  ref: string;
}

export interface ContactImportReport extends ImportReport {
  emergencies: ImportedEmergency[];
}

/** A UUID (version 5 layout, SHA-256 based) from a name: the same number, the same record. */
function nameUuid(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
const caseIdFor = (province: string, registerNo: string) => nameUuid(`case-flow register:${province}:${registerNo}`);
const contactIdFor = (province: string, logNo: string) => nameUuid(`case-flow contact log:${province}:${logNo}`);

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

/** Runs `each` over the rows, ROWS_AT_ONCE at a time, and sorts the problems by row. */
async function eachRow<T>(rows: T[], rejected: RowProblem[], each: (row: T) => Promise<void>): Promise<void> {
  const queue = [...rows];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await each(next);
  };
  await Promise.all(Array.from({ length: ROWS_AT_ONCE }, worker));
  rejected.sort((a, b) => a.row - b.row);
}

const CHANGED = {
  vi: 'đã nhập trước đây với giá trị khác: không ghi đè (hãy sửa chính bản ghi)',
  en: 'imported before with other values: not overwritten (change the case itself)',
};

export async function importRegister(
  deps: Pick<ApiDeps, 'sql' | 'temporal' | 'taskQueue' | 'routingTimeoutMs'>,
  who: Principal,
  provinceName: string,
  read: ReadRegister,
): Promise<ImportReport> {
  const report: ImportReport = { accepted: 0, unchanged: 0, rejected: [...read.rejected], ignoredColumns: read.ignoredColumns };
  await eachRow(read.rows, report.rejected, importRow);
  return report;

  async function importRow({ row, value }: ReadRegister['rows'][number]): Promise<void> {
    const rowHash = hashJson(value);
    const earlier = await findImportedCase(deps.sql, who.province, value.registerNo);
    if (earlier) {
      if (earlier.rowHash === rowHash) report.unchanged += 1;
      else report.rejected.push({ row, column: read.keyColumn, message: CHANGED });
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
        const why = (err as Error).message;
        report.rejected.push({
          row,
          column: '(row)',
          message: { vi: `chưa khởi động được (${why}); hãy chạy lại lệnh nhập`, en: `not started yet (${why}); run the import again` },
        });
        return;
      }
    }
    report.accepted += 1;
  }
}

export async function importContacts(deps: Pick<ApiDeps, 'sql'>, who: Principal, provinceName: string, read: ReadContactLog): Promise<ContactImportReport> {
  const report: ContactImportReport = { accepted: 0, unchanged: 0, rejected: [...read.rejected], ignoredColumns: read.ignoredColumns, emergencies: [] };
  const rulesets = publishedRulesets(deps.sql);
  await eachRow(read.rows, report.rejected, importRow);
  report.emergencies.sort((a, b) => a.row - b.row);
  return report;

  async function importRow({ row, value }: ReadContactLog['rows'][number]): Promise<void> {
    const { logNo, contact } = value;
    const rowHash = hashJson(value);
    const earlier = await findImportedContact(deps.sql, who.province, logNo);
    if (earlier) {
      if (earlier.rowHash !== rowHash) {
        report.rejected.push({
          row,
          column: read.keyColumn,
          message: {
            vi: `đã nhập trước đây (${earlier.ref}) với giá trị khác: không ghi đè (hãy sửa chính cuộc gọi: PATCH /contacts/{id})`,
            en: `imported before (${earlier.ref}) with other values: not overwritten (correct the contact itself: PATCH /contacts/{id})`,
          },
        });
        return;
      }
      report.unchanged += 1;
      if (earlier.path === 'emergency' && !earlier.caseId) report.emergencies.push({ row, logNo, contactId: earlier.id, ref: earlier.ref });
      return;
    }
    const at = new Date(contact.startedAt);
    const { routing } = await routeContact(deps.sql, rulesets, { province: who.province, provinceName }, contact, at);
    const id = contactIdFor(who.province, logNo);
    await insertContact(deps.sql, {
      id,
      province: who.province,
      recorder: who,
      contact,
      outcome: contact.outcome,
      routing,
      caseId: null,
      callback: null,
      at,
      imported: { logNo, rowHash },
    });
    report.accepted += 1;
    if (routing?.path === 'emergency') {
      const stored = await findImportedContact(deps.sql, who.province, logNo);
      report.emergencies.push({ row, logNo, contactId: id, ref: stored?.ref ?? '' });
    }
  }
}
