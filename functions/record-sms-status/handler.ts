/** POST /webhooks/twilio/status — delivery status of a sent prompt. */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { powertoolsMetrics } from '../../shared/adapters/metrics.js';
import { twiml, verifiedTwilioParams } from '../../shared/channels/sms/http/twilio-webhook.js';
import { recordSmsStatus } from '../../shared/channels/sms/usecases/record-sms-status.js';
import { parseWith } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { SmsStatusSchema, StatusQuerySchema } from '../../shared/http/schemas.js';

const deps = {
  prompts: dynamoPromptRepository,
  participants: dynamoParticipantRepository,
  contacts: dynamoContactRepository,
  metrics: powertoolsMetrics,
  clock,
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const params = parseWith(SmsStatusSchema, await verifiedTwilioParams(event), 'body');
    const prompt = parseWith(StatusQuerySchema, event.queryStringParameters ?? {}, 'query');
    await recordSmsStatus(deps, {
      participantId: prompt.p,
      scheduledFor: prompt.s,
      ...(prompt.k ? { kind: prompt.k } : {}),
      status: params.MessageStatus,
      ...(params.ErrorCode ? { errorCode: params.ErrorCode } : {}),
    });
    return twiml(undefined);
  });
