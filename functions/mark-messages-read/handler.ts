/** POST /api/participants/{id}/messages/read — the coach read these messages (or all of them). */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoConversationRepository } from '../../shared/adapters/dynamodb/conversations.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { MarkReadSchema } from '../../shared/domain/conversation.js';
import { type ApiEvent, coachIdOf, json, parseJsonBody, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { markMessagesRead } from '../../shared/usecases/conversations.js';

const deps = {
  participants: dynamoParticipantRepository,
  conversations: dynamoConversationRepository,
  clock,
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) =>
    json(
      200,
      await markMessagesRead(
        deps,
        coachIdOf(event),
        pathParam(event, 'id'),
        parseJsonBody(event, MarkReadSchema),
      ),
    ),
  );
