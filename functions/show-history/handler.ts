/** GET /r/{token} — the participant's own history, from the link in their weekly report card. */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoSummaryRepository } from '../../shared/adapters/dynamodb/summaries.js';
import { linkSigningKey } from '../../shared/adapters/secrets/link-key.js';
import { html, tokenParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { openHistoryPage } from '../../shared/usecases/history-page.js';

const deps = {
  linkKey: linkSigningKey,
  clock,
  participants: dynamoParticipantRepository,
  summaries: dynamoSummaryRepository,
  contacts: dynamoContactRepository,
  programs: dynamoProgramRepository,
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const page = await openHistoryPage(deps, tokenParam(event));
    return html(page.statusCode, page.html);
  });
