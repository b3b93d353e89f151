/** GET /api/push-templates — the push forms the composer offers (observation → impact → offer…). */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type ApiEvent, coachIdOf, json } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { listPushTemplates } from '../../shared/usecases/pushes.js';

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    coachIdOf(event);
    return json(200, { templates: listPushTemplates() });
  });
