// One data key per case, wrapped by a master key and kept in PostgreSQL. Erasing a case destroys
// its wrapped key: every payload sealed with it, in Temporal and in its backups, becomes noise.
import { randomBytes } from 'node:crypto';
import type { Sql } from '../db/connect';
import { destroyWrappedKey, keepWrappedKey, readWrappedKey, rewrapCaseKeyBatch } from '../db/case-keys';
import { open, seal } from './aead';
import type { MasterKeys } from './master-keys';

export class CaseErasedError extends Error {
  constructor(readonly caseId: string) {
    super(`case ${caseId} was erased: its data key is destroyed`);
    this.name = 'CaseErasedError';
  }
}

// Unwrapped keys are kept a short while so a busy case does not cost a query per payload; the
// bound keeps an erased key from living on in a long-running process.
const CACHE_TTL_MS = 60_000;
const CACHE_MAX = 10_000;

export class CaseKeyStore {
  private cache = new Map<string, { key: Buffer; until: number }>();

  constructor(
    private readonly sql: Sql,
    private readonly masterKeys: MasterKeys,
  ) {}

  /** The case's data key, created on first use. */
  async keyFor(caseId: string): Promise<Buffer> {
    const cached = this.cached(caseId);
    if (cached) return cached;
    const fresh = randomBytes(32);
    const masterId = this.masterKeys.activeId;
    return this.unwrapped(caseId, await keepWrappedKey(this.sql, caseId, masterId, seal(this.masterKeys.get(masterId), fresh, caseId)));
  }

  /** The case's data key; fails if it never existed or was destroyed. */
  async existingKey(caseId: string): Promise<Buffer> {
    const cached = this.cached(caseId);
    if (cached) return cached;
    const row = await readWrappedKey(this.sql, caseId);
    if (!row) throw new Error(`case ${caseId} has no data key`);
    return this.unwrapped(caseId, row);
  }

  /** The stored key opened with its master key, and kept a while; an erased case's is gone. */
  private unwrapped(caseId: string, row: { masterKeyId: string; wrappedKey: Buffer | null }): Buffer {
    if (!row.wrappedKey) throw new CaseErasedError(caseId);
    const key = open(this.masterKeys.get(row.masterKeyId), row.wrappedKey, caseId);
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(caseId, { key, until: Date.now() + CACHE_TTL_MS });
    return key;
  }

  async destroy(caseId: string): Promise<void> {
    this.cache.delete(caseId);
    await destroyWrappedKey(this.sql, caseId, this.masterKeys.activeId);
  }

  /**
   * A master key rotation's step: the next batch of stored keys wrapped by another master key is
   * opened with that key and sealed again with the active one, bound to its case as before. The
   * case keys themselves do not change, so nothing Temporal stores needs touching, and keys this
   * or any process holds unwrapped stay right. A key whose master key is not configured, or does
   * not open it (a wrong value under its id), is left and reported.
   */
  async rewrapBatch(
    afterCaseId: string | null,
    limit: number,
  ): Promise<{
    rewrapped: Array<{ caseId: string; from: string }>;
    left: Array<{ caseId: string; masterKeyId: string; why: 'not_configured' | 'does_not_open' }>;
    lastCaseId: string | null;
  }> {
    const activeId = this.masterKeys.activeId;
    const active = this.masterKeys.get(activeId);
    const why = new Map<string, 'not_configured' | 'does_not_open'>();
    const batch = await rewrapCaseKeyBatch(this.sql, activeId, afterCaseId, limit, (k) => {
      if (!this.masterKeys.has(k.masterKeyId)) return void why.set(k.caseId, 'not_configured');
      try {
        return seal(active, open(this.masterKeys.get(k.masterKeyId), k.wrappedKey, k.caseId), k.caseId);
      } catch {
        return void why.set(k.caseId, 'does_not_open');
      }
    });
    return {
      rewrapped: batch.rewrapped.map((k) => ({ caseId: k.caseId, from: k.masterKeyId })),
      left: batch.left.map((k) => ({ caseId: k.caseId, masterKeyId: k.masterKeyId, why: why.get(k.caseId) ?? 'does_not_open' })),
      lastCaseId: batch.lastCaseId,
    };
  }

  private cached(caseId: string): Buffer | undefined {
    const hit = this.cache.get(caseId);
    if (hit && hit.until > Date.now()) return hit.key;
    if (hit) this.cache.delete(caseId);
    return undefined;
  }
}
