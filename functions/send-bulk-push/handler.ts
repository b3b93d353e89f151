/** POST /api/pushes/bulk — one personalised push to all (or the flagged) active participants. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoAuditLog } from '../../shared/adapters/dynamodb/audit.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { dynamoSummaryRepository } from '../../shared/adapters/dynamodb/summaries.js';
import { sqsSendQueue } from '../../shared/adapters/sqs/send-queue.js';
import { BulkPushSchema } from '../../shared/domain/push.js';
import { type ApiEvent, coachIdOf, json, parseJsonBody } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { bulkPush } from '../../shared/usecases/pushes.js';
import { listWeekSummaries } from '../../shared/usecases/summaries.js';

const deps = {
  participants: dynamoParticipantRepository,
  contacts: dynamoContactRepository,
  programs: dynamoProgramRepository,
  prompts: dynamoPromptRepository,
  sendQueue: sqsSendQueue,
  clock,
  audit: dynamoAuditLog,
  // "The flagged": whoever the week's summaries flag for attention.
  flagged: async (coachId: string, week: string) => {
    const { summaries } = await listWeekSummaries(
      { participants: dynamoParticipantRepository, summaries: dynamoSummaryRepository, clock },
      coachId,
      week,
    );
    return new Set(summaries.filter((s) => s.flags.length > 0).map((s) => s.participantId));
  },
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) =>
    json(202, await bulkPush(deps, coachIdOf(event), parseJsonBody(event, BulkPushSchema))),
  );
