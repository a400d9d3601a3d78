// Delivery benchmark: notices written to the outbox, e-mailed through the relay, one delivery
// workflow each and nodemailer, to a real SMTP server on loopback. Two parts: at a steady rate the
// system keeps up with, the latency from the outbox write to the SMTP server accepting the message
// (p50, p99); then a burst written at once, the deliveries per second it drains at, against a
// baseline in the same run: the same number of messages sent straight with nodemailer's pool.
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { createChannels } from '../activities/channels';
import type { Sql } from '../db/connect';
import { insertNotifications } from '../db/notifications';
import { startDeliveryRelay } from '../system/delivery-relay';
import { startSmtpSink } from '../system/receivers';
import { startBenchCaseSystem } from './case-system';

const STEADY = Number(process.env.BENCH_DELIVERIES ?? 600);
const RATE = Number(process.env.BENCH_DELIVERY_RATE ?? 20);
const BURST = Number(process.env.BENCH_DELIVERY_BURST ?? 1_000);
const BATCH = 10;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export async function benchDeliveries(sql: Sql, dir: string) {
  console.log(`\ndeliveries: e-mails through the outbox, the relay and a delivery workflow each, to an SMTP server on loopback`);
  const smtp = await startSmtpSink();
  const received = new Map<string, number>();
  const province = `bench-${randomUUID().slice(0, 8)}`;
  await sql`insert into provinces (code, name) values (${province}, 'Benchmark')`;
  const people = Array.from({ length: 10 }, () => randomUUID());
  for (const [i, id] of people.entries()) {
    await sql`insert into staff (id, province, username, display_name, role, password_hash, email, channels)
              values (${id}, ${province}, ${`m${i}.${province}`}, 'Bench', 'manager', 'x', ${`m${i}@bench.example`}, ${sql.json({ '*': ['email'] })})`;
  }

  // Baseline: as many messages straight to the same server through nodemailer's pool.
  const mailer = nodemailer.createTransport(`${smtp.url}/?pool=true`);
  const b0 = performance.now();
  await Promise.all(
    Array.from({ length: BURST }, (_, i) => mailer.sendMail({ from: 'b@bench.example', to: 'x@bench.example', subject: `baseline ${i}`, text: 'x' })),
  );
  const baselineRate = BURST / ((performance.now() - b0) / 1000);
  mailer.close();
  console.log(`  baseline: ${BURST.toLocaleString('en')} messages straight to the server with nodemailer's pool, ${baselineRate.toFixed(0)} messages/s`);
  const baselineCount = smtp.mails.length;

  const channels = createChannels({ smtpUrl: smtp.url, mailFrom: 'bench@case-flow.local', webhookAllowedHosts: [] });
  const { client, taskQueue, stop } = await startBenchCaseSystem(sql, dir, 'deliveries', { channels });
  const relay = await startDeliveryRelay({ sql, client, taskQueue });
  const watch = setInterval(() => {
    for (const m of smtp.mails.slice(baselineCount)) if (!received.has(m.messageId)) received.set(m.messageId, performance.now());
  }, 5);

  /** Writes `count` notices at `rate` a second (Infinity: at once), then waits for every e-mail. */
  async function run(label: string, count: number, rate: number) {
    const written = new Map<string, number>();
    const before = received.size;
    const t0 = performance.now();
    for (let n = 0; n < count; n += BATCH) {
      const wait = t0 + (n / rate) * 1000 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const keys = Array.from({ length: Math.min(BATCH, count - n) }, (_, i) => `bench:${province}:${label}:${n + i}`);
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
    }
    const until = Date.now() + 5 * 60_000;
    while (received.size - before < count && Date.now() < until) {
      process.stdout.write(`\r  ${label}: accepted by SMTP ${(received.size - before).toLocaleString('en')} / ${count.toLocaleString('en')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    process.stdout.write('\n');
    const rows = await sql<{ id: string; key: string }[]>`
      select d.id, n.key from deliveries d join notifications n on n.id = d.notification_id where n.key in ${sql([...written.keys()])}`;
    const arrivals = rows.map((r) => received.get(`<${r.id}@case-flow.local>`)).filter((x): x is number => x !== undefined);
    const latencies = rows
      .map((r) => (received.get(`<${r.id}@case-flow.local>`) ?? NaN) - written.get(r.key)!)
      .filter((x) => !Number.isNaN(x))
      .sort((a, b) => a - b);
    const seconds = (Math.max(...arrivals) - t0) / 1000;
    return { delivered: arrivals.length, latencies, rate: arrivals.length / seconds, seconds };
  }

  try {
    const steady = await run('steady', STEADY, RATE);
    console.log(
      `  steady, ${RATE}/s written: ${steady.delivered.toLocaleString('en')} of ${STEADY.toLocaleString('en')} accepted; outbox write → SMTP accepted p50 ${percentile(steady.latencies, 50).toFixed(0)} ms, p99 ${percentile(steady.latencies, 99).toFixed(0)} ms`,
    );
    const burst = await run('burst', BURST, Infinity);
    console.log(
      `  burst of ${BURST.toLocaleString('en')} written at once: all accepted in ${burst.seconds.toFixed(1)} s, ${burst.rate.toFixed(0)} deliveries/s (${((burst.rate / baselineRate) * 100).toFixed(0)}% of the baseline); p99 ${(percentile(burst.latencies, 99) / 1000).toFixed(1)} s`,
    );
    const [left] = await sql<{ n: number }[]>`select count(*)::int as n from deliveries where province = ${province} and status <> 'sent'`;
    console.log(`  not sent: ${left?.n ?? 0}; messages that arrived twice: ${smtp.mails.length - baselineCount - received.size}`);
  } finally {
    clearInterval(watch);
    await relay.stop();
    channels.close();
    await stop();
    await smtp.close();
  }
}
