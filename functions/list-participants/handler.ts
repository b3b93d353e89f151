/** GET /api/participants — the coach's participants. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deps } from '../../shared/deps.js';
import { type ApiEvent, coachIdOf, json } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { listParticipants } from '../../shared/usecases/participants.js';

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => json(200, { participants: await listParticipants(deps, coachIdOf(event)) }));
