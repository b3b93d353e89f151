/** POST /api/programs/{id}/archive — no new enrolments; current participants keep running. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import { type ApiEvent, coachIdOf, json, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { archiveProgram } from '../../shared/usecases/programs.js';

const deps = { programs: dynamoProgramRepository, clock, smsPolicy };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => json(200, await archiveProgram(deps, coachIdOf(event), pathParam(event, 'id'))));
