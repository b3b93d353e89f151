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

import type { Channel } from '../domain/channel.js';
import { type GateDecision, mayGoOut, type SendPurpose } from '../domain/gate.js';
import type { Participant } from '../domain/participant.js';
import type { Program } from '../domain/program.js';
import type { Prompt, PromptKind } from '../domain/prompt.js';
import { firstNonQuietInstant, nextSendTime } from '../domain/schedule.js';
import { logger } from '../logger.js';
import {
  type Deps,
  type MetricName,
  type PromptChange,
  SendError,
  type SendReceipt,
  type SendRequest,
} from '../ports.js';

/** What happened to the request; `retry` asks the queue to deliver it again after a delay. */
export type SendOutcome =
  | { readonly kind: 'sent' | 'failed' | 'unknown' | 'skipped' | 'duplicate' }
  | { readonly kind: 'retry'; readonly delaySeconds: number };

/**
 * A claim older than this without an outcome belongs to a sender that died mid-call: four times
 * the sender's Lambda timeout (30 s), which no live invocation outlasts.
 */
export const STALE_CLAIM_MS = 2 * 60_000;

/**
 * One channel's way out: renders a send record for the participant (SMS text; email subject, HTML
 * and text with its links) and hands it to the channel's sender. Throws {@link SendError}.
 */
export interface ChannelOutbound {
  readonly channel: Channel;
  send(message: {
    kind: PromptKind;
    record: Prompt;
    participant: Participant;
    program: Program;
  }): Promise<SendReceipt>;
  /**
   * What a refusal by the provider says about the participant's address, recorded before the send
   * is failed (SMS: Twilio's 21610, a STOP the carrier holds). Channels without such a case omit it.
   */
  refused?(
    deps: Pick<Deps, 'participants' | 'contacts' | 'clock'>,
    participant: Pick<Participant, 'id' | 'phone' | 'email'>,
    error: SendError,
  ): Promise<void>;
}

/** Backoff before attempt `attempt + 1`: 30 s, 60 s, 120 s … capped at 15 min. */
export function backoffSeconds(attempt: number, retryAfterSeconds?: number): number {
  const exponential = Math.min(900, 30 * 2 ** Math.max(0, attempt - 1));
  return Math.max(exponential, retryAfterSeconds ?? 0);
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

/** What sending uses: the repositories, the queue and one channel's way out. */
export type SendDeps = Pick<
  Deps,
  | 'participants'
  | 'contacts'
  | 'programs'
  | 'prompts'
  | 'sendQueue'
  | 'clock'
  | 'sendMaxAttempts'
  | 'metrics'
  | 'summaries'
> & { readonly outbound: ChannelOutbound };

/** Asks the sending gate about a claimed record, with what it needs read fresh. */
async function gateFor(
  deps: SendDeps,
  kind: PromptKind,
  request: SendRequest,
  record: Prompt,
  participant: Participant | undefined,
  program: Program | undefined,
  now: Date,
): Promise<GateDecision> {
  const channel = record.channel ?? 'sms';
  if (!participant || !program) return { action: 'skip', reason: 'not-active' };
  const address = channel === 'sms' ? participant.phone : participant.email;
  const [contact, prompt] = await Promise.all([
    address ? deps.contacts.get(channel, address) : undefined,
    kind === 'reminder'
      ? deps.prompts.get({ participantId: request.participantId, scheduledFor: request.scheduledFor })
      : kind === 'push' && record.followUpOf
        ? // A push follow-up is not sent once its exercise was answered.
          deps.prompts.get({ participantId: request.participantId, scheduledFor: record.followUpOf, kind })
        : undefined,
  ]);
  const purpose: SendPurpose = kind;
  return mayGoOut({
    purpose,
    channel,
    participant,
    contact,
    schedule: program.schedule,
    // A reminder is as fresh as its creation; everything else as its scheduled time.
    dueAt: new Date(kind === 'reminder' ? record.createdAt : request.scheduledFor),
    now,
    answered: Boolean(prompt?.answeredAt),
  });
}

const SENT_METRIC: Record<PromptKind, MetricName> = {
  prompt: 'PromptsSent',
  reminder: 'RemindersSent',
  'opt-in': 'OptInRequestsSent',
  welcome: 'WelcomesSent',
  push: 'PushesSent',
  report: 'ReportCardsSent',
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
  const decision = await gateFor(deps, kind, request, record, participant, program, now);
  if (decision.action !== 'send' || !participant || !program) {
    // Deferred means inside quiet hours: the dispatcher defers before queueing, so a record that
    // only reaches its sender then (a long queue delay) is not sent at night but skipped.
    const skipReason = decision.action === 'send' ? 'not-active' : decision.reason;
    await deps.prompts.finish(request, 'sending', { status: 'skipped', skipReason });
    deps.metrics.count('PromptsSkipped');
    return { kind: 'skipped' };
  }
  if ((record.channel ?? 'sms') !== deps.outbound.channel) {
    // On the wrong channel's queue (never by design): not this sender's to send.
    await deps.prompts.finish(request, 'sending', { status: 'failed', errorCode: 'wrong-channel' });
    await deps.sendQueue.deadLetter(request, `wrong-channel:${deps.outbound.channel}`);
    deps.metrics.count('PromptsFailed');
    return { kind: 'failed' };
  }

  try {
    const { providerMessageId } = await deps.outbound.send({ kind, record, participant, program });
    const sentAt = deps.clock.now();
    const remindAt =
      kind === 'prompt'
        ? reminderTime(program, participant.timeZone, new Date(request.scheduledFor), sentAt)
        : undefined;
    const change: PromptChange = { status: 'sent', sentAt: sentAt.toISOString(), providerMessageId };
    const finish = remindAt ? { ...change, remindAt: remindAt.toISOString() } : change;
    // A prompt's sent status and its mark in the week's summary go in one write once the week is open.
    let marked = kind !== 'prompt';
    if (kind === 'prompt') ({ marked } = await deps.prompts.finishSent(request, finish, participant, record));
    else await deps.prompts.finish(request, 'sending', finish);
    deps.metrics.count(SENT_METRIC[kind]);
    if (!marked) {
      // The message is out and recorded as sent: a failure here must not fail the queue message
      // (it would only come back as a duplicate); the week's summary is one prompt short instead.
      await deps.summaries.markSent(participant, record, change.sentAt ?? '').catch((error: unknown) => {
        logger.error('sent prompt not marked in the weekly summary', {
          participantId: request.participantId,
          error: error as Error,
        });
      });
    }
    return { kind: 'sent' };
  } catch (error) {
    if (!(error instanceof SendError)) throw error;
    // The channel learns what a refusal says about the address (SMS: a STOP held by the carrier).
    await deps.outbound.refused?.(deps, participant, error);
    return failed(deps, request, record.attempts, error);
  }
}

async function failed(
  deps: SendDeps,
  request: SendRequest,
  attempt: number,
  error: SendError,
): Promise<SendOutcome> {
  const { participantId } = request;
  if (error.kind === 'ambiguous') {
    await deps.prompts.finish(request, 'sending', { status: 'unknown', errorCode: error.code });
    logger.warn('send outcome unknown: not resent', { participantId, code: error.code });
    deps.metrics.count('PromptsUnknown');
    return { kind: 'unknown' };
  }
  if (error.kind === 'retryable' && attempt < deps.sendMaxAttempts) {
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
