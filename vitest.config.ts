import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    reporters: ['default', './test/_summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A page on a loaded 2-core machine (Chromium beside other test files) can take more than the default 1 s to
    // answer; a poll still ends the moment its condition holds.
    expect: { poll: { timeout: 10_000 } },
  },
})
