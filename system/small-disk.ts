// A disk of its own under PostgreSQL, for `npm run faults` to fill (issue 32): a tmpfs mounted on
// the folder the embedded cluster will live in. Only where the machine lets us mount one — Linux,
// as root (CI, containers with CAP_SYS_ADMIN); elsewhere the caller is told why, and skips.
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  /** The system's DATA_DIR; its `postgres` folder is the small disk. */
  dataDir: string;
  mountPoint: string;
  /** Writes a file until the disk has no space left; returns how many bytes it took. */
  fill(): number;
  /** Removes that file. */
  free(): void;
  unmount(): void;
}

/** Room for a run's data and write-ahead log; tmpfs takes memory only for what is written. */
const SIZE = '1g';
const FILLER = 'filler';
const CHUNK = Buffer.alloc(16 * 1024 * 1024);

/** A DATA_DIR whose `postgres` folder is a tmpfs of its own, or why there cannot be one here. */
export function smallDisk(name: string): SmallDisk | { skipped: string } {
  if (process.platform !== 'linux') return { skipped: `mounting a small disk needs Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { skipped: 'mounting a small disk needs root (run as root, as CI does)' };
  const dataDir = mkdtempSync(join(tmpdir(), `case-flow-${name}-`));
  chmodSync(dataDir, 0o755);
  const mountPoint = join(dataDir, 'postgres');
  mkdirSync(mountPoint);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE},mode=0700`, 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    const why = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim();
    return { skipped: `this machine does not allow mounting a tmpfs (${why})` };
  }
  // The filler lives beside the cluster's files, on the same disk, owned by root: PostgreSQL never reads it.
  const filler = join(mountPoint, FILLER);
  return {
    dataDir,
    mountPoint,
    fill() {
      const fd = openSync(filler, 'w');
      let written = 0;
      try {
        // The last write takes what is left (a short write); the one after it finds none.
        for (;;) written += writeSync(fd, CHUNK);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
      return written;
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      execFileSync('umount', ['--lazy', mountPoint], { stdio: 'pipe' });
    },
  };
}
