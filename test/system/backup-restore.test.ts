// Issue 32, parts 1 and 2: `npm run backup` beside a running system, `npm run restore` into a new
// folder, `npm start` on it. A whole system of its own (system/throwaway-system.ts) with a review
// clock of seconds: a case's review falls due while the system is down, and after the restart it
// escalates exactly once. Also: no BACKUP_KEY, a non-empty folder and a changed byte are refused.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../db/connect';
import { DEMO_PASSWORD } from '../../system/demo-directory';
import { freePort } from '../../system/ports';
import { startThrowawaySystem, type ThrowawaySystem } from '../../system/throwaway-system';
import { eventually } from '../support/eventually';
import { intake } from '../support/intakes';
import { secondsPolicy } from '../support/policies';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const say = (line: string) => console.log(`[backup test] ${line}`);
const BACKUP_KEY = randomBytes(32).toString('base64');
const systems: ThrowawaySystem[] = [];
const folders: string[] = [];

afterAll(async () => {
  for (const s of systems) await s.stop();
  for (const s of systems) s.discard();
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** Runs one of the package's scripts as `npm run` does (node --import tsx system/<script>.ts), with this environment. */
async function script(name: 'backup' | 'restore' | 'audit-verify', args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, `system/${name}.ts`), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', TEMPORAL_ADDRESS: '', AUDIT_HEAD_FILE: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

/** The environment that points a script at a system's folder and servers. */
const envOf = (s: ThrowawaySystem) => ({
  DATA_DIR: s.dataDir,
  EMBEDDED_PG_PORT: new URL(s.databaseUrl).port,
  TEMPORAL_DEV_PORT: s.temporalAddress.split(':')[1]!,
});

function emptyFolder(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `case-flow-${name}-`));
  // As root, PostgreSQL runs as its own user, which must reach the folder.
  chmodSync(dir, 0o755);
  folders.push(dir);
  return dir;
}

async function api(s: ThrowawaySystem, token: string | undefined, method: string, path: string, body?: unknown) {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json', 'idempotency-key': randomBytes(8).toString('hex') } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function login(s: ThrowawaySystem, username: string): Promise<string> {
  const res = await api(s, undefined, 'POST', '/auth/login', { username, password: DEMO_PASSWORD });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

describe('backup and restore', () => {
  it('restores a running system into a new folder: same counts, the audit chain verifies, a review due meanwhile escalates once', async () => {
    const original = await startThrowawaySystem({ name: 'backup', say });
    systems.push(original);
    const manager = await login(original, 'manager1');
    const worker = await login(original, 'worker1');

    // The review falls due 20 s after the plan's approval and reaches the supervisor 3 s later;
    // managers only after a day, so exactly one escalation is expected within the test.
    const draft = await api(original, manager, 'POST', '/policies/deadlines/drafts', {
      document: secondsPolicy('review', { due: 'PT20S', supervisorGrace: 'PT3S', managerGrace: 'P1D' }),
      comment: 'Rà soát theo giây để thử sao lưu',
    });
    expect(draft.status).toBe(201);
    expect((await api(original, manager, 'POST', `/policies/deadlines/drafts/${draft.body.version}/publish`, { comment: 'Thử' })).status).toBe(200);

    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      const created = await api(
        original,
        worker,
        'POST',
        '/cases',
        intake({ client: { fullName: `Người thử sao lưu ${n} ${randomBytes(2).toString('hex')}` } }),
      );
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const id = ids[0]!;
    expect((await api(original, worker, 'POST', `/cases/${id}/assessment`, { summary: 'Cần học nghề', needs: ['vocational'] })).status).toBe(200);
    expect(
      (await api(original, worker, 'POST', `/cases/${id}/plan`, { goals: ['Học nghề'], interventions: [{ type: 'vocational', description: 'Lớp hàn' }] }))
        .status,
    ).toBe(200);
    const approved = await api(original, manager, 'POST', `/cases/${id}/plan/decision`, { decision: 'approve', comment: 'Thông qua' });
    expect(approved.body).toMatchObject({ stage: 'implementation', deadline: { step: 'review' } });
    const dueAt = new Date(approved.body.deadline.dueAt as string).getTime();

    // Without BACKUP_KEY: refused, in both languages.
    const keyless = await script('backup', [], { ...envOf(original), BACKUP_KEY: '' });
    expect(keyless.code).not.toBe(0);
    expect(keyless.stderr).toContain('Không sao lưu được');
    expect(keyless.stderr).toContain('Cannot back up: BACKUP_KEY is not set');

    const backups = emptyFolder('backups');
    const before = connectDatabase(original.databaseUrl, { max: 1 });
    const counted = async () => (await before`select (select count(*) from cases)::int as cases, (select count(*) from case_events)::int as events`)[0]!;
    const atBackup = await counted();
    const backedUp = await script('backup', ['--to', backups], { ...envOf(original), BACKUP_KEY });
    say(backedUp.stdout.trim());
    expect(backedUp.stderr).toBe('');
    expect(backedUp.code).toBe(0);
    // Still running, untouched, and nothing moved meanwhile: the archive holds these counts.
    expect((await api(original, worker, 'GET', `/cases/${id}`)).status).toBe(200);
    expect(await counted()).toEqual(atBackup);
    expect(Date.now()).toBeLessThan(dueAt);
    // The running system records that it was copied, and where to (not in the archive: it came after).
    const [taken] = await before<{ actor: string; detail: { archive: string; sha256: string; counts: { cases: number } } }[]>`
      select actor, detail from audit_log where action = 'backup.taken' order by seq desc limit 1`;
    await before.end();
    await original.stop();

    const archive = join(
      backups,
      readdirSync(backups).find((f) => f.endsWith('.cfbackup'))!,
    );
    const checksum = createHash('sha256').update(readFileSync(archive)).digest('hex');
    expect(readFileSync(`${archive}.sha256`, 'utf8')).toBe(`${checksum}  ${archive.split('/').pop()}\n`);
    expect(taken).toMatchObject({ actor: expect.stringMatching(/^backup \(/), detail: { archive, sha256: checksum, counts: { cases: atBackup.cases } } });

    // Into a folder that holds something: refused without --force.
    const occupied = await script('restore', [archive], { ...envOf(original), BACKUP_KEY });
    expect(occupied.code).toBe(2);
    expect(occupied.stderr).toContain('Không khôi phục được');
    expect(occupied.stderr).toContain('is not empty');

    // One changed byte: refused, and nothing is left behind.
    const tamperedFolder = emptyFolder('tampered');
    const bytes = readFileSync(archive);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    const tampered = join(backups, 'tampered.cfbackup');
    writeFileSync(tampered, bytes);
    const refused = await script('restore', [tampered], { DATA_DIR: tamperedFolder, EMBEDDED_PG_PORT: String(await freePort()), BACKUP_KEY });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/damaged or altered/);
    expect(readdirSync(tamperedFolder)).toEqual([]);

    const target = emptyFolder('restored');
    const restoredRun = await script('restore', [archive], { DATA_DIR: target, EMBEDDED_PG_PORT: String(await freePort()), BACKUP_KEY });
    say(restoredRun.stdout.trim());
    expect(restoredRun.stderr).toBe('');
    expect(restoredRun.code).toBe(0);
    expect(restoredRun.stdout).toContain(`counts match the manifest: ${atBackup.cases} case(s), ${atBackup.events} event(s)`);
    expect(restoredRun.stdout).toContain('audit chain verifies');
    expect(existsSync(join(target, 'temporal.sqlite'))).toBe(true);
    // The review falls due, and reaches the supervisor, while no system runs.
    const escalatesAt = dueAt + 3_000;
    await new Promise((r) => setTimeout(r, Math.max(0, escalatesAt + 1_000 - Date.now())));

    const restored = await startThrowawaySystem({ name: 'restored', dataDir: target, say });
    systems.push(restored);
    const sql = connectDatabase(restored.databaseUrl, { max: 1 });
    try {
      const [now] = await sql<{ cases: number }[]>`select count(*)::int as cases from cases`;
      expect(now!.cases).toBe(atBackup.cases);
      const escalations = async () => await sql<{ level: string }[]>`select level from escalations where case_id = ${id}`;
      const first = await eventually(escalations, (rows) => rows.length > 0, 60_000);
      expect(first.map((r) => r.level)).toEqual(['supervisor']);
      // Not twice: the timer of the restored history and anything replayed meet the same row.
      await new Promise((r) => setTimeout(r, 5_000));
      expect((await escalations()).map((r) => r.level)).toEqual(['supervisor']);
      const [events] = await sql<{ n: number }[]>`select count(*)::int as n from case_events where case_id = ${id} and kind = 'deadline.supervisor'`;
      expect(events!.n).toBe(1);

      // Open cases continue: the workflow answers an action.
      const worker2 = await login(restored, 'worker1');
      const reviewed = await api(restored, worker2, 'POST', `/cases/${id}/reviews`, { summary: 'Đã bắt đầu học', progress: 'on_track' });
      expect(reviewed.status).toBe(200);
      for (const other of ids.slice(1)) {
        expect((await api(restored, worker2, 'POST', `/cases/${other}/assessment`, { summary: 'Sau khôi phục', needs: ['vocational'] })).status).toBe(200);
      }
    } finally {
      await sql.end();
    }
    const verified = await script('audit-verify', [], { ...envOf(restored) });
    expect(verified.stdout).toContain('audit chain intact');
    expect(verified.code).toBe(0);
  }, 300_000);
});
