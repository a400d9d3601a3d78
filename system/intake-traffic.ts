// Intakes sent to a running system from clients that repeat each request with the same
// Idempotency-Key until it is acknowledged — as a hotline integration would — and the count
// afterwards: every acknowledged case in PostgreSQL and in Temporal (none lost), as many cases as
// keys (none doubled), the audit chain intact. The fault injector (`npm run faults`) and the
// cluster smoke (`npm run cluster-smoke`) break parts of the system under this traffic.
import { Client, Connection } from '@temporalio/client';
import { verifyAuditChain, type AuditVerdict } from '../db/audit';
import { caseCensus } from '../db/cases';
import { connectDatabase } from '../db/connect';
import type { ThrowawaySystem } from './throwaway-system';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const intake = (n: number) => ({
  channel: 'hotline',
  client: { fullName: `Người thử ${n}`, age: 30 + (n % 50), gender: n % 2 ? 'female' : 'male', location: { province: 'Quảng Ninh', commune: 'Hạ Long' } },
  categories: ['older_person_alone'],
  concerns: { livesAlone: true },
  summary: `Báo cáo thử số ${n}`,
});

export interface IntakeTraffic {
  /** Per key: the case, when its acknowledgement came, and when the request that got it was sent. */
  acknowledged: Map<string, { id: string; at: number; sentAt: number }>;
  /** Every request's time to its answer (or to a failure: status 0), to hold the deadline against. */
  answers: Array<{ sentAt: number; ms: number; status: number }>;
  stop(): Promise<void>;
}

/** `clients` clients sending intakes until stopped; a request not answered within `giveUpMs` is sent again with its key. */
export function startIntakeTraffic(system: ThrowawaySystem, token: string, options: { clients: number; giveUpMs: number; name: string }): IntakeTraffic {
  const acknowledged: IntakeTraffic['acknowledged'] = new Map();
  const answers: IntakeTraffic['answers'] = [];
  let running = true;
  let next = 0;
  const client = async (c: number) => {
    while (running) {
      const n = next++;
      const key = `${options.name}-${c}-${n}-${Date.now()}`;
      for (;;) {
        const sentAt = Date.now();
        try {
          const res = await fetch(`${system.url}/cases`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
            body: JSON.stringify(intake(n)),
            signal: AbortSignal.timeout(options.giveUpMs),
          });
          answers.push({ sentAt, ms: Date.now() - sentAt, status: res.status });
          if (res.status === 200 || res.status === 201) {
            acknowledged.set(key, { id: ((await res.json()) as { id: string }).id, at: Date.now(), sentAt });
            break;
          }
          await res.body?.cancel();
        } catch {
          // refused, reset or timed out: the same key again
          answers.push({ sentAt, ms: Date.now() - sentAt, status: 0 });
        }
        await sleep(250);
      }
    }
  };
  const clients = Array.from({ length: options.clients }, (_, c) => client(c));
  return {
    acknowledged,
    answers,
    async stop() {
      running = false;
      await Promise.all(clients);
    },
  };
}

export interface IntakeCount {
  acknowledged: number;
  lostInPostgres: string[];
  lostInTemporal: string[];
  doubled: number;
  audit: AuditVerdict;
}

/** Cases in the system now: taken before the traffic starts, the ones that are not its own. */
export async function casesNow(system: ThrowawaySystem): Promise<number> {
  const sql = connectDatabase(system.databaseUrl, { max: 1 });
  try {
    return (await caseCensus(sql, [])).total;
  } finally {
    await sql.end();
  }
}

/** What PostgreSQL and Temporal hold against what the clients were told; `otherCases` were there before the traffic. */
export async function countIntakes(system: ThrowawaySystem, traffic: IntakeTraffic, otherCases = 0): Promise<IntakeCount> {
  const sql = connectDatabase(system.databaseUrl, { max: 2 });
  const connection = await Connection.connect({ address: system.temporalAddress });
  try {
    const ids = [...traffic.acknowledged.values()].map((a) => a.id);
    const census = await caseCensus(sql, ids);
    const temporal = new Client({ connection });
    const lostInTemporal: string[] = [];
    for (const id of ids) {
      await temporal.workflow
        .getHandle(id)
        .describe()
        .catch(() => lostInTemporal.push(id));
    }
    return {
      acknowledged: ids.length,
      lostInPostgres: ids.filter((id) => !census.found.has(id)),
      lostInTemporal,
      doubled: census.total - otherCases - new Set(ids).size,
      audit: await verifyAuditChain(sql, `${system.dataDir}/audit-head.log`),
    };
  } finally {
    await connection.close();
    await sql.end();
  }
}

/** The count as the suites print it. */
export function printIntakeCount(count: IntakeCount): void {
  console.log(`  intakes acknowledged     ${count.acknowledged}`);
  console.log(`  lost in PostgreSQL       ${count.lostInPostgres.length}`);
  console.log(`  lost in Temporal         ${count.lostInTemporal.length}`);
  console.log(`  doubled                  ${count.doubled}`);
  console.log(`  audit chain              ${count.audit.ok ? `intact (${count.audit.rows} rows)` : `BROKEN at ${count.audit.seq}: ${count.audit.problem}`}`);
}

/** Nothing lost, nothing doubled, the audit chain intact. */
export const countHolds = (count: IntakeCount) =>
  count.lostInPostgres.length === 0 && count.lostInTemporal.length === 0 && count.doubled === 0 && count.audit.ok;
