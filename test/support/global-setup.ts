// Starts the real servers the tests use, once: PostgreSQL (embedded, or TEST_DATABASE_URL), the
// Temporal dev server, and the workflow bundle. Tests read them with inject().
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'vitest';
import type { TestProject } from 'vitest/node';
import { randomBytes } from 'node:crypto';
import { connectDatabase } from '../../db/connect';
import { seedDemoDirectory } from '../../system/demo-directory';
import { migrate } from '../../db/migrate';
import { startEmbeddedPostgres } from '../../system/embedded-postgres';
import { freePort } from '../../system/ports';
import { startTemporalDevServer } from '../../system/temporal-dev-server';
import { ensureTools } from '../../system/tools';
import { bundleCaseWorkflows } from '../../system/case-worker';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    temporalDbFile: string;
    workflowBundlePath: string;
    testServerPath: string;
    masterKeys: string;
    authSecret: string;
  }
}

const say = (line: string) => console.log(`[test setup] ${line}`);

export default async function setup(project: TestProject) {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'case-flow-test-'));
  // As root, PostgreSQL runs as a `postgres` user, which must be able to reach its data folder.
  chmodSync(dir, 0o755);
  const stops: Array<() => Promise<unknown>> = [];
  try {
    const tools = ensureTools(['cli', 'testServer'], say);

    let databaseUrl = process.env.TEST_DATABASE_URL;
    if (!databaseUrl) {
      say('starting embedded PostgreSQL');
      const pg = await startEmbeddedPostgres({ dir: join(dir, 'postgres'), port: await freePort() });
      stops.push(pg.stop);
      databaseUrl = pg.url;
    }
    const sql = connectDatabase(databaseUrl, { max: 1 });
    await migrate(sql);
    await seedDemoDirectory(sql);
    await sql.end();

    say('starting the Temporal dev server');
    const temporalDbFile = join(dir, 'temporal.sqlite');
    const temporal = await startTemporalDevServer({
      cliPath: tools.cli,
      dbFile: temporalDbFile,
      logFile: join(dir, 'temporal.log'),
      port: await freePort(),
    });
    stops.push(temporal.stop);

    say('bundling workflow code');
    const { code } = await bundleCaseWorkflows();
    const workflowBundlePath = join(dir, 'workflow-bundle.js');
    writeFileSync(workflowBundlePath, code);

    project.provide('databaseUrl', databaseUrl);
    project.provide('temporalAddress', temporal.address);
    project.provide('temporalDbFile', temporalDbFile);
    project.provide('workflowBundlePath', workflowBundlePath);
    project.provide('testServerPath', tools.testServer);
    // Fresh secrets every run: nothing the tests encrypt can be read with a key from the repo.
    project.provide('masterKeys', `test1:${randomBytes(32).toString('base64')}`);
    project.provide('authSecret', randomBytes(32).toString('base64url'));
    say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw err;
  }

  return async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('[test teardown]', err));
    rmSync(dir, { recursive: true, force: true });
  };
}
