/** Layer rules, checked by `npm run layers` (part of `npm test`). */
module.exports = {
  forbidden: [
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
      comment: 'Only the composition roots (shared/app) and adapter tests reach into adapters.',
      severity: 'error',
      from: { path: '^shared/', pathNot: ['^shared/adapters/', '^shared/app/', '^shared/providers/'] },
      to: { path: '^shared/adapters/' },
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
