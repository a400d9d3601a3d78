// `npm run restore -- ARCHIVE [--cluster] [--force]`: puts an archive of `npm run backup` into an
// empty DATA_DIR (a non-empty one only with --force, which moves it aside, never deletes it). It
// opens the archive with BACKUP_KEY, checks every file against the manifest and the manifest
// against itself, refuses an archive whose migrations are not this code's, or whose Temporal is
// not the one asked for (the dev server's SQLite file, or with --cluster the real server's
// PostgreSQL databases: one is not turned into the other), starts the embedded PostgreSQL in the
// new folder for the time of the load, and loads it: with --cluster first Temporal's two databases
// (made, brought to the archive's schema with the server's SQL tool, loaded, counted), then the
// product's (migrated by this code, then the archive's rows); without, the product's and then
// Temporal's SQLite file put in place. Then the audit head and the development secrets; it
// verifies the audit chain and the counts, stops PostgreSQL again, and starts nothing else:
// `npm start` (or `npm run cluster`) on the folder takes up every open case where the archive left it.
import { chmodSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { parseArgs } from 'node:util';
import { verifyAuditChain } from '../db/audit';
import { appliedMigrations, databaseCounts, loadDatabase } from '../db/backup';
import { hashJson } from '../db/canonical-json';
import { connectDatabase } from '../db/connect';
import { DATA_MIGRATIONS } from '../db/data-migrations';
import { listMigrations, migrate } from '../db/migrate';
import { ArchiveError, decryptor, MANIFEST_FORMAT, type Manifest, readContainer, sha256File } from './archive';
import { backupConfig, Refusal, refuser, sayRefusal } from './backup-config';
import { assertNoTemporalData, checkTemporalSchemas, restoreTemporalDatabases } from './cluster-backup';
import { startEmbeddedPostgres } from './embedded-postgres';
import { assertPortFree } from './ports';
import { ensureTemporalServer } from './temporal-cluster';

const say = (line: string) => console.log(`[restore] ${line}`);
const USAGE = 'usage: BACKUP_KEY=… npm run restore -- ARCHIVE [--cluster] [--force]';
const refuse = refuser('restore');

let archivePath: string;
let force: boolean;
/** The folder is for `npm run cluster` (Temporal's store in PostgreSQL), not `npm start`. */
let cluster: boolean;
try {
  const { values, positionals } = parseArgs({
    options: { force: { type: 'boolean', default: false }, cluster: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new Error('name one archive');
  archivePath = resolve(positionals[0]!);
  force = values.force;
  cluster = values.cluster;
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

const { config, key } = backupConfig(refuse, {
  vi: 'chưa đặt BACKUP_KEY: cần đúng khoá đã dùng khi sao lưu để mở bản sao lưu.',
  en: 'BACKUP_KEY is not set: the key the backup was made with is needed to open it.',
});
if (!existsSync(archivePath)) refuse(`không có tệp ${archivePath}.`, `${archivePath} does not exist.`);
if (config.TEMPORAL_ADDRESS) {
  refuse(
    `TEMPORAL_ADDRESS=${config.TEMPORAL_ADDRESS} được đặt: lệnh này không khôi phục vào một Temporal chạy ở nơi khác; chỉ vào máy chủ phát triển (tệp SQLite trong DATA_DIR) hoặc, với --cluster, vào các cơ sở dữ liệu của npm run cluster. Hãy bỏ TEMPORAL_ADDRESS.`,
    `TEMPORAL_ADDRESS=${config.TEMPORAL_ADDRESS} is set: this command does not restore into a Temporal that runs elsewhere; only into the dev server (its SQLite file in DATA_DIR) or, with --cluster, npm run cluster's databases. Unset TEMPORAL_ADDRESS.`,
  );
}
const dataDir = config.dataDir;
if (archivePath.startsWith(dataDir + sep)) {
  refuse(`bản sao lưu nằm trong DATA_DIR (${dataDir}); hãy chép nó ra ngoài trước.`, `the archive is inside DATA_DIR (${dataDir}); copy it elsewhere first.`);
}
const inUse = await assertPortFree(config.EMBEDDED_PG_PORT, '127.0.0.1', '', '').then(
  () => false,
  () => true,
);
if (!config.DATABASE_URL && inUse) {
  refuse(
    `cổng ${config.EMBEDDED_PG_PORT} (EMBEDDED_PG_PORT) đang được dùng: hệ thống còn chạy? Hãy dừng npm start trước, hoặc đặt EMBEDDED_PG_PORT khác.`,
    `port ${config.EMBEDDED_PG_PORT} (EMBEDDED_PG_PORT) is in use: is the system still running? Stop npm start first, or set another EMBEDDED_PG_PORT.`,
  );
}
const present = existsSync(dataDir) ? readdirSync(dataDir) : [];
if (present.length > 0 && !force) {
  refuse(
    `DATA_DIR (${dataDir}) không trống (${present.slice(0, 5).join(', ')}${present.length > 5 ? ', …' : ''}). Hãy khôi phục vào một thư mục trống, hoặc thêm --force để chuyển thư mục hiện có sang một bên (không xoá gì).`,
    `DATA_DIR (${dataDir}) is not empty (${present.slice(0, 5).join(', ')}${present.length > 5 ? ', …' : ''}). Restore into an empty folder, or add --force to move the present one aside (nothing is deleted).`,
  );
}
const headFile = config.AUDIT_HEAD_FILE ?? join(dataDir, 'audit-head.log');

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const started = Date.now();
// What the archive holds, unpacked beside DATA_DIR (the same disk: files are moved in, not
// copied) where only this user reads, and checked before DATA_DIR is touched: a wrong key or a
// damaged archive leaves the folder as it was, even with --force.
mkdirSync(dirname(dataDir), { recursive: true });
const staging = mkdtempSync(join(dirname(dataDir), `.${basename(dataDir)}.restore-`));

/** With the archive checked: the folder that was there moved aside (--force), an empty one in its place. */
let prepared: { aside?: string } | undefined;
function prepareDataDir(): void {
  prepared = {};
  if (present.length > 0) {
    prepared.aside = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dataDir, prepared.aside);
    say(`--force: the folder that was there is now ${prepared.aside}`);
  }
  mkdirSync(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must reach its folder.
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o755);
}

/** Unpacks the archive into the staging folder, answers the manifest, checked. */
async function unpack(): Promise<Manifest> {
  say(`opening ${archivePath}…`);
  const decrypted = createReadStream(archivePath).pipe(decryptor(key));
  const gunzip = createGunzip();
  // Errors of either stage reach the reader through the last one.
  decrypted.on('error', (err) => gunzip.destroy(err));
  decrypted.pipe(gunzip);
  const names: string[] = [];
  await readContainer(gunzip, async (name, body) => {
    // Names this product writes (db/…, temporal/<database>/…); anything else (a path climbing out) is not unpacked.
    if (!/^(db\/|temporal\/[a-z0-9_]+\/)?[a-z0-9_.-]+$/.test(name) || name.includes('..'))
      throw new ArchiveError(`the archive names an unexpected file "${name}"`);
    const path = join(staging, name);
    mkdirSync(dirname(path), { recursive: true });
    await pipeline(body, createWriteStream(path, { mode: 0o600 }));
    names.push(name);
  });
  if (!names.includes('manifest.json')) throw new ArchiveError('the archive has no manifest');
  const manifest = JSON.parse(readFileSync(join(staging, 'manifest.json'), 'utf8')) as Manifest;
  const { checksum, ...body } = manifest;
  if (hashJson(body) !== checksum) throw new ArchiveError('the manifest does not match its own checksum (altered?)');
  if (manifest.format !== MANIFEST_FORMAT) throw new ArchiveError(`manifest format ${manifest.format} is not known to this version`);
  for (const [name, expected] of Object.entries(manifest.files)) {
    if (!names.includes(name)) throw new ArchiveError(`${name} is in the manifest but not in the archive`);
    const actual = await sha256File(join(staging, name));
    if (actual !== expected.sha256) throw new ArchiveError(`${name} does not match the manifest's SHA-256`);
  }
  const unlisted = names.filter((n) => n !== 'manifest.json' && !manifest.files[n]);
  if (unlisted.length) throw new ArchiveError(`the archive holds files its manifest does not list: ${unlisted.join(', ')}`);
  say(`  every file matches the manifest (${Object.keys(manifest.files).length} files, ${seconds(Date.now() - started)})`);
  return manifest;
}

/** The archive's Temporal must be the one the folder is for: the dev server's SQLite file is not the cluster's databases. */
function checkMode(manifest: Manifest): void {
  if (manifest.mode === 'cluster' && !cluster) {
    throw new Refusal(
      `bản sao lưu được tạo ở chế độ cụm (npm run cluster: kho của Temporal nằm trong PostgreSQL, máy chủ Temporal ${manifest.temporal.server}), không khôi phục được cho máy chủ phát triển của npm start. Hãy chạy lại với --cluster, rồi khởi động bằng npm run cluster.`,
      `the archive was taken in cluster mode (npm run cluster: Temporal's store in PostgreSQL, Temporal server ${manifest.temporal.server}); it does not go into npm start's dev server. Run again with --cluster, then start with npm run cluster.`,
    );
  }
  if (manifest.mode !== 'cluster' && cluster) {
    throw new Refusal(
      'bản sao lưu được tạo từ máy chủ phát triển của Temporal (npm start: tệp SQLite), không khôi phục được vào chế độ cụm (npm run cluster: kho của Temporal nằm trong PostgreSQL). Hãy chạy lại không có --cluster, rồi khởi động bằng npm start.',
      "the archive was taken from Temporal's dev server (npm start: its SQLite file); it does not go into cluster mode (npm run cluster: Temporal's store in PostgreSQL). Run again without --cluster, then start with npm start.",
    );
  }
}

/** The archive's migrations must be this code's, in the same order, with the same contents. */
function checkMigrations(manifest: Manifest): void {
  const code = [...listMigrations().map((m) => ({ name: m.name, checksum: m.checksum })), ...DATA_MIGRATIONS.map((m) => ({ name: m.name, checksum: 'data' }))];
  const key = (m: { name: string; checksum: string }) => `${m.name}:${m.checksum}`;
  const theirs = manifest.postgres.migrations.map(key).sort();
  const ours = code.map(key).sort();
  if (theirs.join('\n') === ours.join('\n')) return;
  const only = (a: string[], b: string[]) => a.filter((x) => !b.includes(x)).map((x) => x.split(':')[0]);
  const list = (m: Array<{ name: string }>) => m.map((x) => x.name).join(', ');
  throw new Refusal(
    `các bước chuyển đổi cơ sở dữ liệu (migration) của bản sao lưu khác với của mã này. Chỉ bản sao lưu có: ${only(theirs, ours).join(', ') || '—'}; chỉ mã này có: ${only(ours, theirs).join(', ') || '—'}. Hãy khôi phục bằng phiên bản ${manifest.product.version}${manifest.product.commit ? ` (${manifest.product.commit.slice(0, 12)})` : ''}, rồi nâng cấp.`,
    `the archive's migrations are not this code's. Only the archive: ${only(theirs, ours).join(', ') || '—'}; only this code: ${only(ours, theirs).join(', ') || '—'}. ` +
      `Restore with version ${manifest.product.version}${manifest.product.commit ? ` (${manifest.product.commit.slice(0, 12)})` : ''}, then upgrade.\n` +
      `[restore]   the archive's: ${list(manifest.postgres.migrations)}\n[restore]   this code's:   ${list(code)}`,
  );
}

let code = 0;
let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
let sql: ReturnType<typeof connectDatabase> | undefined;
try {
  const manifest = await unpack();
  checkMode(manifest);
  checkMigrations(manifest);
  // Cluster mode: the server's SQL tool (built on first use, minutes) and the archive's schemas checked against it, before DATA_DIR is touched.
  let temporalCluster: Omit<Parameters<typeof restoreTemporalDatabases>[0], 'serverUrl' | 'staging' | 'say'> | undefined;
  if (manifest.mode === 'cluster') {
    const tools = ensureTemporalServer(say);
    temporalCluster = { tools, temporal: manifest.temporal, versions: checkTemporalSchemas(manifest.temporal, tools, say) };
  }
  prepareDataDir();
  say(
    `archive of ${manifest.createdAt} from ${manifest.host}, version ${manifest.product.version}${manifest.product.commit ? ` (${manifest.product.commit.slice(0, 12)})` : ''}: ` +
      `${manifest.counts.cases} case(s), ${manifest.counts.caseEvents} event(s), ${manifest.counts.auditRows} audit row(s)`,
  );

  let url = config.DATABASE_URL;
  if (!url) {
    say(`starting PostgreSQL in ${join(dataDir, 'postgres')} for the time of the load`);
    embedded = await startEmbeddedPostgres({ dir: join(dataDir, 'postgres'), port: config.EMBEDDED_PG_PORT, log: say });
    url = embedded.url;
  }
  sql = connectDatabase(url, { max: 2 });
  const already = await appliedMigrations(sql);
  if (already.length > 0) {
    throw new Refusal(
      `cơ sở dữ liệu ở DATABASE_URL đã có dữ liệu của sản phẩm (${already.length} migration). Chỉ khôi phục vào một cơ sở dữ liệu trống: hãy tạo một cơ sở dữ liệu mới và trỏ DATABASE_URL vào đó.`,
      `the database at DATABASE_URL already holds the product (${already.length} migrations). A restore goes into an empty database only: create a new one and point DATABASE_URL at it.`,
    );
  }
  if (temporalCluster) {
    await assertNoTemporalData(url, sql);
    const t1 = Date.now();
    say(`loading Temporal's databases (server ${temporalCluster.temporal.server}, ${temporalCluster.temporal.workflows} workflow(s))…`);
    await restoreTemporalDatabases({ ...temporalCluster, serverUrl: url, staging, say });
    say(`Temporal's databases loaded in ${seconds(Date.now() - t1)}`);
    // Where npm run cluster writes the server's config and log; it also marks the folder as cluster mode's (npm run backup finds it).
    mkdirSync(join(dataDir, 'temporal-server'), { recursive: true });
  }
  await migrate(sql);
  const t0 = Date.now();
  await loadDatabase(sql, {
    tables: manifest.postgres.tables,
    sequences: manifest.postgres.sequences,
    rows: (t) => createReadStream(join(staging, `db/${t.name}.copy`)),
    loaded: (t) => {
      const rows = manifest.postgres.tables.find((x) => x.name === t.name)!.rows;
      if (rows > 0) say(`  table ${t.name}: ${rows.toLocaleString('en')} row(s)`);
    },
  });
  say(`database loaded in ${seconds(Date.now() - t0)}`);

  if (manifest.mode === 'dev-server') {
    renameSync(join(staging, 'temporal.sqlite'), join(dataDir, 'temporal.sqlite'));
    say(`Temporal's store in place: ${join(dataDir, 'temporal.sqlite')} (${manifest.temporal.workflows ?? '?'} workflow(s))`);
  }
  if (manifest.devSecrets) {
    renameSync(join(staging, 'dev-secrets.json'), join(dataDir, 'dev-secrets.json'));
    say('development secrets in place (dev-secrets.json)');
  }

  // The archive's head file, and the snapshot's own head after it: a later verification checks the restored chain against both.
  const archivedHeads = readFileSync(join(staging, 'audit-head.log'), 'utf8');
  if (existsSync(headFile) && readFileSync(headFile, 'utf8').trim() !== '') {
    const aside = `${headFile}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(headFile, aside);
    say(`the audit head file ${headFile} saw the chain of the system before; kept as ${aside}. Rows after the archive are not in it.`);
  }
  mkdirSync(dirname(headFile), { recursive: true });
  const snapshotHead = manifest.auditHead
    ? `${JSON.stringify({ ...manifest.auditHead, at: manifest.postgres.snapshotAt, restoredFrom: manifest.checksum })}\n`
    : '';
  writeFileSync(headFile, archivedHeads + snapshotHead);

  const verdict = await verifyAuditChain(sql, headFile);
  if (!verdict.ok) throw new ArchiveError(`the restored audit chain does not verify at row ${verdict.seq}: ${verdict.problem}`);
  if (manifest.auditHead && (verdict.head?.seq !== manifest.auditHead.seq || verdict.head.hash !== manifest.auditHead.hash)) {
    throw new ArchiveError(`the restored audit chain ends at ${verdict.head?.seq ?? 'nothing'}, the manifest's at ${manifest.auditHead.seq}`);
  }
  say(`audit chain verifies: ${verdict.rows} row(s)${verdict.head ? `, head ${verdict.head.seq} ${verdict.head.hash}` : ''}`);
  const counts = await databaseCounts(sql);
  if (canon(counts) !== canon(manifest.counts)) {
    throw new ArchiveError(`the restored counts ${JSON.stringify(counts)} differ from the manifest's ${JSON.stringify(manifest.counts)}`);
  }
  say(`counts match the manifest: ${counts.cases} case(s), ${counts.caseEvents} event(s), ${counts.auditRows} audit row(s)`);
  if (manifest.unsettled.withoutWorkflow.length || manifest.unsettled.movedDuringCopy.length) {
    say(
      `!!! the archive says ${manifest.unsettled.withoutWorkflow.length} case(s) have no workflow and ${manifest.unsettled.movedDuringCopy.length} may be ahead of theirs: ${[...manifest.unsettled.withoutWorkflow, ...manifest.unsettled.movedDuringCopy].slice(0, 20).join(', ')}`,
    );
  }
  say(`restored into ${dataDir} in ${seconds(Date.now() - started)}. Nothing is running. Next:`);
  say(
    `  DATA_DIR=${dataDir} ${manifest.mode === 'cluster' ? 'npm run cluster' : 'npm start'}     (open cases continue; deadlines that fell due meanwhile escalate once)`,
  );
  if (!manifest.devSecrets) {
    say(`  with the MASTER_KEYS that hold ${manifest.masterKeyIds.join(', ') || '(no case key yet)'} and the AUTH_SECRET of the system backed up`);
  }
} catch (err) {
  if (err instanceof Refusal) {
    sayRefusal('restore', err.vi, err.en);
    code = 2;
  } else {
    const message = err instanceof ArchiveError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(`[restore] Không khôi phục được / Cannot restore: ${message}`);
    code = 1;
  }
  if (prepared) {
    console.error(
      `[restore] ${dataDir} is left as it is for a look; empty it (or use --force) before trying again${prepared.aside ? ` (what was there before is in ${prepared.aside})` : ''}`,
    );
  }
} finally {
  rmSync(staging, { recursive: true, force: true });
  await sql?.end();
  await embedded?.stop();
}
process.exit(code);

function canon(counts: Manifest['counts']): string {
  return JSON.stringify([counts.cases, counts.caseEvents, counts.auditRows]);
}
