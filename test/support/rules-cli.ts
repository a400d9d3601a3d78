// `npm run rules` as a person runs it, against a test system: asynchronous, because the API it
// calls may run in the test's own process.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function rulesCli(url: string, token: string, ...args: string[]) {
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('../../system/rules-cli.ts', import.meta.url)), ...args],
      { env: { ...process.env, CASEFLOW_API_URL: url, CASEFLOW_TOKEN: token }, encoding: 'utf8' },
      (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
