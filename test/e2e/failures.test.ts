// When an activity fails (issue 11): data the database refuses fails a staff action at once and
// leaves the case as it was, in PostgreSQL and in the workflow; anything else is retried, the caller
// is answered 503 instead of waiting forever, and the activity is listed at GET /stuck until it heals.
// PostgreSQL is made to refuse with a trigger on the one case under test, as it would refuse bad data
// or fail while a disk fills.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { lonelyOlderMan } from '../support/intakes';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem({ actionTimeoutMs: 2_000 });
});

afterAll(async () => {
  await system?.close();
});

const as = async (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: await system.login(who), body });
const notes = async (id: string) =>
  ((await as('worker1', 'GET', `/cases/${id}/timeline`)).body.items as Array<{ kind: string; data: { text?: string } }>).filter((e) => e.kind === 'case.note');

/** Until `stop()`, PostgreSQL refuses notes on this case with SQLSTATE `errcode`. */
async function refuseNotes(caseId: string, errcode: string) {
  const name = `refuse_${errcode.toLowerCase()}_${caseId.slice(0, 8)}`;
  await system.sql.unsafe(`
    create function ${name}() returns trigger language plpgsql as $$
    begin
      if new.case_id = '${caseId}' and new.kind = 'case.note' then
        raise exception 'refused for the test' using errcode = '${errcode}';
      end if;
      return new;
    end $$;
    create trigger ${name} before insert on case_events for each row execute function ${name}();`);
  return { stop: () => system.sql.unsafe(`drop function ${name}() cascade`) };
}

describe('an activity that fails', () => {
  it('answers 422 record_refused at once when the database refuses the data, and keeps the case as it was', async () => {
    const id = (await as('worker1', 'POST', '/cases', lonelyOlderMan())).body.id;
    const refusal = await refuseNotes(id, '22023');
    const started = Date.now();
    const res = await as('worker1', 'POST', `/cases/${id}/notes`, { text: 'Gọi lại lúc 9 giờ' });
    expect([res.status, res.body.error.code]).toEqual([422, 'record_refused']);
    expect(Date.now() - started).toBeLessThan(2_000);
    await refusal.stop();
    expect(await notes(id)).toEqual([]);
    // The workflow kept no half of it: the next note is the first, with the next number.
    expect((await as('worker1', 'POST', `/cases/${id}/notes`, { text: 'Đã gọi' })).status).toBe(200);
    expect((await notes(id)).map((n) => n.data.text)).toEqual(['Đã gọi']);
    expect((await as('manager1', 'GET', '/stuck')).body.items.filter((s: { caseId: string }) => s.caseId === id)).toEqual([]);
  });

  it('answers 503 action_delayed instead of waiting, lists the activity at /stuck, and finishes it when the database heals', async () => {
    const id = (await as('worker1', 'POST', '/cases', lonelyOlderMan())).body.id;
    const outage = await refuseNotes(id, '53100'); // disk_full: nothing wrong with the data
    const res = await as('worker1', 'POST', `/cases/${id}/notes`, { text: 'Thăm nhà chiều nay' });
    expect([res.status, res.body.error.code]).toEqual([503, 'action_delayed']);

    const listed = await eventually(
      async () => (await as('manager1', 'GET', '/stuck')).body.items as Array<{ caseId: string; activity: string; attempts: number; lastError: string }>,
      (items) => items.some((s) => s.caseId === id),
      30_000,
    );
    expect(listed.find((s) => s.caseId === id)).toMatchObject({ activity: 'recordCaseEvent', lastError: expect.stringContaining('refused for the test') });
    expect(listed.find((s) => s.caseId === id)!.attempts).toBeGreaterThanOrEqual(5);
    expect((await as('worker1', 'GET', '/stuck')).status).toBe(403);

    await outage.stop();
    const healed = await eventually(
      () => notes(id),
      (n) => n.length === 1,
      45_000,
    );
    expect(healed.map((n) => n.data.text)).toEqual(['Thăm nhà chiều nay']);
    const after = await eventually(
      async () => (await as('manager1', 'GET', '/stuck')).body.items as Array<{ caseId: string }>,
      (items) => !items.some((s) => s.caseId === id),
    );
    expect(after.some((s) => s.caseId === id)).toBe(false);
  });
});
