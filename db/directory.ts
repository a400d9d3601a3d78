// The staff directory: provinces, units, staff and integration tokens.
import { randomUUID } from 'node:crypto';
import type { Principal, Role } from '../domain/access';
import type { Sql, Tx } from './connect';

export interface StaffRow {
  id: string;
  province: string;
  username: string;
  display_name: string;
  role: Role;
  unit_id: string | null;
  password_hash: string;
  active: boolean;
  email: string | null;
  phone: string | null;
  language: 'vi' | 'en';
  /** Sessions issued at or before this instant are ended (POST /staff/{id}/sessions/revoke); null: never. */
  sessions_valid_after: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface UnitRow {
  id: string;
  province: string;
  name: string;
  areas: string[];
  is_default: boolean;
  supervisor_id: string | null;
  on_call_worker_id: string | null;
  created_at: Date;
}

/** Area names compare without case, accents kept ("Hạ Long" = "hạ long"), administrative prefix dropped. */
export function normaliseArea(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .toLocaleLowerCase('vi')
    .replace(/^(thành phố|thị xã|thị trấn|huyện|quận|phường|xã|tp\.?)\s+/u, '')
    .replace(/\s+/g, ' ');
}

export async function findStaffByUsername(sql: Sql, username: string): Promise<StaffRow | undefined> {
  const [row] = await sql<StaffRow[]>`select * from staff where username = ${username}`;
  return row;
}

/**
 * The active staff member behind an id. With `session` (a session token's check: the API's bearer,
 * the console's cookie), only while that session was issued after their sessions were last ended.
 */
export async function principalForStaff(sql: Sql, staffId: string, session?: { issuedAtMs: number }): Promise<Principal | undefined> {
  const [row] = await sql<StaffRow[]>`select * from staff where id = ${staffId} and active`;
  if (!row) return undefined;
  if (session && row.sessions_valid_after && session.issuedAtMs <= row.sessions_valid_after.getTime()) return undefined;
  return { id: row.id, kind: 'staff', name: row.username, role: row.role, province: row.province, unitId: row.unit_id };
}

/**
 * Ends every session of a staff member of `province` issued up to `at` (the API's clock, as the
 * tokens' issue times are); never moves the instant back. The instant in force; undefined when
 * there is no such person in the province.
 */
export async function revokeSessions(sql: Sql, staffId: string, province: string, at: Date): Promise<Date | undefined> {
  const [row] = await sql<{ sessions_valid_after: Date }[]>`
    update staff set sessions_valid_after = greatest(sessions_valid_after, ${at}::timestamptz), updated_at = now()
    where id = ${staffId} and province = ${province}
    returning sessions_valid_after`;
  return row?.sessions_valid_after;
}

export async function principalForApiToken(sql: Sql, tokenHash: string): Promise<Principal | undefined> {
  const [row] = await sql<{ id: string; name: string; role: Role; province: string; unit_id: string | null }[]>`
    select id, name, role, province, unit_id from api_tokens where token_hash = ${tokenHash} and revoked_at is null`;
  return row && { id: row.id, kind: 'token', name: row.name, role: row.role, province: row.province, unitId: row.unit_id };
}

export interface Assignment {
  unitId: string | null;
  workerId: string | null;
}

/**
 * The unit covering the client's commune, else district, else the province's default unit; the
 * worker is the unit's on-call worker on the emergency path, else the next in turn. Runs inside
 * the transaction that creates the case, so a retried intake never takes a second turn.
 */
export async function assignCase(tx: Tx, province: string, location: { district?: string; commune?: string }, emergency: boolean): Promise<Assignment> {
  const candidates = [location.commune, location.district].filter((a): a is string => !!a).map(normaliseArea);
  let unit: UnitRow | undefined;
  for (const area of candidates) {
    [unit] = await tx<UnitRow[]>`select * from units where province = ${province} and ${area} = any(areas) order by name limit 1`;
    if (unit) break;
  }
  unit ??= (await tx<UnitRow[]>`select * from units where province = ${province} and is_default limit 1`)[0];
  if (!unit) return { unitId: null, workerId: null };
  if (emergency && unit.on_call_worker_id) return { unitId: unit.id, workerId: unit.on_call_worker_id };

  // The unit's turn taken and its worker chosen in one statement (the update runs once, whatever the select reads).
  const [worker] = await tx<{ id: string }[]>`
    with turn as (update units set next_assignment = next_assignment + 1 where id = ${unit.id} returning next_assignment - 1 as n)
    select id from staff where unit_id = ${unit.id} and role = 'social_worker' and active
    order by created_at, id
    offset ((select n from turn) % greatest(1, (select count(*) from staff where unit_id = ${unit.id} and role = 'social_worker' and active)))
    limit 1`;
  return { unitId: unit.id, workerId: worker?.id ?? unit.on_call_worker_id };
}

/** A unit id a caller names must be one of their own province's units. */
export async function unitExistsInProvince(sql: Sql, unitId: string, province: string): Promise<boolean> {
  const [unit] = await sql`select 1 from units where id = ${unitId} and province = ${province}`;
  return !!unit;
}

/** A unit's supervisor or on-call worker must be someone active in the same province. */
export async function activeStaffExistsInProvince(sql: Sql, staffId: string, province: string): Promise<boolean> {
  const [row] = await sql`select 1 from staff where id = ${staffId} and province = ${province} and active`;
  return !!row;
}

/** The province's staff, for the admin and supervisor directory view. */
export async function listStaff(sql: Sql, province: string): Promise<StaffRow[]> {
  return await sql<StaffRow[]>`select * from staff where province = ${province} order by username`;
}

export interface NewStaff {
  province: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  passwordHash: string;
  email?: string | null;
  phone?: string | null;
  language?: 'vi' | 'en';
}

/** Adds a staff member; undefined when the username is taken (usernames are global, not per province). */
export async function insertStaff(sql: Sql, s: NewStaff): Promise<StaffRow | undefined> {
  const [row] = await sql<StaffRow[]>`
    insert into staff (id, province, username, display_name, role, unit_id, password_hash, email, phone, language)
    values (${randomUUID()}, ${s.province}, ${s.username}, ${s.displayName}, ${s.role}, ${s.unitId}, ${s.passwordHash},
            ${s.email ?? null}, ${s.phone ?? null}, ${s.language ?? 'vi'})
    on conflict (username) do nothing
    returning *`;
  return row;
}

export interface StaffChange {
  displayName?: string;
  role?: Role;
  /** undefined keeps the unit; null takes the person out of any unit. */
  unitId?: string | null;
  active?: boolean;
  passwordHash?: string;
  /** undefined keeps a contact; null clears it. */
  email?: string | null;
  phone?: string | null;
  language?: 'vi' | 'en';
}

/** Changes only the fields given; undefined when no such staff member is in the province. */
export async function updateStaff(sql: Sql, id: string, province: string, change: StaffChange): Promise<StaffRow | undefined> {
  const [row] = await sql<StaffRow[]>`
    update staff set
      display_name = coalesce(${change.displayName ?? null}, display_name),
      role = coalesce(${change.role ?? null}, role),
      unit_id = ${change.unitId === undefined ? sql`unit_id` : change.unitId},
      active = coalesce(${change.active ?? null}, active),
      password_hash = coalesce(${change.passwordHash ?? null}, password_hash),
      email = ${change.email === undefined ? sql`email` : change.email},
      phone = ${change.phone === undefined ? sql`phone` : change.phone},
      language = coalesce(${change.language ?? null}, language),
      updated_at = now()
    where id = ${id} and province = ${province}
    returning *`;
  return row;
}

/** Staff members' display names by id (the names people sign with), for those that exist. */
export async function displayNames(sql: Sql, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; display_name: string }[]>`select id, display_name from staff where id = any(${[...ids]}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** A province's name, as intakes write it. */
export async function provinceName(sql: Sql, code: string): Promise<string | undefined> {
  const [row] = await sql<{ name: string }[]>`select name from provinces where code = ${code}`;
  return row?.name;
}

/** Which of these usernames still belong to active accounts, so production can refuse demo logins. */
export async function activeUsernames(sql: Sql, usernames: readonly string[]): Promise<string[]> {
  const rows = await sql<{ username: string }[]>`select username from staff where username in ${sql(usernames)} and active`;
  return rows.map((r) => r.username);
}

/** The province's units, for the admin and supervisor directory view. */
export async function listUnits(sql: Sql, province: string): Promise<UnitRow[]> {
  return await sql<UnitRow[]>`select * from units where province = ${province} order by name`;
}

/**
 * A unit's name, and the default flag, are unique per province: a write that breaks either
 * answers 'conflict' for the caller to explain, rather than failing.
 */
async function unlessConflict<T>(write: () => Promise<T>): Promise<T | 'conflict'> {
  try {
    return await write();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return 'conflict';
    throw err;
  }
}

export interface UnitFields {
  /** Stored normalised, so assignment compares like with like. */
  areas: string[];
  isDefault: boolean;
  supervisorId: string | null;
  onCallWorkerId: string | null;
}

/** Adds a unit to the province; 'conflict' when its name, or the default flag, is already taken there. */
export async function insertUnit(sql: Sql, province: string, name: string, fields: UnitFields): Promise<UnitRow | 'conflict'> {
  return await unlessConflict(async () => {
    const [unit] = await sql<[UnitRow]>`
      insert into units (id, province, name, areas, is_default, supervisor_id, on_call_worker_id)
      values (${randomUUID()}, ${province}, ${name}, ${fields.areas.map(normaliseArea)}, ${fields.isDefault},
              ${fields.supervisorId}, ${fields.onCallWorkerId})
      returning *`;
    return unit;
  });
}

/** Changes only the fields given (undefined keeps the column); undefined when the unit is not in the province. */
export async function updateUnit(sql: Sql, id: string, province: string, change: Partial<UnitFields>): Promise<UnitRow | 'conflict' | undefined> {
  const keep = (column: string) => sql(column);
  return await unlessConflict(async () => {
    const [unit] = await sql<UnitRow[]>`
      update units set
        areas = ${change.areas === undefined ? keep('areas') : change.areas.map(normaliseArea)},
        is_default = ${change.isDefault === undefined ? keep('is_default') : change.isDefault},
        supervisor_id = ${change.supervisorId === undefined ? keep('supervisor_id') : change.supervisorId},
        on_call_worker_id = ${change.onCallWorkerId === undefined ? keep('on_call_worker_id') : change.onCallWorkerId}
      where id = ${id} and province = ${province}
      returning *`;
    return unit;
  });
}

export interface NewApiToken {
  id: string;
  province: string;
  name: string;
  role: Role;
  unitId: string | null;
  /** Only the hash is kept: the token itself is shown once and never stored. */
  tokenHash: string;
  createdBy: string;
}

/** Registers an integration's token so principalForApiToken recognises it. */
export async function insertApiToken(sql: Sql, t: NewApiToken): Promise<void> {
  await sql`
    insert into api_tokens (id, province, name, role, unit_id, token_hash, created_by)
    values (${t.id}, ${t.province}, ${t.name}, ${t.role}, ${t.unitId}, ${t.tokenHash}, ${t.createdBy})`;
}

export interface ApiTokenRow {
  id: string;
  name: string;
  role: Role;
  unitId: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** The province's integration tokens, newest first: what each is for, never the token. */
export async function listApiTokens(sql: Sql, province: string): Promise<ApiTokenRow[]> {
  const rows = await sql<{ id: string; name: string; role: Role; unit_id: string | null; created_at: Date; revoked_at: Date | null }[]>`
    select id, name, role, unit_id, created_at, revoked_at from api_tokens where province = ${province} order by created_at desc`;
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, unitId: r.unit_id, createdAt: r.created_at, revokedAt: r.revoked_at }));
}

/** Revokes a token, keeping the first revocation time if revoked twice; undefined when not in the province. */
export async function revokeApiToken(sql: Sql, id: string, province: string): Promise<{ id: string; revokedAt: Date } | undefined> {
  const [row] = await sql<{ id: string; revoked_at: Date }[]>`
    update api_tokens set revoked_at = coalesce(revoked_at, now())
    where id = ${id} and province = ${province}
    returning id, revoked_at`;
  return row && { id: row.id, revokedAt: row.revoked_at };
}

export interface DirectorySeed {
  /** refPrefix: the province's part of case references (QN-2026-000123); its code in capitals without one. */
  province: { code: string; name: string; refPrefix?: string };
  units: Array<{ name: string; isDefault: boolean; areas: string[] }>;
  /** unit: the unit they belong to; leads: the unit they supervise (by name). */
  people: Array<{ username: string; displayName: string; role: Role; unit?: string; leads?: string }>;
  /** Every seeded account gets this password. */
  passwordHash: string;
}

/**
 * Creates whatever of a directory is missing and changes nothing that exists, so seeding at every
 * start is safe. Each unit's first active social worker becomes its on-call worker if it has none.
 */
export async function seedDirectory(sql: Sql, seed: DirectorySeed): Promise<void> {
  const { province, units, people, passwordHash } = seed;
  await sql.begin(async (tx) => {
    await tx`insert into provinces (code, name, ref_prefix) values (${province.code}, ${province.name}, ${province.refPrefix ?? null}) on conflict do nothing`;
    for (const unit of units) {
      await tx`
        insert into units (id, province, name, areas, is_default)
        values (${randomUUID()}, ${province.code}, ${unit.name}, ${unit.areas.map(normaliseArea)}, ${unit.isDefault})
        on conflict (province, name) do nothing`;
    }
    for (const person of people) {
      await tx`
        insert into staff (id, province, username, display_name, role, unit_id, password_hash)
        values (${randomUUID()}, ${province.code}, ${person.username}, ${person.displayName}, ${person.role},
                (select id from units where province = ${province.code} and name = ${person.unit ?? null}), ${passwordHash})
        on conflict (username) do nothing`;
    }
    for (const person of people) {
      if (!person.leads) continue;
      await tx`
        update units set supervisor_id = (select id from staff where username = ${person.username})
        where province = ${province.code} and name = ${person.leads} and supervisor_id is null`;
    }
    // Each unit's first social worker is also its on-call worker for emergencies.
    await tx`
      update units u set on_call_worker_id = (
        select id from staff s where s.unit_id = u.id and s.role = 'social_worker' and s.active order by created_at limit 1)
      where province = ${province.code} and on_call_worker_id is null`;
  });
}

/** The social worker a case may be assigned to: active, in the province; with their unit. */
export async function findActiveSocialWorker(
  sql: Sql,
  staffId: string,
  province: string,
): Promise<{ id: string; displayName: string; unitId: string | null } | undefined> {
  const [row] = await sql<{ id: string; display_name: string; unit_id: string | null }[]>`
    select id, display_name, unit_id from staff where id = ${staffId} and province = ${province} and role = 'social_worker' and active`;
  return row && { id: row.id, displayName: row.display_name, unitId: row.unit_id };
}

/** The supervisor of a unit, if it has one. */
export async function supervisorOfUnit(sql: Sql | Tx, unitId: string): Promise<string | undefined> {
  const [row] = await sql<{ supervisor_id: string | null }[]>`select supervisor_id from units where id = ${unitId}`;
  return row?.supervisor_id ?? undefined;
}

/** The name staff know a colleague by, for notices. */
export async function staffDisplayName(sql: Sql | Tx, staffId: string): Promise<string | undefined> {
  const [row] = await sql<{ display_name: string }[]>`select display_name from staff where id = ${staffId}`;
  return row?.display_name;
}

/** The supervisor of the unit a case belongs to, if it has one. */
export async function supervisorOfCase(sql: Sql | Tx, caseId: string): Promise<string | undefined> {
  const [row] = await sql<{ supervisor_id: string | null }[]>`
    select u.supervisor_id from cases c join units u on u.id = c.unit_id where c.id = ${caseId}`;
  return row?.supervisor_id ?? undefined;
}

/** The village collaborator who reported a case, if a collaborator reported it. */
export async function reportingCollaborator(sql: Sql | Tx, caseId: string): Promise<string | undefined> {
  const [row] = await sql<{ id: string }[]>`
    select s.id from cases c join staff s on s.id = c.reported_by where c.id = ${caseId} and s.role = 'collaborator' and s.active`;
  return row?.id;
}
