/**
 * GET /c/{token} — the check-in page: every question of a prompt in one form (records nothing);
 * POST /c/{token} — the form sent: record every answer given, show the progress line.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { dynamoReplyRepository } from '../../shared/adapters/dynamodb/replies.js';
import { powertoolsMetrics } from '../../shared/adapters/metrics.js';
import { linkSigningKey } from '../../shared/adapters/secrets/link-key.js';
import { openCheckInPage, submitCheckInPage } from '../../shared/channels/email/usecases/check-in-page.js';
import { publicUrlConfig } from '../../shared/config.js';
import { bodyText, html, parseFormBody, tokenParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';

const deps = {
  linkKey: linkSigningKey,
  clock,
  prompts: dynamoPromptRepository,
  programs: dynamoProgramRepository,
  participants: dynamoParticipantRepository,
  replies: dynamoReplyRepository,
  metrics: powertoolsMetrics,
  publicBaseUrl: publicUrlConfig().PUBLIC_BASE_URL,
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const token = tokenParam(event);
    const page =
      event.requestContext.http.method === 'POST'
        ? await submitCheckInPage(deps, token, parseFormBody(bodyText(event)))
        : await openCheckInPage(deps, token);
    return html(page.statusCode, page.html);
  });
