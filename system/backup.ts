// `npm run backup [-- --to DIR] [--cluster | --dev-server]`: one encrypted archive of everything
// the system needs to come back — the product's database, Temporal's store (the dev server's
// SQLite file, or with `npm run cluster` the real server's two PostgreSQL databases), the audit
// head file, the development secrets when DATA_DIR holds them — with a manifest (versions,
// migrations, Temporal's mode and schema versions, counts, the audit head, each file's SHA-256 and
// its own). It runs beside a live `npm start` / `npm run cluster` without stopping it (or, with the
// system stopped, starts the embedded PostgreSQL for the time it reads). Which Temporal: the one
// DATA_DIR holds (temporal.sqlite, or the temporal-server folder `npm run cluster` writes); the
// flags say it when a folder has both. Consistency: Temporal's store is copied first, the
// product's snapshot taken just after, so the database is at or ahead of Temporal — a workflow
// replayed from the copy re-runs activities whose rows exist, and they write by natural keys, so
// nothing doubles. What the order cannot cover (a case admitted, or moved by someone, between the
// two copies) is checked against the snapshot, and both are taken again (docs/architecture.md,
// "When a part dies": a backup).
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dumpDatabase, type SnapshotFacts } from '../db/backup';
import { appendAudit } from '../db/audit';
import { hashJson } from '../db/canonical-json';
import { ArchiveError, ContainerWriter, copyTemporalSqlite, encryptor, MANIFEST_FORMAT, type ManifestBody, type ManifestTemporal, sha256File } from './archive';
import { backupConfig, Refusal, refuser, sayRefusal } from './backup-config';
import { assertTemporalDatabases, copyTemporalDatabases } from './cluster-backup';
import { embeddedPostgresUrl } from './embedded-postgres';
import { operatorDatabase, operatorName } from './operator-database';
import { ensureTools } from './tools';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const say = (line: string) => console.log(`[backup] ${line}`);
const USAGE = 'usage: BACKUP_KEY=… npm run backup [-- --to DIR] [--cluster | --dev-server]';
// A case admitted, or moved by someone, between Temporal's copy and PostgreSQL's snapshot makes
// both be taken again; a system that never stands still that long gets an archive saying which.
const ATTEMPTS = 5;

const refuse = refuser('backup');

let to: string | undefined;
let asked: { cluster: boolean; devServer: boolean };
try {
  const { values } = parseArgs({
    options: { to: { type: 'string' }, cluster: { type: 'boolean', default: false }, 'dev-server': { type: 'boolean', default: false } },
  });
  to = values.to;
  asked = { cluster: values.cluster, devServer: values['dev-server'] };
  if (asked.cluster && asked.devServer) throw new Error('--cluster and --dev-server name two different Temporals: give one');
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

const { config, key } = backupConfig(refuse, {
  vi: 'chưa đặt BACKUP_KEY. Bản sao lưu chứa toàn bộ hồ sơ nên luôn được mã hoá bằng khoá do người vận hành giữ. Tạo khoá một lần (openssl rand -base64 32), cất ở nơi an toàn ngoài máy này, rồi chạy lại với BACKUP_KEY=<khoá>.',
  en: 'BACKUP_KEY is not set. A backup holds every case, so it is always encrypted with a key the operator holds. Make one once (openssl rand -base64 32), keep it safe away from this machine, and run again with BACKUP_KEY=<key>.',
});
if (config.TEMPORAL_ADDRESS) {
  refuse(
    `TEMPORAL_ADDRESS=${config.TEMPORAL_ADDRESS} được đặt: Temporal chạy ở nơi khác, lệnh này không sao chép được kho của nó (chỉ tệp SQLite của máy chủ phát triển trong DATA_DIR, hoặc các cơ sở dữ liệu của npm run cluster trên PostgreSQL của sản phẩm). Với hệ thống chạy bằng npm start hoặc npm run cluster, hãy bỏ TEMPORAL_ADDRESS.`,
    `TEMPORAL_ADDRESS=${config.TEMPORAL_ADDRESS} is set: Temporal runs elsewhere, and its store is not this command's to copy (only the dev server's SQLite file in DATA_DIR, or npm run cluster's databases on the product's PostgreSQL). For a system run with npm start or npm run cluster, unset TEMPORAL_ADDRESS.`,
  );
}
const sqliteFile = join(config.dataDir, 'temporal.sqlite');
const clusterDir = join(config.dataDir, 'temporal-server');
const found = { devServer: existsSync(sqliteFile), cluster: existsSync(clusterDir) };
if (!asked.cluster && !asked.devServer && found.devServer && found.cluster) {
  refuse(
    `${config.dataDir} có cả tệp của máy chủ phát triển (temporal.sqlite, npm start) lẫn thư mục của cụm (temporal-server, npm run cluster). Hãy nói hệ thống đang chạy bằng chế độ nào: thêm --dev-server hoặc --cluster.`,
    `${config.dataDir} holds both the dev server's file (temporal.sqlite, npm start) and the cluster's folder (temporal-server, npm run cluster). Say which one the system runs on: add --dev-server or --cluster.`,
  );
}
const mode: ManifestTemporal['mode'] = asked.cluster || (!asked.devServer && found.cluster) ? 'cluster' : 'dev-server';
if (mode === 'dev-server' && !found.devServer) {
  refuse(
    `không có ${sqliteFile}${asked.devServer ? '' : ` (cũng không có ${clusterDir} của npm run cluster)`}. DATA_DIR có phải là thư mục của hệ thống (nơi npm start giữ dữ liệu) không?`,
    `${sqliteFile} does not exist${asked.devServer ? '' : ` (nor npm run cluster's ${clusterDir})`}. Is DATA_DIR the system's folder (where npm start keeps its data)?`,
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

/** Temporal's store copied into the staging folder, and what the manifest says of it. */
interface TemporalCopy {
  /** The workflows the copy holds; null when the dev server's file had no table to list them. */
  workflowIds: string[] | null;
  /** Its files, with their names in the archive. */
  files: Array<{ name: string; path: string }>;
  part: ManifestTemporal;
}

/** Takes Temporal's store, whichever the system runs on: the first of the two copies. */
async function copyTemporal(copyFrom: Date, attempt: string): Promise<TemporalCopy> {
  const t0 = Date.now();
  if (mode === 'dev-server') {
    const copied = join(staging, 'temporal.sqlite');
    rmSync(copied, { force: true });
    say(`copying Temporal's store ${sqliteFile}${attempt}…`);
    const copy = await copyTemporalSqlite(sqliteFile, copied);
    const bytes = statSync(copied).size;
    say(`  Temporal: ${size(bytes)}, ${copy.workflowIds?.length ?? '?'} workflow(s), in ${seconds(Date.now() - t0)}`);
    return {
      workflowIds: copy.workflowIds,
      files: [{ name: 'temporal.sqlite', path: copied }],
      part: {
        mode,
        temporal: { workflows: copy.workflowIds?.length ?? null, sqlite: copy.sqlite, copiedAt: copyFrom.toISOString(), bytes, file: 'temporal.sqlite' },
      },
    };
  }
  rmSync(join(staging, 'temporal'), { recursive: true, force: true });
  say(`copying Temporal's databases (npm run cluster) on ${config.DATABASE_URL ? 'DATABASE_URL' : `127.0.0.1:${config.EMBEDDED_PG_PORT}`}${attempt}…`);
  const copy = await copyTemporalDatabases({
    serverUrl: config.DATABASE_URL ?? embeddedPostgresUrl(config.EMBEDDED_PG_PORT),
    namespace: config.TEMPORAL_NAMESPACE,
    staging,
    say,
  });
  say(`  Temporal: ${size(copy.temporal.bytes)}, ${copy.workflowIds.length} workflow(s), in ${seconds(Date.now() - t0)}`);
  return { workflowIds: copy.workflowIds, files: copy.files, part: { mode, temporal: { ...copy.temporal, copiedAt: copyFrom.toISOString() } } };
}

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
  let temporal: TemporalCopy | undefined;
  let unsettled: { withoutWorkflow: string[]; movedDuringCopy: string[] } = { withoutWorkflow: [], movedDuringCopy: [] };
  let written: Promise<void> | undefined;
  if (mode === 'cluster') await assertTemporalDatabases(sql);

  for (let attempt = 1; !facts; attempt++) {
    const copyFrom = new Date();
    const copy = (temporal = await copyTemporal(copyFrom, attempt > 1 ? ` (attempt ${attempt} of ${ATTEMPTS})` : ''));
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
          written = pipeline(gzip, encryptor(key), sealed);
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
      for (const f of copy.files) await add(f.name, createReadStream(f.path) as AsyncIterable<Buffer>);
      await add('audit-head.log', Buffer.from(headText));
      if (devSecrets) await add('dev-secrets.json', devSecrets);
      const body: ManifestBody = {
        format: MANIFEST_FORMAT,
        createdAt: new Date().toISOString(),
        host: hostname(),
        product: productVersion(),
        ...(copy.part.mode === 'dev-server'
          ? { mode: 'dev-server' as const, temporal: { ...copy.part.temporal, cli: temporalCliVersion(), file: 'temporal.sqlite' } }
          : copy.part),
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
  // The running system's own record that it was copied, and where: who may now read every case
  // is whoever holds this file and BACKUP_KEY. After the snapshot, so not in this archive itself.
  const settled = !unsettled.withoutWorkflow.length && !unsettled.movedDuringCopy.length;
  await appendAudit(sql, {
    province: null,
    actorId: null,
    actor: operatorName('backup'),
    role: 'system',
    action: 'backup.taken',
    caseId: null,
    address: null,
    outcome: settled ? 200 : 206,
    detail: {
      archive: archive,
      bytes: archiveBytes,
      sha256: checksum,
      mode: temporal!.part.mode,
      counts: facts!.counts,
      auditHead: facts!.auditHead?.seq ?? null,
    },
  });
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
    `  ${size(archiveBytes)} sealed (database ${size(dbBytes)} in ${tables.length} tables, Temporal ${size(temporal!.part.temporal.bytes)}), written in ${seconds(Date.now() - started)}`,
  );
  if (temporal!.part.mode === 'cluster') {
    const { server, databases } = temporal!.part.temporal;
    say(`  cluster mode: Temporal server ${server}, ${databases.map((d) => `"${d.name}" at schema ${d.schemaVersion}`).join(', ')}`);
  }
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
  if (err instanceof Refusal) {
    sayRefusal('backup', err.vi, err.en);
    code = 2;
  } else {
    const message = err instanceof ArchiveError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(`[backup] failed: ${message}`);
    code = 1;
  }
} finally {
  rmSync(staging, { recursive: true, force: true });
  await database.close();
}
process.exit(code);
