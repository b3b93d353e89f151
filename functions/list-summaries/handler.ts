/** GET /api/summaries?week= — the coach's week: every participant's summary, flagged first. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoCoachRepository } from '../../shared/adapters/dynamodb/coaches.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoSummaryRepository } from '../../shared/adapters/dynamodb/summaries.js';
import { type ApiEvent, coachIdOf, json, parseWith } from '../../shared/http/api.js';
import { coachProfile, httpMiddlewares } from '../../shared/http/errors.js';
import { WeekQuerySchema } from '../../shared/http/week-params.js';
import { listWeekSummaries } from '../../shared/usecases/summaries.js';

const deps = { participants: dynamoParticipantRepository, summaries: dynamoSummaryRepository, clock };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .use(coachProfile(dynamoCoachRepository))
  .handler(async (event) => {
    const { week } = parseWith(WeekQuerySchema, event.queryStringParameters ?? {}, 'query');
    return json(200, await listWeekSummaries(deps, coachIdOf(event), week));
  });
