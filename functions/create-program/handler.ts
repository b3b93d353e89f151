/** POST /api/programs — create a program. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { NewProgramSchema } from '../../shared/domain/program.js';
import { type ApiEvent, coachIdOf, json, parseJsonBody } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { createProgram } from '../../shared/usecases/programs.js';

const deps = { programs: dynamoProgramRepository, clock };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) =>
    json(201, await createProgram(deps, coachIdOf(event), parseJsonBody(event, NewProgramSchema))),
  );
