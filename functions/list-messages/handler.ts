/** GET /api/participants/{id}/messages — the conversation: what they wrote and the coach's replies. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoConversationRepository } from '../../shared/adapters/dynamodb/conversations.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { type ApiEvent, coachIdOf, json, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { listConversation } from '../../shared/usecases/conversations.js';

const deps = {
  participants: dynamoParticipantRepository,
  conversations: dynamoConversationRepository,
  prompts: dynamoPromptRepository,
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) =>
    json(200, await listConversation(deps, coachIdOf(event), pathParam(event, 'id'))),
  );
