// `npm run test:model -- --runs N --seed S [--steps K] [--path P] [--no-shrink]`: the model-based
// tests with more sequences than npm test runs. A failure prints its seed and path; pass both to
// replay it. --no-shrink reports the first failing sequence as it is (shrinking real workflows is slow).
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    steps: { type: 'string' },
    path: { type: 'string' },
    'no-shrink': { type: 'boolean', default: false },
  },
});
console.log(
  `[model] ${values.runs} sequences, seed ${values.seed}${values.steps ? `, up to ${values.steps} steps` : ''}${values.path ? `, path ${values.path}` : ''}`,
);
const result = spawnSync('npx', ['vitest', 'run', 'test/model'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    MODEL_RUNS: values.runs,
    MODEL_SEED: values.seed,
    ...(values.steps ? { MODEL_STEPS: values.steps } : {}),
    ...(values.path ? { MODEL_PATH: values.path } : {}),
    ...(values['no-shrink'] ? { MODEL_NO_SHRINK: '1' } : {}),
  },
});
process.exit(result.status ?? 1);
