/**
 * SES sending events delivered through the configuration set's SNS event destination (locally
 * `POST /dev/email/events` wraps the event the same way): bounces and complaints suppress.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { flushMetrics, powertoolsMetrics } from '../../shared/adapters/metrics.js';
import { recordEmailEvent } from '../../shared/channels/email/usecases/record-email-event.js';
import { parseWith } from '../../shared/http/api.js';
import { SesEventSchema } from '../../shared/http/schemas.js';
import { logger } from '../../shared/logger.js';

const deps = {
  contacts: dynamoContactRepository,
  participants: dynamoParticipantRepository,
  metrics: powertoolsMetrics,
};

export const handler = middy<SNSEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  .handler(async (event) => {
    for (const record of event.Records) {
      const sesEvent = parseWith(SesEventSchema, JSON.parse(record.Sns.Message), 'Message');
      await recordEmailEvent(deps, sesEvent);
    }
  });
