/** GET /api/participants/{id}/prompts — what was sent, when, and what became of it. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deps } from '../../shared/deps.js';
import { type ApiEvent, coachIdOf, json, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { listPrompts } from '../../shared/usecases/participants.js';

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) =>
    json(200, { prompts: await listPrompts(deps, coachIdOf(event), pathParam(event, 'id')) }),
  );
