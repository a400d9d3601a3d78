// `npm run keys:rotate [-- --reissue-links] [--batch N]`: after a new master key was added to
// MASTER_KEYS and MASTER_KEY_ID points at it (and every process of the system restarted with
// that), re-wraps every case key under it, applies programme schedules again under it, and says
// which old master key anything still needs; and after AUTH_SECRET changed, which partners'
// links still need AUTH_SECRET_PREVIOUS (--reissue-links gives them new ones). The work is in
// system/key-rotation.ts; this is the terminal's side. Beside a running `npm start` it uses that
// system's PostgreSQL and Temporal; otherwise it starts the embedded PostgreSQL for the time it
// runs, and says it could not look at Temporal. Run again, it changes nothing more.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { AuditHeadWriter } from '../db/audit';
import { connectDatabase } from '../db/connect';
import { CaseCodec } from '../security/case-codec';
import { CaseKeyStore } from '../security/case-keys';
import { clientDataConverter } from '../security/data-converter';
import { referralLinks } from '../security/referral-links';
import { ConfigError, loadConfig, publicUrl, type Config } from './config';
import { operatorDatabase, operatorName } from './operator-database';
import { rotateKeys, type RotationReport } from './key-rotation';
import { authSecrets, loadSecrets, type Secrets } from './secrets';

const say = (line: string) => console.log(`[keys] ${line}`);
const USAGE = 'usage: npm run keys:rotate [-- --reissue-links] [--batch N (1 to 10,000; 500 by default)]';

/** A refusal a person reads: what is wrong and what to do, in Vietnamese and in English. */
function refuse(vi: string, en: string): never {
  console.error(`[keys] Không xoay khoá được: ${vi}\n[keys] Cannot rotate: ${en}`);
  process.exit(2);
}

let options: { reissueLinks: boolean; batch: number };
try {
  const { values } = parseArgs({ options: { 'reissue-links': { type: 'boolean', default: false }, batch: { type: 'string', default: '500' } } });
  const batch = Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) throw new Error(`--batch ${values.batch}: a whole number from 1 to 10,000`);
  options = { reissueLinks: values['reissue-links'], batch };
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}

let config: Config;
let secrets: Secrets;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(2);
}
// The keys are checked here, before anything is touched, in words saying what to do.
if (!config.MASTER_KEYS) {
  refuse(
    'MASTER_KEYS chưa được đặt. Hãy đặt MASTER_KEYS gồm khoá cũ và khoá mới, và MASTER_KEY_ID là mã của khoá mới (ở chế độ phát triển, khoá cũ nằm trong DATA_DIR/dev-secrets.json).',
    "MASTER_KEYS is not set. Set MASTER_KEYS to the old keys and the new one, and MASTER_KEY_ID to the new key's id (in development mode the old key is in DATA_DIR/dev-secrets.json).",
  );
}
const ids = config.MASTER_KEYS.split(',').map((entry) => entry.split(':')[0]);
if (!config.MASTER_KEY_ID && ids.length > 1) {
  refuse(
    `MASTER_KEY_ID chưa được đặt, nên không rõ khoá nào trong MASTER_KEYS (${ids.join(', ')}) là khoá mới. Hãy đặt MASTER_KEY_ID là mã của khoá mới.`,
    `MASTER_KEY_ID is not set, so which key of MASTER_KEYS (${ids.join(', ')}) is the new one is not said. Set MASTER_KEY_ID to the new key's id.`,
  );
}
if (config.MASTER_KEY_ID && !ids.includes(config.MASTER_KEY_ID)) {
  refuse(
    `khoá đang dùng MASTER_KEY_ID="${config.MASTER_KEY_ID}" không có trong MASTER_KEYS (đang có: ${ids.join(', ')}). Hãy thêm khoá mới vào MASTER_KEYS, giữ nguyên các khoá cũ, rồi chạy lại.`,
    `the active key MASTER_KEY_ID="${config.MASTER_KEY_ID}" is not in MASTER_KEYS (it holds: ${ids.join(', ')}). Add the new key to MASTER_KEYS, keep the old ones, and run again.`,
  );
}
try {
  secrets = loadSecrets(config);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  refuse(`cấu hình khoá không hợp lệ: ${err.message}`, `the keys' configuration is not valid: ${err.message}`);
}

/** Temporal if it answers (the running system's, or TEMPORAL_ADDRESS's); undefined otherwise. */
async function reachTemporal(sql: ReturnType<typeof connectDatabase>) {
  const address = config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_DEV_PORT}`;
  try {
    const connection = await Connection.connect({ address, connectTimeout: '3s' });
    const codec = new CaseCodec(new CaseKeyStore(sql, secrets.masterKeys), secrets.masterKeys);
    // The client seals what it sends with the active master key: a schedule applied again is sealed with it.
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: clientDataConverter(codec) });
    await client.workflowService.getSystemInfo({});
    return { connection, client, address };
  } catch {
    say(`Temporal does not answer at ${address}: programme schedules and running workflows are not checked this time`);
    return undefined;
  }
}

function summary(r: RotationReport): void {
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((n, c) => n + c, 0);
  const rewrapped = total(r.rewrapped);
  const from = Object.entries(r.rewrapped).map(([id, n]) => `${n.toLocaleString('en')} from "${id}"`);
  say(`summary: ${rewrapped.toLocaleString('en')} case key(s) re-wrapped under "${r.to}"${from.length ? ` (${from.join(', ')})` : ''}`);
  for (const u of r.unopened) {
    say(
      u.why === 'not_configured'
        ? `!!! ${u.count} case key(s) are wrapped by "${u.masterKeyId}", which MASTER_KEYS does not hold: add it back and run again, or those cases cannot be read`
        : `!!! ${u.count} case key(s) wrapped by "${u.masterKeyId}" do not open with the value MASTER_KEYS gives "${u.masterKeyId}": is it the key that wrapped them?`,
    );
  }
  if (r.schedules && total(r.schedules.reapplied)) say(`${total(r.schedules.reapplied)} programme schedule(s) applied again under "${r.to}"`);
  const old = secrets.masterKeys.ids.filter((id) => id !== r.to);
  for (const id of old) {
    const needed = r.stillNeeded.find((n) => n.masterKeyId === id);
    if (needed) say(`master key "${id}" is still needed: ${needed.why.join('; ')}. Keep it in MASTER_KEYS and run this again later.`);
    else if (!r.schedules || !r.runningWorkflows)
      say(`master key "${id}": no case key needs it; Temporal was not checked, so run this again while the system runs before removing it`);
    else if (r.runningWorkflows.capped)
      say(
        `master key "${id}": nothing found needs it, but only the first ${r.runningWorkflows.checked} running workflows were looked at; run this again later`,
      );
    else
      say(
        `master key "${id}" is no longer needed: it can be removed from MASTER_KEYS (then restart). Keep a copy offline if closed workflow histories must stay readable in the Web UI.`,
      );
  }
  // Anything wrapped by a key MASTER_KEYS no longer lists, found by the recount.
  for (const n of r.stillNeeded.filter((n) => !old.includes(n.masterKeyId))) {
    say(`!!! key "${n.masterKeyId}" is not in MASTER_KEYS but is still needed: ${n.why.join('; ')}`);
  }
  if (old.length === 0 && r.stillNeeded.length === 0) say(`only "${r.to}" is configured and nothing needs another key`);

  const links = r.links;
  const list = (items: typeof links.waiting) => {
    for (const l of items.slice(0, 20)) say(`    ${l.caseRef} → ${l.partnerName} (${l.status})`);
    if (items.length > 20) say(`    … and ${items.length - 20} more`);
  };
  say(
    `partner links of open referrals: ${links.byMaker.current} made with AUTH_SECRET, ${links.byMaker.previous} with AUTH_SECRET_PREVIOUS, ${links.byMaker.neither} with neither`,
  );
  if (links.reissued) {
    say(`${links.reissued} link(s) re-issued under AUTH_SECRET: each case's page shows the new link; pass it on to the partner (the old one no longer opens)`);
  }
  if (links.waiting.length) {
    say(
      `${links.waiting.length} open referral(s) still have a link made with AUTH_SECRET_PREVIOUS: keep it set until they end, or run with --reissue-links and pass the new links on:`,
    );
    list(links.waiting);
  } else if (secrets.authSecretPrevious) {
    say(
      `no open referral needs AUTH_SECRET_PREVIOUS: remove it once ${config.TOKEN_TTL_MINUTES} minutes (TOKEN_TTL_MINUTES) have passed since AUTH_SECRET changed`,
    );
  }
  if (links.dead.length) {
    say(
      `${links.dead.length} open referral(s) have a link made with a secret no longer honoured: it opens nothing. Run with --reissue-links and pass the new links on:`,
    );
    list(links.dead);
  }
}

const headFile = config.AUDIT_HEAD_FILE ?? join(config.dataDir, 'audit-head.log');
const database = await operatorDatabase(config, 2);
const { sql } = database;
const running = database.found === 'running';
if (running && !config.DATABASE_URL) say(`using the running system's PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT}`);
say(
  `active master key "${secrets.masterKeys.activeId}"; every process of the system must run with this MASTER_KEYS and MASTER_KEY_ID (restart them first), or keys they wrap meanwhile stay on the old key`,
);

let stopRequested = false;
let stoppingSince = 0;
process.on('SIGINT', () => {
  // A second Ctrl-C a moment later stops at once: the batch under way is rolled back, nothing half-written stays.
  if (stopRequested && Date.now() - stoppingSince > 1_000) process.exit(130);
  if (!stopRequested) say('stopping after this batch… (Ctrl-C again to stop now)');
  stopRequested = true;
  stoppingSince ||= Date.now();
});

const temporal = await reachTemporal(sql);
let code: number;
try {
  const report = await rotateKeys({
    sql,
    masterKeys: secrets.masterKeys,
    caseKeys: new CaseKeyStore(sql, secrets.masterKeys),
    links: referralLinks(authSecrets(secrets), publicUrl(config)),
    temporal: temporal && { client: temporal.client, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE },
    reissueLinks: options.reissueLinks,
    batchSize: options.batch,
    actor: operatorName('keys:rotate'),
    say,
    stopRequested: () => stopRequested,
  });
  summary(report);
  // The rotation's row witnessed outside the database too, even with the system stopped.
  await new AuditHeadWriter(sql, headFile).writeNow();
  code = report.interrupted ? 130 : report.unopened.length > 0 ? 1 : 0;
} catch (err) {
  console.error(`[keys] stopped: ${err instanceof Error ? err.message : String(err)}; what was re-wrapped is kept, run it again to finish`);
  code = 1;
} finally {
  await temporal?.connection.close();
  await database.close();
}
process.exit(code);
