/** GET /api/participants/{id}/prompts — what was sent, when, and what became of it. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { type ApiEvent, coachIdOf, json, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { listPrompts } from '../../shared/usecases/participants.js';

const deps = { participants: dynamoParticipantRepository, prompts: dynamoPromptRepository };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) =>
    json(200, { prompts: await listPrompts(deps, coachIdOf(event), pathParam(event, 'id')) }),
  );
