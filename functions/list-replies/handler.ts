/** GET /api/participants/{id}/replies — the participant's stored answers, a page at a time. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoReplyRepository } from '../../shared/adapters/dynamodb/replies.js';
import { type ApiEvent, coachIdOf, json, parseListQuery, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { listReplies } from '../../shared/usecases/participants.js';

const deps = { participants: dynamoParticipantRepository, replies: dynamoReplyRepository };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const { items, cursor } = await listReplies(
      deps,
      coachIdOf(event),
      pathParam(event, 'id'),
      parseListQuery(event),
    );
    return json(200, { replies: items, ...(cursor ? { cursor } : {}) });
  });
