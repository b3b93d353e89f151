/** POST /api/participants/{id}/program — move a participant to another program. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { type ApiEvent, coachIdOf, json, parseJsonBody, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { MoveParticipantSchema, moveParticipant } from '../../shared/usecases/programs.js';

const deps = {
  programs: dynamoProgramRepository,
  participants: dynamoParticipantRepository,
  contacts: dynamoContactRepository,
  clock,
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const coachId = coachIdOf(event);
    const id = pathParam(event, 'id');
    const { programId } = parseJsonBody(event, MoveParticipantSchema);
    return json(200, await moveParticipant(deps, coachId, id, programId));
  });
