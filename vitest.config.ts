import { defineConfig } from 'vitest/config'

// One run for the whole workspace: unit tests beside the code (X.test.ts), behaviour suites
// against a real server process in server/test/, and browser tests (*.e2e.test.ts).
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'server/src/**/*.test.ts',
      'server/test/**/*.test.ts',
      'client/src/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Server processes and Chromium share two cores: run files one after another.
    fileParallelism: false,
  },
})
