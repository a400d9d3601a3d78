// `npm run test:model -- --runs N --seed S [--steps K] [--path P]`: the model-based test with more
// sequences than npm test runs. A failure prints its seed and path; pass both to replay it.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    steps: { type: 'string' },
    path: { type: 'string' },
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
  },
});
process.exit(result.status ?? 1);
