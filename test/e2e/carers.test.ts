// The carers register (issue 28, first step) over HTTP on the real stack: managers register foster
// families and shelters, everyone of the province finds one with room (by kind, by commune however
// written, available now), a full, expired or deactivated carer is not available, and a carer's
// page lists its current placements only to those who may see their case. Placements are written
// here as the case's workflow will write them (the next step), to hold the register's reads to them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'supervisor', 'worker', 'admin'] as const) tokens[who] = await system.login(province[who]);
});

afterAll(async () => {
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const yesterday = () => new Date(Date.now() + 7 * 3600_000 - 86_400_000).toISOString().slice(0, 10);

const family = {
  kind: 'foster_family',
  name: 'Gia đình bà Nguyễn Thị Lan',
  commune: 'Hoành Bồ',
  capacity: 2,
  contact: { phone: '0912 000 111' },
  approvedUntil: '2099-12-31',
  trainedOn: '2025-06-01',
};

/** A current placement of a case with a carer, as the case's workflow writes it. */
async function place(caseId: string, carerId: string, kind = 'foster_care') {
  await system.sql`
    insert into placements (id, case_id, province, carer_id, kind, status, starts_at)
    values (${randomUUID()}, ${caseId}, ${province.code}, ${carerId}, ${kind}, 'active', now())`;
}

describe('the carers register', () => {
  it('is kept by managers and read by everyone of the province, with free places', async () => {
    const created = await call('manager', 'POST', '/carers', family);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...family, province: province.code, active: true, placesTaken: 0, available: true, notes: null });
    const shelter = await call('admin', 'POST', '/carers', { kind: 'shelter', name: 'Nhà tạm lánh Hạ Long', commune: 'Hạ Long', capacity: 10, contact: {} });
    expect(shelter.status).toBe(201);
    const expired = await call('manager', 'POST', '/carers', { ...family, name: 'Gia đình ông Trần Văn Hải', approvedUntil: yesterday() });
    expect(expired.body).toMatchObject({ available: false, placesTaken: 0 });

    const all = await call('worker', 'GET', '/carers');
    expect(all.status).toBe(200);
    expect(all.body.items.map((c: { name: string }) => c.name)).toEqual(['Gia đình bà Nguyễn Thị Lan', 'Gia đình ông Trần Văn Hải', 'Nhà tạm lánh Hạ Long']);
    const here = await call('worker', 'GET', `/carers?commune=${encodeURIComponent('Xã Hoành Bồ')}&available=true`);
    expect(here.body.items.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    expect((await call('worker', 'GET', '/carers?kind=shelter')).body.items.map((c: { id: string }) => c.id)).toEqual([shelter.body.id]);

    // Renewing the approval makes it available again; deactivating takes it out.
    const renewed = await call('manager', 'PATCH', `/carers/${expired.body.id}`, { approvedUntil: null });
    expect(renewed.body).toMatchObject({ approvedUntil: null, available: true });
    const off = await call('admin', 'PATCH', `/carers/${renewed.body.id}`, { active: false });
    expect(off.body).toMatchObject({ active: false, available: false });
  });

  it('counts current placements against capacity, and shows them only to those who may see their case', async () => {
    const carer = (await call('manager', 'POST', '/carers', { ...family, name: 'Gia đình chị Phạm Thu', capacity: 2 })).body;
    const child = await call('worker', 'POST', '/cases', abusedChild());
    const older = await call('worker', 'POST', '/cases', lonelyOlderMan());
    expect([child.status, older.status]).toEqual([201, 201]);
    await place(child.body.id, carer.id, 'temporary_separation');
    const one = (await call('worker', 'GET', `/carers/${carer.id}`)).body;
    expect(one).toMatchObject({ placesTaken: 1, available: true });
    await place(older.body.id, carer.id, 'kinship_care');
    const full = (await call('worker', 'GET', `/carers/${carer.id}`)).body;
    expect(full).toMatchObject({ placesTaken: 2, available: false });
    expect((await call('worker', 'GET', '/carers?available=true')).body.items.map((c: { id: string }) => c.id)).not.toContain(carer.id);
    expect(full.placements.map((p: { caseId: string }) => p.caseId).sort()).toEqual([child.body.id, older.body.id].sort());

    // The abused child's case is restricted: an administrator counts its place, but does not see it.
    const admin = (await call('admin', 'GET', `/carers/${carer.id}`)).body;
    expect(admin.placesTaken).toBe(2);
    expect(admin.placements.map((p: { caseId: string }) => p.caseId)).toEqual([older.body.id]);
    expect(JSON.stringify(admin)).not.toContain(child.body.id);

    // A case has one current placement at most: the database refuses a second.
    await expect(place(child.body.id, carer.id)).rejects.toMatchObject({ code: '23505' });
    await system.sql`update placements set status = 'ended', ended_at = now() where case_id = ${older.body.id}`;
    expect((await call('worker', 'GET', `/carers/${carer.id}`)).body).toMatchObject({ placesTaken: 1, available: true });
  });

  it('refuses bad input naming the field, other roles, and other provinces', async () => {
    for (const [body, path] of [
      [{ ...family, kind: 'orphanage' }, 'kind'],
      [{ ...family, capacity: 0 }, 'capacity'],
      [{ ...family, approvedUntil: '31/12/2026' }, 'approvedUntil'],
      [{ ...family, contact: { email: 'not an address' } }, 'contact.email'],
      [{ ...family, name: ' ' }, 'name'],
    ] as const) {
      const res = await call('manager', 'POST', '/carers', body);
      expect(res.status, path).toBe(422);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect((await call('worker', 'POST', '/carers', family)).status).toBe(403);
    expect((await call('supervisor', 'PATCH', `/carers/${randomUUID()}`, { active: false })).status).toBe(403);
    expect((await call('manager', 'PATCH', `/carers/${randomUUID()}`, { capacity: 3 })).status).toBe(404);
    expect((await call('manager', 'PATCH', `/carers/${randomUUID()}`, {})).status).toBe(422);
    const mine = (await call('manager', 'POST', '/carers', family)).body;
    const elsewhere = await system.login('manager1');
    expect((await system.call('GET', `/carers/${mine.id}`, { token: elsewhere })).status).toBe(404);
    expect((await system.call('GET', '/carers', { token: elsewhere })).body.items.map((c: { id: string }) => c.id)).not.toContain(mine.id);
  });
});
