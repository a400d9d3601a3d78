// The staff directory: provinces, units, staff and integration tokens.
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

export async function principalForStaff(sql: Sql, staffId: string): Promise<Principal | undefined> {
  const [row] = await sql<StaffRow[]>`select * from staff where id = ${staffId} and active`;
  return row && { id: row.id, kind: 'staff', name: row.username, role: row.role, province: row.province, unitId: row.unit_id };
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
export async function assignCase(
  tx: Tx,
  province: string,
  location: { district?: string; commune?: string },
  emergency: boolean,
): Promise<Assignment> {
  const candidates = [location.commune, location.district].filter((a): a is string => !!a).map(normaliseArea);
  let unit: UnitRow | undefined;
  for (const area of candidates) {
    [unit] = await tx<UnitRow[]>`select * from units where province = ${province} and ${area} = any(areas) order by name limit 1`;
    if (unit) break;
  }
  unit ??= (await tx<UnitRow[]>`select * from units where province = ${province} and is_default limit 1`)[0];
  if (!unit) return { unitId: null, workerId: null };
  if (emergency && unit.on_call_worker_id) return { unitId: unit.id, workerId: unit.on_call_worker_id };

  const [turn] = await tx<{ n: string }[]>`
    update units set next_assignment = next_assignment + 1 where id = ${unit.id} returning next_assignment - 1 as n`;
  const [worker] = await tx<{ id: string }[]>`
    select id from staff where unit_id = ${unit.id} and role = 'social_worker' and active
    order by created_at, id
    offset (${Number(turn?.n ?? 0)} % greatest(1, (select count(*) from staff where unit_id = ${unit.id} and role = 'social_worker' and active)))
    limit 1`;
  return { unitId: unit.id, workerId: worker?.id ?? unit.on_call_worker_id };
}
