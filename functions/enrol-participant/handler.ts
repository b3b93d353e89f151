/** POST /api/participants — enrol a participant: SMS asks for consent first, email sends a welcome. */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoCoachRepository } from '../../shared/adapters/dynamodb/coaches.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoErasedContactRepository } from '../../shared/adapters/dynamodb/erased-contacts.js';
import { dynamoIdempotencyStore } from '../../shared/adapters/dynamodb/idempotency.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { dynamoRateLimiter } from '../../shared/adapters/dynamodb/rate-limits.js';
import { addressHashKey } from '../../shared/adapters/secrets/address-key.js';
import { sqsSendQueue } from '../../shared/adapters/sqs/send-queue.js';
import { smsPolicyConfig } from '../../shared/config.js';
import { NewParticipantSchema } from '../../shared/domain/participant-input.js';
import { parseAllowedCountries } from '../../shared/domain/phone.js';
import { type ApiEvent, claimsOf, coachIdOf, json, parseJsonBody } from '../../shared/http/api.js';
import { coachProfile, httpMiddlewares } from '../../shared/http/errors.js';
import { idempotent } from '../../shared/http/idempotency.js';
import { enrolParticipant } from '../../shared/usecases/participants.js';

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
  erasedContacts: dynamoErasedContactRepository,
  addressKey: addressHashKey,
  invitationsPerNumberPerDay: smsPolicyConfig().INVITATIONS_PER_NUMBER_PER_DAY,
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  // A retried or double-clicked request takes effect once: same key, same response.
  .use(idempotent({ store: dynamoIdempotencyStore, clock }))
  // A coach who creates programs or enrols people gets the weekly email: remember their address.
  .use(coachProfile(dynamoCoachRepository))
  .handler(async (event) =>
    json(
      201,
      await enrolParticipant(
        deps,
        coachIdOf(event),
        parseJsonBody(event, NewParticipantSchema),
        claimsOf(event).name,
      ),
    ),
  );
