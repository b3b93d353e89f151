/** POST /api/participants — enrol a participant; they are asked for SMS consent first. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { deps } from '../../shared/deps.js';
import { NewParticipantSchema } from '../../shared/domain/participant.js';
import { type ApiEvent, coachIdOf, json, parseJsonBody } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { enrolParticipant } from '../../shared/usecases/participants.js';

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) =>
    json(201, await enrolParticipant(deps, coachIdOf(event), parseJsonBody(event, NewParticipantSchema))),
  );
