// Who may call what: every endpoint × every role, plus no token, an expired and a tampered one;
// case scope by unit, restriction and province; what a collaborator sees.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSessionToken } from '../../security/session-tokens';
import { staffId } from '../support/cases';
import { abusedChild, intake, lonelyOlderMan } from '../support/intakes';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
const tokens: Record<string, string | undefined> = {};
const ids: Record<string, string> = {};

const ROLES = ['worker1', 'supervisor1', 'manager1', 'admin1', 'collaborator1', 'hotline', 'none', 'expired', 'tampered'] as const;
type Who = (typeof ROLES)[number];

const haLong = () => intake({ client: { location: { province: 'Quảng Ninh', commune: 'Cẩm Phả' } } });

beforeAll(async () => {
  system = await startTestSystem();
  for (const user of ['worker1', 'supervisor1', 'manager1', 'admin1', 'collaborator1', 'worker2', 'supervisor2']) {
    tokens[user] = await system.login(user);
  }
  const issued = await system.call('POST', '/tokens', { token: tokens.admin1, body: { name: 'Tổng đài 111', role: 'social_worker' } });
  tokens.hotline = issued.body.token;
  ids.revocable = issued.body.id;
  const expired = await issueSessionToken(await staffId(system.sql, 'manager1'), system.deps.authSecret, 1, new Date(Date.now() - 2 * 3600_000));
  tokens.expired = expired.token;
  const good = tokens.manager1!;
  tokens.tampered = `${good.slice(0, -3)}${good.slice(-3) === 'AAA' ? 'BBB' : 'AAA'}`;

  ids.case = (await system.call('POST', '/cases', { token: tokens.worker1, body: haLong() })).body.id;
  ids.staff = await staffId(system.sql, 'worker2');
  ids.unit = (await system.sql`select id from units where name = 'Bình Liêu'`)[0]!.id;
});

afterAll(async () => {
  await system?.close();
});

type Row = [string, string, () => unknown, Partial<Record<Who, number>>];
const staffOnly = { none: 401, expired: 401, tampered: 401 };
const everyone = (status: number) => ({ worker1: status, supervisor1: status, manager1: status, admin1: status, collaborator1: status, hotline: status });

// The expected status for each caller; a missing caller means 403 (the role may not use it).
const MATRIX: Row[] = [
  ['GET', '/health', () => undefined, { ...everyone(200), none: 200, expired: 200, tampered: 200 }],
  ['GET', '/live', () => undefined, { ...everyone(200), none: 200, expired: 200, tampered: 200 }],
  ['GET', '/ready', () => undefined, { ...everyone(200), none: 200, expired: 200, tampered: 200 }],
  ['GET', '/openapi.json', () => undefined, { ...everyone(200), none: 200, expired: 200, tampered: 200 }],
  ['GET', '/cases', () => undefined, { ...everyone(200), ...staffOnly }],
  ['POST', '/cases', () => lonelyOlderMan(), { ...everyone(201), ...staffOnly }],
  // The hotline token has no unit: like a collaborator, it does not see cases it did not report.
  ['GET', '/cases/{case}', () => undefined, { ...everyone(200), collaborator1: 404, hotline: 404, ...staffOnly }],
  ['POST', '/cases/{case}/restriction', () => ({ restricted: false, reason: 'checked' }), { supervisor1: 200, manager1: 200, ...staffOnly }],
  ['POST', '/cases/{fresh}/erase', () => ({ reason: 'client asked' }), { manager1: 200, ...staffOnly }],
  ['GET', '/staff', () => undefined, { supervisor1: 200, manager1: 200, admin1: 200, ...staffOnly }],
  [
    'POST',
    '/staff',
    () => ({ username: `staff.${randomUUID().slice(0, 8)}`, displayName: 'Mới', role: 'social_worker', password: 'a-long-password' }),
    { admin1: 201, ...staffOnly },
  ],
  ['PATCH', '/staff/{staff}', () => ({ displayName: 'Nhân viên CTXH Bình Liêu' }), { admin1: 200, ...staffOnly }],
  ['GET', '/units', () => undefined, { supervisor1: 200, manager1: 200, admin1: 200, ...staffOnly }],
  ['POST', '/units', () => ({ name: `Đơn vị ${randomUUID().slice(0, 8)}`, areas: [] }), { admin1: 201, ...staffOnly }],
  ['PATCH', '/units/{unit}', () => ({ areas: ['Bình Liêu', 'Ba Chẽ', 'Tiên Yên', 'Đầm Hà', 'Hải Hà', 'Móng Cái'] }), { admin1: 200, ...staffOnly }],
  ['POST', '/tokens', () => ({ name: 'Hệ thống thử', role: 'collaborator' }), { admin1: 201, ...staffOnly }],
  ['DELETE', '/tokens/{token}', () => undefined, { admin1: 200, ...staffOnly }],
  ['GET', '/audit', () => undefined, { manager1: 200, ...staffOnly }],
  ['GET', '/stuck', () => undefined, { manager1: 200, admin1: 200, ...staffOnly }],
];

describe.each(MATRIX)('%s %s', (method, template, body, expected) => {
  it.each(ROLES)('as %s', async (who) => {
    let path = template.replace('{case}', ids.case!).replace('{staff}', ids.staff!).replace('{unit}', ids.unit!);
    if (path.includes('{fresh}')) {
      path = path.replace('{fresh}', (await system.call('POST', '/cases', { token: tokens.worker1, body: haLong() })).body.id);
    }
    if (path.includes('{token}')) {
      path = path.replace('{token}', (await system.call('POST', '/tokens', { token: tokens.admin1, body: { name: 'x', role: 'collaborator' } })).body.id);
    }
    const res = await system.call(method, path, { token: tokens[who], body: body() });
    expect(res.status, JSON.stringify(res.body)).toBe(expected[who] ?? 403);
    if (res.status >= 400) expect(res.body.error.code).toEqual(expect.any(String));
  });
});

describe('tokens', () => {
  it('tells an expired session from a forged one', async () => {
    expect((await system.call('GET', '/cases', { token: tokens.expired })).body.error.code).toBe('token_expired');
    expect((await system.call('GET', '/cases', { token: tokens.tampered })).body.error.code).toBe('unauthenticated');
  });

  it('stops a revoked API token and a disabled account at once', async () => {
    const issued = await system.call('POST', '/tokens', { token: tokens.admin1, body: { name: 'Tạm', role: 'collaborator' } });
    expect((await system.call('GET', '/cases', { token: issued.body.token })).status).toBe(200);
    await system.call('DELETE', `/tokens/${issued.body.id}`, { token: tokens.admin1 });
    expect((await system.call('GET', '/cases', { token: issued.body.token })).status).toBe(401);

    const username = `leaver.${randomUUID().slice(0, 8)}`;
    const created = await system.call('POST', '/staff', {
      token: tokens.admin1,
      body: { username, displayName: 'Sắp nghỉ', role: 'social_worker', password: 'a-long-password' },
    });
    const session = await system.login(username, 'a-long-password');
    expect((await system.call('GET', '/cases', { token: session })).status).toBe(200);
    await system.call('PATCH', `/staff/${created.body.id}`, { token: tokens.admin1, body: { active: false } });
    expect((await system.call('GET', '/cases', { token: session })).status).toBe(401);
  });

  it('keeps only a hash of an API token', async () => {
    const issued = await system.call('POST', '/tokens', { token: tokens.admin1, body: { name: 'Băm', role: 'collaborator' } });
    const rows = await system.sql`select token_hash from api_tokens where id = ${issued.body.id}`;
    expect(rows[0]?.token_hash).not.toContain(issued.body.token);
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('case scope', () => {
  it('shows a Hạ Long case to worker1, supervisor1 and manager1, and not to worker2 or supervisor2 (404)', async () => {
    const expected = { worker1: 200, supervisor1: 200, manager1: 200, worker2: 404, supervisor2: 404 };
    for (const [who, status] of Object.entries(expected)) {
      const res = await system.call('GET', `/cases/${ids.case}`, { token: tokens[who] });
      expect(res.status, who).toBe(status);
      if (status === 404) expect(res.body.error.code).toBe('not_found');
    }
    const list = await system.call('GET', '/cases?limit=100', { token: tokens.worker2 });
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(ids.case);
  });

  it('restricts the sexual abuse of a child to its worker, the unit supervisor and managers', async () => {
    const created = await system.call('POST', '/cases', { token: tokens.collaborator1, body: abusedChild() });
    const id = created.body.id;
    const [row] = await system.sql`select restricted, assigned_worker_id from cases where id = ${id}`;
    expect(row).toMatchObject({ restricted: true, assigned_worker_id: await staffId(system.sql, 'worker1') });
    const expected = { worker1: 200, supervisor1: 200, manager1: 200, admin1: 404, worker2: 404, supervisor2: 404 };
    for (const [who, status] of Object.entries(expected)) {
      expect((await system.call('GET', `/cases/${id}`, { token: tokens[who] })).status, who).toBe(status);
    }
  });

  it('shows a collaborator only the status of the cases they reported', async () => {
    const created = await system.call('POST', '/cases', { token: tokens.collaborator1, body: lonelyOlderMan() });
    expect(Object.keys(created.body).sort()).toEqual(['createdAt', 'id', 'ref', 'stage', 'updatedAt']);
    const read = await system.call('GET', `/cases/${created.body.id}`, { token: tokens.collaborator1 });
    expect(read.body).toEqual(created.body);
    const list = await system.call('GET', '/cases?limit=100', { token: tokens.collaborator1 });
    expect(list.body.items.every((c: object) => !('intake' in c))).toBe(true);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(ids.case);
  });

  it('keeps each province apart', async () => {
    await system.sql`insert into provinces (code, name) values ('bac-lieu', 'Bạc Liêu') on conflict do nothing`;
    const username = `manager.bl.${randomUUID().slice(0, 6)}`;
    await system.sql`
      insert into staff (id, province, username, display_name, role, password_hash)
      select ${randomUUID()}, 'bac-lieu', ${username}, 'Giám đốc Bạc Liêu', 'manager', password_hash from staff where username = 'manager1'`;
    const other = await system.login(username);
    expect((await system.call('GET', `/cases/${ids.case}`, { token: other })).status).toBe(404);
    expect((await system.call('GET', '/cases?limit=100', { token: other })).body.items).toEqual([]);
    expect((await system.call('GET', '/staff', { token: other })).body.items.map((s: { username: string }) => s.username)).toEqual([username]);
  });
});

describe('assignment at intake', () => {
  it('assigns by commune, else to the default unit, and emergencies to the on-call worker', async () => {
    const binhLieu = await system.call('POST', '/cases', {
      token: tokens.worker1,
      body: intake({ client: { location: { province: 'Quảng Ninh', commune: 'Xã Tiên Yên' } } }),
    });
    expect(binhLieu.body).toMatchObject({ unit: { name: 'Bình Liêu' }, assignedWorker: { id: await staffId(system.sql, 'worker2') } });
    const elsewhere = await system.call('POST', '/cases', {
      token: tokens.worker1,
      body: intake({ client: { location: { province: 'Quảng Ninh', commune: 'Nơi chưa có đơn vị' } } }),
    });
    expect(elsewhere.body.unit.name).toBe('Hạ Long');
  });

  it('takes turns among the social workers of a unit', async () => {
    const unit = (await system.sql`select id from units where name = 'Bình Liêu'`)[0]!.id;
    await system.call('POST', '/staff', {
      token: tokens.admin1,
      body: {
        username: `worker.bl.${randomUUID().slice(0, 6)}`,
        displayName: 'Nhân viên thứ hai',
        role: 'social_worker',
        unitId: unit,
        password: 'a-long-password',
      },
    });
    const assignees = new Set<string>();
    for (let n = 0; n < 4; n++) {
      const res = await system.call('POST', '/cases', {
        token: tokens.worker1,
        body: intake({ client: { location: { province: 'Quảng Ninh', district: 'Móng Cái' } } }),
      });
      assignees.add(res.body.assignedWorker.id);
    }
    expect(assignees.size).toBeGreaterThanOrEqual(2);
  });
});
