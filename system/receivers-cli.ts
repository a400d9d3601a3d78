// `npm run receivers`: an SMTP server on 127.0.0.1:2525 and a webhook and SMS receiver on
// 127.0.0.1:2526, printing what the product sends, so a walkthrough sees e-mails, webhooks and
// texts arrive without any outside service. Start the product with
//   SMTP_URL=smtp://127.0.0.1:2525 SMS_GATEWAY_URL=http://127.0.0.1:2526/sms npm start
// and give a partner the webhook http://127.0.0.1:2526/hooks/<anything>. WEBHOOK_SECRET (the
// partner's secret) makes it check each webhook's signature.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { startHttpReceiver, startSmtpSink } from './receivers';

const secret = process.env.WEBHOOK_SECRET;
const line = (s: string) => console.log(s);

function signatureOk(header: string | string[] | undefined, body: string): string {
  if (!secret) return 'not checked (set WEBHOOK_SECRET)';
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header ?? ''));
  if (!m) return 'MISSING';
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex')) ? 'valid' : 'WRONG';
}

const smtp = await startSmtpSink(Number(process.env.RECEIVERS_SMTP_PORT ?? 2525), (m) => {
  line(`\n[mail] to ${m.to} · ${m.messageId}\n  ${m.subject}\n${m.text.replace(/^/gm, '  | ')}`);
});
const http = await startHttpReceiver(
  () => 200,
  Number(process.env.RECEIVERS_HTTP_PORT ?? 2526),
  (r) => {
    if (r.path.startsWith('/sms')) return line(`\n[sms] to ${(r.json as { to?: string })?.to}: ${(r.json as { text?: string })?.text}`);
    line(`\n[webhook] ${r.path} · ${r.headers['x-caseflow-event']} · signature ${signatureOk(r.headers['x-caseflow-signature'], r.body)}`);
    line(JSON.stringify(r.json, null, 2).replace(/^/gm, '  | '));
  },
);
line(`[receivers] SMTP ${smtp.url}   webhooks ${http.url}/hooks/…   SMS gateway ${http.url}/sms   (Ctrl-C stops)`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void Promise.all([smtp.close(), http.close()]).then(() => process.exit(0)));
