/**
 * Layers, highest first. A module may import its own layer and any layer below it, never one
 * above; no import cycle anywhere. A new top-level folder under src/ takes its place in this list
 * (the check refuses a module that belongs to no layer).
 *
 *   entry    main.ts, cli/                                  (the server's and the command line's entry points)
 *   library  library/                                      (the package's public API: speech, createRouter, jobs client)
 *   root     compose-gateway.ts, compose/                  (the composition root and its sub-roots, shared by every face)
 *   edge     api/ (HTTP) and worker/ (job processors)       (neither imports the other)
 *   service  jobs/, governance/, cache/
 *   core     core/                                         (use cases: synthesize, describeFailure)
 *   router   router/
 *   domain   domain/                                       (catalog, errors, events, principal, cost)
 *   adapters providers/, storage/, queue/, webhooks/, redis/
 *   base     audio/, text/, logging/
 *   config   config/
 */
const LAYERS = [
  ['entry', '^src/(main\\.ts|cli/)'],
  ['library', '^src/library/'],
  ['root', '^src/(compose-gateway\\.ts|compose/)'],
  ['edge', '^src/(api|worker)/'],
  ['service', '^src/(jobs|governance|cache)/'],
  ['core', '^src/core/'],
  ['router', '^src/router/'],
  ['domain', '^src/domain/'],
  ['adapters', '^src/(providers|storage|queue|webhooks|redis)/'],
  ['base', '^src/(audio|text|logging)/'],
  ['config', '^src/config/'],
];

const upward = LAYERS.slice(1).map(([name, path], index) => ({
  name: `no-upward-from-${name}`,
  comment: `${name} may only import its own layer or those below it`,
  severity: 'error',
  from: { path },
  to: { path: LAYERS.slice(0, index + 1).map(([, above]) => `(${above})`).join('|') },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-api-worker-crossing',
      comment: 'the HTTP side and the job processors are siblings: what both need lives below them',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/worker/' },
    },
    {
      name: 'no-worker-api-crossing',
      comment: 'the HTTP side and the job processors are siblings: what both need lives below them',
      severity: 'error',
      from: { path: '^src/worker/' },
      to: { path: '^src/api/' },
    },
    {
      name: 'in-a-layer',
      comment: 'every module under src/ belongs to a layer: add a new folder to LAYERS above',
      severity: 'error',
      from: { path: '^src/', pathNot: LAYERS.map(([, path]) => `(${path})`).join('|') },
      to: {},
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-src-to-test',
      comment: 'production code never reaches into the tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
