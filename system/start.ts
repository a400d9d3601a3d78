// `npm start`: the whole system in one process tree — embedded PostgreSQL, the Temporal dev
// server (SQLite file, so cases survive restarts), the worker and the HTTP API. With
// DATABASE_URL or TEMPORAL_ADDRESS set, the matching embedded server is not started.
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startCodecServer } from '../api/codec';
import { startApi } from '../api/server';
import { AuditHeadWriter } from '../db/audit';
import { connectDatabase } from '../db/connect';
import { activeUsernames } from '../db/directory';
import { migrate } from '../db/migrate';
import { CaseCodec } from '../security/case-codec';
import { CaseKeyStore } from '../security/case-keys';
import { clientDataConverter } from '../security/data-converter';
import { createCaseWorker } from './case-worker';
import { ConfigError, loadConfig } from './config';
import { DEMO_PASSWORD, DEMO_USERNAMES, seedDemoDirectory } from './demo-directory';
import { startEmbeddedPostgres } from './embedded-postgres';
import { loadSecrets } from './secrets';
import { startTemporalDevServer } from './temporal-dev-server';
import { ensureTools } from './tools';

const say = (line: string) => console.log(`[start] ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  const secrets = loadSecrets(config);
  // Everything started so far, stopped in reverse order on the way out.
  const stops: Array<[string, () => Promise<unknown>]> = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('shutting down…');
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
  // This process stops the worker itself, in order with everything else; the SDK's INFO lines
  // (every webpack module of the bundle) would bury the addresses printed below.
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      say(`starting embedded PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT} (data in ${join(config.dataDir, 'postgres')})`);
      const pg = await startEmbeddedPostgres({ dir: join(config.dataDir, 'postgres'), port: config.EMBEDDED_PG_PORT, log: say });
      stops.push(['PostgreSQL', pg.stop]);
      databaseUrl = pg.url;
    }
    const sql = connectDatabase(databaseUrl);
    stops.push(['database connections', () => sql.end()]);
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
    const auditHead = new AuditHeadWriter(sql, config.AUDIT_HEAD_FILE ?? join(config.dataDir, 'audit-head.log'));
    auditHead.start(30_000);
    stops.push(['audit head', () => auditHead.stop()]);

    let codecUrl: string | undefined;
    if (config.CODEC_PORT !== 0) {
      const codecServer = await startCodecServer(
        {
          sql,
          authSecret: secrets.authSecret,
          trustProxy: config.TRUST_PROXY,
          codec,
          origins: config.CODEC_CORS_ORIGIN.split(',')
            .map((o) => o.trim())
            .filter(Boolean),
        },
        { port: config.CODEC_PORT, host: config.CODEC_HOST },
      );
      stops.push(['codec endpoint', codecServer.close]);
      codecUrl = codecServer.url;
    }

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let uiUrl: string | undefined;
    if (!temporalAddress) {
      const { cli } = ensureTools(['cli']);
      const dbFile = join(config.dataDir, 'temporal.sqlite');
      say(`starting the Temporal dev server on 127.0.0.1:${config.TEMPORAL_DEV_PORT} (state in ${dbFile})`);
      const temporal = await startTemporalDevServer({
        cliPath: cli,
        dbFile,
        logFile: join(config.dataDir, 'temporal.log'),
        port: config.TEMPORAL_DEV_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        namespace: config.TEMPORAL_NAMESPACE,
        codecEndpoint: codecUrl,
      });
      stops.push(['Temporal dev server', temporal.stop]);
      temporalAddress = temporal.address;
      uiUrl = temporal.uiUrl;
    }

    const workerConnection = await NativeConnection.connect({ address: temporalAddress });
    stops.push(['worker connection', () => workerConnection.close()]);
    say('bundling workflows and starting the worker…');
    const worker = await createCaseWorker({
      connection: workerConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      sql,
      codec,
    });
    const running = worker.run();
    stops.push([
      'worker',
      async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      },
    ]);
    running.catch((err) => {
      console.error('[start] the worker stopped:', err);
      void shutdown(1);
    });

    const connection = await Connection.connect({ address: temporalAddress });
    stops.push(['client connection', () => connection.close()]);
    const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: clientDataConverter(codec) });
    const api = await startApi(
      {
        sql,
        temporal,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        routingTimeoutMs: 15_000,
        actionTimeoutMs: 30_000,
        authSecret: secrets.authSecret,
        tokenTtlMinutes: config.TOKEN_TTL_MINUTES,
        caseKeys,
        writeRateLimitPerMinute: config.WRITE_RATE_LIMIT_PER_MINUTE,
        trustProxy: config.TRUST_PROXY,
        corsOrigins: config.CORS_ORIGINS.split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      },
      { port: config.PORT, host: config.HOST },
    );
    stops.push(['HTTP API', api.close]);

    console.log('');
    console.log(`  HTTP API        ${api.url}   (OpenAPI: ${api.url}/openapi.json, health: ${api.url}/health)`);
    console.log(`  Temporal        ${temporalAddress}   namespace "${config.TEMPORAL_NAMESPACE}", task queue "${config.TEMPORAL_TASK_QUEUE}"`);
    if (uiUrl) console.log(`  Temporal Web UI ${uiUrl}`);
    if (codecUrl) console.log(`  Codec endpoint  ${codecUrl}   (the Web UI decodes case payloads through it)`);
    console.log(`  PostgreSQL      ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
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
