// The carers register of each province (issue 28), with what each has taken: its current
// placements, counted from `placements`, so "available" is always what the placements say now.
import { randomUUID } from 'node:crypto';
import type { Principal } from '../domain/access';
import type { Carer, CarerKind, CarerPatch, CarerPlacement, NewCarer } from '../domain/carers';
import { jsonb, type Sql } from './connect';
import { normaliseArea } from './directory';
import { visibleTo } from './scope';

interface Row {
  id: string;
  province: string;
  kind: CarerKind;
  name: string;
  commune: string;
  capacity: number;
  contact: Carer['contact'];
  approved_until: string | null;
  trained_on: string | null;
  notes: string | null;
  active: boolean;
  places_taken: number;
  available: boolean;
  created_at: Date;
  updated_at: Date;
}

const toCarer = (r: Row): Carer => ({
  id: r.id,
  province: r.province,
  kind: r.kind,
  name: r.name,
  commune: r.commune,
  capacity: r.capacity,
  contact: r.contact,
  approvedUntil: r.approved_until,
  trainedOn: r.trained_on,
  notes: r.notes,
  active: r.active,
  placesTaken: r.places_taken,
  available: r.available,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** Vietnam's today, as approval days are written. */
const TODAY = (sql: Sql) => sql`(now() at time zone 'Asia/Ho_Chi_Minh')::date`;

/** The carers with their current placements counted and whether they can take one more now. */
const CARERS = (sql: Sql) => sql`
  select r.id, r.province, r.kind, r.name, r.commune, r.capacity, r.contact, r.approved_until::text, r.trained_on::text, r.notes,
         r.active, r.created_at, r.updated_at, t.n as places_taken,
         (r.active and (r.approved_until is null or r.approved_until >= ${TODAY(sql)}) and t.n < r.capacity) as available
  from carers r
  cross join lateral (select count(*)::int as n from placements p where p.carer_id = r.id and p.status <> 'ended') t`;

export async function insertCarer(sql: Sql, province: string, c: NewCarer): Promise<Carer> {
  const id = randomUUID();
  await sql`
    insert into carers (id, province, kind, name, commune, commune_key, capacity, contact, approved_until, trained_on, notes)
    values (${id}, ${province}, ${c.kind}, ${c.name}, ${c.commune}, ${normaliseArea(c.commune)}, ${c.capacity}, ${jsonb(sql, c.contact)},
            ${c.approvedUntil ?? null}, ${c.trainedOn ?? null}, ${c.notes ?? null})`;
  return (await findCarer(sql, id, province))!;
}

export interface CarerFilter {
  kind?: CarerKind;
  commune?: string;
  /** Only those that can take a placement now. */
  available?: boolean;
}

/** The province's carers; those of a commune (however written) and available ones when asked. By name. */
export async function listCarers(sql: Sql, province: string, f: CarerFilter = {}): Promise<Carer[]> {
  const rows = await sql<Row[]>`
    select * from (${CARERS(sql)} where r.province = ${province}
      ${f.kind ? sql`and r.kind = ${f.kind}` : sql``}
      ${f.commune ? sql`and r.commune_key = ${normaliseArea(f.commune)}` : sql``}) c
    ${f.available ? sql`where c.available` : sql``}
    order by c.name, c.id`;
  return rows.map(toCarer);
}

export async function findCarer(sql: Sql, id: string, province: string): Promise<Carer | undefined> {
  const [row] = await sql<Row[]>`${CARERS(sql)} where r.id = ${id} and r.province = ${province}`;
  return row && toCarer(row);
}

/** Changes the fields sent; null clears an optional one. */
export async function updateCarer(sql: Sql, id: string, province: string, patch: CarerPatch): Promise<Carer | undefined> {
  const keep = <T>(value: T | undefined, column: string) => (value === undefined ? sql(column) : value);
  const updated = await sql`
    update carers set
      kind = ${keep(patch.kind, 'kind')}, name = ${keep(patch.name, 'name')},
      commune = ${keep(patch.commune, 'commune')}, commune_key = ${patch.commune === undefined ? sql`commune_key` : normaliseArea(patch.commune)},
      capacity = ${keep(patch.capacity, 'capacity')},
      contact = ${patch.contact === undefined ? sql`contact` : jsonb(sql, patch.contact)},
      approved_until = ${patch.approvedUntil === undefined ? sql`approved_until` : patch.approvedUntil},
      trained_on = ${patch.trainedOn === undefined ? sql`trained_on` : patch.trainedOn},
      notes = ${keep(patch.notes, 'notes')}, active = ${keep(patch.active, 'active')}, updated_at = now()
    where id = ${id} and province = ${province}
    returning id`;
  return updated.length ? findCarer(sql, id, province) : undefined;
}

/** The carer's current placements whose case the reader may see (collaborators see none), soonest to end first. */
export async function currentPlacementsOf(sql: Sql, carerId: string, viewer: Principal): Promise<CarerPlacement[]> {
  if (viewer.role === 'collaborator') return [];
  const rows = await sql<{ id: string; case_id: string; ref: string; kind: string; status: string; starts_at: Date; ends_by: Date | null }[]>`
    select p.id, p.case_id, c.ref, p.kind, p.status, p.starts_at, p.ends_by
    from placements p join cases c on c.id = p.case_id
    where p.carer_id = ${carerId} and p.status <> 'ended' and ${visibleTo(sql, viewer)}
    order by p.ends_by nulls last, p.starts_at`;
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    caseRef: r.ref,
    kind: r.kind,
    status: r.status,
    startsAt: r.starts_at.toISOString(),
    endsBy: r.ends_by?.toISOString() ?? null,
  }));
}
