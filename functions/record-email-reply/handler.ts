/**
 * A reply by email: the SES receipt rule stored the raw MIME in the inbound bucket, whose
 * ObjectCreated notification invokes this (locally `POST /dev/email/inbound` does the same).
 * A failure throws, so the S3 notification is retried; the message itself is already safe in S3.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { S3Event } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { coachDirectory } from '../../shared/adapters/coach-directory.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoConversationRepository } from '../../shared/adapters/dynamodb/conversations.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { dynamoReplyRepository } from '../../shared/adapters/dynamodb/replies.js';
import { flushMetrics, powertoolsMetrics } from '../../shared/adapters/metrics.js';
import { linkSigningKey } from '../../shared/adapters/secrets/link-key.js';
import { parseInboundEmail } from '../../shared/channels/email/adapters/parse-inbound.js';
import { s3RawMailStore } from '../../shared/channels/email/adapters/s3/raw-mail.js';
import { sesEmailSender } from '../../shared/channels/email/adapters/ses/email-sender.js';
import { recordEmailReply } from '../../shared/channels/email/usecases/record-email-reply.js';
import { dashboardUrlConfig } from '../../shared/config.js';
import { logger } from '../../shared/logger.js';

const deps = {
  rawMail: s3RawMailStore,
  parseEmail: parseInboundEmail,
  linkKey: linkSigningKey,
  clock,
  participants: dynamoParticipantRepository,
  contacts: dynamoContactRepository,
  programs: dynamoProgramRepository,
  prompts: dynamoPromptRepository,
  replies: dynamoReplyRepository,
  metrics: powertoolsMetrics,
  // HELP names the coach; "needs a human" emails them at once (found as close-weeks finds them).
  coaches: coachDirectory(),
  conversations: dynamoConversationRepository,
  email: sesEmailSender,
  // The needs-a-human alert links to the participant's page on the dashboard.
  dashboardUrl: dashboardUrlConfig().DASHBOARD_URL,
};

export const handler = middy<S3Event>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  .handler(async (event) => {
    const outcomes = [];
    for (const record of event.Records) {
      // S3 event keys are URL-encoded with '+' for spaces.
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/gu, ' '));
      outcomes.push((await recordEmailReply(deps, { bucket: record.s3.bucket.name, key })).outcome);
    }
    return { outcomes };
  });
