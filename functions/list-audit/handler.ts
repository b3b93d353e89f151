/** GET /api/audit — the coach's audit trail (exports, erasures, pushes, imports), newest first. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoAuditLog } from '../../shared/adapters/dynamodb/audit.js';
import { type ApiEvent, coachIdOf, json, parseListQuery } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { listAudit } from '../../shared/usecases/privacy.js';

const deps = { audit: dynamoAuditLog };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const { items, cursor } = await listAudit(deps, coachIdOf(event), parseListQuery(event));
    return json(200, { entries: items, ...(cursor ? { cursor } : {}) });
  });
