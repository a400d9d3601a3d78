// `npm run backup [-- --to DIR]`: one encrypted archive of everything the system needs to come
// back — the product's database, Temporal's store (the dev server's SQLite file), the audit head
// file, the development secrets when DATA_DIR holds them — with a manifest (versions, migrations,
// counts, the audit head, each file's SHA-256 and its own). It runs beside a live `npm start`
// without stopping it (or, with the system stopped, starts the embedded PostgreSQL for the time it
// reads). Consistency: Temporal's file is copied first, PostgreSQL's snapshot taken just after, so
// the database is at or ahead of Temporal — a workflow replayed from the copy re-runs activities
// whose rows exist, and they write by natural keys, so nothing doubles. What the order cannot
// cover (a case admitted, or moved by someone, between the two copies) is checked against the
// snapshot, and both are taken again (docs/architecture.md, "Backups"). The dev-server mode only.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dumpDatabase, type SnapshotFacts } from '../db/backup';
import { hashJson } from '../db/canonical-json';
import { ArchiveError, ContainerWriter, copyTemporalSqlite, encryptor, MANIFEST_FORMAT, type Manifest, parseBackupKey, sha256File } from './archive';
import { ConfigError, loadConfig, type Config } from './config';
import { operatorDatabase } from './operator-database';
import { ensureTools } from './tools';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const say = (line: string) => console.log(`[backup] ${line}`);
const USAGE = 'usage: BACKUP_KEY=… npm run backup [-- --to DIR]';
// A case admitted, or moved by someone, between Temporal's copy and PostgreSQL's snapshot makes
// both be taken again; a system that never stands still that long gets an archive saying which.
const ATTEMPTS = 5;

/** A refusal a person reads: what is wrong and what to do, in Vietnamese and in English. */
function refuse(vi: string, en: string): never {
  console.error(`[backup] Không sao lưu được: ${vi}\n[backup] Cannot back up: ${en}`);
  process.exit(2);
}

let to: string | undefined;
try {
  ({
    values: { to },
  } = parseArgs({ options: { to: { type: 'string' } } }));
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(2);
}
let key: Buffer | undefined;
try {
  key = parseBackupKey(process.env.BACKUP_KEY);
} catch (err) {
  refuse(`BACKUP_KEY không hợp lệ: cần 32 byte ngẫu nhiên ở dạng base64 (${(err as Error).message}).`, `${(err as Error).message}.`);
}
if (!key) {
  refuse(
    'chưa đặt BACKUP_KEY. Bản sao lưu chứa toàn bộ hồ sơ nên luôn được mã hoá bằng khoá do người vận hành giữ. Tạo khoá một lần (openssl rand -base64 32), cất ở nơi an toàn ngoài máy này, rồi chạy lại với BACKUP_KEY=<khoá>.',
    'BACKUP_KEY is not set. A backup holds every case, so it is always encrypted with a key the operator holds. Make one once (openssl rand -base64 32), keep it safe away from this machine, and run again with BACKUP_KEY=<key>.',
  );
}
const sqliteFile = join(config.dataDir, 'temporal.sqlite');
if (config.TEMPORAL_ADDRESS || !existsSync(sqliteFile)) {
  const cluster = config.TEMPORAL_ADDRESS || existsSync(join(config.dataDir, 'temporal-server'));
  if (cluster) {
    refuse(
      `Temporal không chạy bằng máy chủ phát triển (tệp SQLite) trong ${config.dataDir}${config.TEMPORAL_ADDRESS ? ` (TEMPORAL_ADDRESS=${config.TEMPORAL_ADDRESS})` : ''}. Chế độ cụm (npm run cluster: các cơ sở dữ liệu PostgreSQL của Temporal) chưa được hỗ trợ.`,
      `Temporal is not the dev server's SQLite file in ${config.dataDir}${config.TEMPORAL_ADDRESS ? ` (TEMPORAL_ADDRESS=${config.TEMPORAL_ADDRESS})` : ''}. Cluster mode (npm run cluster: Temporal's own PostgreSQL databases) is not supported yet.`,
    );
  }
  refuse(
    `không có ${sqliteFile}. DATA_DIR có phải là thư mục của hệ thống (nơi npm start giữ dữ liệu) không?`,
    `${sqliteFile} does not exist. Is DATA_DIR the system's folder (where npm start keeps its data)?`,
  );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;

function productVersion(): { version: string; commit?: string } {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { version, commit };
  } catch {
    return { version };
  }
}

function temporalCliVersion(): string | undefined {
  try {
    const { cli } = ensureTools(['cli'], () => {});
    return execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

class TryAgain extends Error {}

const started = Date.now();
const headFile = config.AUDIT_HEAD_FILE ?? join(config.dataDir, 'audit-head.log');
const outDir = resolve(to ?? join(config.dataDir, 'backups'));
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const archive = join(outDir, `case-flow-${stamp}.cfbackup`);
const partial = `${archive}.partial`;
// Temporal's copy waits here, in a folder only this user reads, until it goes into the archive.
const staging = mkdtempSync(join(tmpdir(), 'case-flow-backup-'));

const database = await operatorDatabase(config, 2);
const { sql } = database;
const running = database.found === 'running';
say(
  config.DATABASE_URL
    ? 'reading PostgreSQL at DATABASE_URL'
    : running
      ? `using the running system's PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT} (nothing is stopped)`
      : `the system is not running: started its PostgreSQL for the time of the backup`,
);

let code = 0;
try {
  // The head file first: every head it names is of a row committed before, so in the snapshot taken after.
  const headText = existsSync(headFile) ? readFileSync(headFile, 'utf8') : '';
  const secretsFile = join(config.dataDir, 'dev-secrets.json');
  const devSecrets = existsSync(secretsFile) ? readFileSync(secretsFile) : undefined;
  const files: Record<string, { bytes: number; sha256: string }> = {};
  const tables: Array<{ name: string; columns: string[]; rows: number; file: string }> = [];
  let facts: SnapshotFacts | undefined;
  let temporal: { workflows: number | null; sqlite: string; copiedAt: string; bytes: number } | undefined;
  let unsettled: { withoutWorkflow: string[]; movedDuringCopy: string[] } = { withoutWorkflow: [], movedDuringCopy: [] };
  let written: Promise<void> | undefined;

  for (let attempt = 1; !facts; attempt++) {
    const copyFrom = new Date();
    const copied = join(staging, 'temporal.sqlite');
    rmSync(copied, { force: true });
    const t0 = Date.now();
    say(`copying Temporal's store ${sqliteFile}${attempt > 1 ? ` (attempt ${attempt} of ${ATTEMPTS})` : ''}…`);
    const copy = await copyTemporalSqlite(sqliteFile, copied);
    const bytes = statSync(copied).size;
    say(`  Temporal: ${size(bytes)}, ${copy.workflowIds?.length ?? '?'} workflow(s), in ${seconds(Date.now() - t0)}`);
    temporal = { workflows: copy.workflowIds?.length ?? null, sqlite: copy.sqlite, copiedAt: copyFrom.toISOString(), bytes };
    const writer = { current: undefined as ContainerWriter | undefined };
    try {
      facts = await dumpDatabase(sql, {
        async check(f, snapshot) {
          const workflows = new Set(copy.workflowIds ?? []);
          const withoutWorkflow = copy.workflowIds ? (await snapshot.openCaseIds()).filter((id) => !workflows.has(id)) : [];
          // A second of margin: an action's event carries the workflow's time, a moment after it was asked.
          const movedDuringCopy = await snapshot.casesMovedSince(new Date(copyFrom.getTime() - 1_000));
          unsettled = { withoutWorkflow, movedDuringCopy };
          if ((withoutWorkflow.length || movedDuringCopy.length) && attempt < ATTEMPTS) {
            say(`  ${withoutWorkflow.length} case(s) admitted and ${movedDuringCopy.length} moved between the two copies: taking both again so they agree`);
            throw new TryAgain();
          }
          say(`PostgreSQL snapshot at ${f.takenAt}: ${f.counts.cases} case(s), ${f.counts.caseEvents} event(s), ${f.counts.auditRows} audit row(s)`);
          const sealed = createWriteStream(partial, { mode: 0o600 });
          const gzip = createGzip();
          written = pipeline(gzip, encryptor(key!), sealed);
          // Awaited once the container is complete; a failure before then is the one reported.
          written.catch(() => {});
          writer.current = new ContainerWriter(gzip);
        },
        async table(t, rows) {
          const t1 = Date.now();
          const file = `db/${t.name}.copy`;
          const r = await writer.current!.add(file, rows);
          files[file] = { bytes: r.bytes, sha256: r.sha256 };
          tables.push({ name: t.name, columns: t.columns, rows: r.lines, file });
          if (r.lines > 0 || Date.now() - t1 > 1_000)
            say(`  table ${t.name}: ${r.lines.toLocaleString('en')} row(s), ${size(r.bytes)}, ${seconds(Date.now() - t1)}`);
        },
      });
    } catch (err) {
      if (!(err instanceof TryAgain)) throw err;
    }
    if (facts) {
      const w = writer.current!;
      const add = async (name: string, body: Buffer | AsyncIterable<Buffer>) => {
        const r = await w.add(name, body);
        files[name] = { bytes: r.bytes, sha256: r.sha256 };
      };
      await add('temporal.sqlite', createReadStream(copied) as AsyncIterable<Buffer>);
      await add('audit-head.log', Buffer.from(headText));
      if (devSecrets) await add('dev-secrets.json', devSecrets);
      const body: Omit<Manifest, 'checksum'> = {
        format: MANIFEST_FORMAT,
        createdAt: new Date().toISOString(),
        host: hostname(),
        product: productVersion(),
        mode: 'dev-server',
        temporal: { ...temporal!, cli: temporalCliVersion(), file: 'temporal.sqlite' },
        postgres: {
          snapshotAt: facts.takenAt,
          migrations: facts.migrations,
          sequences: facts.sequences,
          tables,
        },
        counts: facts.counts,
        auditHead: facts.auditHead ?? null,
        masterKeyIds: facts.masterKeyIds,
        devSecrets: devSecrets ? 'dev-secrets.json' : null,
        unsettled,
        files,
      };
      const manifest = { ...body, checksum: hashJson(body) };
      await w.add('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
      await w.end();
      await written;
    }
  }
  renameSync(partial, archive);
  const checksum = await sha256File(archive);
  writeFileSync(`${archive}.sha256`, `${checksum}  ${basename(archive)}\n`);
  const archiveBytes = statSync(archive).size;
  const dbBytes = tables.reduce((n, t) => n + files[t.file]!.bytes, 0);
  if (unsettled.withoutWorkflow.length || unsettled.movedDuringCopy.length) {
    say(
      `!!! the system never stood still between the two copies: ${unsettled.withoutWorkflow.length} case(s) have no workflow in the archive and ` +
        `${unsettled.movedDuringCopy.length} may be ahead of theirs (listed in the manifest, "unsettled"); take another backup at a quieter time`,
    );
    code = 1;
  }
  say(`archive ${archive}`);
  say(
    `  ${size(archiveBytes)} sealed (database ${size(dbBytes)} in ${tables.length} tables, Temporal ${size(temporal!.bytes)}), written in ${seconds(Date.now() - started)}`,
  );
  say(`  SHA-256 ${checksum} (also in ${basename(archive)}.sha256)`);
  say(
    `  ${facts!.counts.cases} case(s), ${facts!.counts.caseEvents} event(s), ${facts!.counts.auditRows} audit row(s)${facts!.auditHead ? `, audit head ${facts!.auditHead.seq}` : ''}`,
  );
  if (!devSecrets) {
    say(
      `  the master keys are not in the archive: a restored system needs MASTER_KEYS holding ${facts!.masterKeyIds.join(', ') || '(no case key yet)'}, and AUTH_SECRET`,
    );
  }
  say('keep BACKUP_KEY apart from the archive: without it the archive cannot be opened, with it anyone can read every case');
} catch (err) {
  rmSync(partial, { force: true });
  const message = err instanceof ArchiveError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  console.error(`[backup] failed: ${message}`);
  code = 1;
} finally {
  rmSync(staging, { recursive: true, force: true });
  await database.close();
}
process.exit(code);
