/** GET /api/participants/{id}/pushes — the participant's pushes, their status and exercise answers. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { type ApiEvent, coachIdOf, json, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { listPushes } from '../../shared/usecases/pushes.js';

const deps = { participants: dynamoParticipantRepository, prompts: dynamoPromptRepository };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) =>
    json(200, { pushes: await listPushes(deps, coachIdOf(event), pathParam(event, 'id')) }),
  );
