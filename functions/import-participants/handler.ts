/** POST /api/participants/import — enrol the rows of a CSV file, all or none. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoAuditLog } from '../../shared/adapters/dynamodb/audit.js';
import { dynamoCoachRepository } from '../../shared/adapters/dynamodb/coaches.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoErasedContactRepository } from '../../shared/adapters/dynamodb/erased-contacts.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { dynamoRateLimiter } from '../../shared/adapters/dynamodb/rate-limits.js';
import { addressHashKey } from '../../shared/adapters/secrets/address-key.js';
import { sqsSendQueue } from '../../shared/adapters/sqs/send-queue.js';
import { smsPolicyConfig } from '../../shared/config.js';
import { parseAllowedCountries } from '../../shared/domain/phone.js';
import { type ApiEvent, claimsOf, coachIdOf, json, parseJsonBody } from '../../shared/http/api.js';
import { coachProfile, httpMiddlewares } from '../../shared/http/errors.js';
import { ImportSchema, importParticipants } from '../../shared/usecases/import.js';

const deps = {
  programs: dynamoProgramRepository,
  participants: dynamoParticipantRepository,
  contacts: dynamoContactRepository,
  prompts: dynamoPromptRepository,
  sendQueue: sqsSendQueue,
  clock,
  rateLimiter: dynamoRateLimiter,
  smsAllowedCountries: parseAllowedCountries(smsPolicyConfig().SMS_ALLOWED_COUNTRIES),
  enrolmentsPerHour: smsPolicyConfig().ENROLMENTS_PER_COACH_PER_HOUR,
  invitationsPerNumberPerDay: smsPolicyConfig().INVITATIONS_PER_NUMBER_PER_DAY,
  audit: dynamoAuditLog,
  erasedContacts: dynamoErasedContactRepository,
  addressKey: addressHashKey,
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  // A coach who creates programs or enrols people gets the weekly email: remember their address.
  .use(coachProfile(dynamoCoachRepository))
  .handler(async (event) => {
    const { participants } = parseJsonBody(event, ImportSchema);
    const result = await importParticipants(deps, coachIdOf(event), participants, claimsOf(event).name);
    if (!result.ok) return json(result.status ?? 400, { error: result.error, rows: result.rows });
    return json(200, { imported: result.imported, participants: result.participants });
  });
