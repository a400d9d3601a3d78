// Configuration, read once from the environment and checked before anything starts.
import { resolve } from 'node:path';
import { z } from 'zod';
import { ISO_DURATION } from '../domain/deadlines';

const port = z.coerce.number().int().min(1).max(65535);
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no', '']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** WORKFLOW_CACHE_SIZE's default: the worker's memory stays bounded whatever the number of open cases. */
export const DEFAULT_WORKFLOW_CACHE = 1000;

const ConfigSchema = z.object({
  APP_MODE: z
    .enum(['development', 'production'])
    .default('development')
    .describe('development seeds a demo directory and accepts development secrets; production refuses them'),
  PORT: port.default(3000).describe('HTTP API port'),
  HOST: z.string().default('127.0.0.1').describe('HTTP API listen address'),
  DATA_DIR: z.string().default('.data').describe('where the embedded PostgreSQL cluster and the Temporal SQLite file live'),
  DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional()),
  EMBEDDED_PG_PORT: port.default(5433),
  TEMPORAL_ADDRESS: optionalText.pipe(
    z
      .string()
      .regex(/^[^:\s]+:\d+$/, 'must be host:port, e.g. temporal.example.org:7233')
      .optional(),
  ),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('cases'),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_CLI_PATH: optionalText,
  AUTH_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  AUTH_SECRET_PREVIOUS: optionalText
    .pipe(z.string().min(32, 'must be at least 32 characters').optional())
    .describe('the AUTH_SECRET before a rotation: its sessions and partner links keep working while it is set'),
  TOKEN_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  MASTER_KEYS: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/=_-]+(,[A-Za-z0-9_-]+:[A-Za-z0-9+/=_-]+)*$/, 'must be id:base64key[,id:base64key…]')
      .optional(),
  ),
  MASTER_KEY_ID: optionalText,
  CODEC_PORT: z.coerce.number().int().min(0).max(65535).default(8234).describe('Web UI codec endpoint; 0 turns it off'),
  CODEC_HOST: z.string().default('127.0.0.1'),
  CODEC_CORS_ORIGIN: z.string().default('http://localhost:8233,http://127.0.0.1:8233'),
  CORS_ORIGINS: z.string().default('').describe('browser origins allowed to call the API; empty turns CORS off'),
  REQUEST_DEADLINE_MS: z.coerce
    .number()
    .int()
    .min(2_000)
    .max(600_000)
    .optional()
    .describe('how long a request may wait on PostgreSQL or Temporal before it answers 503 dependency_unavailable (the API’s own default when unset)'),
  WRITE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  PROGRAMME_SHORTEST_INTERVAL: z
    .string()
    .regex(ISO_DURATION)
    .default('PT1H')
    .describe('the shortest `{ every }` a programme schedule may have (PT2S for a live demonstration)'),
  TRUST_PROXY: flag.default(false),
  AUDIT_HEAD_FILE: optionalText,
  TEMPORAL_TEST_SERVER_PATH: optionalText,
  PUBLIC_URL: optionalText
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional())
    .describe('the address partners reach the product at: their referral links start with it (default http://127.0.0.1:PORT)'),
  WEBHOOK_ALLOWED_HOSTS: optionalText.describe(
    'host names partner webhooks may point at, comma-separated; default: loopback only in development, none in production',
  ),
  SMTP_URL: optionalText
    .pipe(z.url({ protocol: /^smtps?$/, error: 'must be smtp://host:port or smtps://user:password@host:465' }).optional())
    .describe('where e-mail leaves; unset: e-mail deliveries are dead-lettered with that reason'),
  MAIL_FROM: z.string().default('Case-flow <no-reply@case-flow.local>'),
  SMS_GATEWAY_URL: optionalText
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional())
    .describe('an HTTP SMS gateway taking POST { to, text }'),
  SMS_GATEWAY_TOKEN: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('JSON request logs at info'),
  METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535 - 16)
    .default(9464)
    .describe("Prometheus metrics of the API; worker n serves the Temporal SDK's worker metrics on METRICS_PORT + n; 0 turns them off"),
  METRICS_HOST: z.string().default('127.0.0.1'),
  WORKER_INDEX: z.coerce.number().int().min(1).max(16).default(1).describe('set by npm start for each worker process it runs'),
  WORKERS: z.coerce.number().int().min(1).max(16).optional().describe('worker processes to run; default 1 with the dev server, 2 with npm run cluster'),
  API_REPLICAS: z.coerce
    .number()
    .int()
    .min(1)
    .max(16)
    .default(1)
    .describe('API processes sharing PORT (node:cluster hands connections round); 1 serves the API inside npm start’s own process'),
  API_INDEX: z.coerce.number().int().min(1).max(16).default(1).describe('set by npm start for each API process it runs'),
  WORKFLOW_CACHE_SIZE: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      'case workflows a worker keeps in memory between their tasks (default: from WORKER_MEMORY_MB, else 1000); one not kept is replayed from its history when it wakes',
    ),
  WORKER_MEMORY_MB: z.coerce
    .number()
    .int()
    .min(640)
    .max(65_536)
    .optional()
    .describe("each worker process's memory budget: its V8 heap limit and its workflow cache are sized from it (system/worker-memory.ts)"),
  WORKFLOW_BUNDLE_PATH: optionalText.describe('a workflow bundle built before (npm start writes one for its worker process)'),
});

export type Config = z.infer<typeof ConfigSchema> & { dataDir: string };

export class ConfigError extends Error {}

/** Where partners reach the product: their referral links start with it. */
export function publicUrl(config: Config): string {
  return (config.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`).replace(/\/+$/, '');
}

/** The channels deliveries leave by, as configured. */
export function channelConfig(config: Config) {
  return {
    smtpUrl: config.SMTP_URL,
    mailFrom: config.MAIL_FROM,
    smsGatewayUrl: config.SMS_GATEWAY_URL,
    smsGatewayToken: config.SMS_GATEWAY_TOKEN,
    webhookAllowedHosts: webhookAllowedHosts(config),
  };
}

/** Hosts a partner's webhook may name, so nothing (a fuzzer included) makes the product call another. */
export function webhookAllowedHosts(config: Config): string[] {
  if (config.WEBHOOK_ALLOWED_HOSTS !== undefined) {
    return config.WEBHOOK_ALLOWED_HOSTS.split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
  }
  return config.APP_MODE === 'development' ? ['127.0.0.1', 'localhost', '[::1]'] : [];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}=${JSON.stringify(env[String(i.path[0])] ?? '')}: ${i.message}`);
    throw new ConfigError(`Configuration is not valid:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.DATA_DIR) };
}
