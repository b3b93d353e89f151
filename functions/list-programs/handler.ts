/** GET /api/programs — the coach's programs and the built-in ones. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import { type ApiEvent, coachIdOf, json } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { listPrograms } from '../../shared/usecases/programs.js';

const deps = { programs: dynamoProgramRepository, smsPolicy };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => json(200, { programs: await listPrograms(deps, coachIdOf(event)) }));
