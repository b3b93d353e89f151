import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fault injection has its own run (`npm run test:chaos`, vitest.chaos.config.ts).
    exclude: ['test/chaos/**', '**/node_modules/**', '**/.git/**'],
    // One DynamoDB Local for the whole run; each end-to-end file gets its own table and servers.
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Two cores: more parallel files than that only slows every one of them down.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    },
  },
});
