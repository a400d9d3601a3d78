// Debian's Chromium for the browser tests (playwright-core drives it): CHROMIUM_PATH, or the
// system's, installed by the set-up when missing and it runs as root (as on CI).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function chromiumPath(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? configured : undefined;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
}

/** Chromium's flags for a closed network: no background connections, no sandbox as root. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function ensureChromium(say: (line: string) => void): string | undefined {
  const found = chromiumPath();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    say("Chromium is missing: install Debian's chromium (sudo apt-get install chromium) or set CHROMIUM_PATH; the browser tests need it");
    return undefined;
  }
  say("installing Debian's chromium for the browser tests (once)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    if (!install()) say('apt-get could not install chromium; the browser tests will say so');
  }
  return chromiumPath();
}
