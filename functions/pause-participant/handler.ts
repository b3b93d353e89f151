/** POST /api/participants/{id}/pause — no prompts until a date; resumes by itself. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deps } from '../../shared/deps.js';
import { PauseSchema } from '../../shared/domain/participant.js';
import { type ApiEvent, coachIdOf, json, parseJsonBody, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { pauseParticipant } from '../../shared/usecases/participants.js';

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const { until } = parseJsonBody(event, PauseSchema);
    return json(200, await pauseParticipant(deps, coachIdOf(event), pathParam(event, 'id'), until));
  });
