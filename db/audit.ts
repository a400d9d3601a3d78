// The audit trail: append-only rows, each hashing the one before, so an edited, deleted or
// re-forged row shows. The newest head is also written outside the database (AuditHeadWriter),
// so that cutting off the tail, or recomputing the whole chain, shows too.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson } from './canonical-json';
import { jsonb, type Sql } from './connect';

export const GENESIS_HASH = '0'.repeat(64);
// Any fixed number: the advisory lock that serialises appends, so seq has no gaps.
const AUDIT_LOCK = 727_002;
// Rows one transaction appends at most (a burst waits for the next).
const MAX_BATCH = 100;

export interface AuditEntry {
  province: string | null;
  actorId: string | null;
  actor: string | null;
  role: string | null;
  action: string;
  caseId: string | null;
  address: string | null;
  outcome: number;
  detail: Record<string, unknown>;
}

interface AuditRow {
  seq: string;
  at: Date;
  province: string | null;
  actor_id: string | null;
  actor: string | null;
  role: string | null;
  action: string;
  case_id: string | null;
  address: string | null;
  outcome: number;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    province: r.province,
    actorId: r.actor_id,
    actor: r.actor,
    role: r.role,
    action: r.action,
    caseId: r.case_id,
    address: r.address,
    outcome: r.outcome,
    detail: r.detail,
  };
}

function rowHash(prevHash: string, seq: bigint | string, at: Date, e: AuditEntry): string {
  const body = canonicalJson({
    seq: String(seq),
    at: at.toISOString(),
    province: e.province,
    actorId: e.actorId,
    actor: e.actor,
    role: e.role,
    action: e.action,
    caseId: e.caseId,
    address: e.address,
    outcome: e.outcome,
    detail: e.detail,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

/** Appends one entry after the chain's head. */
export async function appendAudit(sql: Sql, entry: AuditEntry, at = new Date()): Promise<{ seq: string; hash: string }> {
  const [written] = await appendAuditBatch(sql, [{ entry, at }]);
  return written!;
}

/** Appends entries in their order after the chain's head, in one transaction under the chain's lock. */
export async function appendAuditBatch(sql: Sql, batch: Array<{ entry: AuditEntry; at: Date }>): Promise<Array<{ seq: string; hash: string }>> {
  return await sql.begin(async (tx) => {
    // Sent together, run in this order: the head is read after the lock is held (each statement
    // reads what was committed when it starts), so no two transactions append after the same row.
    const [, [last]] = await Promise.all([
      tx`select pg_advisory_xact_lock(${AUDIT_LOCK})`,
      tx<{ seq: string; hash: string }[]>`select seq, hash from audit_log order by seq desc limit 1`,
    ]);
    let seq = BigInt(last?.seq ?? 0);
    let prevHash = last?.hash ?? GENESIS_HASH;
    const rows = batch.map(({ entry, at }) => {
      seq += 1n;
      const hash = rowHash(prevHash, seq, at, entry);
      const row = {
        seq: String(seq),
        at,
        province: entry.province,
        actor_id: entry.actorId,
        actor: entry.actor,
        role: entry.role,
        action: entry.action,
        case_id: entry.caseId,
        address: entry.address,
        outcome: entry.outcome,
        detail: jsonb(tx, entry.detail),
        prev_hash: prevHash,
        hash,
      };
      prevHash = hash;
      return row;
    });
    await tx`insert into audit_log ${tx(rows)}`;
    return rows.map((r) => ({ seq: r.seq, hash: r.hash }));
  });
}

/**
 * A process's audit writer: entries that arrive while a batch is being written go together in
 * the next one (group commit), so a busy API spends four round trips on a batch, not on each
 * request. Each caller still waits until its own row is committed.
 */
export class AuditAppender {
  private queue: Array<{ entry: AuditEntry; at: Date; done: (r: { seq: string; hash: string }) => void; failed: (e: unknown) => void }> = [];
  private writing = false;

  constructor(private readonly sql: Sql) {}

  append(entry: AuditEntry, at = new Date()): Promise<{ seq: string; hash: string }> {
    return new Promise((done, failed) => {
      this.queue.push({ entry, at, done, failed });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const written = await appendAuditBatch(this.sql, batch);
          batch.forEach((b, i) => b.done(written[i]!));
        } catch (err) {
          batch.forEach((b) => b.failed(err));
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

export async function auditHead(sql: Sql): Promise<{ seq: string; hash: string } | undefined> {
  const [last] = await sql<{ seq: string; hash: string }[]>`select seq, hash from audit_log order by seq desc limit 1`;
  return last;
}

export interface AuditRecord extends AuditEntry {
  seq: string;
  at: string;
}

/**
 * A province's rows, and the rows of the operators' commands that concern every province (role
 * `system`, no province: a backup taken, the keys rotated) — not other province-less rows (a login
 * with an unknown name), which name nobody of this province.
 */
export async function listAudit(sql: Sql, f: { province: string; caseId?: string; beforeSeq?: string; limit: number }): Promise<AuditRecord[]> {
  const rows = await sql<AuditRow[]>`
    select * from audit_log
    where (province = ${f.province} or (province is null and role = 'system'))
      ${f.caseId ? sql`and case_id = ${f.caseId}` : sql``}
      ${f.beforeSeq ? sql`and seq < ${f.beforeSeq}` : sql``}
    order by seq desc limit ${f.limit}`;
  return rows.map((r) => ({ seq: r.seq, at: r.at.toISOString(), ...toEntry(r) }));
}

export type AuditVerdict = { ok: true; rows: number; head?: { seq: string; hash: string } } | { ok: false; rows: number; seq: string; problem: string };

/** Walks the whole chain in order (streamed, not loaded) and checks it against the head file. */
export async function verifyAuditChain(sql: Sql, headFile?: string): Promise<AuditVerdict> {
  let prevHash = GENESIS_HASH;
  let expected = 1n;
  let rows = 0;
  let failure: AuditVerdict | undefined;
  await sql<AuditRow[]>`select * from audit_log order by seq`.cursor(500, (batch) => {
    for (const r of batch) {
      const seq = BigInt(r.seq);
      const fail = (problem: string) => {
        failure = { ok: false, rows, seq: r.seq, problem };
        return sql.CLOSE;
      };
      if (seq !== expected) return fail(`row ${expected} is missing (deleted?); the next row is ${seq}`);
      if (r.prev_hash !== prevHash) return fail('its prev_hash does not match the hash of the row before it');
      if (rowHash(r.prev_hash, r.seq, r.at, toEntry(r)) !== r.hash) return fail('its contents do not match its hash (edited?)');
      prevHash = r.hash;
      expected = seq + 1n;
      rows += 1;
    }
    return undefined;
  });
  if (failure) return failure;
  const head = rows > 0 ? { seq: String(expected - 1n), hash: prevHash } : undefined;
  for (const witnessed of readHeadFile(headFile)) {
    if (BigInt(witnessed.seq) > expected - 1n) {
      return { ok: false, rows, seq: witnessed.seq, problem: `the head file saw row ${witnessed.seq}, but the chain ends at ${expected - 1n} (tail cut off?)` };
    }
    const [row] = await sql<{ hash: string }[]>`select hash from audit_log where seq = ${witnessed.seq}`;
    if (row?.hash !== witnessed.hash) {
      return { ok: false, rows, seq: witnessed.seq, problem: 'its hash differs from the one the head file saw (chain recomputed?)' };
    }
  }
  return { ok: true, rows, head };
}

function readHeadFile(file?: string): Array<{ seq: string; hash: string }> {
  if (!file || !existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as { seq: string; hash: string });
}

/** Writes the chain's head to a file outside the database whenever it has moved. */
export class AuditHeadWriter {
  private last?: string;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly sql: Sql,
    private readonly file: string,
  ) {}

  async writeNow(): Promise<void> {
    const head = await auditHead(this.sql);
    if (!head || head.seq === this.last) return;
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${JSON.stringify({ ...head, at: new Date().toISOString() })}\n`);
    this.last = head.seq;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.writeNow().catch((err) => console.error('[audit] head not written:', err)), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    // `npm start` stops this before PostgreSQL; if the database is gone anyway, the last interval's head stands.
    await this.writeNow().catch((err: Error) => console.error(`[audit] head not written at shutdown: ${err.message}`));
  }
}
