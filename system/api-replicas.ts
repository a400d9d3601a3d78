// API_REPLICAS API processes of their own (system/api-replica.ts), forked with node:cluster so
// they share one PORT: the starting process accepts and hands connections round, the replicas
// answer. Each is a part the supervisor keeps running (system/supervise.ts).
import cluster from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Part } from './supervise';

const REPLICA = fileURLToPath(new URL('./api-replica.ts', import.meta.url));

export interface RunningReplica extends Part {
  pid: number | undefined;
  exited: Promise<number | null>;
  kill(): void;
}

export async function startApiReplica(options: { env: NodeJS.ProcessEnv; pidFile: string; readyTimeoutMs?: number }): Promise<RunningReplica> {
  cluster.setupPrimary({ exec: REPLICA, execArgv: ['--import', 'tsx'] });
  const replica = cluster.fork(options.env);
  let ended = false;
  const exited = new Promise<number | null>((resolve) => replica.once('exit', (code) => resolve(code)));
  void exited.then(() => (ended = true));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the API replica did not listen in time')), options.readyTimeoutMs ?? 60_000);
    replica.once('listening', () => {
      clearTimeout(timer);
      resolve();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the API replica exited with code ${code} before it listened`));
    });
  });
  const pid = replica.process.pid;
  writeFileSync(options.pidFile, `${pid}\n`);
  return {
    pid,
    exited,
    async stop() {
      if (ended) return;
      replica.process.kill('SIGTERM');
      await Promise.race([exited, delay(30_000, undefined, { ref: false })]);
      if (!ended) replica.process.kill('SIGKILL');
    },
    kill: () => void replica.process.kill('SIGKILL'),
  };
}
