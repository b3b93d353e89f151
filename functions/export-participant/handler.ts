/** GET /api/participants/{id}/export — everything stored about a participant, audited. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoAuditLog } from '../../shared/adapters/dynamodb/audit.js';
import { dynamoParticipantDataStore } from '../../shared/adapters/dynamodb/participant-data.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { type ApiEvent, coachIdOf, json, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { exportParticipant } from '../../shared/usecases/privacy.js';

const deps = {
  participants: dynamoParticipantRepository,
  participantData: dynamoParticipantDataStore,
  audit: dynamoAuditLog,
  clock,
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const body = json(200, await exportParticipant(deps, coachIdOf(event), pathParam(event, 'id')));
    // Personal data: never kept by a browser or proxy cache.
    return { ...body, headers: { ...body.headers, 'cache-control': 'no-store' } };
  });
