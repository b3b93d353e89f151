/** GET /api/participants/{id} — one of the coach's participants. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { type ApiEvent, coachIdOf, json, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { getParticipant } from '../../shared/usecases/participants.js';

const deps = { participants: dynamoParticipantRepository, contacts: dynamoContactRepository };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => json(200, await getParticipant(deps, coachIdOf(event), pathParam(event, 'id'))));
