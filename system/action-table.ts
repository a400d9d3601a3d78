// The README's table of staff actions, rendered from the catalogue (domain/actions.ts) so the two
// cannot drift: `npm run docs:actions` writes it between the markers, and a test checks it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROLE_LABELS } from '../domain/access';
import { ACTION_NAMES, ACTIONS, OPEN_STAGES } from '../domain/actions';
import { STAGES, type Stage } from '../domain/stages';

export const README_PATH = fileURLToPath(new URL('../README.md', import.meta.url));
const START = '<!-- actions:start (npm run docs:actions writes this table from domain/actions.ts) -->';
const END = '<!-- actions:end -->';

function stagesText(stages: readonly Stage[]): string {
  if (stages.length === STAGES.length) return 'any';
  if (stages.length === OPEN_STAGES.length && OPEN_STAGES.every((s) => stages.includes(s))) return 'any open stage';
  return stages.map((s) => `\`${s}\``).join(', ');
}

export function renderActionTable(): string {
  const rows = ACTION_NAMES.map((name) => {
    const a = ACTIONS[name];
    const fields = Object.keys(a.fields)
      .map((f) => `\`${f}\``)
      .join(', ');
    const roles = a.roles.map((r) => ROLE_LABELS[r].en).join(', ');
    return `| \`${a.method.toUpperCase()} ${a.path.replace(/\{(\w+)\}/g, ':$1')}\` | ${fields} | ${roles} | ${stagesText(a.stages)} | ${a.summary.en} |`;
  });
  return [START, '| method and path | body | who | stage | what it does |', '| --- | --- | --- | --- | --- |', ...rows, END].join('\n');
}

/** The README with its action table rendered anew. */
export function readmeWithActionTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no action table markers (${START} … ${END})`);
  return readme.slice(0, start) + renderActionTable() + readme.slice(end + END.length);
}

if (process.argv.includes('--write')) {
  const before = readFileSync(README_PATH, 'utf8');
  const after = readmeWithActionTable(before);
  writeFileSync(README_PATH, after);
  console.log(after === before ? 'README.md: the action table was up to date' : 'README.md: action table rewritten from domain/actions.ts');
}
