/**
 * Personal experiments of a participant:
 * - POST /api/participants/{id}/experiments — attach one;
 * - GET /api/participants/{id}/experiments — list them, each with its answers;
 * - DELETE /api/participants/{id}/experiments/{experimentId} — end one now.
 */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoReplyRepository } from '../../shared/adapters/dynamodb/replies.js';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import { NewExperimentSchema } from '../../shared/domain/experiment.js';
import { type ApiEvent, coachIdOf, json, parseJsonBody, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { endExperiment, listExperiments, startExperiment } from '../../shared/usecases/experiments.js';

const deps = {
  participants: dynamoParticipantRepository,
  programs: dynamoProgramRepository,
  replies: dynamoReplyRepository,
  clock,
  smsPolicy,
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const coachId = coachIdOf(event);
    const id = pathParam(event, 'id');
    switch (event.requestContext.http.method) {
      case 'POST':
        return json(201, await startExperiment(deps, coachId, id, parseJsonBody(event, NewExperimentSchema)));
      case 'DELETE':
        return json(200, await endExperiment(deps, coachId, id, pathParam(event, 'experimentId')));
      default:
        return json(200, { experiments: await listExperiments(deps, coachId, id) });
    }
  });
