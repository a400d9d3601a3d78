// Delivery benchmark: notices written to the outbox at a bounded rate, e-mailed through the relay,
// one delivery workflow each and nodemailer, to a real SMTP server on loopback. Measures the
// latency from the outbox write to the SMTP server accepting the message (p50, p99) and deliveries
// per second, against a baseline in the same run: the same messages sent straight with nodemailer.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { createChannels } from '../activities/channels';
import type { Sql } from '../db/connect';
import { insertNotifications } from '../db/notifications';
import { CaseCodec } from '../security/case-codec';
import { CaseKeyStore } from '../security/case-keys';
import { clientDataConverter } from '../security/data-converter';
import { parseMasterKeys } from '../security/master-keys';
import { referralLinks } from '../security/referral-links';
import { createCaseWorker } from '../system/case-worker';
import { startDeliveryRelay } from '../system/delivery-relay';
import { freePort } from '../system/ports';
import { startTemporalDevServer } from '../system/temporal-dev-server';
import { ensureTools } from '../system/tools';
import { startSmtpSink } from '../system/receivers';

const COUNT = Number(process.env.BENCH_DELIVERIES ?? 2_000);
const RATE = Number(process.env.BENCH_DELIVERY_RATE ?? 100);
const BATCH = 10;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export async function benchDeliveries(sql: Sql, dir: string) {
  console.log(`\ndeliveries: ${COUNT.toLocaleString('en')} e-mails written to the outbox at ${RATE}/s, sent to an SMTP server on loopback`);
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // installed already
  }
  const smtp = await startSmtpSink();
  const received = new Map<string, number>();
  const province = `bench-${randomUUID().slice(0, 8)}`;
  await sql`insert into provinces (code, name) values (${province}, 'Benchmark')`;
  const people = Array.from({ length: 10 }, () => randomUUID());
  for (const [i, id] of people.entries()) {
    await sql`insert into staff (id, province, username, display_name, role, password_hash, email, channels)
              values (${id}, ${province}, ${`m${i}.${province}`}, 'Bench', 'manager', 'x', ${`m${i}@bench.example`}, ${sql.json({ '*': ['email'] })})`;
  }

  // Baseline: the same number of messages straight to the server, as concurrently as the relay's worker sends.
  const mailer = nodemailer.createTransport(smtp.url);
  const b0 = performance.now();
  for (let sent = 0; sent < COUNT; sent += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, COUNT - sent) }, (_, i) =>
        mailer.sendMail({ from: 'b@bench.example', to: 'x@bench.example', subject: `baseline ${sent + i}`, text: 'x' }),
      ),
    );
  }
  const baselineRate = COUNT / ((performance.now() - b0) / 1000);
  mailer.close();
  console.log(`  baseline: nodemailer straight to the server, ${baselineRate.toFixed(0)} messages/s`);

  const temporal = await startTemporalDevServer({
    cliPath: ensureTools(['cli']).cli,
    dbFile: join(dir, 'temporal-deliveries.sqlite'),
    logFile: join(dir, 'temporal-deliveries.log'),
    port: await freePort(),
  });
  const masterKeys = parseMasterKeys(`bench:${Buffer.alloc(32, 3).toString('base64')}`);
  const codec = new CaseCodec(new CaseKeyStore(sql, masterKeys), masterKeys);
  const workerConnection = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, dataConverter: clientDataConverter(codec) });
  const taskQueue = 'bench-deliveries';
  const worker = await createCaseWorker({
    connection: workerConnection,
    taskQueue,
    sql,
    codec,
    referralLinks: referralLinks('bench', 'http://127.0.0.1'),
    channels: createChannels({ smtpUrl: smtp.url, mailFrom: 'bench@case-flow.local', webhookAllowedHosts: [] }),
  });
  const running = worker.run();
  const relay = await startDeliveryRelay({ sql, client, taskQueue });
  const baselineCount = smtp.mails.length;
  const watch = setInterval(() => {
    for (const m of smtp.mails.slice(baselineCount)) if (!received.has(m.messageId)) received.set(m.messageId, performance.now());
  }, 5);

  try {
    const written = new Map<string, number>();
    const t0 = performance.now();
    for (let n = 0; n < COUNT; n += BATCH) {
      const wait = t0 + (n / RATE) * 1000 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const keys = Array.from({ length: Math.min(BATCH, COUNT - n) }, (_, i) => `bench:${province}:${n + i}`);
      await sql.begin((tx) =>
        insertNotifications(
          tx,
          null,
          new Date().toISOString(),
          keys.map((key, i) => ({ key, recipientId: people[(n + i) % people.length]!, kind: 'deadline.manager', message: { vi: 'Quá hạn', en: 'Overdue' } })),
        ),
      );
      const at = performance.now();
      for (const key of keys) written.set(key, at);
      if (n % 200 === 0) process.stdout.write(`\r  written ${n.toLocaleString('en')}, accepted by SMTP ${received.size.toLocaleString('en')}`);
    }
    const until = Date.now() + 5 * 60_000;
    while (received.size < COUNT && Date.now() < until) {
      process.stdout.write(`\r  written ${COUNT.toLocaleString('en')}, accepted by SMTP ${received.size.toLocaleString('en')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    process.stdout.write('\n');
    const rows = await sql<{ id: string; key: string }[]>`
      select d.id, n.key from deliveries d join notifications n on n.id = d.notification_id where d.province = ${province}`;
    const latencies = rows
      .map((r) => (received.get(`<${r.id}@case-flow.local>`) ?? NaN) - written.get(r.key)!)
      .filter((x) => !Number.isNaN(x))
      .sort((a, b) => a - b);
    const span = (Math.max(...received.values()) - t0) / 1000;
    const rate = received.size / span;
    console.log(
      `  ${received.size.toLocaleString('en')} of ${COUNT.toLocaleString('en')} accepted in ${span.toFixed(1)} s: ${rate.toFixed(0)} deliveries/s ` +
        `(written at ${RATE}/s; ${((rate / baselineRate) * 100).toFixed(0)}% of the baseline's rate)`,
    );
    console.log(`  outbox write → SMTP accepted: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`);
    const [dups] = await sql<{ n: number }[]>`select count(*)::int as n from deliveries where province = ${province} and status <> 'sent'`;
    console.log(`  not sent: ${dups?.n ?? 0}; messages received twice: ${smtp.mails.length - baselineCount - received.size}`);
  } finally {
    clearInterval(watch);
    await relay.stop();
    worker.shutdown();
    await running;
    await workerConnection.close();
    await connection.close();
    await temporal.stop();
    await smtp.close();
  }
}
