// The partner registry of each province. Reads never return the webhook's secret except to the
// one caller that signs deliveries (partnerWebhook).
import { randomUUID } from 'node:crypto';
import type { NewPartner, Partner, PartnerPatch } from '../domain/partners';
import type { PartnerKind } from '../domain/referrals';
import { jsonb, type Sql } from './connect';

interface Row {
  id: string;
  province: string;
  name: string;
  kind: PartnerKind;
  services: string[];
  communes: string[];
  contact: Partner['contact'];
  webhook_url: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const toPartner = (r: Row): Partner => ({
  id: r.id,
  province: r.province,
  name: r.name,
  kind: r.kind,
  services: r.services,
  communes: r.communes,
  contact: r.contact,
  webhook: r.webhook_url ? { url: r.webhook_url } : null,
  active: r.active,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export async function insertPartner(sql: Sql, province: string, p: NewPartner): Promise<Partner> {
  const [row] = await sql<Row[]>`
    insert into partners (id, province, name, kind, services, communes, contact, webhook_url, webhook_secret)
    values (${randomUUID()}, ${province}, ${p.name}, ${p.kind}, ${p.services}, ${p.communes ?? []}, ${jsonb(sql, p.contact)},
            ${p.webhook?.url ?? null}, ${p.webhook?.secret ?? null})
    returning *`;
  return toPartner(row!);
}

export async function listPartners(sql: Sql, province: string, f: { kind?: PartnerKind; activeOnly?: boolean } = {}): Promise<Partner[]> {
  const rows = await sql<Row[]>`
    select * from partners where province = ${province}
      ${f.kind ? sql`and kind = ${f.kind}` : sql``}
      ${f.activeOnly ? sql`and active` : sql``}
    order by name, id`;
  return rows.map(toPartner);
}

export async function findPartner(sql: Sql, id: string, province: string): Promise<Partner | undefined> {
  const [row] = await sql<Row[]>`select * from partners where id = ${id} and province = ${province}`;
  return row && toPartner(row);
}

/** Changes the fields sent; `webhook: null` removes the webhook and its secret. */
export async function updatePartner(sql: Sql, id: string, province: string, patch: PartnerPatch): Promise<Partner | undefined> {
  const keep = <T>(value: T | undefined, column: string) => (value === undefined ? sql(column) : value);
  const [row] = await sql<Row[]>`
    update partners set
      name = ${keep(patch.name, 'name')}, kind = ${keep(patch.kind, 'kind')},
      services = ${patch.services === undefined ? sql`services` : patch.services},
      communes = ${patch.communes === undefined ? sql`communes` : patch.communes},
      contact = ${patch.contact === undefined ? sql`contact` : jsonb(sql, patch.contact)},
      webhook_url = ${patch.webhook === undefined ? sql`webhook_url` : (patch.webhook?.url ?? null)},
      webhook_secret = ${patch.webhook === undefined ? sql`webhook_secret` : (patch.webhook?.secret ?? null)},
      active = ${keep(patch.active, 'active')}, updated_at = now()
    where id = ${id} and province = ${province}
    returning *`;
  return row && toPartner(row);
}
