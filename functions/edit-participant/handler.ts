/** PATCH /api/participants/{id} — edit name, time zone, phone, email or channel; consent and schedule follow. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoErasedContactRepository } from '../../shared/adapters/dynamodb/erased-contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { addressHashKey } from '../../shared/adapters/secrets/address-key.js';
import { sqsSendQueue } from '../../shared/adapters/sqs/send-queue.js';
import { smsPolicyConfig } from '../../shared/config.js';
import { EditParticipantSchema } from '../../shared/domain/participant-input.js';
import { parseAllowedCountries } from '../../shared/domain/phone.js';
import { type ApiEvent, coachIdOf, json, parseJsonBody, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { editParticipant } from '../../shared/usecases/edit-participant.js';

const deps = {
  programs: dynamoProgramRepository,
  participants: dynamoParticipantRepository,
  contacts: dynamoContactRepository,
  prompts: dynamoPromptRepository,
  sendQueue: sqsSendQueue,
  clock,
  smsAllowedCountries: parseAllowedCountries(smsPolicyConfig().SMS_ALLOWED_COUNTRIES),
  erasedContacts: dynamoErasedContactRepository,
  addressKey: addressHashKey,
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    const coachId = coachIdOf(event);
    const id = pathParam(event, 'id');
    const input = parseJsonBody(event, EditParticipantSchema);
    return json(200, await editParticipant(deps, coachId, id, input));
  });
