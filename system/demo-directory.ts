// The demo directory of Quảng Ninh, seeded by `npm start` in development mode only. Every demo
// account has the password `demo`.
import type { Sql } from '../db/connect';
import { seedDirectory } from '../db/directory';
import type { Role } from '../domain/access';
import { hashPassword } from '../security/passwords';

export const DEMO_PROVINCE = { code: 'quang-ninh', name: 'Quảng Ninh', refPrefix: 'QN' };
export const DEMO_PASSWORD = 'demo';

export const UNITS = [
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
  await seedDirectory(sql, { province: DEMO_PROVINCE, units: UNITS, people: PEOPLE, passwordHash: await hashPassword(DEMO_PASSWORD) });
}
