// Console benchmark: the server time of each console page (its Server-Timing, measured by the app
// around the whole page: the session, every call to the API it makes, the HTML) with the demo
// register of BENCH_CONSOLE_CASES cases loaded (default 10,000), for a social worker, a supervisor
// (the unit) and a manager (the province), and a hotline log of BENCH_CONSOLE_CONTACTS contacts
// (default 10,000, issue 27) for the hotline's pages, and the demo's programmes (issue 29). The target is under 200 ms; the API's own GET
// /cases/{id} is timed in the same run as the baseline a page builds on.
import { importContacts, importRegister } from '../api/imports';
import { readContactLogCsv, readRegisterCsv, toCsv } from '../api/register-file';
import type { Sql } from '../db/connect';
import { principalForStaff } from '../db/directory';
import { DEMO_PASSWORD, DEMO_PROVINCE, seedDemoDirectory } from '../system/demo-directory';
import { demoProgrammes } from '../system/demo-programmes';
import { demoContactLog, demoRegister } from '../system/demo-register';
import { startBenchApi, startBenchCaseSystem } from './case-system';

const CASES = Number(process.env.BENCH_CONSOLE_CASES ?? 10_000);
const CONTACTS = Number(process.env.BENCH_CONSOLE_CONTACTS ?? 10_000);
const RUNS = 30;
const TARGET_MS = 200;
const PART = 500;

/** A browser's session: the console's cookies after logging in through its form. */
async function logIn(url: string, username: string): Promise<string> {
  const form = await fetch(`${url}/app/login`);
  const csrf = /cf_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1]!;
  const res = await fetch(`${url}/app/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cf_csrf=${csrf}` },
    body: new URLSearchParams({ username, password: DEMO_PASSWORD, csrf }),
    redirect: 'manual',
  });
  const session = /cf_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!session) throw new Error(`could not log in as ${username}: ${res.status}`);
  return `cf_csrf=${csrf}; cf_session=${session}`;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function benchConsole(sql: Sql, dir: string) {
  console.log(
    `\nconsole: server time per page with ${CASES.toLocaleString('en')} demo cases and ${CONTACTS.toLocaleString('en')} contacts loaded (${RUNS} requests each, after 3 to warm up)`,
  );
  await seedDemoDirectory(sql);
  const [admin] = await sql<{ id: string }[]>`select id from staff where username = 'admin1'`;
  const who = (await principalForStaff(sql, admin!.id))!;
  const system = await startBenchCaseSystem(sql, dir, 'console');
  try {
    const register = demoRegister(CASES, 2026);
    const [header, ...rows] = register;
    const deps = { sql, temporal: system.client, taskQueue: system.taskQueue, routingTimeoutMs: 60_000 };
    for (let from = 0; from < rows.length; from += PART) {
      await importRegister(deps, who, DEMO_PROVINCE.name, readRegisterCsv(toCsv([header!, ...rows.slice(from, from + PART)])));
      process.stdout.write(`\r  importing: ${Math.min(from + PART, rows.length).toLocaleString('en')} / ${rows.length.toLocaleString('en')} cases`);
    }
    process.stdout.write('\n');
    const [logHeader, ...calls] = demoContactLog(CONTACTS, 2026, register);
    for (let from = 0; from < calls.length; from += PART) {
      await importContacts(deps, who, DEMO_PROVINCE.name, readContactLogCsv(toCsv([logHeader!, ...calls.slice(from, from + PART)])));
      process.stdout.write(`\r  importing: ${Math.min(from + PART, calls.length).toLocaleString('en')} / ${calls.length.toLocaleString('en')} contacts`);
    }
    process.stdout.write('\n');
    const api = await startBenchApi(sql, system);
    try {
      const sessions = Object.fromEntries(
        await Promise.all(['worker1', 'supervisor1', 'manager1', 'admin1'].map(async (u) => [u, await logIn(api.url, u)] as const)),
      ) as Record<string, string>;
      const token = (
        (await (
          await fetch(`${api.url}/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'worker1', password: DEMO_PASSWORD }),
          })
        ).json()) as { token: string }
      ).token;
      // The busiest open case worker1 may see, and a client with a case in their unit.
      const [busy] = await sql<{ id: string; client_id: string }[]>`
        select c.id, c.client_id from cases c join units u on u.id = c.unit_id
        where c.province = ${DEMO_PROVINCE.code} and u.name = 'Hạ Long' and c.stage not in ('closed', 'erased') and not c.restricted and c.client_id is not null
        order by (select count(*) from case_events e where e.case_id = c.id) desc limit 1`;
      if (!busy) throw new Error('no open case in the Hạ Long unit to time');
      // The seeds' programmes (issue 29), made as `npm run demo` makes them; the largest of worker1's unit.
      await demoProgrammes(api.url, 2026, (line) => console.log(`  programmes: ${line}`));
      const [club] = await sql<{ id: string }[]>`
        select g.id from programmes g join units u on u.id = g.unit_id where g.province = ${DEMO_PROVINCE.code} and u.name = 'Hạ Long'
        order by (select count(*) from enrolments e where e.programme_id = g.id) desc limit 1`;
      if (!club) throw new Error('no programme to time');
      // A contact of the demo log with the longest history, and a call in progress for the hotline's live check.
      const [call] = await sql<{ id: string }[]>`
        select k.id from contacts k where k.province = ${DEMO_PROVINCE.code} order by (select count(*) from contact_events e where e.contact_id = k.id) desc, k.created_at desc limit 1`;
      if (!call) throw new Error('no contact to time');
      const callCheck = new URLSearchParams({
        csrf: /cf_csrf=([^;]+)/.exec(sessions.worker1!)![1]!,
        callType: 'report_of_concern',
        'about.fullName': 'Nguyễn Thị',
        'about.age': '9',
        'concerns.sexualAbuse': 'true',
      });
      const check = new URLSearchParams({
        csrf: /cf_csrf=([^;]+)/.exec(sessions.worker1!)![1]!,
        'client.fullName': 'Nguyễn Thị',
        'client.birthYear': '2012',
        'client.gender': 'female',
        'client.location.province': 'Quảng Ninh',
        concerns: '',
        'concerns.injury': 'true',
        categories: 'child_at_risk',
      });
      const pages: Array<[string, string, string, URLSearchParams?]> = [
        ['My work, social worker', 'worker1', '/app'],
        ['My work, supervisor (unit)', 'supervisor1', '/app'],
        ['My work, manager (province)', 'manager1', '/app'],
        ['Case page', 'worker1', `/app/cases/${busy.id}`],
        ['Clients: search by name', 'worker1', '/app/clients?name=nguyen'],
        ['Client page', 'worker1', `/app/clients/${busy.client_id}`],
        ['New report form', 'worker1', '/app/intake'],
        ['Live check while typing', 'worker1', '/app/intake/check', check],
        ['Hotline page (today’s calls)', 'worker1', '/app/hotline'],
        ['Hotline live check (C1 preview)', 'worker1', '/app/hotline/check', callCheck],
        ['Contact page', 'manager1', `/app/contacts/${call.id}`],
        ['Programmes, social worker', 'worker1', '/app/programmes'],
        ['Programme page (members, sessions)', 'worker1', `/app/programmes/${club.id}`],
        ['Approvals, manager (province)', 'manager1', '/app/approvals'],
        ['Escalations board, manager (province)', 'manager1', '/app/escalations'],
        ['Escalations board, supervisor (unit)', 'supervisor1', '/app/escalations'],
        ['Stuck work, manager', 'manager1', '/app/stuck'],
        ['Rules editor, manager', 'manager1', '/app/rules'],
        ['Deadline policy editor, manager', 'manager1', '/app/policies/deadlines'],
        ['Directory, administrator', 'admin1', '/app/directory'],
      ];
      const time = async (request: () => Promise<Response>, label: string) => {
        const server: number[] = [];
        for (let i = 0; i < RUNS + 3; i++) {
          const res = await request();
          await res.arrayBuffer();
          if (res.status >= 400) throw new Error(`${label}: ${res.status}`);
          const total = /total;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1];
          const wall = Number(res.headers.get('x-bench-wall'));
          if (i >= 3) server.push(total ? Number(total) : wall);
        }
        return server.sort((a, b) => a - b);
      };
      const baseline = await time(async () => {
        const t = performance.now();
        const res = await fetch(`${api.url}/cases/${busy.id}`, { headers: { authorization: `Bearer ${token}` } });
        const headers = new Headers(res.headers);
        headers.set('x-bench-wall', String(performance.now() - t));
        return new Response(await res.arrayBuffer(), { status: res.status, headers });
      }, 'GET /cases/{id}');
      console.log(
        `  ${'API GET /cases/{id} (baseline, wall time)'.padEnd(44)} median ${percentile(baseline, 50).toFixed(1)} ms, p95 ${percentile(baseline, 95).toFixed(1)} ms`,
      );
      let worst = 0;
      for (const [label, user, path, body] of pages) {
        const ms = await time(
          () =>
            fetch(`${api.url}${path}`, {
              method: body ? 'POST' : 'GET',
              headers: { cookie: sessions[user]!, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
              body,
              redirect: 'manual',
            }),
          label,
        );
        const p95 = percentile(ms, 95);
        worst = Math.max(worst, p95);
        console.log(
          `  ${label.padEnd(44)} median ${percentile(ms, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${ms.at(-1)!.toFixed(1)} ms (${(percentile(ms, 50) / percentile(baseline, 50)).toFixed(1)}× the baseline) ${p95 < TARGET_MS ? '✓' : `✗ over ${TARGET_MS} ms`}`,
        );
      }
      console.log(`  slowest p95: ${worst.toFixed(1)} ms (target: under ${TARGET_MS} ms)`);
    } finally {
      await api.close();
    }
  } finally {
    await system.stop();
  }
}
