/** POST /api/participants/{id}/messages — the coach's reply, sent on the participant's channel. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoAuditLog } from '../../shared/adapters/dynamodb/audit.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { sqsSendQueue } from '../../shared/adapters/sqs/send-queue.js';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import { CoachReplySchema } from '../../shared/domain/conversation.js';
import { type ApiEvent, coachIdOf, json, parseJsonBody, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { replyToParticipant } from '../../shared/usecases/conversations.js';

const deps = {
  participants: dynamoParticipantRepository,
  contacts: dynamoContactRepository,
  programs: dynamoProgramRepository,
  prompts: dynamoPromptRepository,
  sendQueue: sqsSendQueue,
  clock,
  smsPolicy,
  audit: dynamoAuditLog,
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) =>
    json(
      201,
      await replyToParticipant(
        deps,
        coachIdOf(event),
        pathParam(event, 'id'),
        parseJsonBody(event, CoachReplySchema),
      ),
    ),
  );
