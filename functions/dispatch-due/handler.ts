/** Every minute (EventBridge): create and queue the prompts that are due. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { dynamoTimerIndex } from '../../shared/adapters/dynamodb/timers.js';
import { batchingWrites } from '../../shared/adapters/dynamodb/write-batch.js';
import { flushMetrics } from '../../shared/adapters/metrics.js';
import { sqsSendQueue } from '../../shared/adapters/sqs/send-queue.js';
import { logger } from '../../shared/logger.js';
import { dispatchDue } from '../../shared/usecases/dispatch-due.js';

const deps = {
  timers: dynamoTimerIndex,
  participants: dynamoParticipantRepository,
  programs: dynamoProgramRepository,
  prompts: dynamoPromptRepository,
  sendQueue: sqsSendQueue,
  clock,
};

export const handler = middy<ScheduledEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  // Ten seconds short of the timeout: enough to finish the batch in hand and return cleanly. The
  // records and timers of the participants handled together go to DynamoDB as one request.
  .handler(async (_event, context) =>
    batchingWrites(() =>
      dispatchDue(deps, { deadline: Date.now() + context.getRemainingTimeInMillis() - 10_000 }),
    ),
  );
