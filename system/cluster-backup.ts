// Cluster mode's part of `npm run backup` and `npm run restore` (`npm run cluster`: the real
// Temporal server, its store in the databases `temporal` and `temporal_visibility` on the product's
// PostgreSQL server). The backup copies them as it copies the product's database (db/backup.ts:
// COPY of every table in one read-only snapshot; no pg_dump: the embedded PostgreSQL 18 ships none
// and the machine's is older), before the product's; the restore makes them anew, brings them to
// the archive's schema with the server's own SQL tool, and loads the rows.
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { dumpTemporalDatabase, existingDatabases, loadTemporalDatabase, tableNames } from '../db/backup';
import { connectDatabase, type Sql } from '../db/connect';
import type { ClusterTemporal } from './archive';
import { Refusal } from './backup-config';
import {
  compareSchemaVersions,
  DATABASES,
  prepareTemporalDatabases,
  TEMPORAL_SERVER_VERSION,
  temporalDatabaseUrl,
  toolSchemaVersions,
  type ServerTools,
} from './temporal-cluster';

/**
 * Rows left out of the archive: `cluster_membership` names the server's processes alive when the
 * copy was taken, with their addresses and ports. A restored server reads it to find a ring to
 * join — that of the machine's old server, still running if the restore is beside it — instead of
 * forming its own; it writes its own rows when it starts.
 */
export const RUNTIME_TABLES = ['cluster_membership'] as const;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;

/** Counts what passes through: bytes, and rows (COPY's text format escapes newlines inside values). */
function counter(): Transform & { bytes: number; lines: number } {
  const t = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      t.bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) t.lines += 1;
      done(null, chunk);
    },
  }) as Transform & { bytes: number; lines: number };
  t.bytes = 0;
  t.lines = 0;
  return t;
}

export interface ClusterCopy {
  temporal: ClusterTemporal;
  /** The namespace's workflows with a current run in the copy: every open case must be among them. */
  workflowIds: string[];
  /** The copied tables, staged on disk until they go into the archive. */
  files: Array<{ name: string; path: string }>;
}

/**
 * Copies Temporal's two databases into `staging`, each in one snapshot beside the running server:
 * history first, then visibility. Visibility is written by tasks the history database holds (and
 * acknowledges in its shards): copied after it, visibility is at or ahead of the history copy and
 * a restored server re-runs the tasks it had not acknowledged, which upsert; copied before, it
 * could lack a workflow whose task the history copy counts as done.
 */
export async function copyTemporalDatabases(o: { serverUrl: string; namespace: string; staging: string; say(line: string): void }): Promise<ClusterCopy> {
  const copiedAt = new Date().toISOString();
  const databases: ClusterTemporal['databases'] = [];
  const files: ClusterCopy['files'] = [];
  let workflowIds: string[] = [];
  let bytes = 0;
  for (const [kind, name] of Object.entries(DATABASES) as Array<[keyof typeof DATABASES, string]>) {
    const [t0, bytesBefore] = [Date.now(), bytes];
    const sql = connectDatabase(temporalDatabaseUrl(o.serverUrl, name), { max: 1 });
    try {
      const tables: ClusterTemporal['databases'][number]['tables'] = [];
      const snapshot = await dumpTemporalDatabase(sql, {
        namespace: kind === 'history' ? o.namespace : undefined,
        skip: RUNTIME_TABLES,
        async table(t, rows) {
          const file = `temporal/${name}/${t.name}.copy`;
          const path = join(o.staging, file);
          mkdirSync(join(o.staging, 'temporal', name), { recursive: true, mode: 0o700 });
          const count = counter();
          await pipeline(rows, count, createWriteStream(path, { mode: 0o600 }));
          tables.push({ name: t.name, columns: t.columns, rows: count.lines, file });
          bytes += count.bytes;
          files.push({ name: file, path });
        },
      });
      if (snapshot.workflowIds) workflowIds = snapshot.workflowIds;
      databases.push({
        kind,
        name,
        schemaVersion: snapshot.schemaVersion,
        minCompatibleVersion: snapshot.minCompatibleVersion,
        snapshotAt: snapshot.takenAt,
        tables,
        sequences: snapshot.sequences,
        skipped: snapshot.skipped,
      });
      const rows = tables.reduce((n, t) => n + t.rows, 0);
      o.say(
        `  ${name}: schema ${snapshot.schemaVersion}, ${tables.length} tables, ${rows.toLocaleString('en')} row(s), ${size(bytes - bytesBefore)}` +
          `${snapshot.workflowIds ? `, ${snapshot.workflowIds.length} workflow(s) of namespace "${o.namespace}"` : ''}, snapshot at ${snapshot.takenAt}, in ${seconds(Date.now() - t0)}`,
      );
    } finally {
      await sql.end();
    }
  }
  return {
    temporal: { server: TEMPORAL_SERVER_VERSION, namespace: o.namespace, workflows: workflowIds.length, copiedAt, bytes, databases },
    workflowIds,
    files,
  };
}

/** Refuses, before anything is copied, when Temporal's databases are not on the product's server (not cluster mode, or another server). */
export async function assertTemporalDatabases(sql: Sql): Promise<void> {
  const found = await existingDatabases(sql, Object.values(DATABASES));
  const missing = Object.values(DATABASES).filter((name) => !found.includes(name));
  if (missing.length) {
    throw new Refusal(
      `PostgreSQL của hệ thống không có cơ sở dữ liệu ${missing.map((n) => `"${n}"`).join(' và ')} của máy chủ Temporal (chế độ cụm). Hệ thống có chạy bằng npm run cluster trên DATA_DIR này (và PostgreSQL này) không? Nếu nó chạy bằng npm start, hãy bỏ --cluster.`,
      `the system's PostgreSQL has no database ${missing.map((n) => `"${n}"`).join(' and ')} of the Temporal server (cluster mode). Does the system run with npm run cluster on this DATA_DIR (and this PostgreSQL)? If it runs with npm start, leave out --cluster.`,
    );
  }
}

/**
 * Before DATA_DIR is touched: this server's SQL tool must know the archive's schema versions (an
 * archive of an older server is restored at its own schema, and `npm run cluster` brings it
 * forward as it does on an upgrade; one of a newer server is refused).
 */
export function checkTemporalSchemas(temporal: ClusterTemporal, tools: ServerTools, say: (line: string) => void): Record<keyof typeof DATABASES, string> {
  const known = toolSchemaVersions(tools);
  const versions = { ...known };
  for (const db of temporal.databases) {
    if (compareSchemaVersions(db.schemaVersion, known[db.kind]) > 0) {
      throw new Refusal(
        `cơ sở dữ liệu "${db.name}" của Temporal trong bản sao lưu ở phiên bản lược đồ ${db.schemaVersion} (máy chủ ${temporal.server}), mới hơn phiên bản ${known[db.kind]} mà máy chủ ${TEMPORAL_SERVER_VERSION} của mã này biết. Hãy khôi phục bằng phiên bản case-flow đã tạo bản sao lưu.`,
        `Temporal's database "${db.name}" in the archive is at schema ${db.schemaVersion} (server ${temporal.server}), newer than the ${known[db.kind]} this code's server ${TEMPORAL_SERVER_VERSION} knows. Restore with the version of case-flow that made the archive.`,
      );
    }
    versions[db.kind] = db.schemaVersion;
  }
  if (temporal.server !== TEMPORAL_SERVER_VERSION) {
    say(
      `the archive's Temporal server was ${temporal.server}, this code's is ${TEMPORAL_SERVER_VERSION}: its databases are restored at their schema ` +
        `(${temporal.databases.map((d) => `${d.name} ${d.schemaVersion}`).join(', ')}), and npm run cluster brings them to ${TEMPORAL_SERVER_VERSION}'s when it starts`,
    );
  }
  return versions;
}

/** Refuses a server that already holds Temporal's databases with tables in them (DATABASE_URL's, say): a restore makes new ones. */
export async function assertNoTemporalData(serverUrl: string, sql: Sql): Promise<void> {
  for (const name of await existingDatabases(sql, Object.values(DATABASES))) {
    const db = connectDatabase(temporalDatabaseUrl(serverUrl, name), { max: 1 });
    try {
      const tables = await tableNames(db);
      if (tables.length > 0) {
        throw new Refusal(
          `máy chủ PostgreSQL đã có cơ sở dữ liệu "${name}" của Temporal với ${tables.length} bảng. Chỉ khôi phục vào một máy chủ chưa có chúng: hãy dùng một máy chủ (hoặc DATABASE_URL) khác, hoặc xoá chúng nếu chắc chắn không cần.`,
          `the PostgreSQL server already has Temporal's database "${name}" with ${tables.length} tables. A restore goes only into a server without them: use another server (or DATABASE_URL), or drop them if you are sure they are not needed.`,
        );
      }
    } finally {
      await db.end();
    }
  }
}

/**
 * Temporal's two databases on the server at `serverUrl`: made, brought to the archive's schema
 * versions with the server's SQL tool (as `npm run cluster` does, to the versions asked), then the
 * archive's rows loaded and counted (db/backup.ts, loadTemporalDatabase).
 */
export async function restoreTemporalDatabases(o: {
  tools: ServerTools;
  serverUrl: string;
  temporal: ClusterTemporal;
  versions: Record<keyof typeof DATABASES, string>;
  staging: string;
  say(line: string): void;
}): Promise<void> {
  await prepareTemporalDatabases(o.tools, o.serverUrl, (line) => o.say(`  ${line}`), o.versions);
  for (const db of o.temporal.databases) {
    const t0 = Date.now();
    const sql = connectDatabase(temporalDatabaseUrl(o.serverUrl, db.name), { max: 1 });
    try {
      await loadTemporalDatabase(sql, {
        tables: db.tables,
        sequences: db.sequences,
        skipped: db.skipped,
        rows: (t) => createReadStream(join(o.staging, db.tables.find((x) => x.name === t.name)!.file)),
      });
    } finally {
      await sql.end();
    }
    const rows = db.tables.reduce((n, t) => n + t.rows, 0);
    o.say(
      `  ${db.name}: ${db.tables.length} tables, ${rows.toLocaleString('en')} row(s) loaded, each table's count matches the archive (${seconds(Date.now() - t0)})`,
    );
  }
}
