// What limits a benchmark: the CPU time each part of the system spent during a phase, read from
// /proc (Linux). PostgreSQL is every process named "postgres"; the others are the pids given.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS = 100;

function stat(pid: number): { comm: string; seconds: number; childrenSeconds: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    // Fields after the name: state is the first; utime and stime are the 12th and 13th, and the
    // time of children that ended and were waited for (cutime, cstime) the 14th and 15th.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { comm, seconds: (Number(rest[11]) + Number(rest[12])) / TICKS, childrenSeconds: (Number(rest[13]) + Number(rest[14])) / TICKS };
  } catch {
    return undefined;
  }
}

export type CpuSnapshot = Record<string, number>;

/** CPU seconds so far of each named process (and all of PostgreSQL's). */
export function cpuSnapshot(parts: Record<string, number | undefined>): CpuSnapshot {
  const out: CpuSnapshot = {};
  for (const [name, pid] of Object.entries(parts)) if (pid) out[name] = stat(pid)?.seconds ?? 0;
  out.postgres = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    // A backend that ended takes its time with it; its postmaster's children's time keeps it.
    if (s?.comm === 'postgres') out.postgres += s.seconds + s.childrenSeconds;
  }
  return out;
}

/** "temporal 61 %, worker 48 %, …" of one core each, busiest first, over `seconds` of wall time. */
export function cpuShares(before: CpuSnapshot, after: CpuSnapshot, seconds: number): string {
  const shares = Object.keys(after)
    .map((name) => [name, ((after[name]! - (before[name] ?? 0)) / seconds) * 100] as const)
    .sort((a, b) => b[1] - a[1]);
  const total = shares.reduce((n, [, share]) => n + share, 0);
  return `${shares.map(([name, share]) => `${name} ${share.toFixed(0)} %`).join(', ')} of a core each (${total.toFixed(0)} % of ${availableParallelism() * 100} %)`;
}

/** CPU spent per unit of work between two snapshots: "5.1 ms per intake: temporal 2.0, worker 1.9, …". */
export function cpuPer(before: CpuSnapshot, after: CpuSnapshot, count: number, unit: string): string {
  const parts = Object.keys(after)
    .map((name) => [name, ((after[name]! - (before[name] ?? 0)) / count) * 1000] as const)
    .filter(([, ms]) => ms >= 0.05)
    .sort((a, b) => b[1] - a[1]);
  const total = parts.reduce((n, [, ms]) => n + ms, 0);
  return `${total.toFixed(1)} ms of CPU per ${unit}: ${parts.map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ')}`;
}

/** Resident memory of a process, in MiB. */
export function rssMiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : 0;
  } catch {
    return 0;
  }
}
