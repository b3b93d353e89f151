/**
 * Sending one queued prompt (or reminder), exactly once.
 *
 * The record is claimed (queued → sending, conditional) before the provider is called, so a
 * redelivered or duplicated queue message finds it claimed and does nothing. After the call:
 * - success → `sent` with the provider's message id (and, for a prompt whose program asks for
 *   one, a reminder timer);
 * - a definite, retryable failure (429, 5xx, connection refused) → back to `queued` and retried
 *   by the queue with backoff, until the attempts run out → `failed` and dead-lettered;
 * - a permanent failure (invalid number…) → `failed` with the provider's code, dead-lettered;
 * - an ambiguous failure (timeout after the request left) → `unknown`: it may have been sent, and
 *   a participant must never get the same question twice, so it is surfaced, not resent.
 * A claim left in `sending` by a sender that died mid-call is, for the same reason, turned into
 * `unknown` by the next delivery of its message rather than resent.
 */
import type { Deps } from '../deps.js';
import { optInRequestSms, promptSms, reminderSms } from '../domain/messages.js';
import type { Participant } from '../domain/participant.js';
import type { Program } from '../domain/program.js';
import type { Prompt, PromptKind, SkipReason } from '../domain/prompt.js';
import { firstNonQuietInstant, isQuietAt, nextSendTime } from '../domain/schedule.js';
import { logger } from '../logger.js';
import { type MetricName, type PromptChange, type SendRequest, SmsSendError } from '../ports.js';
import { skipReasonFor } from './dispatch-due.js';

/** What happened to the request; `retry` asks the queue to deliver it again after a delay. */
export type SendOutcome =
  | { readonly kind: 'sent' | 'failed' | 'unknown' | 'skipped' | 'duplicate' }
  | { readonly kind: 'retry'; readonly delaySeconds: number };

/**
 * A claim older than this without an outcome belongs to a sender that died mid-call: four times
 * the sender's Lambda timeout (30 s), which no live invocation outlasts.
 */
export const STALE_CLAIM_MS = 2 * 60_000;

/** Backoff before attempt `attempt + 1`: 30 s, 60 s, 120 s … capped at 15 min. */
export function backoffSeconds(attempt: number, retryAfterSeconds?: number): number {
  const exponential = Math.min(900, 30 * 2 ** Math.max(0, attempt - 1));
  return Math.max(exponential, retryAfterSeconds ?? 0);
}

/** URL Twilio posts delivery status to; the record's key rides in the (signed) query string. */
export function statusCallbackUrl(publicBaseUrl: string, request: SendRequest): string {
  const query = new URLSearchParams({ p: request.participantId, s: request.scheduledFor });
  if (request.kind && request.kind !== 'prompt') query.set('k', request.kind);
  return `${publicBaseUrl}/webhooks/twilio/status?${query.toString()}`;
}

/**
 * When the reminder of a prompt sent at `sentAt` is due: N hours later, moved out of quiet hours,
 * and only if that is still before the next scheduled prompt.
 */
export function reminderTime(
  program: Program,
  zone: string,
  scheduledFor: Date,
  sentAt: Date,
): Date | undefined {
  const hours = program.schedule.reminderAfterHours;
  if (!hours) return undefined;
  const at = firstNonQuietInstant(program.schedule, zone, new Date(sentAt.getTime() + hours * 3_600_000));
  return at < nextSendTime(program.schedule, zone, scheduledFor) ? at : undefined;
}

type SendDeps = Pick<
  Deps,
  'participants' | 'programs' | 'prompts' | 'sms' | 'sendQueue' | 'clock' | 'settings' | 'metrics'
>;

async function whyNotSend(
  deps: SendDeps,
  kind: PromptKind,
  request: SendRequest,
  record: Prompt,
  participant: Participant | undefined,
  program: Program | undefined,
  now: Date,
): Promise<SkipReason | undefined> {
  if (!participant || !program) return 'not-active';
  if (participant.status === 'opted_out') return 'opted-out';
  switch (kind) {
    case 'opt-in':
      // Already answered YES (or STOP) before the request went out: nothing to ask any more.
      if (participant.status !== 'pending') return 'not-active';
      return isQuietAt(program.schedule, participant.timeZone, now) ? 'quiet-hours' : undefined;
    case 'prompt':
      if (participant.status === 'paused') return 'paused';
      if (participant.status !== 'active') return 'not-active';
      return skipReasonFor(program, participant.timeZone, new Date(request.scheduledFor), now);
    case 'reminder': {
      if (participant.status !== 'active') return participant.status === 'paused' ? 'paused' : 'not-active';
      const prompt = await deps.prompts.get({
        participantId: request.participantId,
        scheduledFor: request.scheduledFor,
      });
      if (prompt?.answeredAt) return 'answered';
      if (isQuietAt(program.schedule, participant.timeZone, now)) return 'quiet-hours';
      return skipReasonFor(program, participant.timeZone, new Date(record.createdAt), now);
    }
  }
}

/** The text of a send record. */
function bodyOf(kind: PromptKind, record: Prompt): string {
  switch (kind) {
    case 'opt-in':
      return optInRequestSms(undefined);
    case 'reminder':
      return reminderSms(record.questions.length);
    case 'prompt':
      return promptSms(record.questions);
  }
}

const SENT_METRIC: Record<PromptKind, MetricName> = {
  prompt: 'PromptsSent',
  reminder: 'RemindersSent',
  'opt-in': 'OptInRequestsSent',
};

/** Sends the prompt or reminder named by a send-queue message. */
export async function sendPrompt(deps: SendDeps, request: SendRequest): Promise<SendOutcome> {
  const now = deps.clock.now();
  const kind = request.kind ?? 'prompt';
  const record = await deps.prompts.claim(request, now);
  if (!record) {
    const current = await deps.prompts.get(request);
    const claimedAt = current?.claimedAt ? Date.parse(current.claimedAt) : Number.NaN;
    if (current?.status === 'sending' && now.getTime() - claimedAt > STALE_CLAIM_MS) {
      await deps.prompts.finish(request, 'sending', { status: 'unknown', errorCode: 'sender-lost' });
      logger.warn('send outcome unknown: its sender stopped mid-call', {
        participantId: request.participantId,
      });
      deps.metrics.count('PromptsUnknown');
      return { kind: 'unknown' };
    }
    if (current?.status === 'sending') {
      // Claimed moments ago: another delivery is sending it now, or died doing so. Look again
      // once the claim would be stale; then it is either finished or provably unknown.
      return {
        kind: 'retry',
        delaySeconds: Math.ceil((STALE_CLAIM_MS - (now.getTime() - claimedAt)) / 1000) + 1,
      };
    }
    return { kind: 'duplicate' };
  }

  const [participant, program] = await Promise.all([
    deps.participants.get(request.participantId),
    deps.programs.getById(record.programId),
  ]);
  const skip = await whyNotSend(deps, kind, request, record, participant, program, now);
  if (skip || !participant || !program) {
    await deps.prompts.finish(request, 'sending', { status: 'skipped', skipReason: skip });
    deps.metrics.count('PromptsSkipped');
    return { kind: 'skipped' };
  }

  try {
    const { providerMessageId } = await deps.sms.send({
      to: participant.phone,
      body: bodyOf(kind, record),
      statusCallbackUrl: statusCallbackUrl(deps.settings.publicBaseUrl, request),
    });
    const sentAt = deps.clock.now();
    const remindAt =
      kind === 'prompt'
        ? reminderTime(program, participant.timeZone, new Date(request.scheduledFor), sentAt)
        : undefined;
    const change: PromptChange = { status: 'sent', sentAt: sentAt.toISOString(), providerMessageId };
    await deps.prompts.finish(
      request,
      'sending',
      remindAt ? { ...change, remindAt: remindAt.toISOString() } : change,
    );
    deps.metrics.count(SENT_METRIC[kind]);
    return { kind: 'sent' };
  } catch (error) {
    if (!(error instanceof SmsSendError)) throw error;
    return failed(deps, request, record.attempts, error);
  }
}

async function failed(
  deps: SendDeps,
  request: SendRequest,
  attempt: number,
  error: SmsSendError,
): Promise<SendOutcome> {
  const { participantId } = request;
  if (error.kind === 'ambiguous') {
    await deps.prompts.finish(request, 'sending', { status: 'unknown', errorCode: error.code });
    logger.warn('send outcome unknown: not resent', { participantId, code: error.code });
    deps.metrics.count('PromptsUnknown');
    return { kind: 'unknown' };
  }
  if (error.kind === 'retryable' && attempt < deps.settings.sendMaxAttempts) {
    await deps.prompts.finish(request, 'sending', { status: 'queued' });
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
  await deps.prompts.finish(request, 'sending', { status: 'failed', errorCode });
  const reason = error.kind === 'permanent' ? `permanent:${errorCode}` : `retries-exhausted:${errorCode}`;
  await deps.sendQueue.deadLetter(request, reason);
  logger.error('send failed', { participantId, kind: error.kind, code: errorCode, attempt });
  deps.metrics.count('PromptsFailed');
  return { kind: 'failed' };
}
