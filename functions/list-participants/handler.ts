/** GET /api/participants — the coach's participants, a page at a time. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { type ApiEvent, coachIdOf, json, parseListQuery } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { listParticipants } from '../../shared/usecases/participants.js';

const deps = { participants: dynamoParticipantRepository, contacts: dynamoContactRepository };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const { items, cursor } = await listParticipants(deps, coachIdOf(event), parseListQuery(event));
    return json(200, { participants: items, ...(cursor ? { cursor } : {}) });
  });
