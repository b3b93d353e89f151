/** PUT /api/participants/{id}/summaries/{week}/annotation — the coach's private note on a week. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoCoachRepository } from '../../shared/adapters/dynamodb/coaches.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoSummaryRepository } from '../../shared/adapters/dynamodb/summaries.js';
import { WeekSchema } from '../../shared/domain/summary.js';
import {
  type ApiEvent,
  coachIdOf,
  json,
  parseJsonBody,
  parseWith,
  pathParam,
} from '../../shared/http/api.js';
import { coachProfile, httpMiddlewares } from '../../shared/http/errors.js';
import { AnnotationSchema } from '../../shared/http/week-params.js';
import { annotateWeek } from '../../shared/usecases/summaries.js';

const deps = { participants: dynamoParticipantRepository, summaries: dynamoSummaryRepository };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .use(coachProfile(dynamoCoachRepository))
  .handler(async (event) => {
    const week = parseWith(WeekSchema, pathParam(event, 'week'), 'week');
    const { text } = parseJsonBody(event, AnnotationSchema);
    return json(200, await annotateWeek(deps, coachIdOf(event), pathParam(event, 'id'), week, text));
  });
