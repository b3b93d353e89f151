/**
 * GET /a/{token} — the answer preselected with a Confirm button (a GET records nothing: mail
 * scanners open links, some in browsers running scripts); POST /a/{token} — the button pressed:
 * record the answer and its optional comment.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { dynamoReplyRepository } from '../../shared/adapters/dynamodb/replies.js';
import { powertoolsMetrics } from '../../shared/adapters/metrics.js';
import { linkSigningKey } from '../../shared/adapters/secrets/link-key.js';
import { confirmAnswerLink, openAnswerLink } from '../../shared/channels/email/usecases/answer-links.js';
import { publicUrlConfig } from '../../shared/config.js';
import { bodyText, html, parseFormBody, tokenParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';

const deps = {
  linkKey: linkSigningKey,
  clock,
  prompts: dynamoPromptRepository,
  participants: dynamoParticipantRepository,
  replies: dynamoReplyRepository,
  metrics: powertoolsMetrics,
  publicBaseUrl: publicUrlConfig().PUBLIC_BASE_URL,
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const token = tokenParam(event);
    if (event.requestContext.http.method !== 'POST') {
      const page = await openAnswerLink(deps, token);
      return html(page.statusCode, page.html);
    }
    const page = await confirmAnswerLink(deps, token, parseFormBody(bodyText(event)));
    return html(page.statusCode, page.html);
  });
