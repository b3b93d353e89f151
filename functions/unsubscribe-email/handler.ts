/**
 * GET /u/{token} — the unsubscribe page (one button); POST /u/{token} — unsubscribe now, from the
 * button or a mailbox provider's RFC 8058 one-click request (`List-Unsubscribe=One-Click`).
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { linkSigningKey } from '../../shared/adapters/secrets/link-key.js';
import { confirmUnsubscribe, openUnsubscribe } from '../../shared/channels/email/usecases/unsubscribe.js';
import { publicUrlConfig } from '../../shared/config.js';
import { html, tokenParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';

const deps = {
  linkKey: linkSigningKey,
  clock,
  contacts: dynamoContactRepository,
  participants: dynamoParticipantRepository,
  publicBaseUrl: publicUrlConfig().PUBLIC_BASE_URL,
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const token = tokenParam(event);
    const page =
      event.requestContext.http.method === 'POST'
        ? await confirmUnsubscribe(deps, token)
        : await openUnsubscribe(deps, token);
    return html(page.statusCode, page.html);
  });
