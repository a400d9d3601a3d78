// `npm run rules -- validate|simulate|backtest|publish FILE`: the /rules API from a JSON file,
// for managers who keep their ruleset in a file. Reads CASEFLOW_API_URL (default
// http://127.0.0.1:$PORT, as `npm start` listens) and CASEFLOW_TOKEN (a manager's session token, or any token to validate
// and simulate).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = `usage:
  npm run rules -- validate FILE
  npm run rules -- simulate FILE INTAKES.json          (an intake or a list of them)
  npm run rules -- backtest FILE [--from ISO] [--to ISO]
  npm run rules -- publish FILE --comment "why" [--confirm-downgrades]
environment: CASEFLOW_TOKEN (required), CASEFLOW_API_URL (default http://127.0.0.1:$PORT, PORT default 3000)`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    comment: { type: 'string' },
    'confirm-downgrades': { type: 'boolean', default: false },
  },
});
const [command, file, intakesFile] = positionals;
const base = (process.env.CASEFLOW_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
const token = process.env.CASEFLOW_TOKEN;

class CliError extends Error {}

function readJson(path: string | undefined, what: string): unknown {
  if (!path) throw new CliError(`${what} is missing\n${USAGE}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
}

async function api(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((err: Error & { cause?: { code?: string } }) => {
    const why = err.cause?.code === 'ECONNREFUSED' ? 'nothing answers there' : (err.cause?.code ?? err.message);
    throw new CliError(`cannot reach the API at ${base} (${why}). Is \`npm start\` running? Set CASEFLOW_API_URL, or PORT if it listens elsewhere.`);
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const error = parsed?.error ?? { code: `http_${res.status}`, message: text };
    const details = (error.details ?? []).map((d: { path: string; message: string }) => `  ${d.path}: ${d.message}`).join('\n');
    throw new CliError(`${method} ${path}: ${res.status} ${error.code}: ${error.message}${details ? `\n${details}` : ''}`);
  }
  return parsed;
}

function printDiff(diff: {
  added: string[];
  removed: string[];
  changed: Array<{ rule: string; fields: string[] }>;
  scoring: Array<{ field: string; from: unknown; to: unknown }>;
}) {
  const lines = [
    ...diff.added.map((r) => `  + ${r}`),
    ...diff.removed.map((r) => `  - ${r}`),
    ...diff.changed.map((c) => `  ~ ${c.rule} (${c.fields.join(', ')})`),
    ...diff.scoring.map((s) => `  ~ scoring.${s.field}: ${JSON.stringify(s.from)} → ${JSON.stringify(s.to)}`),
  ];
  console.log(lines.length ? `changes against the published version:\n${lines.join('\n')}` : 'no changes against the published version');
}

function printBacktest(b: any) {
  console.log(
    `backtest of version ${b.rulesetVersion} over ${b.cases} case(s): ${b.changedPath} change path (${b.upgrades} to emergency, ${b.downgrades} to standard), ${b.changedLevel} change level`,
  );
  for (const ch of b.changes.slice(0, 30)) {
    const warn = ch.from.path === 'emergency' && ch.to.path === 'standard' ? '  ⚠ DOWNGRADE' : '';
    console.log(
      `  ${ch.caseId} (${ch.createdAt.slice(0, 10)}): ${ch.from.path}/${ch.from.level} ${ch.from.score} → ${ch.to.path}/${ch.to.level} ${ch.to.score}${warn}`,
    );
  }
  if (b.changes.length > 30 || b.changesTruncated) console.log(`  … and ${b.changedPath + b.changedLevel - 30} more changes`);
  if (b.neverFired.length) console.log(`rules that fired for no case: ${b.neverFired.join(', ')}`);
}

/** A draft holding exactly this document: the existing one, or a new one. */
async function draftFor(document: unknown): Promise<{ version: number; checkedAt: string | null }> {
  const { checksum } = await api('POST', '/rules/validate', document);
  const { drafts } = await api('GET', '/rules');
  const same = drafts.find((d: { checksum: string }) => d.checksum === checksum);
  if (same) return same;
  const created = await api('POST', '/rules/drafts', { document, comment: values.comment ?? `from ${file}` });
  console.log(`stored as draft version ${created.version}`);
  return created;
}

async function main() {
  if (!token) throw new CliError(`CASEFLOW_TOKEN is not set (log in with POST /auth/login)\n${USAGE}`);
  switch (command) {
    case 'validate': {
      const result = await api('POST', '/rules/validate', readJson(file, 'the ruleset file'));
      console.log(`valid: ${result.rules} rules, checksum ${result.checksum}`);
      return;
    }
    case 'simulate': {
      const document = readJson(file, 'the ruleset file');
      const raw = readJson(intakesFile, 'the intakes file');
      const result = await api('POST', '/rules/simulate', { document, intakes: Array.isArray(raw) ? raw : [raw] });
      result.results.forEach((r: any, i: number) => {
        const d = (x: any) =>
          `${x.decision.path}/${x.decision.level} (${x.decision.score}: ${x.decision.reasons.map((z: any) => z.rule).join(', ') || 'no rule'})`;
        console.log(`intake ${i + 1}: published v${result.publishedVersion} ${d(r.published)} → file ${d(r.candidate)}${r.changed ? '  CHANGED' : ''}`);
      });
      return;
    }
    case 'backtest':
    case 'publish': {
      const document = readJson(file, 'the ruleset file');
      const { published } = await api('GET', '/rules');
      const draft = await draftFor(document);
      printDiff(await api('GET', `/rules/diff?from=${published.version}&to=${draft.version}`));
      console.log('replaying past cases…');
      const summary = await api('POST', `/rules/drafts/${draft.version}/backtest`, { from: values.from, to: values.to });
      printBacktest(summary);
      if (command === 'backtest') {
        console.log(`to publish: npm run rules -- publish ${file} --comment "…"`);
        return;
      }
      if (!values.comment) throw new CliError('publish needs --comment "why this change"');
      const result = await api('POST', `/rules/drafts/${draft.version}/publish`, { comment: values.comment, confirmDowngrades: values['confirm-downgrades'] });
      console.log(`published version ${result.version}; new cases are routed by it, past cases keep their decisions`);
      return;
    }
    default:
      throw new CliError(USAGE);
  }
}

main().catch((err) => {
  console.error(err instanceof CliError ? err.message : err);
  process.exit(1);
});
