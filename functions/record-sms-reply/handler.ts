/** POST /webhooks/twilio/sms — an inbound SMS from a participant. */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deps } from '../../shared/deps.js';
import { parseWith } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { InboundSmsSchema } from '../../shared/http/schemas.js';
import { twiml, verifiedTwilioParams } from '../../shared/http/twilio-webhook.js';
import { recordSmsReply } from '../../shared/usecases/record-sms-reply.js';

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const params = parseWith(InboundSmsSchema, await verifiedTwilioParams(event), 'body');
    const reply = await recordSmsReply(deps, {
      providerMessageId: params.MessageSid,
      channel: 'sms',
      from: params.From,
      body: params.Body,
      receivedAt: deps.clock.now().toISOString(),
    });
    return twiml(reply);
  });
