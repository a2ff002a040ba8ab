import { defineConfig } from 'vitest/config';

// Integration tests share the machine's network namespaces and CPU with load tools, so
// files run one after another; unit tests are fast enough that this costs little.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default'],
  },
});
