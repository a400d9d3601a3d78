// The worker as a process of its own (worker.ts), for `npm start`: a worker that dies — a crash, the
// OOM killer, kill -9 — leaves the API answering, and is started again by the supervisor. Its own
// process group, so Ctrl-C reaches it only when `npm start` stops it, after the API.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('../worker.ts', import.meta.url));

export interface RunningWorker {
  pid: number | undefined;
  exited: Promise<number | null>;
  stop(): Promise<void>;
  kill(): void;
}

export async function startWorkerProcess(options: { env: NodeJS.ProcessEnv; pidFile: string; readyTimeoutMs?: number }): Promise<RunningWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let ended = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => (ended = true));
  const lines: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    lines.push(chunk.toString());
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the worker did not start polling in time')), options.readyTimeoutMs ?? 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (chunk.toString().includes('polling task queue')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited with code ${code}: ${lines.join('').split('\n').slice(-5).join(' ')}`));
    });
  });
  writeFileSync(options.pidFile, `${child.pid}\n`);
  return {
    pid: child.pid,
    exited,
    async stop() {
      if (ended) return;
      child.kill('SIGTERM');
      await Promise.race([exited, delay(30_000, undefined, { ref: false })]);
      if (!ended) child.kill('SIGKILL');
    },
    kill: () => void child.kill('SIGKILL'),
  };
}
