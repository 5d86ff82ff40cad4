// The layer check (`npm run lint`): dependencies point one way, down (see STYLE.md "Layout").
// TypeScript is parsed with @swc/core: typescript 7 ships no JavaScript compiler API for dependency-cruiser.
// Every rule is an error; dynamic and type-only imports count like static ones.
const NORMALISERS = '^src/(addresses|customers|equipment)/'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles-in-src',
      comment: 'A cycle in src/ (dynamic imports included) ties layers together; hand the later step in as a hook instead.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'normalisers-are-leaves',
      comment: 'The normalisers are pure: they import each other and the low-level leaves only (i18n, errors, dates, logger).',
      severity: 'error',
      from: { path: NORMALISERS },
      to: {
        path: '^src/',
        pathNot: [NORMALISERS, '^src/i18n/', '^src/errors[.]ts$', '^src/dates[.]ts$', '^src/logger[.]ts$'],
      },
    },
    {
      name: 'records-below-the-domain',
      comment: 'The record model sits under import, master data and the engine; it knows none of them nor any adapter.',
      severity: 'error',
      from: { path: '^src/records/' },
      to: { path: '^src/(engine|audits|access|import|masterdata|graphql|cli|jobs|incidents|http|notify|search|seed)/' },
    },
    {
      name: 'engine-knows-no-callers',
      comment: 'The engine knows no GraphQL, terminal, queue, import or incidents: what runs after an audit is handed in as a hook.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/(audits|graphql|cli|jobs|incidents|import|http|notify|masterdata|seed|search)/' },
    },
    {
      name: 'adapters-on-top',
      comment: 'GraphQL, HTTP and the CLI call the domain; nothing below them imports an adapter.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(graphql|http|cli)/|^src/server[.]ts$' },
      to: { path: '^src/(graphql|http|cli)/|^src/server[.]ts$' },
    },
    {
      name: 'jobs-interface-is-a-leaf',
      comment: 'src/jobs/queue.ts is what callers hold (job types, the queue interface): it imports nothing of the adapters, processors or schedules.',
      severity: 'error',
      from: { path: '^src/jobs/queue[.]ts$' },
      to: { path: '^src/jobs/' },
    },
    {
      name: 'db-knows-no-domain',
      comment: 'src/db is the bottom layer: the Prisma client, the databases and migrations; no domain module.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: {
        path: '^src/',
        pathNot: ['^src/db/', '^src/generated/', '^src/errors[.]ts$', '^src/i18n/', '^src/logger[.]ts$', '^src/dates[.]ts$'],
      },
    },
    {
      name: 'src-not-to-test-or-scripts',
      comment: 'Production code never reaches into tests or scripts.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'web-not-to-server',
      comment: 'The console talks to the server over GraphQL only (its types come from web/src/gql, generated from schema.graphql).',
      severity: 'error',
      from: { path: '^web/' },
      // but the CSV writer's neutralising (imports nothing): a console download is as safe as the server's files
      to: { path: '^(src|test|scripts)/', pathNot: '^src/csv-neutralise[.]ts$' },
    },
    {
      name: 'resolvable',
      comment: 'An import the cruiser cannot resolve would slip past the rules above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    exclude: { path: ['^web/dist/'] },
    moduleSystems: ['es6', 'cjs'],
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
    reporterOptions: {},
  },
}
