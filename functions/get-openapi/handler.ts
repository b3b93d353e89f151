/** GET /api/openapi.json — the coach API described from its zod schemas. */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { publicUrlConfig } from '../../shared/config.js';
import { json } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { openApiDocument } from '../../shared/http/openapi.js';

const document = openApiDocument(publicUrlConfig().PUBLIC_BASE_URL);

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async () => json(200, document));
