// A past hotline log's rows as they were imported (issue 27, 8): the contact a log number names in
// its province, with the hash of the row it came from, so a second run of the same log adds
// nothing and a changed row is said, never overwritten. The contact itself is written by
// db/contacts.ts insertContact (its `imported` option).
import type { Path } from '../domain/stages';
import type { Sql } from './connect';

export interface ImportedContact {
  id: string;
  ref: string;
  rowHash: string | null;
  /** The path the published ruleset gave its facts when it was imported (C1), if it had enough to score. */
  path: Path | null;
  caseId: string | null;
}

export async function findImportedContact(sql: Sql, province: string, logNo: string): Promise<ImportedContact | undefined> {
  const [row] = await sql<{ id: string; ref: string; imported_row_hash: string | null; path: Path | null; case_id: string | null }[]>`
    select id, ref, imported_row_hash, routing->>'path' as path, case_id
    from contacts where province = ${province} and log_no = ${logNo}`;
  return row && { id: row.id, ref: row.ref, rowHash: row.imported_row_hash, path: row.path, caseId: row.case_id };
}
