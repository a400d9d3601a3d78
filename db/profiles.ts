// A staff member's own profile: contacts, language and channel choice (domain/profile.ts).
import type { Me, MePatch } from '../domain/profile';
import { jsonb, type Sql } from './connect';

interface Row {
  id: string;
  username: string;
  display_name: string;
  role: Me['role'];
  province: string;
  email: string | null;
  phone: string | null;
  language: Me['language'];
  channels: Me['channels'];
}

const toMe = (r: Row): Me => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  province: r.province,
  email: r.email,
  phone: r.phone,
  language: r.language,
  channels: r.channels,
});

export async function findProfile(sql: Sql, id: string): Promise<Me | undefined> {
  const [row] = await sql<Row[]>`select id, username, display_name, role, province, email, phone, language, channels from staff where id = ${id}`;
  return row && toMe(row);
}

/** Changes the fields sent; `null` clears a contact. */
export async function updateProfile(sql: Sql, id: string, p: MePatch): Promise<Me | undefined> {
  const [row] = await sql<Row[]>`
    update staff set
      display_name = ${p.displayName === undefined ? sql`display_name` : p.displayName},
      email = ${p.email === undefined ? sql`email` : p.email},
      phone = ${p.phone === undefined ? sql`phone` : p.phone},
      language = ${p.language === undefined ? sql`language` : p.language},
      channels = ${p.channels === undefined ? sql`channels` : jsonb(sql, p.channels)},
      updated_at = now()
    where id = ${id}
    returning id, username, display_name, role, province, email, phone, language, channels`;
  return row && toMe(row);
}
