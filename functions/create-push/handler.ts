/** POST /api/participants/{id}/pushes — a coach's push (and micro-exercise) to one participant. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoAuditLog } from '../../shared/adapters/dynamodb/audit.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoIdempotencyStore } from '../../shared/adapters/dynamodb/idempotency.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { dynamoSummaryRepository } from '../../shared/adapters/dynamodb/summaries.js';
import { sqsSendQueue } from '../../shared/adapters/sqs/send-queue.js';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import { NewPushSchema } from '../../shared/domain/push.js';
import { type ApiEvent, claimsOf, json, parseJsonBody, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { idempotent } from '../../shared/http/idempotency.js';
import { createPush } from '../../shared/usecases/pushes.js';
import { weekLookup } from '../../shared/usecases/summaries.js';

const deps = {
  participants: dynamoParticipantRepository,
  contacts: dynamoContactRepository,
  programs: dynamoProgramRepository,
  prompts: dynamoPromptRepository,
  sendQueue: sqsSendQueue,
  clock,
  smsPolicy,
  audit: dynamoAuditLog,
  summaries: dynamoSummaryRepository,
  // `{{streak}}` and `{{weekAverage}}` read the week as "This week" shows it.
  weeks: weekLookup({ participants: dynamoParticipantRepository, summaries: dynamoSummaryRepository, clock }),
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  // A retried or double-clicked request takes effect once: same key, same response.
  .use(idempotent({ store: dynamoIdempotencyStore, clock }))
  .handler(async (event) => {
    const { coachId, name } = claimsOf(event);
    const input = parseJsonBody(event, NewPushSchema);
    return json(201, await createPush(deps, { coachId, coachName: name }, pathParam(event, 'id'), input));
  });
