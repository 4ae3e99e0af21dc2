/**
 * The dependency rule, checked in CI by dependency-cruiser (`npm run lint:deps`) so that no change can
 * quietly break it. docs/architecture.md draws it.
 *
 * - no run-time import cycle (type-only imports are erased at run time and may point back);
 * - route files (`http/`) validate, authorise and delegate: they never build SQL themselves, neither
 *   with kysely nor with the database helpers in src/platform/db/;
 * - the domains never import the composition root (`src/app/`: runtime, server and
 *   route table), only the CLI, the tests and the server entry do;
 * - the platform sits below the domains and imports none of them at run time;
 * - the web app imports no server module except the shared request schemas.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycle',
      severity: 'error',
      comment: 'A run-time import cycle: split the file that holds two use cases, or move the shared piece down.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-sql-in-routes',
      severity: 'error',
      comment: 'Route files validate, authorise and delegate; SQL belongs to stores and use cases.',
      from: { path: '^src/.+/http/', pathNot: '^src/platform/http/' },
      to: { path: 'node_modules/kysely/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-query-builder-in-routes',
      severity: 'error',
      comment:
        "Route files get rows from stores and use cases: they may name the database's types, never import " +
        'the helpers that build or run SQL (json(), fetchPage()). test/routes-build-no-sql.test.ts catches ' +
        'a query built on ctx.db itself, which no import shows.',
      from: { path: '^src/.+/http/', pathNot: '^src/platform/http/' },
      to: { path: '^src/platform/db/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domains-do-not-import-the-composition-root',
      severity: 'error',
      comment: 'The composition root wires the domains together; a domain that imports it hides a cycle.',
      from: {
        path: '^src/(claims|screening|insurance|ledger|safety|notifications|marketplace|privacy)/',
      },
      to: { path: '^src/app/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'platform-stays-below-the-domains',
      severity: 'error',
      comment: 'The platform (database, HTTP plumbing, clock, auth) serves every domain; only src/app/ wires domains in.',
      from: { path: '^src/platform/', pathNot: '[.]test[.]ts$' },
      to: {
        path: '^src/(claims|screening|insurance|ledger|safety|notifications|marketplace|privacy|demo|app)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'web-imports-only-shared-schemas',
      severity: 'error',
      comment: 'The browser bundle must not pull server code; share request schemas from zod-only modules.',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/.+/schemas/|[.]schemas?[.]ts$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that cannot be resolved: a typo or a package missing from package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.mjs', '.js'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
