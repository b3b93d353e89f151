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
  .handler(async () => dispatchDue(deps));
