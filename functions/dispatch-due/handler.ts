/** Every minute (EventBridge): create and queue the prompts that are due. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { flushMetrics } from '../../shared/adapters/metrics.js';
import { deps } from '../../shared/deps.js';
import { logger } from '../../shared/logger.js';
import { dispatchDue } from '../../shared/usecases/dispatch-due.js';

export const handler = middy<ScheduledEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  // Ten seconds short of the timeout: enough to finish the batch in hand and return cleanly.
  .handler(async (_event, context) =>
    dispatchDue(deps, { deadline: Date.now() + context.getRemainingTimeInMillis() - 10_000 }),
  );
