// The console's rules editor and `npm run rules` give the same answers for the same document: the
// same problems at the same paths, the same decisions for the same intakes, the same backtest. Both
// are clients of the same /rules routes; this holds them to it. A province of its own keeps the
// drafts they make away from other tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RulesetDocument } from '../../domain/ruleset';
import { abusedChild, intake, lonelyOlderMan } from '../support/intakes';
import { secondsPolicy } from '../support/policies';
import { consoleSession } from '../support/console-session';
import { freshProvince, type TestProvince } from '../support/province';
import { rulesCli } from '../support/rules-cli';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
let token: string;
let cookie: string;
let csrf: string;
const dir = mkdtempSync(join(tmpdir(), 'rules-editor-'));

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  token = await system.login(province.manager);
  const worker = await system.login(province.worker);
  for (const report of [abusedChild(), lonelyOlderMan(), intake({ concerns: { injury: true } })]) {
    expect((await system.call('POST', '/cases', { token: worker, body: report })).status).toBe(201);
  }
  ({ csrf, cookie } = await consoleSession(system.url, province.manager));
});

afterAll(async () => {
  await system?.close();
});

const cli = (...args: string[]) => rulesCli(system.url, token, ...args);

/** Presses a button of the editor with this document (and samples) typed in; answers the page. */
async function editor(action: string, document: unknown, samples: unknown[] = []): Promise<string> {
  const res = await fetch(`${system.url}/app/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ csrf, do: action, document: JSON.stringify(document), samples: JSON.stringify(samples), comment: 'so sánh' }),
  });
  return await res.text();
}

async function publishedDocument(): Promise<RulesetDocument> {
  return (await system.call('GET', '/rules', { token })).body.published.document;
}

function file(name: string, content: unknown) {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('the rules editor and npm run rules', () => {
  it('find the same problems at the same paths', async () => {
    const broken = structuredClone(await publishedDocument()) as unknown as { rules: Array<Record<string, unknown>> };
    broken.rules[0]!.event = { type: 'risk', params: { points: 'many' } };
    (broken.rules[1]!.conditions as { all?: Array<Record<string, unknown>>; any?: Array<Record<string, unknown>> }) = {
      all: [{ fact: 'age', operator: 'sortOf', value: 3 }],
    };
    const fromCli = await cli('validate', file('broken.json', broken));
    expect(fromCli.status).toBe(1);
    const cliPaths = [...fromCli.stderr.matchAll(/^ {2}(\S+): /gm)].map((m) => m[1]).sort();
    const page = await editor('validate', broken);
    const editorPaths = [...page.matchAll(/<li>([^:<]+): /g)].map((m) => m[1]!.trim()).sort();
    expect(cliPaths.length).toBeGreaterThan(0);
    expect(editorPaths).toEqual(cliPaths);
  });

  it('decide the same for the same intakes, and backtest the same', async () => {
    const changed = await publishedDocument();
    changed.rules.find((r) => r.name === 'injury')!.event.params.points = 30;
    const samples = [intake({ concerns: { injury: true } }), lonelyOlderMan()];
    const simulated = await cli('simulate', file('changed.json', changed), file('samples.json', samples));
    expect(simulated.status, simulated.stderr).toBe(0);
    const fromCli = [...simulated.stdout.matchAll(/published v\d+ (\w+)\/(\w+) \((\d+).*→ file (\w+)\/(\w+) \((\d+)/g)].map(
      (m) => `${m[1]}/${m[2]}/${m[3]} → ${m[4]}/${m[5]}/${m[6]}`,
    );
    const page = await editor('simulate', changed, samples);
    const fromEditor = [...page.matchAll(/data-published="([^"]+)" data-draft="([^"]+)"/g)].map((m) => `${m[1]} → ${m[2]}`);
    expect(fromCli).toHaveLength(2);
    expect(fromEditor).toEqual(fromCli);

    const tested = await cli('backtest', file('changed.json', changed));
    expect(tested.status, tested.stderr).toBe(0);
    const [, cases, changedPath, upgrades, downgrades, changedLevel] =
      /over (\d+) case\(s\): (\d+) change path \((\d+) to emergency, (\d+) to standard\), (\d+) change level/.exec(tested.stdout)!;
    const backtest = /data-backtest="([^"]+)"/.exec(await editor('backtest', changed))![1];
    expect(backtest).toBe([cases, changedPath, upgrades, downgrades, changedLevel].join('/'));
    expect(Number(cases)).toBeGreaterThanOrEqual(3);
  });

  it('shows, before publishing, the open cases a deadline policy would make overdue at once', async () => {
    const open = (await system.call('GET', '/cases?stage=assessment&limit=100', { token })).body.items as Array<{ id: string }>;
    expect(open.length).toBeGreaterThan(0);
    const strict = secondsPolicy('assessment', { due: 'PT1S', supervisorGrace: 'PT1S', managerGrace: 'PT1S' });
    const res = await fetch(`${system.url}/app/policies/deadlines`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ csrf, do: 'overdue', document: JSON.stringify(strict), comment: 'Rà soát gấp' }),
    });
    const page = await res.text();
    for (const c of open) expect(page).toContain(`/app/cases/${c.id}`);
    // Nothing was published: the cases keep their deadlines until a manager publishes it.
    expect((await system.call('GET', '/policies/deadlines', { token })).body.published.version).toBe(1);
  });
});
