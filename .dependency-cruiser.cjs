// The layers of the house and what may import what (docs/architecture.md draws it). Each layer
// may import the layers below it, never one above, and no files import each other in a loop.
// Run by `npm run lint`.
const layer = (name, folders) => ({ name, path: `^(${folders.join('|')})/` });
// Bottom to top. worker.ts, bench/ and test/ stand on top of everything.
const LAYERS = [
  layer('domain', ['domain']),
  layer('db', ['db']),
  layer('rules', ['rules']),
  layer('security', ['security']),
  layer('activities', ['activities']),
  layer('workflows', ['workflows']),
  layer('api', ['api']),
  layer('system', ['system']),
];
// Layers that stand side by side and must not lean on each other.
const SIDE_BY_SIDE = [['rules', 'security']];

const upward = LAYERS.flatMap((low, i) =>
  LAYERS.slice(i + 1)
    .filter((high) => !SIDE_BY_SIDE.some(([a, b]) => (a === low.name && b === high.name) || (b === low.name && a === high.name)))
    .map((high) => ({
      name: `${low.name}-not-to-${high.name}`,
      comment: `${low.name}/ is below ${high.name}/: it may not import it`,
      severity: 'error',
      from: { path: low.path },
      to: { path: high.path },
    })),
);
const sideways = SIDE_BY_SIDE.flatMap(([a, b]) =>
  [
    [a, b],
    [b, a],
  ].map(([from, to]) => ({
    name: `${from}-not-to-${to}`,
    comment: `${from}/ and ${to}/ stand side by side`,
    severity: 'error',
    from: { path: `^${from}/` },
    to: { path: `^${to}/` },
  })),
);

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'files that import each other in a loop', severity: 'error', from: {}, to: { circular: true } },
    ...upward,
    ...sideways,
    {
      name: 'workflows-only-types-of-activities',
      comment: 'workflow code is bundled apart and replayed: activities come in as types only',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-free-of-libraries',
      comment: 'domain/ holds plain types, constants and zod schemas; nothing with I/O',
      severity: 'error',
      from: { path: '^domain/' },
      to: { dependencyTypes: ['npm', 'core'], pathNot: ['node_modules/(zod|@hono/zod-openapi)/'] },
    },
    {
      name: 'product-not-to-tests',
      comment: 'the product never imports its tests or benchmarks',
      severity: 'error',
      from: { path: '^(domain|db|rules|security|activities|workflows|api|system)/|^worker[.]ts$' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|[.]tools|[.]data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
  },
};
