// A centre's past register brought in through POST /imports (issue 15), against the Temporal dev
// server and PostgreSQL: the README's sample with good and bad rows, a second run that changes
// nothing, a changed row reported and not overwritten, imported open cases that escalate when their
// deadlines pass, and a new report about an imported client flagged as a repeat.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { intake } from '../support/intakes';
import { secondsPolicy } from '../support/policies';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};
const sample = readFileSync(new URL('../../docs/register-sample.csv', import.meta.url), 'utf8');

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'worker', 'admin'] as const) tokens[who] = await system.login(province[who]);
});

afterAll(async () => {
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const importCsv = (who: string, csv: string) =>
  system.call('POST', '/imports', { token: tokens[who], body: csv, headers: { 'content-type': 'text/csv; charset=utf-8' } });

describe('a past register', () => {
  it('imports its good rows, explains the rejected ones, and a second run changes nothing', async () => {
    // Imported open cases get deadlines of seconds here, so their ladder climbs while the test watches.
    const policy = secondsPolicy('assessment', { due: 'PT2S', supervisorGrace: 'PT1S', managerGrace: 'PT2S' });
    const draft = await call('manager', 'POST', '/policies/deadlines/drafts', { document: policy, comment: 'Nhập sổ: thời hạn theo giây' });
    expect((await call('manager', 'POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { comment: 'Thử' })).status).toBe(200);

    expect((await importCsv('worker', sample)).status).toBe(403);
    const first = await importCsv('admin', sample);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 3, unchanged: 0, ignoredColumns: ['Ghi chú nội bộ'] });
    expect(first.body.rejected.map((p: { row: number; column: string }) => `${p.row}:${p.column}`)).toEqual([
      '5:Kênh',
      '6:Năm sinh',
      '6:Ngày kết thúc',
      '7:Số hồ sơ',
    ]);

    const again = await importCsv('admin', sample);
    expect(again.body).toMatchObject({ accepted: 0, unchanged: 3 });
    const changed = await importCsv('admin', sample.replace('Cụ sống một mình', 'Cụ sống một mình; đã có người chăm'));
    expect(changed.body.unchanged).toBe(2);
    expect(changed.body.rejected).toContainEqual({ row: 3, column: 'Số hồ sơ', message: expect.stringContaining('not overwritten') });

    const cases = (await call('manager', 'GET', '/cases?limit=10')).body.items as Array<Record<string, any>>;
    const byName = Object.fromEntries(cases.map((c) => [c.intake.client.fullName, c]));
    const closed = byName['Phạm Thị Lan']!;
    expect(closed).toMatchObject({
      stage: 'closed',
      ref: `${province.code.toUpperCase()}-2019-000001`,
      risk: { level: 'high', path: 'emergency', rulesetVersion: 0 },
    });
    expect(closed.risk.reasons[0].rule).toBe('imported_from_register');
    const timeline = (await call('manager', 'GET', `/cases/${closed.id}/timeline`)).body.items.map((e: { kind: string; at: string }) => [
      e.kind,
      e.at.slice(0, 10),
    ]);
    expect(timeline).toEqual([
      ['case.imported', '2019-03-03'],
      ['case.closed_in_register', '2019-09-29'],
    ]);
    // Its reason, written as the product words it, counts as that reason in the reports.
    const closures = await call('manager', 'GET', '/reports/closures?from=2019-01-01&to=2019-12-31');
    expect(closures.body.rows).toEqual([expect.objectContaining({ reason: 'family_care', goalsMet: expect.objectContaining({ unknown: 1 }), total: 1 })]);
    expect(byName['Nguyễn Văn Bình']).toMatchObject({ stage: 'implementation', deadline: { step: 'review' }, risk: { level: 'medium', rulesetVersion: 0 } });
    const open = byName['Lò Thị Mai']!;
    expect(open).toMatchObject({ stage: 'assessment', deadline: { step: 'assessment' } });

    // An imported open case is a case like any other: its deadline passes, the ladder climbs.
    const escalations = await eventually(
      async () => (await call('manager', 'GET', `/escalations?caseId=${open.id}`)).body.items,
      (items: Array<{ level: string }>) => items.length === 2,
      20_000,
    );
    expect(escalations.map((e: { level: string }) => e.level).sort()).toEqual(['manager', 'supervisor']);

    // A new report about an imported client is flagged as a repeat.
    const repeat = await call('worker', 'POST', '/cases', {
      ...intake({ client: { fullName: 'Lò Thị Mai', birthYear: 2012, gender: 'female', location: { province: 'Quảng Ninh', commune: 'Vân Đồn' } } }),
      categories: ['child_special_circumstances'],
    });
    expect(repeat.status).toBe(201);
    expect(repeat.body).toMatchObject({ possibleRepeat: true, possibleRepeatOf: open.id, clientId: open.clientId });
  }, 60_000);
});
