import { defineConfig } from 'vitest/config'

// Workspace packages export their TypeScript sources under the `kartu-source` condition and
// their compiled dist/ otherwise (production Node). Tests run the sources, so the condition goes
// in front of Vite's default server conditions (Vite's `defaultServerConditions`, not importable
// from here as vite is only vitest's dependency).
const SOURCE_CONDITIONS = ['kartu-source', 'module', 'node', 'development|production']

// One run for the whole workspace: unit tests beside the code (X.test.ts), behaviour suites
// against a real server process in server/test/, and browser tests (*.e2e.test.ts).
export default defineConfig({
  ssr: { resolve: { conditions: SOURCE_CONDITIONS } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'server/src/**/*.test.ts',
      'server/test/**/*.test.ts',
      'client/src/**/*.test.ts',
    ],
    // With KARTU_TEST_STORE=postgres: checks PostgreSQL, and drops the run's schemas at the end.
    globalSetup: ['server/src/testing/testStoreSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Server processes and Chromium share two cores: run files one after another.
    fileParallelism: false,
    // In one worker that keeps its loaded modules from file to file: a fresh worker per file
    // imported the server's whole module graph again each time (about 2 s a file, a third of
    // the suite's time). A file must therefore leave nothing behind: each closes what it opens
    // (servers, sockets, browsers, timers) in its after-hooks, as it did already.
    isolate: false,
  },
})
