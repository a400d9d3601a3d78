// The channels a delivery leaves by: SMTP (nodemailer), signed webhooks and an SMS gateway over
// HTTP. Each send either returns (the receiver accepted it) or throws: a DeliveryRefused when
// trying again cannot help (no such channel configured, the receiver said 4xx), any other error
// when it may (the receiver is down, busy or slow).
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';

export class DeliveryRefused extends Error {}

export interface Channels {
  email(m: { to: string; subject: string; text: string; messageId: string }): Promise<void>;
  webhook(w: { url: string; secret: string | null; body: unknown; deliveryId: string; event: string }): Promise<void>;
  sms(s: { to: string; text: string; deliveryId: string }): Promise<void>;
  /** Closes the SMTP pool's connections, so a stopping worker process can exit. */
  close(): void;
}

export interface ChannelConfig {
  /** smtp://host:port or smtps://user:pass@host:465; none: e-mail deliveries are refused. */
  smtpUrl?: string;
  mailFrom: string;
  smsGatewayUrl?: string;
  smsGatewayToken?: string;
  /** Hosts a webhook may reach (WEBHOOK_ALLOWED_HOSTS), checked again at sending. */
  webhookAllowedHosts: readonly string[];
  /** How long a receiver has to answer. */
  timeoutMs?: number;
}

/** `X-CaseFlow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signature(secret: string, body: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** A receiver's answer: 2xx accepted; 4xx but 408, 425 and 429 refused for good; the rest worth another try. */
async function answered(res: Response, what: string): Promise<void> {
  await res.body?.cancel();
  if (res.ok) return;
  const message = `${what} answered ${res.status} ${res.statusText}`;
  if (res.status >= 400 && res.status < 500 && ![408, 425, 429].includes(res.status)) throw new DeliveryRefused(message);
  throw new Error(message);
}

export function createChannels(config: ChannelConfig): Channels {
  const timeout = config.timeoutMs ?? 15_000;
  // A pool of connections (nodemailer's `pool`), unless the URL says otherwise: one per message costs a handshake each.
  const pooled = (url: string) => {
    const u = new URL(url);
    if (!u.searchParams.has('pool')) u.searchParams.set('pool', 'true');
    return u.toString();
  };
  const mailer = config.smtpUrl ? nodemailer.createTransport(pooled(config.smtpUrl)) : undefined;
  return {
    async email(m) {
      if (!mailer) throw new DeliveryRefused('SMTP_URL is not set: e-mail cannot be sent');
      await mailer.sendMail({ from: config.mailFrom, to: m.to, subject: m.subject, text: m.text, messageId: m.messageId });
    },
    async webhook(w) {
      const host = new URL(w.url).hostname.toLowerCase();
      if (!config.webhookAllowedHosts.includes(host)) throw new DeliveryRefused(`host ${host} is not in WEBHOOK_ALLOWED_HOSTS`);
      const body = JSON.stringify(w.body);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': w.deliveryId, 'x-caseflow-event': w.event };
      if (w.secret) headers['x-caseflow-signature'] = signature(w.secret, body);
      await answered(await fetch(w.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeout) }), 'the webhook');
    },
    async sms(s) {
      if (!config.smsGatewayUrl) throw new DeliveryRefused('SMS_GATEWAY_URL is not set: SMS cannot be sent');
      const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': s.deliveryId };
      if (config.smsGatewayToken) headers.authorization = `Bearer ${config.smsGatewayToken}`;
      const body = JSON.stringify({ to: s.to, text: s.text });
      await answered(await fetch(config.smsGatewayUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeout) }), 'the SMS gateway');
    },
    close() {
      mailer?.close();
    },
  };
}
