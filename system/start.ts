// `npm start`: the whole system in one process tree — embedded PostgreSQL, the Temporal dev
// server (SQLite file, so cases survive restarts), the worker (a process of its own) and the HTTP API. With
// DATABASE_URL or TEMPORAL_ADDRESS set, the matching embedded server is not started. PostgreSQL,
// Temporal and the workers are supervised (system/supervise.ts): one that dies comes back by
// itself; meanwhile the API answers 503 with Retry-After and /health names what is down.
// `npm run cluster` (--cluster) is the same system on the real Temporal server with PostgreSQL
// persistence (system/temporal-cluster.ts) and WORKERS worker processes, 2 by default.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startCodecServer } from '../api/codec';
import { createMetrics, replicaMetrics, startMetricsServer, type MetricsSource } from '../api/metrics';
import { startApi } from '../api/server';
import { AuditHeadWriter } from '../db/audit';
import { connectDatabase } from '../db/connect';
import { activeUsernames } from '../db/directory';
import { migrate } from '../db/migrate';
import { CaseCodec } from '../security/case-codec';
import { CaseKeyStore } from '../security/case-keys';
import { clientDataConverter } from '../security/data-converter';
import { apiDeps, requestDeadlineMs } from './api-deps';
import { startApiReplica } from './api-replicas';
import { bundleCaseWorkflows } from './case-worker';
import { ConfigError, loadConfig } from './config';
import { DEMO_PASSWORD, DEMO_USERNAMES, seedDemoDirectory } from './demo-directory';
import { startEmbeddedPostgres } from './embedded-postgres';
import { authSecrets, loadSecrets } from './secrets';
import { ensureTemporalServer, pickClusterPorts, prepareTemporalDatabases, startTemporalCluster, TEMPORAL_SERVER_VERSION, DATABASES } from './temporal-cluster';
import { startTemporalDevServer } from './temporal-dev-server';
import { startWorkerProcess } from './worker-process';
import { assertPortFree } from './ports';
import { supervise } from './supervise';
import { ensureTools } from './tools';

const say = (line: string) => console.log(`[start] ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  const cluster = process.argv.includes('--cluster');
  const workers = config.WORKERS ?? (cluster ? 2 : 1);
  const secrets = loadSecrets(config);
  const auth = authSecrets(secrets);
  // Everything started so far, stopped in reverse order on the way out: the API first (requests in
  // flight finish), then the worker (drains), the audit head, Temporal, PostgreSQL last.
  const stops: Array<[string, () => Promise<unknown>]> = [];
  // Processes of their own (their own process group, so Ctrl-C does not reach them): ended at once
  // by a forced stop, so none is left behind holding its port.
  const kills: Array<() => void> = [];
  let stopping = false;
  let stoppingSince = 0;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    stoppingSince = Date.now();
    say('shutting down… (a second Ctrl-C forces)');
    for (const [name, stop] of stops.reverse()) {
      try {
        await stop();
        say(`stopped ${name}`);
      } catch (err) {
        console.error(`[start] stopping ${name} failed:`, err);
      }
    }
    process.exit(code);
  };
  const onSignal = () => {
    if (!stopping) return void shutdown(0);
    // Ctrl-C reaches this process twice at once (from the terminal, and forwarded by npm): only a
    // signal a moment later is a person asking again.
    if (Date.now() - stoppingSince < 1_000) return;
    say('forced: stopping now');
    for (const kill of kills) kill();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    // Said before anything starts, not after PostgreSQL and Temporal are up.
    if (config.METRICS_PORT) {
      await assertPortFree(config.METRICS_PORT, config.METRICS_HOST, 'the metrics endpoint', 'METRICS_PORT (0 turns it off)');
      for (let n = 1; n <= workers; n++) {
        await assertPortFree(
          config.METRICS_PORT + n,
          config.METRICS_HOST,
          `worker ${n}'s metrics`,
          'METRICS_PORT (worker n uses METRICS_PORT + n; 0 turns them off)',
        );
      }
    }
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      say(`starting embedded PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT} (data in ${join(config.dataDir, 'postgres')})`);
      const pg = await supervise(
        'PostgreSQL',
        () => startEmbeddedPostgres({ dir: join(config.dataDir, 'postgres'), port: config.EMBEDDED_PG_PORT, log: say }),
        {
          say,
        },
      );
      stops.push(['PostgreSQL', pg.stop]);
      kills.push(pg.kill);
      databaseUrl = pg.current().url;
    }
    // The pool reconnects by itself when a restarted PostgreSQL answers again.
    const sql = connectDatabase(databaseUrl, { statementTimeoutMs: requestDeadlineMs(config) });
    stops.push(['database connections', () => sql.end({ timeout: 5 })]);
    for (const name of await migrate(sql)) say(`applied migration ${name}`);
    if (config.APP_MODE === 'development') {
      await seedDemoDirectory(sql);
      say(`development mode: demo accounts ${DEMO_USERNAMES.join(', ')} (password "${DEMO_PASSWORD}")`);
    } else {
      const demo = await activeUsernames(sql, DEMO_USERNAMES);
      if (demo.length > 0) {
        throw new ConfigError(`APP_MODE=production refuses to serve while demo accounts exist (${demo.join(', ')}); disable them first`);
      }
    }
    const caseKeys = new CaseKeyStore(sql, secrets.masterKeys);
    const codec = new CaseCodec(caseKeys, secrets.masterKeys);

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let uiUrl: string | undefined;
    let codecUrl: string | undefined;
    if (config.CODEC_PORT !== 0) codecUrl = `http://${config.CODEC_HOST}:${config.CODEC_PORT}`;
    let temporalMetrics: string | undefined;
    if (!temporalAddress && cluster) {
      const tools = ensureTemporalServer(say);
      await prepareTemporalDatabases(tools, databaseUrl, say);
      const ports = await pickClusterPorts(config.TEMPORAL_DEV_PORT);
      const dir = join(config.dataDir, 'temporal-server');
      say(`starting the Temporal server ${TEMPORAL_SERVER_VERSION} on 127.0.0.1:${ports.frontend} (PostgreSQL persistence; config and log in ${dir})`);
      const temporal = await supervise(
        'the Temporal server',
        () => startTemporalCluster({ tools, databaseUrl: databaseUrl!, ports, dir, namespace: config.TEMPORAL_NAMESPACE }),
        { say },
      );
      stops.push(['Temporal server', temporal.stop]);
      kills.push(temporal.kill);
      temporalAddress = temporal.current().address;
      temporalMetrics = temporal.current().metricsUrl;
    }
    if (!temporalAddress) {
      const { cli } = ensureTools(['cli']);
      const dbFile = join(config.dataDir, 'temporal.sqlite');
      say(`starting the Temporal dev server on 127.0.0.1:${config.TEMPORAL_DEV_PORT} (state in ${dbFile})`);
      const temporal = await supervise(
        'the Temporal dev server',
        () =>
          startTemporalDevServer({
            cliPath: cli,
            dbFile,
            logFile: join(config.dataDir, 'temporal.log'),
            port: config.TEMPORAL_DEV_PORT,
            uiPort: config.TEMPORAL_UI_PORT,
            namespace: config.TEMPORAL_NAMESPACE,
            codecEndpoint: codecUrl,
          }),
        { say },
      );
      stops.push(['Temporal dev server', temporal.stop]);
      kills.push(temporal.kill);
      temporalAddress = temporal.current().address;
      uiUrl = temporal.current().uiUrl;
    }

    const auditHead = new AuditHeadWriter(sql, config.AUDIT_HEAD_FILE ?? join(config.dataDir, 'audit-head.log'));
    auditHead.start(30_000);
    stops.push(['audit head', () => auditHead.stop()]);

    if (codecUrl) {
      const codecServer = await startCodecServer(
        {
          sql,
          authSecret: auth,
          trustProxy: config.TRUST_PROXY,
          codec,
          origins: config.CODEC_CORS_ORIGIN.split(',')
            .map((o) => o.trim())
            .filter(Boolean),
        },
        { port: config.CODEC_PORT, host: config.CODEC_HOST },
      );
      stops.push(['codec endpoint', codecServer.close]);
    }

    say('bundling workflows and starting the worker…');
    const bundlePath = join(config.dataDir, 'workflow-bundle.js');
    writeFileSync(bundlePath, (await bundleCaseWorkflows()).code);
    const address = temporalAddress;
    // The worker, a process of its own (system/worker-process.ts): when it dies it is started again,
    // and takes up the work that waited — routing, deadlines that passed.
    const childEnv = { ...process.env, DATA_DIR: config.dataDir, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: address, WORKFLOW_BUNDLE_PATH: bundlePath };
    for (let n = 1; n <= workers; n++) {
      // The first keeps the names a single worker always had ("the worker", worker.pid), which tools read.
      const name = workers === 1 ? 'the worker' : `worker ${n}`;
      const pidFile = join(config.dataDir, n === 1 ? 'worker.pid' : `worker-${n}.pid`);
      const worker = await supervise(name, () => startWorkerProcess({ env: { ...childEnv, WORKER_INDEX: String(n) }, pidFile }), { say });
      stops.push([name, worker.stop]);
      kills.push(worker.kill);
    }

    // The API: in this process, or API_REPLICAS processes of their own sharing PORT (system/api-replica.ts).
    let apiUrl: string;
    let metricsSource: MetricsSource | undefined;
    if (config.API_REPLICAS === 1) {
      const connection = await Connection.connect({ address });
      stops.push(['client connection', () => connection.close()]);
      const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: clientDataConverter(codec) });
      const metrics = config.METRICS_PORT ? createMetrics(sql) : undefined;
      const api = await startApi(apiDeps(config, { sql, temporal, caseKeys, auth, metrics, logName: 'api' }), { port: config.PORT, host: config.HOST });
      stops.push(['HTTP API', api.close]);
      apiUrl = api.url;
      metricsSource = metrics?.registry;
    } else {
      for (let n = 1; n <= config.API_REPLICAS; n++) {
        const replica = await supervise(
          `API ${n}`,
          () => startApiReplica({ env: { ...childEnv, API_INDEX: String(n) }, pidFile: join(config.dataDir, `api-${n}.pid`) }),
          { say },
        );
        stops.push([`API ${n}`, replica.stop]);
        kills.push(replica.kill);
      }
      apiUrl = `http://${config.HOST}:${config.PORT}`;
      metricsSource = config.METRICS_PORT ? replicaMetrics() : undefined;
    }
    const metricsServer = metricsSource ? await startMetricsServer(metricsSource, { port: config.METRICS_PORT, host: config.METRICS_HOST }) : undefined;
    if (metricsServer) stops.push(['metrics endpoint', metricsServer.close]);

    console.log('');
    console.log(
      `  HTTP API        ${apiUrl}   (OpenAPI: ${apiUrl}/openapi.json, health: ${apiUrl}/health)${config.API_REPLICAS > 1 ? `, ${config.API_REPLICAS} processes` : ''}`,
    );
    console.log(`  Temporal        ${temporalAddress}   namespace "${config.TEMPORAL_NAMESPACE}", task queue "${config.TEMPORAL_TASK_QUEUE}"`);
    if (uiUrl) console.log(`  Temporal Web UI ${uiUrl}`);
    if (temporalMetrics) {
      console.log(`  Temporal server ${TEMPORAL_SERVER_VERSION}, databases "${DATABASES.history}" and "${DATABASES.visibility}", metrics ${temporalMetrics}`);
      console.log(`  Workers         ${workers} processes`);
      console.log(
        `  Web UI          not part of the server: docker run --network host -e TEMPORAL_ADDRESS=${temporalAddress} -e TEMPORAL_UI_PORT=${config.TEMPORAL_UI_PORT}` +
          `${codecUrl ? ` -e TEMPORAL_CODEC_ENDPOINT=${codecUrl}` : ''} temporalio/ui  (then http://127.0.0.1:${config.TEMPORAL_UI_PORT})`,
      );
    }
    if (codecUrl) console.log(`  Codec endpoint  ${codecUrl}   (the Web UI decodes case payloads through it)`);
    if (secrets.authSecretPrevious) {
      console.log(
        `  Previous secret AUTH_SECRET_PREVIOUS honoured: sessions and partner links it made still work (drop it after ${config.TOKEN_TTL_MINUTES} min once \`npm run keys:rotate\` finds no link needing it)`,
      );
    }
    console.log(`  PostgreSQL      ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
    if (metricsServer) {
      const workerPorts = Array.from({ length: workers }, (_, i) => config.METRICS_PORT + i + 1).join(', ');
      console.log(
        `  Metrics         ${metricsServer.url} (API${config.API_REPLICAS > 1 ? ', every replica summed' : ''}); workers' SDK metrics on ${config.METRICS_HOST} port ${workerPorts}`,
      );
    }
    console.log('');
    say('ready. Ctrl-C stops everything.');
  } catch (err) {
    console.error(
      `[start] ${err instanceof Error && (err instanceof ConfigError || !err.stack) ? err.message : String(err instanceof Error ? err.stack : err)}`,
    );
    await shutdown(1);
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
