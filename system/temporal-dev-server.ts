// Runs `temporal server start-dev` as a child process with a SQLite file, and waits until it
// answers. The dev server is for one machine; a real cluster is one setting away (TEMPORAL_ADDRESS).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { assertPortFree } from './ports';
import { startServerProcess } from './server-process';

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  /** The server's process, for what measures it. */
  pid?: number;
  /** Settles when the server process ends, for whatever reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
  /** Ends the server at once (a forced stop). */
  kill(): void;
}

export async function startTemporalDevServer(options: {
  cliPath: string;
  dbFile: string;
  logFile: string;
  port: number;
  uiPort?: number;
  namespace?: string;
  /** The codec endpoint the Web UI should decode payloads with. */
  codecEndpoint?: string;
  readyTimeoutMs?: number;
}): Promise<RunningTemporal> {
  const { cliPath, dbFile, logFile, port, uiPort } = options;
  await assertPortFree(port, '127.0.0.1', 'the Temporal dev server', 'TEMPORAL_DEV_PORT');
  if (uiPort) await assertPortFree(uiPort, '127.0.0.1', 'the Temporal Web UI', 'TEMPORAL_UI_PORT');
  mkdirSync(dirname(dbFile), { recursive: true });
  mkdirSync(dirname(logFile), { recursive: true });
  const args = ['server', 'start-dev', '--db-filename', dbFile, '--ip', '127.0.0.1', '--port', String(port)];
  args.push(...(uiPort ? ['--ui-port', String(uiPort)] : ['--headless']));
  if (uiPort && options.codecEndpoint) args.push('--ui-codec-endpoint', options.codecEndpoint);
  args.push('--namespace', options.namespace ?? 'default', '--log-level', 'warn');
  // WAL lets readers (the Web UI, list queries) run beside the single writer.
  args.push('--sqlite-pragma', 'journal_mode=WAL');
  const server = startServerProcess(cliPath, args, { logFile, graceMs: 10_000 });
  const address = `127.0.0.1:${port}`;
  const { stop } = server;

  // Our own readiness wait: a fixed few seconds is not enough on a loaded two-core machine.
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (server.exitCode() !== undefined) {
      throw new Error(`the Temporal dev server exited with code ${server.exitCode()} (log ${logFile}):\n${server.logTail(15)}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: options.namespace ?? 'default' });
        break;
      } finally {
        await connection.close();
      }
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`the Temporal dev server did not answer on ${address} in time (log ${logFile})`);
      }
      await delay(250);
    }
  }
  return { address, uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined, pid: server.pid, exited: server.ended, stop, kill: server.kill };
}
