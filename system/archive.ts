// The backup archive's container and its encryption, shared by `npm run backup` and `npm run
// restore`. One file: a clear header, then the container (named entries, each in frames, so a
// table is streamed in without knowing its size), gzip-compressed, sealed in chunks of 1 MiB with
// AES-256-GCM under BACKUP_KEY. Each chunk's associated data is the header, its index and whether
// it is the last: a chunk moved, dropped, taken from another archive, or a file cut short after
// any chunk, does not open. And Temporal's SQLite file copied while the dev server writes it.
import { createHash, createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
import { promisify } from 'node:util';
import { TOOLS_DIR } from './tools';

const MAGIC = Buffer.from('CFBACKUP');
const FORMAT = 1;
const CHUNK = 1024 * 1024;
const NONCE = 12;
const TAG = 16;
// magic, format, archive id (16), key fingerprint (8)
const HEADER_BYTES = MAGIC.length + 1 + 16 + 8;
// ciphertext length (u32), final flag (u8), nonce
const RECORD_HEAD = 4 + 1 + NONCE;

export class ArchiveError extends Error {}

export const MANIFEST_FORMAT = 1;

/** A table in the archive: its columns in COPY's order, its rows, the archive's file of them. */
export interface ArchivedTable {
  name: string;
  columns: string[];
  rows: number;
  file: string;
}

/** Temporal's store as the dev server keeps it (`npm start`): its SQLite file. */
export interface DevServerTemporal {
  workflows: number | null;
  sqlite: string;
  copiedAt: string;
  bytes: number;
  cli?: string;
  file: string;
}

/** Temporal's store as the real server keeps it (`npm run cluster`): its two PostgreSQL databases. */
export interface ClusterTemporal {
  /** The server's version (TEMPORAL_SERVER_VERSION) that ran on them. */
  server: string;
  namespace: string;
  /** The namespace's workflows with a current run in the copy. */
  workflows: number;
  copiedAt: string;
  bytes: number;
  /** The history database first (it was copied first), then visibility. */
  databases: Array<{
    kind: 'history' | 'visibility';
    name: string;
    /** Its `schema_version`: a restore brings a new database to this with the server's SQL tool before loading. */
    schemaVersion: string;
    minCompatibleVersion: string;
    snapshotAt: string;
    tables: ArchivedTable[];
    sequences: Array<{ name: string; lastValue: string; isCalled: boolean }>;
    /** Tables whose rows are left out (the server's runtime state); a restore leaves them empty. */
    skipped: string[];
  }>;
}

/** Which Temporal the archive was taken from, and its store. */
export type ManifestTemporal = { mode: 'dev-server'; temporal: DevServerTemporal } | { mode: 'cluster'; temporal: ClusterTemporal };

/** What an archive says it holds (manifest.json, its last entry). */
export type Manifest = ManifestBody & {
  /** SHA-256 of the canonical JSON of everything else. */
  checksum: string;
};

export type ManifestBody = ManifestTemporal & {
  format: number;
  createdAt: string;
  host: string;
  product: { version: string; commit?: string };
  postgres: {
    snapshotAt: string;
    migrations: Array<{ name: string; checksum: string }>;
    sequences: Array<{ name: string; lastValue: string; isCalled: boolean }>;
    tables: ArchivedTable[];
  };
  counts: { cases: number; caseEvents: number; auditRows: number };
  auditHead: { seq: string; hash: string } | null;
  masterKeyIds: string[];
  devSecrets: string | null;
  unsettled: { withoutWorkflow: string[]; movedDuringCopy: string[] };
  files: Record<string, { bytes: number; sha256: string }>;
};

/** BACKUP_KEY: 32 random bytes in base64. Undefined when unset; an error saying what is wrong otherwise. */
export function parseBackupKey(value: string | undefined): Buffer | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const key = Buffer.from(value.trim(), /[-_]/.test(value) ? 'base64url' : 'base64');
  if (key.length !== 32) throw new ArchiveError(`BACKUP_KEY must be 32 bytes in base64 (it decodes to ${key.length} bytes)`);
  return key;
}

/** A short name of the key, kept in the header: a restore with another key says so before trying. */
export function keyFingerprint(key: Buffer): Buffer {
  return createHmac('sha256', key).update('case-flow backup key').digest().subarray(0, 8);
}

const aad = (header: Buffer, index: bigint, final: boolean) => {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(index);
  tail[8] = final ? 1 : 0;
  return Buffer.concat([header, tail]);
};

/** Seals what passes through into the archive's chunks. */
export function encryptor(key: Buffer): Transform {
  const header = Buffer.concat([MAGIC, Buffer.from([FORMAT]), randomBytes(16), keyFingerprint(key)]);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0n;
  const seal = (plain: Buffer, final: boolean) => {
    const nonce = randomBytes(NONCE);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(aad(header, index++, final));
    const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    const head = Buffer.alloc(5);
    head.writeUInt32BE(body.length);
    head[4] = final ? 1 : 0;
    return Buffer.concat([head, nonce, body]);
  };
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (!started) {
        this.push(header);
        started = true;
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      // Strictly more than a chunk: the last chunk is sealed at the end, marked final, never empty unless all is.
      while (pendingBytes > CHUNK) {
        const all = Buffer.concat(pending);
        this.push(seal(all.subarray(0, CHUNK), false));
        pending = [all.subarray(CHUNK)];
        pendingBytes = all.length - CHUNK;
      }
      done();
    },
    flush(done: TransformCallback) {
      if (!started) this.push(header);
      this.push(seal(Buffer.concat(pending), true));
      done();
    },
  });
}

/** Opens the archive's chunks; fails on a wrong key, any changed byte, or a file cut short. */
export function decryptor(key: Buffer): Transform {
  let buffered = Buffer.alloc(0);
  let header: Buffer | undefined;
  let index = 0n;
  let ended = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      buffered = Buffer.concat([buffered, chunk]);
      try {
        if (!header) {
          if (buffered.length < HEADER_BYTES) return done();
          header = buffered.subarray(0, HEADER_BYTES);
          buffered = buffered.subarray(HEADER_BYTES);
          if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new ArchiveError('this file is not a case-flow backup archive');
          if (header[MAGIC.length] !== FORMAT)
            throw new ArchiveError(`archive format ${header[MAGIC.length]} is not known to this version (it reads ${FORMAT})`);
          const fingerprint = header.subarray(MAGIC.length + 17, HEADER_BYTES);
          if (!fingerprint.equals(keyFingerprint(key))) {
            throw new ArchiveError(
              `the archive was sealed with another BACKUP_KEY (key ${fingerprint.toString('hex')}; yours is ${keyFingerprint(key).toString('hex')})`,
            );
          }
        }
        while (buffered.length >= RECORD_HEAD) {
          if (ended) throw new ArchiveError('the archive has bytes after its last chunk (damaged or altered)');
          const length = buffered.readUInt32BE(0);
          if (length < TAG || length > CHUNK + TAG) throw new ArchiveError(`chunk ${index} is damaged (length ${length})`);
          if (buffered.length < RECORD_HEAD + length) break;
          const final = buffered[4] === 1;
          const nonce = buffered.subarray(5, RECORD_HEAD);
          const body = buffered.subarray(RECORD_HEAD, RECORD_HEAD + length);
          const decipher = createDecipheriv('aes-256-gcm', key, nonce);
          decipher.setAAD(aad(header, index, final));
          decipher.setAuthTag(body.subarray(body.length - TAG));
          let plain: Buffer;
          try {
            plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG)), decipher.final()]);
          } catch {
            throw new ArchiveError(`chunk ${index} does not open: the archive was damaged or altered`);
          }
          this.push(plain);
          index += 1n;
          ended = final;
          buffered = buffered.subarray(RECORD_HEAD + length);
        }
        if (ended && buffered.length > 0) throw new ArchiveError('the archive has bytes after its last chunk (damaged or altered)');
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      done(
        ended
          ? null
          : new ArchiveError(header ? `the archive ends after chunk ${index}, before its last: it was cut short` : 'the archive is empty or cut short'),
      );
    },
  });
}

const waitDrain = (w: Writable) => new Promise<void>((resolve) => w.once('drain', resolve));

/** Writes the container: named entries, each a run of length-prefixed frames ended by an empty one. */
export class ContainerWriter {
  constructor(private readonly out: Writable) {}

  private async write(bytes: Buffer): Promise<void> {
    if (!this.out.write(bytes)) await waitDrain(this.out);
  }

  /** Adds one entry from a stream; answers its size and SHA-256, for the manifest. */
  async add(name: string, source: AsyncIterable<Buffer | string> | Buffer): Promise<{ bytes: number; sha256: string; lines: number }> {
    const nameBytes = Buffer.from(name);
    const head = Buffer.alloc(2);
    head.writeUInt16BE(nameBytes.length);
    await this.write(Buffer.concat([head, nameBytes]));
    const hash = createHash('sha256');
    let bytes = 0;
    let lines = 0;
    for await (const piece of Buffer.isBuffer(source) ? [source] : source) {
      const data = typeof piece === 'string' ? Buffer.from(piece) : piece;
      if (data.length === 0) continue;
      hash.update(data);
      bytes += data.length;
      // COPY's text format escapes newlines inside values: one newline is one row.
      for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) lines += 1;
      const len = Buffer.alloc(4);
      len.writeUInt32BE(data.length);
      await this.write(Buffer.concat([len, data]));
    }
    await this.write(Buffer.alloc(4));
    return { bytes, sha256: hash.digest('hex'), lines };
  }

  async end(): Promise<void> {
    await this.write(Buffer.alloc(2));
    this.out.end();
  }
}

/** Reads the container, handing each entry to `entry` as a stream of its bytes. */
export async function readContainer(source: Readable, entry: (name: string, body: AsyncIterable<Buffer>) => Promise<void>): Promise<void> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let buffered = Buffer.alloc(0);
  const take = async (n: number): Promise<Buffer> => {
    while (buffered.length < n) {
      const next = await iterator.next();
      if (next.done) throw new ArchiveError('the archive ends in the middle of an entry');
      buffered = Buffer.concat([buffered, next.value]);
    }
    const out = buffered.subarray(0, n);
    buffered = buffered.subarray(n);
    return out;
  };
  for (;;) {
    const nameLength = (await take(2)).readUInt16BE(0);
    if (nameLength === 0) break;
    const name = (await take(nameLength)).toString();
    let finished = false;
    const body = async function* () {
      for (;;) {
        const length = (await take(4)).readUInt32BE(0);
        if (length === 0) break;
        yield await take(length);
      }
      finished = true;
    };
    await entry(name, body());
    if (!finished) for await (const _ of body()) void _; // an entry the reader skipped
  }
}

/** The SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The Python whose sqlite3 module copies Temporal's file: the project's venv, else python3 on PATH. */
function python(): string {
  const venv = join(TOOLS_DIR, 'venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

// SQLite's online backup API (sqlite3.Connection.backup), in one step: a consistent copy of the
// file while the dev server keeps writing (WAL: it is not blocked). Then the workflows the copy
// holds, so the backup can check that every case in PostgreSQL's snapshot has its workflow.
const COPY_SCRIPT = `
import json, sqlite3, sys
src = sqlite3.connect(sys.argv[1], timeout=30)
dst = sqlite3.connect(sys.argv[2])
src.backup(dst)
src.close()
try:
    ids = [r[0] for r in dst.execute("select workflow_id from current_executions")]
except sqlite3.Error:
    ids = None
dst.close()
print(json.dumps({"workflowIds": ids, "sqlite": sqlite3.sqlite_version}))
`;

/** Copies the dev server's SQLite file safely while it runs; answers the workflow ids the copy holds. */
export async function copyTemporalSqlite(from: string, to: string): Promise<{ workflowIds: string[] | null; sqlite: string }> {
  const py = python();
  try {
    const { stdout } = await promisify(execFile)(py, ['-c', COPY_SCRIPT, from, to], { maxBuffer: 256 * 1024 * 1024 });
    return JSON.parse(stdout) as { workflowIds: string[] | null; sqlite: string };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new ArchiveError(
        `no Python to copy Temporal's SQLite file with (${py}): run npm install (it makes .tools/venv) or install python3 / không có Python để sao chép tệp SQLite của Temporal`,
      );
    }
    throw new ArchiveError(`copying ${from} failed: ${e.stderr?.trim() || e.message}`);
  }
}
