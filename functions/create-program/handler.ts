/** POST /api/programs — create a program. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoCoachRepository } from '../../shared/adapters/dynamodb/coaches.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import { newProgramSchema } from '../../shared/domain/program.js';
import { type ApiEvent, coachIdOf, json, parseJsonBody } from '../../shared/http/api.js';
import { coachProfile, httpMiddlewares } from '../../shared/http/errors.js';
import { createProgram } from '../../shared/usecases/programs.js';

// Program bodies are checked against the SMS channel's prompt limit as well as their shape.
const programSchema = newProgramSchema(smsPolicy.promptProblem);
const deps = { programs: dynamoProgramRepository, clock, smsPolicy };

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  // A coach who creates programs or enrols people gets the weekly email: remember their address.
  .use(coachProfile(dynamoCoachRepository))
  .handler(async (event) =>
    json(201, await createProgram(deps, coachIdOf(event), parseJsonBody(event, programSchema))),
  );
