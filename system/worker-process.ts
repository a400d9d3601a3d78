// The worker as a process of its own (worker.ts), for `npm start`: a worker that dies — a crash, the
// OOM killer, kill -9 — leaves the API answering, and is started again by the supervisor. Its own
// process group, so Ctrl-C reaches it only when `npm start` stops it, after the API.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { workerMemoryPlanOf } from './worker-memory';

const WORKER = fileURLToPath(new URL('../worker.ts', import.meta.url));

export interface RunningWorker {
  pid: number | undefined;
  /** The line it said when it began polling: its task queue, metrics, workflow cache and heap limit. */
  announced: string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
  kill(): void;
}

export async function startWorkerProcess(options: { env: NodeJS.ProcessEnv; pidFile: string; readyTimeoutMs?: number }): Promise<RunningWorker> {
  // WORKER_MEMORY_MB bounds V8's heap (system/worker-memory.ts); the flag must be given at the process's start.
  const { heapMb } = workerMemoryPlanOf(options.env);
  const flags = heapMb ? [`--max-old-space-size=${heapMb}`] : [];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', WORKER], { env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let ended = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => (ended = true));
  const lines: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    lines.push(chunk.toString());
  });
  const announced = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the worker did not start polling in time')), options.readyTimeoutMs ?? 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      const line = chunk
        .toString()
        .split('\n')
        .find((l) => l.includes('polling task queue'));
      if (line) {
        clearTimeout(timer);
        resolve(line);
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
    announced,
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
