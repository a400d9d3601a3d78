// The policy a province has published now (its routing ruleset, its deadline policy), parsed once
// per version: each call asks PostgreSQL which version is in force — a publication takes effect
// with the very next case — and reads and checks the document only when that version is new here.
import type { Sql } from '../db/connect';
import { ensureFirstVersion, getVersion, publishedStamp, type PolicyKind } from '../db/policies';

export interface Published<D> {
  version: number;
  document: D;
}

export function publishedPolicies<D>(sql: Sql, kind: PolicyKind, shipped: () => unknown, parse: (document: unknown) => D) {
  // The same object for a version each time, so what is built from it (rule engines) is reused.
  const parsed = new Map<string, Published<D>>();
  return async function published(province: string): Promise<Published<D>> {
    let stamp = await publishedStamp(sql, province, kind);
    if (!stamp) {
      // The shipped document becomes the province's version 1 the first time it is needed.
      await ensureFirstVersion(sql, province, kind, shipped());
      stamp = await publishedStamp(sql, province, kind);
    }
    if (!stamp) throw new Error(`province ${province} has no published ${kind} policy`);
    const key = `${province}:${stamp.version}:${stamp.checksum}`;
    let policy = parsed.get(key);
    if (!policy) {
      const row = await getVersion(sql, province, kind, stamp.version);
      if (!row) throw new Error(`${kind} version ${stamp.version} of ${province} vanished while it was read`);
      policy = { version: row.version, document: parse(row.document) };
      if (parsed.size > 100) parsed.clear();
      parsed.set(key, policy);
    }
    return policy;
  };
}
