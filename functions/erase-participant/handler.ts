/**
 * DELETE /api/participants/{id} — erase a participant's personal data and raw messages (the raw
 * emails in the inbound bucket too), audited.
 */
import middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { dynamoAuditLog } from '../../shared/adapters/dynamodb/audit.js';
import { dynamoErasedContactRepository } from '../../shared/adapters/dynamodb/erased-contacts.js';
import { dynamoParticipantDataStore } from '../../shared/adapters/dynamodb/participant-data.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { addressHashKey } from '../../shared/adapters/secrets/address-key.js';
import { s3RawMailStore } from '../../shared/channels/email/adapters/s3/raw-mail.js';
import { type ApiEvent, coachIdOf, pathParam } from '../../shared/http/api.js';
import { httpMiddlewares } from '../../shared/http/errors.js';
import { eraseParticipant } from '../../shared/usecases/privacy.js';

const deps = {
  participants: dynamoParticipantRepository,
  participantData: dynamoParticipantDataStore,
  rawMail: s3RawMailStore,
  audit: dynamoAuditLog,
  clock,
  erasedContacts: dynamoErasedContactRepository,
  addressKey: addressHashKey,
};

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use(httpMiddlewares())
  .handler(async (event) => {
    await eraseParticipant(deps, coachIdOf(event), pathParam(event, 'id'));
    return { statusCode: 204 };
  });
