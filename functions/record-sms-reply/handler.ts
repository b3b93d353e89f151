/** POST /webhooks/twilio/sms — an inbound SMS from a participant. */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { coachDirectory } from '../../shared/adapters/coach-directory.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoConversationRepository } from '../../shared/adapters/dynamodb/conversations.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { dynamoReplyRepository } from '../../shared/adapters/dynamodb/replies.js';
import { powertoolsMetrics } from '../../shared/adapters/metrics.js';
import { sesEmailSender } from '../../shared/channels/email/adapters/ses/email-sender.js';
import { twiml, verifiedTwilioParams } from '../../shared/channels/sms/http/twilio-webhook.js';
import { recordSmsReply } from '../../shared/channels/sms/usecases/record-sms-reply.js';
import { dashboardUrlConfig } from '../../shared/config.js';
import { parseWith } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { InboundSmsSchema } from '../../shared/http/schemas.js';

const deps = {
  participants: dynamoParticipantRepository,
  contacts: dynamoContactRepository,
  programs: dynamoProgramRepository,
  prompts: dynamoPromptRepository,
  replies: dynamoReplyRepository,
  // The coach's name for HELP and "needs a human", their address for the alert: as close-weeks finds them.
  coaches: coachDirectory(),
  conversations: dynamoConversationRepository,
  email: sesEmailSender,
  // The needs-a-human alert links to the participant's page on the dashboard.
  dashboardUrl: dashboardUrlConfig().DASHBOARD_URL,
  clock,
  metrics: powertoolsMetrics,
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const params = parseWith(InboundSmsSchema, await verifiedTwilioParams(event), 'body');
    const reply = await recordSmsReply(deps, {
      providerMessageId: params.MessageSid,
      channel: 'sms',
      source: 'sms-reply',
      from: params.From,
      body: params.Body,
      receivedAt: clock.now().toISOString(),
    });
    return twiml(reply);
  });
