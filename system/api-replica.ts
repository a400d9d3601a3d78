// One API process of API_REPLICAS (issue 33). `npm start` forks them with node:cluster, which holds
// PORT in the starting process and hands each new connection to the next replica in turn: a
// replica that dies loses only the connections it held, and the others take the next ones while
// the supervisor starts it again. Everything a request depends on lives in PostgreSQL or Temporal
// (sessions are signed tokens; the write limit, the login lockout, Idempotency-Keys, case
// references and the audit chain are rows), so any replica answers any request.
import { Client, Connection } from '@temporalio/client';
import { AggregatorRegistry } from 'prom-client';
import { createMetrics } from '../api/metrics';
import { startApi } from '../api/server';
import { connectDatabase } from '../db/connect';
import { CaseCodec } from '../security/case-codec';
import { CaseKeyStore } from '../security/case-keys';
import { clientDataConverter } from '../security/data-converter';
import { apiDeps, requestDeadlineMs } from './api-deps';
import { loadConfig } from './config';
import { authSecrets, loadSecrets } from './secrets';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) throw new Error('an API replica needs DATABASE_URL and TEMPORAL_ADDRESS (npm start sets them)');
  const secrets = loadSecrets(config);
  const sql = connectDatabase(config.DATABASE_URL, { statementTimeoutMs: requestDeadlineMs(config) });
  const caseKeys = new CaseKeyStore(sql, secrets.masterKeys);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: clientDataConverter(new CaseCodec(caseKeys, secrets.masterKeys)),
  });
  // The starting process serves METRICS_PORT and asks every replica for its registry (prom-client's cluster support).
  const metrics = config.METRICS_PORT ? createMetrics(sql) : undefined;
  if (metrics) {
    // Constructing one is what makes prom-client answer the starting process's requests in a replica.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([metrics.registry]);
  }
  const deps = apiDeps(config, { sql, temporal, caseKeys, auth: authSecrets(secrets), metrics, logName: `api-${config.API_INDEX}` });
  const api = await startApi(deps, { port: config.PORT, host: config.HOST });
  // Ctrl-C reaches the whole process group; `npm start` stops the replicas with SIGTERM, in its own order.
  process.on('SIGINT', () => {});
  process.once('SIGTERM', () => {
    void (async () => {
      await api.close();
      await connection.close();
      await sql.end({ timeout: 5 });
      process.exit(0);
    })();
  });
}

main().catch((err: unknown) => {
  console.error(`[api-${process.env.API_INDEX ?? '?'}] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
