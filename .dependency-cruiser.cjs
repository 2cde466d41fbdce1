/**
 * The folders of shared/, lowest first. A folder may import only folders of lower layers (its own
 * files aside); folders of one layer are independent of each other. So no loop between folders can
 * form, and what may import what reads from this list:
 *   entry points (edge, cli) → composition root (app) → dashboard → api → scheduler → health → connections, bootstrap → sync → ai →
 *   notifications → access → oauth → crypto, ingress → context → providers, resilience, adapters, http, records →
 *   domain, config, logging, ports, metrics → errors, topology.
 */
const LAYERS = [
  ['errors', 'topology'],
  ['config', 'logging', 'domain', 'ports', 'metrics'],
  ['records', 'providers', 'resilience', 'adapters', 'http'],
  ['context'],
  ['crypto', 'ingress'],
  ['oauth'],
  ['access'],
  ['notifications'],
  ['ai'],
  ['sync'],
  ['connections', 'bootstrap'],
  ['health'],
  ['scheduler'],
  ['api'],
  ['dashboard'],
  ['app'],
  ['edge'],
  ['cli'],
];

const any = (folders) => `^shared/(${folders.join('|')})/`;

/** One rule per folder: nothing above it, and no sibling of its own layer. */
const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  return layer.map((folder) => {
    const forbidden = [...above, ...layer.filter((f) => f !== folder)];
    return {
      name: `layer-${folder}`,
      comment: `shared/${folder} may import only the folders below its layer (see LAYERS in .dependency-cruiser.cjs).`,
      severity: 'error',
      from: { path: `^shared/${folder}/` },
      to: { path: forbidden.length > 0 ? any(forbidden) : '^$' },
    };
  });
});

/** Layer rules, checked by `npm run layers` (part of `npm test`). */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'domain-is-pure',
      comment:
        'shared/domain holds pure logic: no node built-ins with I/O, no SDKs, no adapters or ports with I/O.',
      severity: 'error',
      from: { path: '^shared/domain' },
      to: {
        pathNot: ['^shared/domain', '^shared/errors', 'node_modules/(zod|yaml|semver)/', '^(node:)?crypto$'],
      },
    },
    {
      name: 'functions-import-only-shared',
      comment: 'Each function is a thin entry point: it imports shared/ and the Functions Framework only.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { pathNot: ['^shared/', 'node_modules/@google-cloud/functions-framework/', '^functions/[^/]+/'] },
    },
    {
      name: 'no-function-to-function',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^functions/' },
    },
    {
      name: 'adapters-only-behind-composition-root',
      comment: 'Only the composition root (shared/app) reaches into adapters.',
      severity: 'error',
      from: { path: '^shared/', pathNot: ['^shared/adapters/', '^shared/app/'] },
      to: { path: '^shared/adapters/' },
    },
    {
      name: 'composition-root-only-at-the-edge',
      comment: 'Only the entry points (shared/edge, which bin/ and functions/ reach) build a context.',
      severity: 'error',
      from: { path: '^(shared|bin|functions)/', pathNot: ['^shared/app/', '^shared/edge/'] },
      to: { path: '^shared/app/' },
    },
    {
      name: 'dashboard-assets-are-browser-code',
      comment:
        'shared/dashboard/assets is served to the browser file by file: its modules import only each other ' +
        '(API types come in through JSDoc import() types, which are erased).',
      severity: 'error',
      from: { path: '^shared/dashboard/assets/' },
      to: { pathNot: '^shared/dashboard/assets/' },
    },
    {
      name: 'no-server-import-of-dashboard-assets',
      comment: 'Server code serves the dashboard modules as files; it never imports them.',
      severity: 'error',
      from: { pathNot: '^shared/dashboard/assets/' },
      to: { path: '^shared/dashboard/assets/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
