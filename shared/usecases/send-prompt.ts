/**
 * Sending one queued prompt, exactly once.
 *
 * The prompt is claimed (queued → sending, conditional) before the provider is called, so a
 * redelivered or duplicated queue message finds it claimed and does nothing. After the call:
 * - success → `sent` with the provider's message id;
 * - a definite, retryable failure (429, 5xx, connection refused) → back to `queued` and retried
 *   by the queue with backoff, until the attempts run out → `failed` and dead-lettered;
 * - a permanent failure (invalid number…) → `failed` with the provider's code, dead-lettered;
 * - an ambiguous failure (timeout after the request left) → `unknown`: it may have been sent, and
 *   a participant must never get the same question twice, so it is surfaced, not resent.
 * A claim left in `sending` by a sender that died mid-call is, for the same reason, turned into
 * `unknown` by the next delivery of its message rather than resent.
 */
import type { Deps } from '../deps.js';
import { promptSms } from '../domain/messages.js';
import type { SkipReason } from '../domain/prompt.js';
import { logger } from '../logger.js';
import { type SendRequest, SmsSendError } from '../ports.js';
import { skipReasonFor } from './dispatch-due.js';

/** What happened to the request; `retry` asks the queue to deliver it again after a delay. */
export type SendOutcome =
  | { readonly kind: 'sent' | 'failed' | 'unknown' | 'skipped' | 'duplicate' }
  | { readonly kind: 'retry'; readonly delaySeconds: number };

/** A claim older than this without an outcome belongs to a sender that died mid-call. */
export const STALE_CLAIM_MS = 5 * 60_000;

/** Backoff before attempt `attempt + 1`: 30 s, 60 s, 120 s … capped at 15 min. */
export function backoffSeconds(attempt: number, retryAfterSeconds?: number): number {
  const exponential = Math.min(900, 30 * 2 ** Math.max(0, attempt - 1));
  return Math.max(exponential, retryAfterSeconds ?? 0);
}

/** URL Twilio posts delivery status to; the prompt's key rides in the (signed) query string. */
export function statusCallbackUrl(publicBaseUrl: string, request: SendRequest): string {
  const query = new URLSearchParams({ p: request.participantId, s: request.scheduledFor });
  return `${publicBaseUrl}/webhooks/twilio/status?${query.toString()}`;
}

/** Sends the prompt named by a send-queue message. */
export async function sendPrompt(
  deps: Pick<Deps, 'participants' | 'programs' | 'prompts' | 'sms' | 'sendQueue' | 'clock' | 'settings'>,
  request: SendRequest,
): Promise<SendOutcome> {
  const { participantId, scheduledFor } = request;
  const now = deps.clock.now();
  const prompt = await deps.prompts.claim(participantId, scheduledFor, now);
  if (!prompt) {
    const current = await deps.prompts.get(participantId, scheduledFor);
    if (
      current?.status === 'sending' &&
      current.claimedAt &&
      now.getTime() - Date.parse(current.claimedAt) > STALE_CLAIM_MS
    ) {
      await deps.prompts.finish(participantId, scheduledFor, 'sending', {
        status: 'unknown',
        errorCode: 'sender-lost',
      });
      logger.warn('prompt outcome unknown: its sender stopped mid-call', { participantId, scheduledFor });
      return { kind: 'unknown' };
    }
    return { kind: 'duplicate' };
  }

  const participant = await deps.participants.get(participantId);
  const program = await deps.programs.getById(prompt.programId);
  let skip: SkipReason | undefined;
  if (!participant || !program) skip = 'not-active';
  else if (participant.status === 'opted_out') skip = 'opted-out';
  else if (participant.status === 'paused') skip = 'paused';
  else if (participant.status !== 'active') skip = 'not-active';
  else skip = skipReasonFor(program, participant.timeZone, new Date(scheduledFor), now);
  if (skip || !participant) {
    await deps.prompts.finish(participantId, scheduledFor, 'sending', {
      status: 'skipped',
      skipReason: skip,
    });
    return { kind: 'skipped' };
  }

  try {
    const { providerMessageId } = await deps.sms.send({
      to: participant.phone,
      body: promptSms(prompt.questions),
      statusCallbackUrl: statusCallbackUrl(deps.settings.publicBaseUrl, request),
    });
    await deps.prompts.finish(participantId, scheduledFor, 'sending', {
      status: 'sent',
      sentAt: deps.clock.now().toISOString(),
      providerMessageId,
    });
    return { kind: 'sent' };
  } catch (error) {
    if (!(error instanceof SmsSendError)) throw error;
    const attempt = prompt.attempts;
    if (error.kind === 'ambiguous') {
      await deps.prompts.finish(participantId, scheduledFor, 'sending', {
        status: 'unknown',
        errorCode: error.code,
      });
      logger.warn('prompt outcome unknown: not resent', { participantId, scheduledFor, code: error.code });
      return { kind: 'unknown' };
    }
    if (error.kind === 'retryable' && attempt < deps.settings.sendMaxAttempts) {
      await deps.prompts.finish(participantId, scheduledFor, 'sending', { status: 'queued' });
      const delaySeconds = backoffSeconds(attempt, error.retryAfterSeconds);
      logger.info('provider refused for now; retrying', {
        participantId,
        attempt,
        code: error.code,
        delaySeconds,
      });
      return { kind: 'retry', delaySeconds };
    }
    const errorCode = error.code ?? error.kind;
    await deps.prompts.finish(participantId, scheduledFor, 'sending', { status: 'failed', errorCode });
    await deps.sendQueue.deadLetter(
      request,
      error.kind === 'permanent' ? `permanent:${errorCode}` : `retries-exhausted:${errorCode}`,
    );
    logger.error('prompt failed', {
      participantId,
      scheduledFor,
      kind: error.kind,
      code: errorCode,
      attempt,
    });
    return { kind: 'failed' };
  }
}
