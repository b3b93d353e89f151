/** POST /api/participants/{id}/resume — end a pause now. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deps } from '../../shared/deps.js';
import { type ApiEvent, coachIdOf, json, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { resumeParticipant } from '../../shared/usecases/participants.js';

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) =>
    json(200, await resumeParticipant(deps, coachIdOf(event), pathParam(event, 'id'))),
  );
