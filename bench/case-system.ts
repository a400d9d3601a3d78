// What the delivery and import benchmarks run against: a Temporal dev server of their own, a case
// worker (with the channels given) and a client, sealed with a benchmark master key.
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Channels } from '../activities/channels';
import { startApi } from '../api/server';
import type { Sql } from '../db/connect';
import type { Principal } from '../domain/access';
import { CaseCodec } from '../security/case-codec';
import { CaseKeyStore } from '../security/case-keys';
import { clientDataConverter } from '../security/data-converter';
import { parseMasterKeys } from '../security/master-keys';
import { referralLinks } from '../security/referral-links';
import { createCaseWorker } from '../system/case-worker';
import { startBenchTemporal, type BenchServer } from './temporal';

export async function startBenchCaseSystem(
  sql: Sql,
  dir: string,
  name: string,
  options: { channels?: Channels; server?: BenchServer; databaseUrl?: string } = {},
) {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed already
  }
  const server = options.server ?? 'dev';
  if (server === 'cluster' && !options.databaseUrl) throw new Error('the cluster needs the database URL for its own databases');
  const temporal = await startBenchTemporal(server, dir, name, options.databaseUrl ?? '');
  const masterKeys = parseMasterKeys(`bench:${Buffer.alloc(32, 3).toString('base64')}`);
  const caseKeys = new CaseKeyStore(sql, masterKeys);
  const codec = new CaseCodec(caseKeys, masterKeys);
  const workerConnection = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, dataConverter: clientDataConverter(codec) });
  const taskQueue = `bench-${name}`;
  const worker = await createCaseWorker({
    connection: workerConnection,
    taskQueue,
    sql,
    codec,
    referralLinks: referralLinks('bench', 'http://127.0.0.1'),
    channels: options.channels,
  });
  const running = worker.run();
  return {
    address: temporal.address,
    serverPid: temporal.pid,
    client,
    taskQueue,
    caseKeys,
    async stop() {
      worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
      await temporal.stop();
    },
  };
}

/** A province of the benchmark's own, with a default unit and an administrator to import as. */
export async function createBenchProvince(sql: Sql, prefix: string): Promise<{ province: string; admin: Principal }> {
  const province = `${prefix}-${randomUUID().slice(0, 8)}`;
  await sql`insert into provinces (code, name) values (${province}, 'Quảng Ninh')`;
  await sql`insert into units (id, province, name, is_default) values (${randomUUID()}, ${province}, 'Bench', true)`;
  const admin: Principal = { id: randomUUID(), kind: 'staff', name: 'bench', role: 'admin', province, unitId: null };
  await sql`insert into staff (id, province, username, display_name, role, password_hash) values (${admin.id}, ${province}, ${`admin.${province}`}, 'bench', 'admin', 'x')`;
  return { province, admin };
}

/** The API over the benchmark's case system, on a free loopback port, with no write limit in the way. */
export async function startBenchApi(sql: Sql, system: { client: Client; taskQueue: string; caseKeys: CaseKeyStore }) {
  const secret = randomBytes(32).toString('base64url');
  return await startApi(
    {
      sql,
      temporal: system.client,
      taskQueue: system.taskQueue,
      routingTimeoutMs: 60_000,
      actionTimeoutMs: 30_000,
      authSecret: secret,
      tokenTtlMinutes: 60,
      caseKeys: system.caseKeys,
      writeRateLimitPerMinute: 1_000_000,
      trustProxy: false,
      corsOrigins: [],
      referralLinks: referralLinks(secret, 'http://127.0.0.1'),
      publicUrl: 'http://127.0.0.1',
      webhookAllowedHosts: [],
    },
    { port: 0, host: '127.0.0.1' },
  );
}
