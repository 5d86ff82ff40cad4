import { createRequire } from 'node:module'
import { defineConfig } from 'vitest/config'

const require = createRequire(import.meta.url)

// test files that replace one of the service's modules (vi.mock): they need modules of their own
const ISOLATED = ['test/http/error-logging.test.ts']

export default defineConfig({
  resolve: {
    // graphql 16 has no exports map: Vite would pick its ESM build for our code while Node hands the
    // CommonJS build to the libraries (Pothos, yoga) — two copies that refuse each other's types
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // a worker keeps its modules from one test file to the next (isolate: false): importing the service's modules
    // again for each of ~130 files was a fifth of the suite's time. Every file opens its own databases, keys and
    // queue prefixes, so nothing else is shared; a file that replaces a module (vi.mock) runs isolated.
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
    ],
  },
})
