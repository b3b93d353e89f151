/** Send queue consumer: send each queued prompt exactly once; failures are reported per message. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { flushMetrics } from '../../shared/adapters/metrics.js';
import { sqsSendQueue } from '../../shared/adapters/sqs/send-queue.js';
import { deps } from '../../shared/deps.js';
import { SendRequestSchema } from '../../shared/http/schemas.js';
import { logger } from '../../shared/logger.js';
import { sendPrompt } from '../../shared/usecases/send-prompt.js';

const processor = new BatchProcessor(EventType.SQS);

async function sendRecord(record: SQSRecord): Promise<void> {
  const outcome = await sendPrompt(deps, SendRequestSchema.parse(JSON.parse(record.body)));
  if (outcome.kind === 'retry') {
    // Backoff: hide the message until its next attempt, then fail it so SQS keeps it.
    await sqsSendQueue.delay(record.receiptHandle, outcome.delaySeconds);
    throw new Error(`retry in ${outcome.delaySeconds}s`);
  }
}

export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  .handler(async (event, context) => processPartialResponse(event, sendRecord, processor, { context }));
