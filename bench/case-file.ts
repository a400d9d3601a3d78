// Case file benchmark (issue 31): the time to make the whole file of a case with 50 timeline
// events — every form, referrals, placements, programmes, notes and the timeline, as one PDF with
// its contents, and as the ZIP (the PDF and the JSON export) — over HTTP on the dev server, against
// reading the same case (GET /cases/{id}) in the same run, the baseline a worker waits for anyway.
// One form's PDF too. Target: the whole file's PDF within a second at p50.
import type { Sql } from '../db/connect';
import { DEMO_PASSWORD, seedDemoDirectory } from '../system/demo-directory';
import { abusedChild } from '../test/support/intakes';
import { startBenchApi, startBenchCaseSystem } from './case-system';

const EVENTS = 50;
const RUNS = Number(process.env.BENCH_CASE_FILE_RUNS ?? 20);
const TARGET_MS = 1_000;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function benchCaseFile(sql: Sql, dir: string) {
  console.log(`\ncase file: the whole file of a case with ${EVENTS} timeline events, ${RUNS} times each, against reading the case`);
  await seedDemoDirectory(sql);
  const system = await startBenchCaseSystem(sql, dir, 'case-file');
  const api = await startBenchApi(sql, system);
  try {
    const tokenOf = async (username: string) => {
      const res = await fetch(`${api.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      return ((await res.json()) as { token: string }).token;
    };
    const worker = await tokenOf('worker1');
    const manager = await tokenOf('manager1');
    const call = async (token: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${new TextDecoder().decode(bytes)}`);
      return bytes;
    };
    const json = async (token: string, method: string, path: string, body?: unknown) =>
      JSON.parse(new TextDecoder().decode(await call(token, method, path, body)));

    const { id } = await json(worker, 'POST', '/cases', abusedChild());
    await call(worker, 'POST', `/cases/${id}/safety-confirmed`, { actions: ['Đưa em về nhà bà ngoại'] });
    await call(worker, 'POST', `/cases/${id}/assessment`, { summary: 'Em an toàn ở nhà bà ngoại', needs: ['Tư vấn tâm lý'] });
    await call(worker, 'POST', `/cases/${id}/plan`, {
      goals: ['An toàn lâu dài'],
      interventions: [{ type: 'counselling', description: 'Tham vấn hằng tuần' }],
    });
    await call(manager, 'POST', `/cases/${id}/plan/decision`, { decision: 'approve', comment: 'Thông qua' });
    let events = (await json(worker, 'GET', `/cases/${id}/timeline`)).items.length as number;
    for (; events < EVENTS; events++)
      await call(worker, 'POST', `/cases/${id}/notes`, { text: `Ghi chú lần thứ ${events}: đã gọi điện cho gia đình, em ổn định.` });

    const timed = async (path: string) => {
      const took: number[] = [];
      let size = 0;
      for (let n = 0; n < RUNS; n++) {
        const started = performance.now();
        size = (await call(worker, 'GET', path)).length;
        took.push(performance.now() - started);
      }
      return { took: took.sort((a, b) => a - b), size };
    };
    const read = await timed(`/cases/${id}`);
    const form = await timed(`/cases/${id}/forms/plan?format=pdf`);
    const pdf = await timed(`/cases/${id}/file?format=pdf`);
    const zip = await timed(`/cases/${id}/file?format=zip`);

    const row = (name: string, t: { took: number[]; size: number }) =>
      `  ${name.padEnd(40)} p50 ${percentile(t.took, 50).toFixed(0).padStart(5)} ms  p95 ${percentile(t.took, 95).toFixed(0).padStart(5)} ms  ${(t.size / 1024).toFixed(0).padStart(5)} KB  ${(percentile(t.took, 50) / percentile(read.took, 50)).toFixed(1).padStart(5)}× the read`;
    console.log(row('GET /cases/{id} (baseline)', read));
    console.log(row('the plan form, PDF', form));
    console.log(row(`the whole file, PDF (${events} events)`, pdf));
    console.log(row('the whole file, ZIP (PDF + JSON)', zip));
    const p50 = percentile(pdf.took, 50);
    console.log(`  the whole file's PDF at p50: ${p50.toFixed(0)} ms (target ≤ ${TARGET_MS} ms)  ${p50 <= TARGET_MS ? 'ok' : 'OVER'}`);
  } finally {
    await api.close();
    await system.stop();
  }
}
