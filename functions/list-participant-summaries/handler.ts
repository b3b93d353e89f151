/** GET /api/participants/{id}/summaries?weeks=8 — one participant's weeks, newest first. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoCoachRepository } from '../../shared/adapters/dynamodb/coaches.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoSummaryRepository } from '../../shared/adapters/dynamodb/summaries.js';
import { type ApiEvent, coachIdOf, json, parseWith, pathParam } from '../../shared/http/api.js';
import { coachProfile, httpMiddlewares } from '../../shared/http/errors.js';
import { HistoryQuerySchema } from '../../shared/http/week-params.js';
import { participantSummaries } from '../../shared/usecases/summaries.js';

const deps = {
  participants: dynamoParticipantRepository,
  summaries: dynamoSummaryRepository,
  contacts: dynamoContactRepository,
  clock,
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .use(coachProfile(dynamoCoachRepository))
  .handler(async (event) => {
    const { weeks } = parseWith(HistoryQuerySchema, event.queryStringParameters ?? {}, 'query');
    const summaries = await participantSummaries(deps, coachIdOf(event), pathParam(event, 'id'), weeks);
    return json(200, { summaries });
  });
