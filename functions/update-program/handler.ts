/** PUT /api/programs/{id} — change a program; every participant's next prompt follows it. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import { newProgramSchema } from '../../shared/domain/program.js';
import { type ApiEvent, coachIdOf, json, parseJsonBody, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { updateProgram } from '../../shared/usecases/programs.js';

// Program bodies are checked against the SMS channel's prompt limit as well as their shape.
const programSchema = newProgramSchema(smsPolicy.promptProblem);
const deps = {
  programs: dynamoProgramRepository,
  participants: dynamoParticipantRepository,
  clock,
  smsPolicy,
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const coachId = coachIdOf(event);
    const id = pathParam(event, 'id');
    return json(200, await updateProgram(deps, coachId, id, parseJsonBody(event, programSchema)));
  });
