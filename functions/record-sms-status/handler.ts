/** POST /webhooks/twilio/status — delivery status of a sent prompt. */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deps } from '../../shared/deps.js';
import { parseWith } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { SmsStatusSchema, StatusQuerySchema } from '../../shared/http/schemas.js';
import { twiml, verifiedTwilioParams } from '../../shared/http/twilio-webhook.js';
import { recordSmsStatus } from '../../shared/usecases/record-sms-status.js';

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
