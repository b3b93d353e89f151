/** GET /api/summaries.csv?week= — the coach's week as CSV (formula-safe, no annotations). */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoCoachRepository } from '../../shared/adapters/dynamodb/coaches.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoSummaryRepository } from '../../shared/adapters/dynamodb/summaries.js';
import { type ApiEvent, coachIdOf, parseWith } from '../../shared/http/api.js';
import { coachProfile, httpMiddlewares } from '../../shared/http/errors.js';
import { WeekQuerySchema } from '../../shared/http/week-params.js';
import { weekCsv } from '../../shared/usecases/summaries-csv.js';

const deps = { participants: dynamoParticipantRepository, summaries: dynamoSummaryRepository, clock };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .use(coachProfile(dynamoCoachRepository))
  .handler(async (event) => {
    const { week } = parseWith(WeekQuerySchema, event.queryStringParameters ?? {}, 'query');
    const { week: shown, csv } = await weekCsv(deps, coachIdOf(event), week);
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="summaries-${shown}.csv"`,
        'cache-control': 'no-store',
      },
      body: csv,
    };
  });
