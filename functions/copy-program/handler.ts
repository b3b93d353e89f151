/** POST /api/programs/{id}/copy — a new program of the coach's from one they may use (built-in too). */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import { type ApiEvent, coachIdOf, json, parseJsonBody, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { CopyProgramSchema, copyProgram } from '../../shared/usecases/programs.js';

const deps = { programs: dynamoProgramRepository, clock, smsPolicy };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const coachId = coachIdOf(event);
    const id = pathParam(event, 'id');
    const body = parseJsonBody(event, CopyProgramSchema);
    return json(201, await copyProgram(deps, coachId, id, body?.name));
  });
