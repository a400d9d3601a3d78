// The secrets the product runs on: the key that signs session tokens and the master keys that
// wrap case keys. Always from configuration; in development mode, when none are configured,
// random ones are made once and kept in DATA_DIR (never in the repository).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthSecrets } from '../security/auth-secrets';
import { parseMasterKeys, type MasterKeys } from '../security/master-keys';
import { ConfigError, type Config } from './config';

export interface Secrets {
  authSecret: string;
  /** The AUTH_SECRET before a rotation (AUTH_SECRET_PREVIOUS): still honoured, never used to sign. */
  authSecretPrevious?: string;
  masterKeys: MasterKeys;
}

/** The secrets the API and the worker check tokens and links with: the current, and the previous while it is set. */
export function authSecrets(secrets: Secrets): AuthSecrets {
  return secrets.authSecretPrevious ? { current: secrets.authSecret, previous: secrets.authSecretPrevious } : secrets.authSecret;
}

const WEAK = /^(.)\1*$|change.?me|secret|password|example|development|default|test/i;

function developmentSecrets(dataDir: string): { authSecret: string; masterKeys: string } {
  const file = join(dataDir, 'dev-secrets.json');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const fresh = { authSecret: randomBytes(32).toString('base64url'), masterKeys: `dev1:${randomBytes(32).toString('base64')}` };
    writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

export function loadSecrets(config: Config): Secrets {
  if (config.APP_MODE === 'production') {
    const missing = [!config.AUTH_SECRET && 'AUTH_SECRET', !config.MASTER_KEYS && 'MASTER_KEYS'].filter(Boolean);
    if (missing.length) throw new ConfigError(`APP_MODE=production needs ${missing.join(' and ')}; development secrets are refused`);
    if (WEAK.test(config.AUTH_SECRET!)) throw new ConfigError('AUTH_SECRET looks like a default or example value; use 32+ random characters');
    if (config.AUTH_SECRET_PREVIOUS && WEAK.test(config.AUTH_SECRET_PREVIOUS)) {
      throw new ConfigError('AUTH_SECRET_PREVIOUS looks like a default or example value; it must be the AUTH_SECRET used before');
    }
  }
  const dev = config.AUTH_SECRET && config.MASTER_KEYS ? undefined : developmentSecrets(config.dataDir);
  // The same secret twice is a rotation half done: the new one was never put in AUTH_SECRET.
  if (config.AUTH_SECRET_PREVIOUS && config.AUTH_SECRET_PREVIOUS === (config.AUTH_SECRET ?? dev!.authSecret)) {
    throw new ConfigError('AUTH_SECRET_PREVIOUS is the same as AUTH_SECRET: put the new secret in AUTH_SECRET and the old one in AUTH_SECRET_PREVIOUS');
  }
  try {
    return {
      authSecret: config.AUTH_SECRET ?? dev!.authSecret,
      ...(config.AUTH_SECRET_PREVIOUS ? { authSecretPrevious: config.AUTH_SECRET_PREVIOUS } : {}),
      masterKeys: parseMasterKeys(config.MASTER_KEYS ?? dev!.masterKeys, config.MASTER_KEY_ID),
    };
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}
