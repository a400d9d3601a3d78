// The demo directory of Quảng Ninh, seeded by `npm start` in development mode only. Every demo
// account has the password `demo`.
import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/connect';
import { normaliseArea } from '../db/directory';
import type { Role } from '../domain/access';
import { hashPassword } from '../security/passwords';

export const DEMO_PROVINCE = { code: 'quang-ninh', name: 'Quảng Ninh' };
export const DEMO_PASSWORD = 'demo';

const UNITS = [
  { name: 'Hạ Long', isDefault: true, areas: ['Hạ Long', 'Cẩm Phả', 'Uông Bí', 'Đông Triều', 'Quảng Yên', 'Vân Đồn', 'Cô Tô'] },
  { name: 'Bình Liêu', isDefault: false, areas: ['Bình Liêu', 'Ba Chẽ', 'Tiên Yên', 'Đầm Hà', 'Hải Hà', 'Móng Cái'] },
];

const PEOPLE: Array<{ username: string; displayName: string; role: Role; unit?: string; leads?: string }> = [
  { username: 'supervisor1', displayName: 'Trưởng phòng Hạ Long', role: 'supervisor', unit: 'Hạ Long', leads: 'Hạ Long' },
  { username: 'worker1', displayName: 'Nhân viên CTXH Hạ Long', role: 'social_worker', unit: 'Hạ Long' },
  { username: 'supervisor2', displayName: 'Trưởng phòng Bình Liêu', role: 'supervisor', unit: 'Bình Liêu', leads: 'Bình Liêu' },
  { username: 'worker2', displayName: 'Nhân viên CTXH Bình Liêu', role: 'social_worker', unit: 'Bình Liêu' },
  { username: 'manager1', displayName: 'Giám đốc', role: 'manager' },
  { username: 'manager2', displayName: 'Phó Giám đốc', role: 'manager' },
  { username: 'admin1', displayName: 'Quản trị hệ thống', role: 'admin' },
  { username: 'collaborator1', displayName: 'Cộng tác viên thôn 3', role: 'collaborator', unit: 'Hạ Long' },
];

export const DEMO_USERNAMES = PEOPLE.map((p) => p.username);

/** Creates whatever of the demo directory is missing; changes nothing that exists. */
export async function seedDemoDirectory(sql: Sql): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await sql.begin(async (tx) => {
    await tx`insert into provinces (code, name) values (${DEMO_PROVINCE.code}, ${DEMO_PROVINCE.name}) on conflict do nothing`;
    for (const unit of UNITS) {
      await tx`
        insert into units (id, province, name, areas, is_default)
        values (${randomUUID()}, ${DEMO_PROVINCE.code}, ${unit.name}, ${unit.areas.map(normaliseArea)}, ${unit.isDefault})
        on conflict (province, name) do nothing`;
    }
    for (const person of PEOPLE) {
      await tx`
        insert into staff (id, province, username, display_name, role, unit_id, password_hash)
        values (${randomUUID()}, ${DEMO_PROVINCE.code}, ${person.username}, ${person.displayName}, ${person.role},
                (select id from units where province = ${DEMO_PROVINCE.code} and name = ${person.unit ?? null}), ${passwordHash})
        on conflict (username) do nothing`;
    }
    for (const person of PEOPLE.filter((p) => p.leads)) {
      await tx`
        update units set supervisor_id = (select id from staff where username = ${person.username})
        where province = ${DEMO_PROVINCE.code} and name = ${person.leads!} and supervisor_id is null`;
    }
    // Each unit's one social worker is also its on-call worker for emergencies.
    await tx`
      update units u set on_call_worker_id = (
        select id from staff s where s.unit_id = u.id and s.role = 'social_worker' and s.active order by created_at limit 1)
      where province = ${DEMO_PROVINCE.code} and on_call_worker_id is null`;
  });
}
