// A server run as a child process of its own (the Temporal dev server, the real Temporal server):
// its output appended to a log file, in its own process group (Ctrl-C reaches only `npm start`,
// which stops it in order), stopped with SIGTERM and, after a grace period, SIGKILL.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

export interface ServerProcess {
  pid: number | undefined;
  /** Settles with the exit code when the process ends, for whatever reason. */
  ended: Promise<number | null>;
  /** The exit code once it has ended; undefined while it runs. */
  exitCode(): number | null | undefined;
  stop(): Promise<void>;
  kill(): void;
  /** The last lines of its log, for an error message. */
  logTail(lines: number): string;
}

export function startServerProcess(bin: string, args: string[], options: { logFile: string; cwd?: string; graceMs: number }): ServerProcess {
  const out = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(bin, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let exited: number | null | undefined;
  const ended = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void ended.then((code) => (exited = code));
  return {
    pid: child.pid,
    ended,
    exitCode: () => exited,
    async stop() {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      await Promise.race([ended, delay(options.graceMs)]);
      if (exited === undefined) child.kill('SIGKILL');
    },
    kill: () => void child.kill('SIGKILL'),
    logTail: (lines) => readFileSync(options.logFile, 'utf8').split('\n').slice(-lines).join('\n'),
  };
}
