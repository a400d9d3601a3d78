import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMasterKeys } from '../../security/master-keys';
import { ConfigError, loadConfig } from '../../system/config';
import { loadSecrets } from '../../system/secrets';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const dataDir = () => mkdtempSync(join(tmpdir(), 'secrets-'));

describe('secrets', () => {
  it('refuses to run in production without configured secrets, naming them', () => {
    const config = loadConfig({ APP_MODE: 'production', DATA_DIR: dataDir() });
    expect(() => loadSecrets(config)).toThrow(ConfigError);
    expect(() => loadSecrets(config)).toThrow(/AUTH_SECRET and MASTER_KEYS/);
  });

  it('refuses a default-looking AUTH_SECRET in production', () => {
    const config = loadConfig({ APP_MODE: 'production', AUTH_SECRET: 'change-me-change-me-change-me-change-me', MASTER_KEYS: `k1:${key(1)}` });
    expect(() => loadSecrets(config)).toThrow(/default or example/);
  });

  it('in development makes random secrets once, outside the repository, and keeps them', () => {
    const dir = dataDir();
    const first = loadSecrets(loadConfig({ DATA_DIR: dir }));
    const again = loadSecrets(loadConfig({ DATA_DIR: dir }));
    expect(again.authSecret).toBe(first.authSecret);
    expect(first.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(JSON.parse(readFileSync(join(dir, 'dev-secrets.json'), 'utf8')).authSecret).toBe(first.authSecret);
    expect(loadSecrets(loadConfig({ DATA_DIR: dataDir() })).authSecret).not.toBe(first.authSecret);
  });

  it('takes AUTH_SECRET_PREVIOUS as AUTH_SECRET is taken, and refuses it equal to AUTH_SECRET', () => {
    const current = 'N'.repeat(16) + 'e'.repeat(16) + 'w';
    const previous = 'O'.repeat(16) + 'l'.repeat(16) + 'd';
    const keys = `k1:${key(1)}`;
    expect(loadSecrets(loadConfig({ AUTH_SECRET: current, AUTH_SECRET_PREVIOUS: previous, MASTER_KEYS: keys }))).toMatchObject({
      authSecret: current,
      authSecretPrevious: previous,
    });
    expect(loadSecrets(loadConfig({ AUTH_SECRET: current, MASTER_KEYS: keys }))).not.toHaveProperty('authSecretPrevious');
    expect(() => loadConfig({ AUTH_SECRET_PREVIOUS: 'short' })).toThrow(/AUTH_SECRET_PREVIOUS="short": must be at least 32 characters/);
    expect(() => loadSecrets(loadConfig({ AUTH_SECRET: current, AUTH_SECRET_PREVIOUS: current, MASTER_KEYS: keys }))).toThrow(/same as AUTH_SECRET/);
    expect(() =>
      loadSecrets(
        loadConfig({ APP_MODE: 'production', AUTH_SECRET: current, AUTH_SECRET_PREVIOUS: 'change-me-change-me-change-me-change-me', MASTER_KEYS: keys }),
      ),
    ).toThrow(/AUTH_SECRET_PREVIOUS looks like a default/);
  });

  it('checks master keys: 32 bytes each, a known active id', () => {
    expect(() => parseMasterKeys('k1:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseMasterKeys(`k1:${key(1)}`, 'k9')).toThrow(/MASTER_KEY_ID/);
    expect(parseMasterKeys(`k1:${key(1)},k2:${key(2)}`, 'k2').activeId).toBe('k2');
  });
});

describe('configuration', () => {
  it('names every bad variable in one message', () => {
    expect(() => loadConfig({ PORT: 'abc', DATABASE_URL: 'http://db', TEMPORAL_ADDRESS: 'nohost' })).toThrow(
      /PORT="abc".*\n.*DATABASE_URL="http:\/\/db": must be a postgres.*\n.*TEMPORAL_ADDRESS="nohost": must be host:port/,
    );
  });
});
