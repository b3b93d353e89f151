import { defineConfig } from 'vitest/config';

/**
 * `npm run test:chaos`: fault injection against the local stack (test/chaos). Kept out of
 * `npm test` because it kills and restarts its own DynamoDB Local and sends a thousand prompts;
 * each file starts its own parts, so nothing is shared with other runs.
 */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 180_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    },
  },
});
