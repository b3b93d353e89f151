/** GET /api/reports/cohort?week=&programId= — a program's week, anonymised (k-anonymity). */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoCoachRepository } from '../../shared/adapters/dynamodb/coaches.js';
import { dynamoSummaryRepository } from '../../shared/adapters/dynamodb/summaries.js';
import { type ApiEvent, claimsOf, json, parseWith } from '../../shared/http/api.js';
import { coachProfile, httpMiddlewares } from '../../shared/http/errors.js';
import { CohortQuerySchema } from '../../shared/http/week-params.js';
import { cohort } from '../../shared/usecases/summaries.js';

const deps = { summaries: dynamoSummaryRepository, clock };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .use(coachProfile(dynamoCoachRepository))
  .handler(async (event) => {
    const { week, programId } = parseWith(CohortQuerySchema, event.queryStringParameters ?? {}, 'query');
    const { coachId, admin } = claimsOf(event);
    return json(200, await cohort(deps, { coachId, admin }, programId, week));
  });
