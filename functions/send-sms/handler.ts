/** SMS send queue consumer: send each queued record exactly once; failures are reported per message. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { dynamoSummaryRepository } from '../../shared/adapters/dynamodb/summaries.js';
import { batchingWrites } from '../../shared/adapters/dynamodb/write-batch.js';
import { flushMetrics, powertoolsMetrics } from '../../shared/adapters/metrics.js';
import { linkSigningKey } from '../../shared/adapters/secrets/link-key.js';
import { sendRecordHandler } from '../../shared/adapters/sqs/send-consumer.js';
import { sqsSendQueue } from '../../shared/adapters/sqs/send-queue.js';
import { twilioSmsSender } from '../../shared/channels/sms/adapters/twilio/sms-sender.js';
import { smsOutbound } from '../../shared/channels/sms/usecases/outbound-sms.js';
import { publicUrlConfig, sendConfig } from '../../shared/config.js';
import { logger } from '../../shared/logger.js';

const processor = new BatchProcessor(EventType.SQS);
const sendRecord = sendRecordHandler('sms', {
  participants: dynamoParticipantRepository,
  contacts: dynamoContactRepository,
  programs: dynamoProgramRepository,
  prompts: dynamoPromptRepository,
  summaries: dynamoSummaryRepository,
  sendQueue: sqsSendQueue,
  clock,
  metrics: powertoolsMetrics,
  sendMaxAttempts: sendConfig().SEND_MAX_ATTEMPTS,
  outbound: smsOutbound({
    sms: twilioSmsSender,
    publicBaseUrl: publicUrlConfig().PUBLIC_BASE_URL,
    // Report cards carry a signed link to the participant's own history page.
    linkKey: linkSigningKey,
    clock,
  }),
});

export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  // The batch's records are sent concurrently; their claims go to DynamoDB as one request.
  .handler(async (event, context) =>
    batchingWrites(() => processPartialResponse(event, sendRecord, processor, { context })),
  );
