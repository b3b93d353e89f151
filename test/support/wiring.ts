/**
 * The production adapters wired into one {@link Deps}, for tests and benchmarks that call use cases
 * directly against the real local parts. Import it only after the local system has set the
 * environment (the adapters read their configuration when first loaded).
 */
import { clock } from '../../shared/adapters/clock.js';
import { dynamoAuditLog } from '../../shared/adapters/dynamodb/audit.js';
import { dynamoCoachRepository } from '../../shared/adapters/dynamodb/coaches.js';
import { dynamoContactRepository } from '../../shared/adapters/dynamodb/contacts.js';
import { dynamoConversationRepository } from '../../shared/adapters/dynamodb/conversations.js';
import { dynamoErasedContactRepository } from '../../shared/adapters/dynamodb/erased-contacts.js';
import { dynamoParticipantDataStore } from '../../shared/adapters/dynamodb/participant-data.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { dynamoRateLimiter } from '../../shared/adapters/dynamodb/rate-limits.js';
import { dynamoReplyRepository } from '../../shared/adapters/dynamodb/replies.js';
import { dynamoSummaryRepository } from '../../shared/adapters/dynamodb/summaries.js';
import { dynamoTimerIndex } from '../../shared/adapters/dynamodb/timers.js';
import { powertoolsMetrics } from '../../shared/adapters/metrics.js';
import { addressHashKey } from '../../shared/adapters/secrets/address-key.js';
import { sqsSendQueue } from '../../shared/adapters/sqs/send-queue.js';
import { twilioSmsSender } from '../../shared/channels/sms/adapters/twilio/sms-sender.js';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import { publicUrlConfig, sendConfig, smsPolicyConfig } from '../../shared/config.js';
import { parseAllowedCountries } from '../../shared/domain/phone.js';
import type { Deps } from '../../shared/ports.js';

/** Every port served by its production adapter (email and links are not needed by these callers). */
export function productionDeps(): Omit<
  Deps,
  'email' | 'linkKey' | 'replyDomain' | 'answerLinkTtlDays' | 'rawMail' | 'parseEmail'
> {
  return {
    clock,
    smsPolicy,
    programs: dynamoProgramRepository,
    participants: dynamoParticipantRepository,
    contacts: dynamoContactRepository,
    coaches: dynamoCoachRepository,
    summaries: dynamoSummaryRepository,
    timers: dynamoTimerIndex,
    prompts: dynamoPromptRepository,
    replies: dynamoReplyRepository,
    sms: twilioSmsSender,
    sendQueue: sqsSendQueue,
    metrics: powertoolsMetrics,
    publicBaseUrl: publicUrlConfig().PUBLIC_BASE_URL,
    sendMaxAttempts: sendConfig().SEND_MAX_ATTEMPTS,
    rateLimiter: dynamoRateLimiter,
    smsAllowedCountries: parseAllowedCountries(smsPolicyConfig().SMS_ALLOWED_COUNTRIES),
    enrolmentsPerHour: smsPolicyConfig().ENROLMENTS_PER_COACH_PER_HOUR,
    audit: dynamoAuditLog,
    participantData: dynamoParticipantDataStore,
    erasedContacts: dynamoErasedContactRepository,
    addressKey: addressHashKey,
    conversations: dynamoConversationRepository,
  };
}
