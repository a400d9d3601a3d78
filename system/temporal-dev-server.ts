// Runs `temporal server start-dev` as a child process with a SQLite file, and waits until it
// answers. The dev server is for one machine; a real cluster is one setting away (TEMPORAL_ADDRESS).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { assertPortFree } from './ports';

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
  const out = createWriteStream(logFile, { flags: 'a' });
  // Its own process group: Ctrl-C reaches only us, and we stop the server after the worker.
  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited: number | null | undefined;
  const ended = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void ended.then((code) => (exited = code));

  const address = `127.0.0.1:${port}`;
  const stop = async () => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    await Promise.race([ended, delay(10_000)]);
    if (exited === undefined) child.kill('SIGKILL');
  };

  // Our own readiness wait: a fixed few seconds is not enough on a loaded two-core machine.
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`the Temporal dev server exited with code ${exited} (log ${logFile}):\n${tail}`);
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
  return { address, uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined, pid: child.pid, exited: ended, stop, kill: () => void child.kill('SIGKILL') };
}
