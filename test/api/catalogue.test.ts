// The catalogues and what derives from them: every staff action has its route and OpenAPI entry
// with the catalogue's method, roles and body; every error code is documented; the README's
// table is the catalogue's; and the workflow bundle carries no zod or Hono.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ACTION_NAMES, ACTIONS } from '../../domain/actions';
import { ERROR_CODES } from '../../domain/errors';
import { README_PATH, readmeWithActionTable } from '../../system/action-table';
import { inProcessApi, type InProcessApi } from '../support/app';

let api: InProcessApi;
let doc: any;

beforeAll(async () => {
  api = inProcessApi();
  doc = (await api.call('GET', '/openapi.json')).body;
});

afterAll(async () => {
  await api?.close();
});

describe('the OpenAPI document', () => {
  it.each(ACTION_NAMES)('documents the action %s as the catalogue states it', (name) => {
    const spec = ACTIONS[name];
    const operation = doc.paths[spec.path]?.[spec.method];
    expect(operation, `${spec.method} ${spec.path}`).toBeDefined();
    expect(operation.summary).toBe(spec.summary.en);
    for (const role of spec.roles) expect(operation.description).toContain(role);
    const body = operation.requestBody.content['application/json'].schema;
    const schema = body.$ref ? doc.components.schemas[body.$ref.split('/').at(-1)] : body;
    // A body whose fields depend on one of them (a completion carries its outcome) is a oneOf.
    const variants: Array<{ properties: object }> = schema.oneOf ?? [schema];
    expect([...new Set(variants.flatMap((v) => Object.keys(v.properties)))].sort()).toEqual(Object.keys(spec.fields).sort());
    // An action that creates a referral or a placement answers 201 with it; every other answers 200.
    const answers = 'answers' in spec ? spec.answers : undefined;
    const success = answers === 'new_referral' || answers === 'new_placement' ? '201' : '200';
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining([success, '403', '404', '409', '422']));
    const answer = operation.responses[success].content['application/json'].schema.$ref;
    const about = answers?.replace('new_', '');
    expect(answer).toBe(about ? `#/components/schemas/${about[0]!.toUpperCase()}${about.slice(1)}` : '#/components/schemas/CaseView');
  });

  it('lists every error code, and only those', () => {
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual(ERROR_CODES);
  });

  it('keeps the intake contract and the service endpoints', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/cases', '/cases/{id}', '/health']));
    expect(doc.components.schemas.Intake.properties.categories.items.enum).toContain('trafficking_victim');
  });
});

describe('what derives from the catalogue', () => {
  it('has the README action table the catalogue renders (npm run docs:actions)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readme).toBe(readmeWithActionTable(readme));
  });

  it('keeps zod, Hono and Node built-ins out of the workflow bundle', () => {
    const bundle = readFileSync(inject('workflowBundlePath'), 'utf8');
    expect(bundle).toContain('domain/actions.ts');
    expect(bundle).not.toMatch(/node_modules\/(zod|hono|@hono)\//);
    expect(bundle).not.toMatch(/require\(["'](node:)?(fs|net|crypto|child_process)["']\)/);
  });
});
