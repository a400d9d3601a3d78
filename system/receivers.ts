// Real receivers on loopback for what leaves the system, for the tests, the benchmark and
// `npm run receivers`: an SMTP server (smtp-server) that keeps every message parsed, and an HTTP
// receiver for webhooks and an SMS gateway stand-in (the gateway is outside the system) whose
// answer the caller decides. Development tools: they need the dev dependencies.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
}

export async function startSmtpSink(
  port = 0,
  onMail: (m: ReceivedMail) => void = () => {},
): Promise<{ url: string; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((m) => {
          const to = Array.isArray(m.to) ? m.to.map((a) => a.text).join(', ') : (m.to?.text ?? '');
          const mail = { messageId: m.messageId ?? '', to, subject: m.subject ?? '', text: m.text ?? '' };
          mails.push(mail);
          onMail(mail);
          done();
        })
        .catch((err: Error) => done(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${bound}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  status: number;
}

/** Answers each request with what `answer` says (200 unless told); keeps every request and its answer. */
export async function startHttpReceiver(
  answer: (n: number) => number = () => 200,
  port = 0,
  onRequest: (r: ReceivedRequest & { path: string }) => void = () => {},
) {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = answer(requests.length + 1);
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const request = { headers: req.headers, body, json, status };
      requests.push(request);
      onRequest({ ...request, path: req.url ?? '/' });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${bound}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
