// A rotation of the keys the product holds (`npm run keys:rotate`, system/keys-rotate.ts):
//
// - Master keys. Every case key stored in PostgreSQL is re-wrapped under the active master key
//   (MASTER_KEY_ID), in batches, each one transaction; run again, it finds only what is still
//   wrapped by another key, so an interrupted run is finished by running it again. Temporal keeps
//   payloads sealed directly with a master key for what belongs to no case (a programme's
//   schedule, promised callbacks, deliveries, programme sessions): a programme's schedule carries
//   its sealed arguments into every session it starts, so it is applied again under the active
//   key; a workflow's history cannot be rewritten, so running ones sealed under an old key are
//   counted: that key stays until they end.
// - Partners' links after AUTH_SECRET changed: which open referrals still have a link made with
//   AUTH_SECRET_PREVIOUS (it must stay until they end), or with a secret no longer honoured (they
//   open nothing); and, asked to, re-issues those links under the current secret.
//
// One audit row says what changed (`keys.rotated`); a run that changes nothing writes nothing.
import type { Client } from '@temporalio/client';
import { keepProgrammeSchedule, programmeScheduleId } from '../api/programme-schedule';
import { appendAudit, appendAuditBatch } from '../db/audit';
import { wrappedKeyCounts } from '../db/case-keys';
import type { Sql } from '../db/connect';
import { applyingSchedule, scheduledProgrammeIds } from '../db/programme-occurrences';
import { openReferralLinks, replaceReferralLink, type OpenReferralLink } from '../db/referrals';
import { isUuid } from '../domain/ids';
import type { CaseKeyStore } from '../security/case-keys';
import type { MasterKeys } from '../security/master-keys';
import type { LinkSecret, ReferralLinks } from '../security/referral-links';

export interface RotationOptions {
  sql: Sql;
  masterKeys: MasterKeys;
  caseKeys: CaseKeyStore;
  /** The partners' links as the product makes them now: AUTH_SECRET, and AUTH_SECRET_PREVIOUS when set. */
  links: ReferralLinks;
  /** Temporal, when it answers; without it schedules and running workflows are not checked (and said so). */
  temporal?: { client: Client; namespace: string; taskQueue: string };
  /** Give links made with another secret a new one under the current secret (their old links stop opening). */
  reissueLinks?: boolean;
  batchSize?: number;
  /** Who ran it, for the audit row. */
  actor: string;
  say: (line: string) => void;
  /** True once a person asked to stop (Ctrl-C): the batch under way finishes, then the run ends. */
  stopRequested?: () => boolean;
}

export interface RotationReport {
  to: string;
  /** Case keys re-wrapped by this run, by the master key that wrapped them before. */
  rewrapped: Record<string, number>;
  /** Live case keys still wrapped by another master key after the run, by that key. */
  stillWrapped: Record<string, number>;
  /** Keys this run could not open: their master key is missing from MASTER_KEYS, or its value there is not the one that wrapped them. */
  unopened: Array<{ masterKeyId: string; why: 'not_configured' | 'does_not_open'; count: number }>;
  /** Programme schedules: how many were looked at, and re-applied under the active key (by the key they were sealed with); undefined when Temporal did not answer. */
  schedules?: { checked: number; reapplied: Record<string, number>; stillSealed: Record<string, number> };
  /** Running workflows of no case whose input is sealed with an old master key, by that key; undefined when Temporal did not answer. */
  runningWorkflows?: { checked: number; byKey: Record<string, number>; capped: boolean };
  links: { byMaker: Record<LinkSecret, number>; reissued: number; waiting: OpenReferralLink[]; dead: OpenReferralLink[] };
  /** Master keys (other than the active one) something still needs, and what. */
  stillNeeded: Array<{ masterKeyId: string; why: string[] }>;
  interrupted: boolean;
}

const DEFAULT_BATCH = 500;
/** Enough running workflows of no case to say which keys they need; a larger backlog is said to be one. */
const WORKFLOW_CHECK_CAP = 5_000;
const text = new TextDecoder();

const add = (to: Record<string, number>, key: string, n = 1) => {
  to[key] = (to[key] ?? 0) + n;
};
const thousands = (n: number) => n.toLocaleString('en');

/** The master key a payload was sealed with directly (`master:<id>`), if it was (a case's own key is re-wrapped, not looked at here). */
function masterKeyOf(payload: { metadata?: Record<string, Uint8Array> | null } | null | undefined): string | undefined {
  const scope = payload?.metadata?.['encryption-key-id'];
  const [kind, id] = scope ? text.decode(scope).split(/:(.*)/s) : [];
  return kind === 'master' && id ? id : undefined;
}

async function rewrapCaseKeys(o: RotationOptions, report: RotationReport): Promise<void> {
  const activeId = o.masterKeys.activeId;
  const before = await wrappedKeyCounts(o.sql);
  const total = [...before].filter(([id]) => id !== activeId).reduce((n, [, c]) => n + c, 0);
  if (total === 0) {
    o.say(`every case key is wrapped by "${activeId}" already: nothing to re-wrap`);
    return;
  }
  o.say(`re-wrapping ${thousands(total)} case keys under "${activeId}" (now wrapped by ${[...before.keys()].filter((id) => id !== activeId).join(', ')})…`);
  let after: string | null = null;
  let done = 0;
  const unopened = new Map<string, { masterKeyId: string; why: 'not_configured' | 'does_not_open'; count: number }>();
  for (;;) {
    const batch = await o.caseKeys.rewrapBatch(after, o.batchSize ?? DEFAULT_BATCH);
    for (const k of batch.rewrapped) add(report.rewrapped, k.from);
    for (const k of batch.left) {
      const key = `${k.masterKeyId}/${k.why}`;
      const seen = unopened.get(key) ?? { masterKeyId: k.masterKeyId, why: k.why, count: 0 };
      seen.count += 1;
      unopened.set(key, seen);
    }
    done += batch.rewrapped.length + batch.left.length;
    if (batch.lastCaseId === null) break;
    after = batch.lastCaseId;
    // Keys wrapped meanwhile by a process still on the old MASTER_KEY_ID can push past the first count.
    o.say(`re-wrapped ${thousands(Object.values(report.rewrapped).reduce((n, c) => n + c, 0))}/${thousands(Math.max(total, done))} case keys…`);
    if (o.stopRequested?.()) {
      report.interrupted = true;
      o.say('stopping as asked: the batches done are kept; run it again to finish');
      break;
    }
  }
  report.unopened = [...unopened.values()];
}

async function reapplySchedules(o: RotationOptions, t: NonNullable<RotationOptions['temporal']>, report: RotationReport): Promise<void> {
  const activeId = o.masterKeys.activeId;
  const schedules: NonNullable<RotationReport['schedules']> = { checked: 0, reapplied: {}, stillSealed: {} };
  report.schedules = schedules;
  for (const id of await scheduledProgrammeIds(o.sql)) {
    if (o.stopRequested?.()) {
      report.interrupted = true;
      break;
    }
    // Read as Temporal keeps it (no decoding): which key sealed the arguments every session starts with.
    const described = await t.client.workflowService
      .describeSchedule({ namespace: t.namespace, scheduleId: programmeScheduleId(id) })
      .catch((err: { code?: number }) => {
        // Not there (yet): the worker's sweep makes it, under the key that worker has active.
        if (err.code === 5) return undefined;
        throw err;
      });
    if (!described) continue;
    schedules.checked += 1;
    const sealedWith = masterKeyOf(described.schedule?.action?.startWorkflow?.input?.payloads?.[0]);
    if (!sealedWith || sealedWith === activeId) continue;
    try {
      // Under the programme's row lock, as the API and the sweep apply it: a change made meanwhile is not undone.
      await applyingSchedule(o.sql, id, async (p) => void (await keepProgrammeSchedule(t.client, t.taskQueue, p)));
      add(schedules.reapplied, sealedWith);
    } catch (err) {
      add(schedules.stillSealed, sealedWith);
      o.say(`the schedule of programme ${id} could not be applied again: ${(err as Error).message}`);
    }
  }
  const reapplied = Object.values(schedules.reapplied).reduce((n, c) => n + c, 0);
  o.say(`programme schedules: ${schedules.checked} looked at, ${reapplied} applied again under "${activeId}"`);
}

async function runningWorkflows(o: RotationOptions, t: NonNullable<RotationOptions['temporal']>, report: RotationReport): Promise<void> {
  const activeId = o.masterKeys.activeId;
  const found: NonNullable<RotationReport['runningWorkflows']> = { checked: 0, byKey: {}, capped: false };
  report.runningWorkflows = found;
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await t.client.workflowService.listWorkflowExecutions({
      namespace: t.namespace,
      query: `ExecutionStatus = 'Running' AND TaskQueue = '${t.taskQueue.replace(/'/g, "''")}'`,
      pageSize: 500,
      nextPageToken,
    });
    for (const w of page.executions ?? []) {
      const workflowId = w.execution?.workflowId ?? '';
      // A case's workflow is sealed with the case's key, which the rotation re-wraps.
      if (isUuid(workflowId)) continue;
      if (found.checked >= WORKFLOW_CHECK_CAP) {
        found.capped = true;
        break;
      }
      found.checked += 1;
      const history = await t.client.workflowService.getWorkflowExecutionHistory({ namespace: t.namespace, execution: w.execution, maximumPageSize: 1 });
      const sealedWith = masterKeyOf(history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]);
      if (sealedWith && sealedWith !== activeId) add(found.byKey, sealedWith);
    }
    nextPageToken = page.nextPageToken?.length && !found.capped ? page.nextPageToken : undefined;
  } while (nextPageToken);
}

async function checkLinks(o: RotationOptions, report: RotationReport): Promise<void> {
  const audit: Parameters<typeof appendAuditBatch>[1] = [];
  for (const link of await openReferralLinks(o.sql)) {
    const maker = o.links.madeWith(link.id, link.tokenHash);
    if (maker !== 'current' && o.reissueLinks) {
      const fresh = o.links.hashOf(o.links.tokenFor(link.id));
      if (await replaceReferralLink(o.sql, link.id, link.tokenHash, fresh)) {
        report.links.reissued += 1;
        audit.push({
          at: new Date(),
          entry: {
            province: link.province,
            actorId: null,
            actor: o.actor,
            role: 'system',
            action: 'referral.link_reissued',
            caseId: link.caseId,
            address: null,
            outcome: 200,
            detail: { referralId: link.id, madeWith: maker },
          },
        });
      }
      add(report.links.byMaker, 'current');
      continue;
    }
    add(report.links.byMaker, maker);
    if (maker === 'previous') report.links.waiting.push(link);
    if (maker === 'neither') report.links.dead.push(link);
  }
  // In the case's and the province's trail: staff see why the partner's link changed.
  if (audit.length) await appendAuditBatch(o.sql, audit);
}

/** What still needs a master key other than the active one, from what the run found. */
function stillNeeded(report: RotationReport): RotationReport['stillNeeded'] {
  const needs = new Map<string, string[]>();
  const need = (id: string, why: string) => needs.set(id, [...(needs.get(id) ?? []), why]);
  for (const [id, n] of Object.entries(report.stillWrapped)) need(id, `${thousands(n)} case key(s) still wrapped by it`);
  for (const [id, n] of Object.entries(report.schedules?.stillSealed ?? {})) need(id, `${n} programme schedule(s) still sealed with it`);
  for (const [id, n] of Object.entries(report.runningWorkflows?.byKey ?? {})) {
    need(id, `${n} running workflow(s) of no case (callbacks, deliveries, programme sessions) started under it, until they end`);
  }
  return [...needs].map(([masterKeyId, why]) => ({ masterKeyId, why }));
}

export async function rotateKeys(o: RotationOptions): Promise<RotationReport> {
  const report: RotationReport = {
    to: o.masterKeys.activeId,
    rewrapped: {},
    stillWrapped: {},
    unopened: [],
    links: { byMaker: { current: 0, previous: 0, neither: 0 }, reissued: 0, waiting: [], dead: [] },
    stillNeeded: [],
    interrupted: false,
  };
  let failure: unknown;
  try {
    await rewrapCaseKeys(o, report);
    if (o.temporal && !report.interrupted) {
      await reapplySchedules(o, o.temporal, report);
      if (!report.interrupted) await runningWorkflows(o, o.temporal, report);
    }
    if (!report.interrupted) await checkLinks(o, report);
  } catch (err) {
    failure = err;
  }
  try {
    await record(o, report, failure);
  } catch (err) {
    // What stopped the run (the database gone, say) matters more than the record it then prevents.
    if (!failure) throw err;
    o.say(`the rotation could not be recorded in the audit trail: ${(err as Error).message}`);
  }
  if (failure) throw failure;
  return report;
}

/** Recounts what is left, and writes the audit row of a run that changed something. */
async function record(o: RotationOptions, report: RotationReport, failure: unknown): Promise<void> {
  // Recounted, not derived: a process still wrapping new keys with the old id shows here.
  for (const [id, n] of await wrappedKeyCounts(o.sql)) if (id !== report.to) report.stillWrapped[id] = n;
  report.stillNeeded = stillNeeded(report);
  const rewrapped = Object.values(report.rewrapped).reduce((n, c) => n + c, 0);
  const reapplied = Object.values(report.schedules?.reapplied ?? {}).reduce((n, c) => n + c, 0);
  // Only a run that changed something is recorded; the links re-issued have rows of their own.
  if (rewrapped > 0 || reapplied > 0) {
    await appendAudit(o.sql, {
      province: null,
      actorId: null,
      actor: o.actor,
      role: 'system',
      action: 'keys.rotated',
      caseId: null,
      address: null,
      outcome: failure || report.interrupted ? 206 : 200,
      detail: {
        from: [...new Set([...Object.keys(report.rewrapped), ...Object.keys(report.schedules?.reapplied ?? {})])].sort(),
        to: report.to,
        caseKeysRewrapped: rewrapped,
        byKey: report.rewrapped,
        schedulesReapplied: reapplied,
        stillNeeded: report.stillNeeded.map((n) => n.masterKeyId),
        complete: !failure && !report.interrupted && report.stillNeeded.length === 0 && report.unopened.length === 0,
      },
    });
  }
}
