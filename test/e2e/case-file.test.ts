// The case file (issue 31) over HTTP: a child's case taken from intake to closure, then every
// form it can print — the page and the PDF — and the whole file (PDF, ZIP with the JSON export),
// in the reader's scope, MẬT on a restricted case's pages, every print on the case's timeline.
import { randomUUID } from 'node:crypto';
import { unzipSync, strFromU8 } from 'fflate';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseFileExportSchema } from '../../domain/case-file';
import { RISK_LEVEL_LABELS } from '../../domain/labels';
import type { RiskLevel } from '../../domain/stages';
import { abusedChild, lonelyOlderMan } from '../support/intakes';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};
const NAME = 'Phạm Thị Hường';
let caseId = '';
let caseRef = '';
let referralId = '';

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
/** A print as bytes, with its content type. */
async function bytes(who: string, path: string): Promise<{ status: number; type: string; body: Uint8Array }> {
  const res = await fetch(`${system.url}${path}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: new Uint8Array(await res.arrayBuffer()) };
}
async function pdfPages(body: Uint8Array): Promise<string[]> {
  const { text } = await extractText(await getDocumentProxy(body.slice()), { mergePages: false });
  return text as string[];
}
const html = async (who: string, form: string) => {
  const res = await fetch(`${system.url}/cases/${caseId}/forms/${form}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  return await res.text();
};

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  // A worker of another unit of the same province, and a village collaborator.
  const [unit] = await system.sql<{ id: string }[]>`
    insert into units (id, province, name) values (${randomUUID()}, ${province.code}, 'Đơn vị khác') returning id`;
  for (const [username, role, unitId] of [
    [`elsewhere.${province.code}`, 'social_worker', unit!.id],
    [`collab.${province.code}`, 'collaborator', null],
  ] as const) {
    await system.sql`
      insert into staff (id, province, username, display_name, role, unit_id, password_hash)
      select ${randomUUID()}, ${province.code}, ${username}, ${username}, ${role}, ${unitId}, password_hash from staff where username = 'worker1'`;
  }
  for (const who of ['manager', 'manager2', 'supervisor', 'worker'] as const) tokens[who] = await system.login(province[who]);
  tokens.elsewhere = await system.login(`elsewhere.${province.code}`);
  tokens.collaborator = await system.login(`collab.${province.code}`);

  const intake = abusedChild();
  const created = await call('worker', 'POST', '/cases', { ...intake, client: { ...intake.client, fullName: NAME } });
  expect(created.status).toBe(201);
  caseId = created.body.id;
  caseRef = created.body.ref;
}, 120_000);

afterAll(async () => {
  await system?.close();
});

const ok = (res: { status: number; body: unknown }) => {
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body as Record<string, unknown>;
};

describe('the case file', () => {
  it('offers only the forms whose step has happened, and says which step the others wait for', async () => {
    const listed = ok(await call('worker', 'GET', `/cases/${caseId}/forms`));
    expect((listed.items as Array<{ form: string }>).map((f) => f.form)).toEqual(['intake', 'initial-risk']);
    expect(listed.file).toEqual({ href: `/cases/${caseId}/file` });

    const early = await call('worker', 'GET', `/cases/${caseId}/forms/plan`);
    expect([early.status, early.body.error.code]).toEqual([409, 'form_not_ready']);
    expect(early.body.error.details[0].message).toContain('plan');
    const unknown = await call('worker', 'GET', `/cases/${caseId}/forms/passport`);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'unknown_form']);
    expect(unknown.body.error.details[0]).toMatchObject({ path: 'form' });
    for (const name of ['intake', 'initial-risk', 'assessment', 'plan', 'review', 'closure']) expect(unknown.body.error.details[0].message).toContain(name);
    const badFormat = await call('worker', 'GET', `/cases/${caseId}/forms/intake?format=docx`);
    expect([badFormat.status, badFormat.body.error.details[0].path]).toEqual([422, 'format']);
    expect((await call('worker', 'GET', `/cases/${caseId}/file?format=tar`)).status).toBe(422);
  });

  it('prints every form of a case taken from intake to closure, with the facts entered', async () => {
    const partner = ok(
      await call('manager', 'POST', '/partners', {
        name: 'Bệnh viện Bãi Cháy',
        kind: 'health',
        services: ['khám sức khoẻ'],
        contact: { phone: '0203 3846 543' },
      }),
    );
    ok(await call('worker', 'POST', `/cases/${caseId}/safety-confirmed`, { actions: ['Đưa em về nhà bà ngoại'] }));
    ok(
      await call('worker', 'POST', `/cases/${caseId}/assessment`, {
        summary: 'Em an toàn ở nhà bà ngoại; cần hỗ trợ tâm lý',
        needs: ['Tư vấn tâm lý', 'Hỗ trợ học tập'],
        strengths: { family: 'Bà ngoại chăm sóc chu đáo' },
      }),
    );
    const referral = ok(
      await call('worker', 'POST', `/cases/${caseId}/referrals`, {
        partnerId: partner.id,
        service: 'khám sức khoẻ',
        reason: 'Khám sức khoẻ sau sự việc',
        consent: { givenBy: 'Bà ngoại (người giám hộ)', scope: ['client.age', 'categories'] },
      }),
    );
    referralId = referral.id as string;
    ok(
      await call('worker', 'POST', `/cases/${caseId}/plan`, {
        goals: ['Em được an toàn lâu dài'],
        interventions: [{ type: 'counselling', description: 'Tham vấn tâm lý hằng tuần' }],
      }),
    );
    ok(await call('manager', 'POST', `/cases/${caseId}/plan/decision`, { decision: 'approve', comment: 'Thông qua kế hoạch' }));
    ok(await call('worker', 'POST', `/cases/${caseId}/reviews`, { summary: 'Em đi học đều', progress: 'on_track' }));
    const link = new URL(referral.partnerUrl as string).pathname;
    ok(await system.call('POST', link, { body: { action: 'accept' }, headers: { accept: 'application/json' } }));
    ok(await system.call('POST', link, { body: { action: 'complete', outcome: 'Đã khám, sức khoẻ ổn định' }, headers: { accept: 'application/json' } }));
    ok(await call('worker', 'PATCH', `/cases/${caseId}/interventions/i1`, { status: 'done', outcome: 'Em ổn định' }));
    ok(await call('worker', 'POST', `/cases/${caseId}/notes`, { text: 'Bà ngoại gọi điện cảm ơn' }));
    ok(
      await call('worker', 'POST', `/cases/${caseId}/closure`, {
        reasonCode: 'goals_met',
        goalsMet: 'all',
        reason: 'Đạt mục tiêu',
        outcome: 'Em an toàn, đi học đều',
      }),
    );
    ok(await call('manager2', 'POST', `/cases/${caseId}/closure/decision`, { decision: 'approve', comment: 'Đồng ý kết thúc' }));

    const listed = ok(await call('worker', 'GET', `/cases/${caseId}/forms`));
    expect((listed.items as Array<{ form: string }>).map((f) => f.form)).toEqual([
      'intake',
      'initial-risk',
      'assessment',
      'plan',
      'review',
      'closure',
      `referral-${referralId}`,
    ]);

    const intake = await html('worker', 'intake');
    for (const fact of [caseRef, NAME, 'Cô giáo Lan', 'Phiếu tiếp nhận thông tin'.toUpperCase(), 'Trung tâm Công tác xã hội']) expect(intake).toContain(fact);
    const risk = await html('worker', 'initial-risk');
    const routed = (await call('worker', 'GET', `/cases/${caseId}/timeline`)).body.items[0];
    expect(routed.data.risk.reasons.length).toBeGreaterThan(0);
    for (const reason of routed.data.risk.reasons) expect(risk).toContain(reason.note.vi);
    expect(risk).toContain(RISK_LEVEL_LABELS[routed.data.risk.level as RiskLevel].vi);
    const assessment = await html('worker', 'assessment');
    for (const fact of ['Em an toàn ở nhà bà ngoại', 'Tư vấn tâm lý', 'Bà ngoại chăm sóc chu đáo', 'Đưa em về nhà bà ngoại'])
      expect(assessment).toContain(fact);
    const plan = await html('worker', 'plan');
    for (const fact of ['Em được an toàn lâu dài', 'Tham vấn tâm lý hằng tuần', 'Thông qua kế hoạch', province.manager, 'Chủ tịch UBND cấp xã'])
      expect(plan).toContain(fact);
    expect(await html('worker', 'review')).toContain('Em đi học đều');
    const closure = await html('worker', 'closure');
    for (const fact of ['Em an toàn, đi học đều', 'Đồng ý kết thúc', province.manager2, 'Đã đạt mục tiêu kế hoạch']) expect(closure).toContain(fact);
    // The footer: who printed it.
    expect(plan).toContain(`In bởi ${province.worker}`);
    // English on request.
    expect(await (await fetch(`${system.url}/cases/${caseId}/forms/plan?lang=en`, { headers: { authorization: `Bearer ${tokens.worker}` } })).text()).toContain(
      'SUPPORT AND INTERVENTION PLAN',
    );

    for (const form of ['intake', 'initial-risk', 'assessment', 'plan', 'review', 'closure']) {
      const pdf = await bytes('worker', `/cases/${caseId}/forms/${form}?format=pdf`);
      expect([pdf.status, pdf.type]).toEqual([200, 'application/pdf']);
      expect(Buffer.from(pdf.body.subarray(0, 4)).toString()).toBe('%PDF');
      const pages = await pdfPages(pdf.body);
      // A form is a page or two of A4, each numbered in its footer with who printed it.
      expect(pages.length, form).toBeGreaterThanOrEqual(1);
      expect(pages.length, form).toBeLessThanOrEqual(2);
      pages.forEach((page, n) => {
        expect(page).toContain(`In bởi ${province.worker}`);
        expect(page).toContain(caseRef);
        expect(page, form).toContain(`Trang ${n + 1}/${pages.length}`);
      });
    }
    const intakePdf = await pdfPages((await bytes('worker', `/cases/${caseId}/forms/intake?format=pdf`)).body);
    expect(intakePdf.join('\n')).toContain(NAME);
  });

  it('gives a partner’s form only what the person consented to share', async () => {
    const page = await html('worker', `referral-${referralId}`);
    expect(page).toContain('Bệnh viện Bãi Cháy');
    expect(page).toContain('11'); // the age, consented
    expect(page).toContain('Trẻ em'); // the categories, consented
    expect(page).not.toContain(NAME);
    expect(page).not.toContain('Cô giáo Lan');
    expect(page).not.toContain('xâm hại, người này');
    expect(page).toContain('Đã khám, sức khoẻ ổn định');
  });

  it('makes the whole file: one PDF with its contents, and a ZIP with the PDF and a JSON export that validates', async () => {
    const pdf = await bytes('worker', `/cases/${caseId}/file?format=pdf`);
    expect([pdf.status, pdf.type]).toEqual([200, 'application/pdf']);
    const pages = await pdfPages(pdf.body);
    // Contents, a summary, six forms, referrals, placements, programmes, notes, timeline: at least a page each.
    expect(pages.length).toBeGreaterThanOrEqual(12);
    expect(pages[0]).toContain('MỤC LỤC');
    const all = pages.join('\n');
    for (const fact of [NAME, 'Bà ngoại gọi điện cảm ơn', 'Đã khám, sức khoẻ ổn định', 'KẾ HOẠCH HỖ TRỢ, CAN THIỆP', 'DIỄN BIẾN TRƯỜNG HỢP'])
      expect(all).toContain(fact);
    expect(pages.every((p) => p.includes(`In bởi ${province.worker}`))).toBe(true);
    // A child abused by someone who can still reach her: restricted from intake, MẬT on every page.
    expect(pages.every((p) => p.includes('MẬT'))).toBe(true);

    const zip = await bytes('worker', `/cases/${caseId}/file?format=zip`);
    expect([zip.status, zip.type]).toEqual([200, 'application/zip']);
    const files = unzipSync(zip.body);
    expect(Object.keys(files).sort()).toEqual([`${caseRef}-ho-so.json`, `${caseRef}-ho-so.pdf`]);
    expect(Buffer.from(files[`${caseRef}-ho-so.pdf`]!.subarray(0, 4)).toString()).toBe('%PDF');
    const exported = JSON.parse(strFromU8(files[`${caseRef}-ho-so.json`]!));
    const parsed = CaseFileExportSchema.safeParse(exported);
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
    expect(exported.case.intake.client.fullName).toBe(NAME);
    expect(exported.referrals[0]).not.toHaveProperty('partnerUrl');
    // The schema is the API's own document.
    const openapi = (await system.call('GET', '/openapi.json')).body;
    expect(openapi.components.schemas).toHaveProperty('CaseFileExport');
  });

  it('is read as the case is: 404 outside the scope, 403 for a collaborator', async () => {
    for (const path of [`/cases/${caseId}/forms`, `/cases/${caseId}/forms/plan`, `/cases/${caseId}/file?format=pdf`]) {
      expect((await call('elsewhere', 'GET', path)).status, path).toBe(404);
      expect((await call('collaborator', 'GET', path)).status, path).toBe(403);
    }
    expect((await call('worker', 'GET', `/cases/${randomUUID()}/forms/intake`)).status).toBe(404);
  });

  it('puts every print on the case’s timeline, with the form and who printed it', async () => {
    const timeline = (await call('supervisor', 'GET', `/cases/${caseId}/timeline`)).body.items as Array<{
      kind: string;
      actor: string;
      seq: number;
      data: Record<string, unknown>;
    }>;
    const prints = timeline.filter((e) => e.kind === 'case.printed');
    // Refused prints (409, 404, 422, 403) are not prints.
    const forms = prints.map((e) => `${e.data.form}:${e.data.format}`);
    expect(forms).toEqual(
      expect.arrayContaining(['intake:html', 'plan:html', 'plan:pdf', `referral-${referralId}:html`, 'file:pdf', 'file:zip', 'closure:pdf']),
    );
    expect(forms).not.toContain('passport:html');
    expect(forms.filter((f) => f === 'plan:html')).toHaveLength(2); // Vietnamese and English
    expect(prints.every((e) => e.actor === province.worker)).toBe(true);
    // Each after the event it followed: the timeline stays in order.
    const seqs = timeline.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('marks every page of a restricted case MẬT, and no page of another', async () => {
    const other = ok(await call('worker', 'POST', '/cases', lonelyOlderMan()));
    const form = async () =>
      await (await fetch(`${system.url}/cases/${other.id}/forms/intake`, { headers: { authorization: `Bearer ${tokens.worker}` } })).text();
    const filePages = async () => await pdfPages((await bytes('worker', `/cases/${other.id}/file?format=pdf`)).body);
    expect(await form()).not.toContain('MẬT');
    expect((await filePages()).filter((p) => p.includes('MẬT'))).toEqual([]);
    ok(await call('supervisor', 'POST', `/cases/${other.id}/restriction`, { restricted: true, reason: 'Người cao tuổi bị bạo hành' }));
    expect(await form()).toContain('MẬT');
    const pages = await filePages();
    expect(pages.length).toBeGreaterThanOrEqual(8);
    expect(pages.every((p) => p.includes('MẬT'))).toBe(true);

    // Erased facts stay erased: the forms say so where the person was.
    const name = (await call('worker', 'GET', `/cases/${other.id}`)).body.intake.client.fullName as string;
    expect(await form()).toContain(name);
    ok(await call('manager', 'POST', `/cases/${other.id}/erase`, { reason: 'Người được trợ giúp yêu cầu xoá' }));
    const erased = await form();
    expect(erased).not.toContain(name);
    expect(erased).toContain('đã xoá theo yêu cầu');
    const exported = (await call('manager', 'GET', `/cases/${other.id}/file?format=json`)).body;
    expect(exported.case.intake).toBeNull();
    expect(JSON.stringify(exported)).not.toContain(name);
  });
});
