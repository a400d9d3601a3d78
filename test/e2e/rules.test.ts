// Managers change the routing rules safely: versioned drafts, validation with paths, simulation,
// backtest over past cases, publish with a safety catch for downgrades.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RulesetDocument } from '../../domain/ruleset';
import { loadDefaultRuleset } from '../../rules/default-ruleset';
import { abusedChild, intake, lonelyOlderMan } from '../support/intakes';
import { freshProvince } from '../support/province';
import { rulesCli } from '../support/rules-cli';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let manager: string;
let worker: string;
const shipped = (): RulesetDocument => structuredClone(loadDefaultRuleset().document);

beforeAll(async () => {
  system = await startTestSystem();
  const province = await freshProvince(system.sql);
  manager = await system.login(province.manager);
  worker = await system.login(province.worker);
});

afterAll(async () => {
  await system?.close();
});

const call = (method: string, path: string, body?: unknown, token = manager) => system.call(method, path, { token, body });

describe('reading and validating', () => {
  it('starts from the shipped ruleset as published version 1', async () => {
    const res = await call('GET', '/rules', undefined, worker);
    expect(res.status).toBe(200);
    expect(res.body.published).toMatchObject({ version: 1, author: 'system', document: shipped() });
  });

  it('names the JSON path of every problem', async () => {
    const doc = shipped() as any;
    doc.rules[3].conditions = { all: [{ fact: 'injury', operator: 'equals', value: true }] };
    doc.rules[4].conditions = { all: [{ fact: 'shoeSize', operator: 'equal', value: 40 }] };
    doc.rules[5].conditions = { all: [{ fact: 'categories', operator: 'contains', value: 'orphan' }] };
    doc.rules[6].conditions = {
      all: [
        { fact: 'age', operator: 'lessThan', value: 10 },
        { fact: 'age', operator: 'greaterThan', value: 60 },
      ],
    };
    doc.rules[7].name = doc.rules[8].name;
    doc.scoring.thresholds[1].minPoints = 500;
    const res = await call('POST', '/rules/validate', doc);
    expect(res.status).toBe(422);
    const problems = res.body.error.details.map((d: { path: string; message: string }) => `${d.path}: ${d.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\[3\]\.conditions\.all\[0\]\.operator: unknown operator "equals"/),
        expect.stringMatching(/^rules\[4\]\.conditions\.all\[0\]\.fact: unknown fact "shoeSize"/),
        expect.stringMatching(/^rules\[5\]\.conditions\.all\[0\]\.value: "orphan" is never a value of categories/),
        expect.stringMatching(/^rules\[6\]\.conditions\.all: this rule can never fire/),
        expect.stringMatching(/^rules\[8\]\.name: ".*" is also the name of rules\[7\]/),
        expect.stringMatching(/^scoring\.thresholds: critical \(70\) must need more points than high \(500\)/),
      ]),
    );
    expect((await call('POST', '/rules/validate', shipped())).status).toBe(200);
  });

  it('refuses hostile documents with a 4xx, stores nothing and leaves the published version alone', async () => {
    const before = await call('GET', '/rules');
    // Written out as text: JSON.stringify itself would overflow on it.
    const deep = `{"rules":[{"name":"deep","note":{"vi":"sâu","en":"deep"},"event":{"type":"risk","params":{"points":1}},"conditions":${'{"all":['.repeat(10_000)}{"fact":"injury","operator":"equal","value":true}${']}'.repeat(10_000)}}],"scoring":${JSON.stringify(shipped().scoring)}}`;
    const hostile: Array<[string, unknown, number]> = [
      ['10,000-deep nesting', deep, 422],
      ['10 MB', { rules: [], padding: 'x'.repeat(10 * 1024 * 1024) }, 413],
      ['malformed JSON', '{"rules": [', 400],
      ['wrong types', { rules: 'all of them', scoring: 5 }, 422],
    ];
    for (const [name, doc, status] of hostile) {
      const res = await call('POST', '/rules/drafts', doc);
      expect(res.status, name).toBe(status);
      expect(res.body.error.code, name).toEqual(expect.any(String));
      if (status === 422) expect(res.body.error.details.length, name).toBeGreaterThan(0);
    }
    expect((await call('POST', '/rules/validate', deep)).body.error.details[0]).toMatchObject({ path: '(document)', message: expect.stringMatching(/deeper/) });
    const after = await call('GET', '/rules');
    expect(after.body).toEqual(before.body);
  });
});

describe('changing the rules', () => {
  it('lets a manager change a threshold, see which past cases move, publish, and route new cases by it', async () => {
    const oldCase = (await call('POST', '/cases', lonelyOlderMan(), worker)).body;
    expect(oldCase.risk).toMatchObject({ path: 'standard', level: 'medium', score: 25, rulesetVersion: 1 });
    const child = (await call('POST', '/cases', abusedChild(), worker)).body;

    const doc = shipped();
    doc.scoring.thresholds.find((t) => t.level === 'high')!.minPoints = 25;
    const draft = await call('POST', '/rules/drafts', { document: doc, comment: 'Người cao tuổi neo đơn ở vùng xa: khẩn cấp' });
    expect(draft.status).toBe(201);
    const v = draft.body.version;
    expect(draft.body).toMatchObject({ status: 'draft', derivedFrom: 1 });

    expect((await call('POST', `/rules/drafts/${v}/publish`, { comment: 'too soon' })).body.error.code).toBe('backtest_required');

    const test = await call('POST', `/rules/drafts/${v}/backtest`, {});
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ cases: 2, changedPath: 1, upgrades: 1, downgrades: 0 });
    expect(test.body.changes).toEqual([
      expect.objectContaining({
        caseId: oldCase.id,
        from: expect.objectContaining({ path: 'standard', level: 'medium' }),
        to: { path: 'emergency', level: 'high', score: 25 },
      }),
    ]);
    expect(test.body.hitsPerRule).toMatchObject({ older_person_alone: 1, sexual_abuse: 1 });
    expect(test.body.neverFired).toContain('trafficking');
    const lastMonth = await call('POST', `/rules/drafts/${v}/backtest`, {
      from: new Date(Date.now() - 30 * 86400_000).toISOString(),
      to: new Date().toISOString(),
    });
    expect(lastMonth.body).toMatchObject({ cases: 2, changedPath: 1 });
    const future = await call('POST', `/rules/drafts/${v}/backtest`, { from: new Date(Date.now() + 86400_000).toISOString() });
    expect(future.body).toMatchObject({ cases: 0, changedPath: 0 });
    await call('POST', `/rules/drafts/${v}/backtest`, {});

    const diff = await call('GET', `/rules/diff?from=1&to=${v}`);
    expect(diff.body).toMatchObject({ added: [], removed: [], changed: [], scoring: [{ field: 'thresholds.high', from: 40, to: 25 }] });

    const published = await call('POST', `/rules/drafts/${v}/publish`, { comment: 'Thông qua tại cuộc họp giao ban' });
    expect(published.status).toBe(200);
    expect((await call('GET', '/rules')).body.published).toMatchObject({ version: v, comment: 'Thông qua tại cuộc họp giao ban' });
    expect((await call('GET', '/rules/versions/1')).body.status).toBe('retired');

    const newCase = (await call('POST', '/cases', lonelyOlderMan(), worker)).body;
    expect(newCase.risk).toMatchObject({ path: 'emergency', level: 'high', rulesetVersion: v });
    expect((await call('GET', `/cases/${oldCase.id}`, undefined, worker)).body.risk).toMatchObject({ path: 'standard', rulesetVersion: 1 });
    expect((await call('GET', `/cases/${child.id}`)).body.risk.rulesetVersion).toBe(1);
  });

  it('refuses to publish a draft that moves a past emergency case to the standard path unless confirmed', async () => {
    await call('POST', '/cases', abusedChild(), worker);
    const doc = shipped();
    for (const rule of doc.rules) delete rule.event.params.forcePath;
    doc.scoring.thresholds = [
      { level: 'critical', minPoints: 1000 },
      { level: 'high', minPoints: 900 },
      { level: 'medium', minPoints: 20 },
      { level: 'low', minPoints: 0 },
    ];
    const draft = await call('POST', '/rules/drafts', doc);
    expect(draft.status).toBe(201);
    const v = draft.body.version;
    const test = await call('POST', `/rules/drafts/${v}/backtest`, {});
    expect(test.body.downgrades).toBeGreaterThan(0);
    const before = (await call('GET', '/rules')).body.published.version;

    const refused = await call('POST', `/rules/drafts/${v}/publish`, { comment: 'everything standard' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('downgrades_unconfirmed');
    expect(refused.body.error.details[0].message).toMatch(/emergency → .*standard/);
    expect((await call('GET', '/rules')).body.published.version).toBe(before);

    const confirmed = await call('POST', `/rules/drafts/${v}/publish`, { comment: 'everything standard', confirmDowngrades: true });
    expect(confirmed.status).toBe(200);
    const [row] = await system.sql`select detail from audit_log where action = 'rules.publish' order by seq desc limit 1`;
    expect(row?.detail).toMatchObject({ version: v, confirmDowngrades: true });
  });

  it('asks for a new backtest after an edit, and never changes a published version', async () => {
    const draft = await call('POST', '/rules/drafts', shipped());
    const v = draft.body.version;
    await call('POST', `/rules/drafts/${v}/backtest`, {});
    const doc = shipped();
    doc.rules[0]!.event.params.points = 55;
    expect((await call('PUT', `/rules/drafts/${v}`, doc)).status).toBe(200);
    expect((await call('POST', `/rules/drafts/${v}/publish`, { comment: 'x' })).body.error.code).toBe('backtest_required');

    expect((await call('PUT', '/rules/drafts/1', shipped())).status).toBe(409);
    await expect(system.sql`update policy_versions set document = '{}' where version = 1 and kind = 'routing'`).rejects.toThrow(/never changes/);
  });

  it('keeps drafts and publishing to managers', async () => {
    expect((await call('POST', '/rules/drafts', shipped(), worker)).status).toBe(403);
    expect((await call('GET', '/rules', undefined, worker)).status).toBe(200);
  });
});

describe('simulation', () => {
  it('shows the draft and the published decision side by side, with the conditions that held', async () => {
    const doc = shipped();
    doc.rules.find((r) => r.name === 'remote_area')!.event.params.points = 30;
    const res = await call('POST', '/rules/simulate', { document: doc, intakes: [lonelyOlderMan(), intake()] });
    expect(res.status).toBe(200);
    const [older, plain] = res.body.results;
    expect(older.changed).toBe(true);
    expect(older.candidate.decision.score - older.published.decision.score).toBe(20);
    const remote = older.candidate.rules.find((r: { rule: string }) => r.rule === 'remote_area');
    expect(remote).toMatchObject({ fired: true, conditions: { all: [{ fact: 'remote', factResult: true, result: true }] } });
    expect(plain.changed).toBe(false);
  });
});

describe('npm run rules', () => {
  const cli = (...args: string[]) => rulesCli(system.url, manager, ...args);

  it('validates, backtests and publishes a ruleset file with readable output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-cli-'));
    const file = join(dir, 'risk-routing.json');
    const { published } = (await call('GET', '/rules')).body;
    const doc = structuredClone(published.document) as RulesetDocument;
    doc.rules.find((r) => r.name === 'injury')!.event.params.points = 30;
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const intakes = join(dir, 'intakes.json');
    writeFileSync(intakes, JSON.stringify(intake({ concerns: { injury: true } })));

    const valid = await cli('validate', file);
    expect(valid.status, valid.stderr).toBe(0);
    expect(valid.stdout).toMatch(/valid: \d+ rules/);

    const simulated = await cli('simulate', file, intakes);
    expect(simulated.stdout).toMatch(/intake 1: .*standard\/medium \(20.*→ file .*standard\/medium \(30/);

    const tested = await cli('backtest', file);
    expect(tested.status, tested.stderr).toBe(0);
    expect(tested.stdout).toContain('~ injury (points)');
    expect(tested.stdout).toMatch(/backtest of version \d+ over \d+ case/);

    const refused = await cli('publish', file);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--comment');

    const done = await cli('publish', file, '--comment', 'Thương tích: 30 điểm', '--confirm-downgrades');
    expect(done.status, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/published version (\d+)/);
    expect((await call('GET', '/rules')).body.published.comment).toBe('Thương tích: 30 điểm');

    writeFileSync(file, '{"rules": [{"name": "Bad Name"}], "scoring": {}}');
    const invalid = await cli('validate', file);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toMatch(/invalid_ruleset[\s\S]*rules\[0\]\.name/);
  });
});
