// The secrets the product runs on: the key that signs session tokens and the master keys that
// wrap case keys. Always from configuration; in development mode, when none are configured,
// random ones are made once and kept in DATA_DIR (never in the repository).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMasterKeys, type MasterKeys } from '../security/master-keys';
import { ConfigError, type Config } from './config';

export interface Secrets {
  authSecret: string;
  masterKeys: MasterKeys;
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
  }
  const dev = config.AUTH_SECRET && config.MASTER_KEYS ? undefined : developmentSecrets(config.dataDir);
  try {
    return {
      authSecret: config.AUTH_SECRET ?? dev!.authSecret,
      masterKeys: parseMasterKeys(config.MASTER_KEYS ?? dev!.masterKeys, config.MASTER_KEY_ID),
    };
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}
