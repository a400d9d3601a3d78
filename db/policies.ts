// Versioned policy documents (the routing ruleset, the deadline policy) per province and kind.
// Drafts change until published; publishing retires the previous version in the same
// transaction, so exactly one version is in force at any moment.
import { hashJson } from './canonical-json';
import { jsonb, type Sql, type Tx } from './connect';

export type PolicyKind = 'routing' | 'deadlines';
export type PolicyStatus = 'draft' | 'published' | 'retired';

export interface PolicyVersion<D = unknown> {
  version: number;
  status: PolicyStatus;
  document: D;
  checksum: string;
  derivedFrom: number | null;
  author: string;
  comment: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  retiredAt: string | null;
  checkedAt: string | null;
  checkResult: unknown;
  /** Sample inputs kept with a draft (the ruleset's intakes to simulate on). */
  samples: unknown[];
}

interface Row {
  version: number;
  status: PolicyStatus;
  document: unknown;
  checksum: string;
  derived_from: number | null;
  author: string;
  comment: string;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  retired_at: Date | null;
  checked_at: Date | null;
  check_result: unknown;
  samples: unknown[];
}

const toVersion = <D>(r: Row): PolicyVersion<D> => ({
  version: r.version,
  status: r.status,
  document: r.document as D,
  checksum: r.checksum,
  derivedFrom: r.derived_from,
  author: r.author,
  comment: r.comment,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  publishedAt: r.published_at?.toISOString() ?? null,
  retiredAt: r.retired_at?.toISOString() ?? null,
  checkedAt: r.checked_at?.toISOString() ?? null,
  checkResult: r.check_result,
  samples: r.samples,
});

/** Serialises changes to one province's line of versions of one kind. */
async function lockLine(tx: Tx, province: string, kind: PolicyKind) {
  await tx`select pg_advisory_xact_lock(hashtext(${`policy:${province}:${kind}`}))`;
}

/** Version 1 is the document the product ships, published the first time a province needs it. */
export async function ensureFirstVersion(sql: Sql, province: string, kind: PolicyKind, shipped: unknown): Promise<void> {
  const [exists] = await sql`select 1 from policy_versions where province = ${province} and kind = ${kind} limit 1`;
  if (exists) return;
  await sql.begin(async (tx) => {
    await lockLine(tx, province, kind);
    await tx`
      insert into policy_versions (province, kind, version, status, document, checksum, author, comment, published_at)
      select ${province}, ${kind}, 1, 'published', ${jsonb(tx, shipped)}, ${hashJson(shipped)}, 'system',
             'the default shipped with the product', now()
      where not exists (select 1 from policy_versions where province = ${province} and kind = ${kind})`;
  });
}

export async function publishedVersion<D>(sql: Sql, province: string, kind: PolicyKind): Promise<PolicyVersion<D> | undefined> {
  const [row] = await sql<Row[]>`select * from policy_versions where province = ${province} and kind = ${kind} and status = 'published'`;
  return row && toVersion<D>(row);
}

/** Which version is published now, without its document: enough to tell whether a parsed copy is still the one in force. */
export async function publishedStamp(sql: Sql, province: string, kind: PolicyKind): Promise<{ version: number; checksum: string } | undefined> {
  const [row] = await sql<{ version: number; checksum: string }[]>`
    select version, checksum from policy_versions where province = ${province} and kind = ${kind} and status = 'published'`;
  return row;
}

export async function getVersion<D>(sql: Sql, province: string, kind: PolicyKind, version: number): Promise<PolicyVersion<D> | undefined> {
  const [row] = await sql<Row[]>`select * from policy_versions where province = ${province} and kind = ${kind} and version = ${version}`;
  return row && toVersion<D>(row);
}

export async function listDrafts<D>(sql: Sql, province: string, kind: PolicyKind): Promise<PolicyVersion<D>[]> {
  const rows = await sql<Row[]>`
    select * from policy_versions where province = ${province} and kind = ${kind} and status = 'draft' order by version desc`;
  return rows.map((r) => toVersion<D>(r));
}

export async function createDraft<D>(
  sql: Sql,
  line: { province: string; kind: PolicyKind },
  draft: { document: D; author: { id: string; name: string }; comment: string; samples?: unknown[] },
): Promise<PolicyVersion<D>> {
  return await sql.begin(async (tx) => {
    await lockLine(tx, line.province, line.kind);
    const [row] = await tx<Row[]>`
      insert into policy_versions (province, kind, version, status, document, checksum, derived_from, author_id, author, comment, samples)
      values (
        ${line.province}, ${line.kind},
        (select coalesce(max(version), 0) + 1 from policy_versions where province = ${line.province} and kind = ${line.kind}),
        'draft', ${jsonb(tx, draft.document)}, ${hashJson(draft.document)},
        (select version from policy_versions where province = ${line.province} and kind = ${line.kind} and status = 'published'),
        ${draft.author.id}, ${draft.author.name}, ${draft.comment}, ${jsonb(tx, draft.samples ?? [])})
      returning *`;
    return toVersion<D>(row!);
  });
}

export type DraftChange<D> = { ok: true; version: PolicyVersion<D> } | { ok: false; reason: 'not_found' | 'not_draft' };

/** Replaces a draft's document; its earlier check no longer counts. */
export async function updateDraft<D>(
  sql: Sql,
  line: { province: string; kind: PolicyKind },
  version: number,
  document: D,
  comment?: string,
  samples?: unknown[],
): Promise<DraftChange<D>> {
  // Only a changed document needs its checks again; new samples or a new comment do not.
  const [row] = await sql<Row[]>`
    update policy_versions set document = ${jsonb(sql, document)}, checksum = ${hashJson(document)},
      comment = coalesce(${comment ?? null}, comment), updated_at = now(),
      samples = coalesce(${samples === undefined ? null : jsonb(sql, samples)}::jsonb, samples),
      checked_at = case when checksum = ${hashJson(document)} then checked_at end,
      check_result = case when checksum = ${hashJson(document)} then check_result end
    where province = ${line.province} and kind = ${line.kind} and version = ${version} and status = 'draft'
    returning *`;
  if (row) return { ok: true, version: toVersion<D>(row) };
  const existing = await getVersion(sql, line.province, line.kind, version);
  return { ok: false, reason: existing ? 'not_draft' : 'not_found' };
}

/** Stores a check's result, unless the draft changed while the check ran. */
export async function recordCheck(
  sql: Sql,
  line: { province: string; kind: PolicyKind },
  version: number,
  checksum: string,
  result: unknown,
): Promise<boolean> {
  const rows = await sql`
    update policy_versions set checked_at = now(), check_result = ${jsonb(sql, result)}
    where province = ${line.province} and kind = ${line.kind} and version = ${version} and status = 'draft' and checksum = ${checksum}
    returning version`;
  return rows.length === 1;
}

/** Publishes a checked draft and retires the version it replaces, in one transaction. */
export async function publishDraft<D>(
  sql: Sql,
  line: { province: string; kind: PolicyKind },
  version: number,
  comment: string,
  guard: (draft: PolicyVersion<D>) => void,
): Promise<PolicyVersion<D>> {
  return await sql.begin(async (tx) => {
    await lockLine(tx, line.province, line.kind);
    const [draftRow] = await tx<Row[]>`
      select * from policy_versions where province = ${line.province} and kind = ${line.kind} and version = ${version} for update`;
    // The guard sees the draft as it is under the lock, and throws to refuse.
    // Versions are never deleted: the caller found this one before it asked to publish it.
    if (!draftRow) throw new Error(`${line.kind} version ${version} of ${line.province} vanished`);
    guard(toVersion<D>(draftRow));
    await tx`
      update policy_versions set status = 'retired', retired_at = now()
      where province = ${line.province} and kind = ${line.kind} and status = 'published'`;
    const [row] = await tx<Row[]>`
      update policy_versions set status = 'published', published_at = now(), comment = ${comment}, updated_at = now()
      where province = ${line.province} and kind = ${line.kind} and version = ${version}
      returning *`;
    return toVersion<D>(row!);
  });
}
