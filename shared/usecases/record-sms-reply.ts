/**
 * An inbound SMS: stored raw first (idempotent on the provider's message id), then understood —
 * carrier keywords, consent, or answers to the participant's latest prompt — and answered.
 *
 * If storing fails the error propagates and the webhook answers 5xx, so Twilio retries: a reply
 * is never acknowledged before it is stored. A redelivered message gets the reply it got the first
 * time and changes nothing.
 */
import type { Deps } from '../deps.js';
import {
  answersConfirmedSms,
  clarificationSms,
  HELP_SMS,
  NOTHING_OPEN_SMS,
  OPT_OUT_CONFIRMED_SMS,
  optInConfirmedSms,
  optInRequestSms,
} from '../domain/messages.js';
import type { Participant } from '../domain/participant.js';
import { keywordOf, parseScaleAnswers } from '../domain/reply.js';
import { nextSendTime } from '../domain/schedule.js';
import { logger } from '../logger.js';
import type { Answer, InboundMessage, InboundOutcome } from '../ports.js';

type ReplyDeps = Pick<Deps, 'participants' | 'programs' | 'prompts' | 'replies' | 'clock' | 'metrics'>;

/** Handles one inbound SMS; resolves with the text to answer with (empty for none). */
export async function recordSmsReply(deps: ReplyDeps, message: InboundMessage): Promise<string> {
  const stored = await deps.replies.storeRaw(message);
  if (stored.duplicate && stored.outcome) return stored.outcome.responseText ?? '';
  deps.metrics.count('RepliesReceived');
  const outcome = await understand(deps, message);
  if (outcome.outcome !== 'answers') await deps.replies.recordOutcome(message, outcome);
  logger.info('inbound sms', { participantId: outcome.participantId, outcome: outcome.outcome });
  return outcome.responseText ?? '';
}

async function understand(deps: ReplyDeps, message: InboundMessage): Promise<InboundOutcome> {
  const participant = await deps.participants.findByPhone(message.from);
  if (!participant) return { outcome: 'unknown-sender' };
  const participantId = participant.id;
  const keyword = keywordOf(message.body);

  if (keyword === 'opt-out') {
    await deps.participants.update(participantId, { status: 'opted_out', nextDueAt: null });
    return { participantId, outcome: 'opt-out', responseText: OPT_OUT_CONFIRMED_SMS };
  }
  if (keyword === 'help') return { participantId, outcome: 'help', responseText: HELP_SMS };
  if (keyword === 'opt-in') return optIn(deps, participant, message);
  if (participant.status === 'opted_out') return { participantId, outcome: 'unparsed' }; // silence after STOP
  if (participant.status === 'pending') {
    return { participantId, outcome: 'unparsed', responseText: optInRequestSms(undefined) };
  }
  return recordAnswers(deps, participant, message);
}

async function optIn(
  deps: ReplyDeps,
  participant: Participant,
  message: InboundMessage,
): Promise<InboundOutcome> {
  const participantId = participant.id;
  const program = await deps.programs.getById(participant.programId);
  if (!program) return { participantId, outcome: 'opt-in' };
  if (participant.status === 'active' || participant.status === 'paused') {
    return {
      participantId,
      outcome: 'opt-in',
      responseText: "You're already signed up. Reply STOP to opt out.",
    };
  }
  const now = deps.clock.now();
  const next = nextSendTime(program.schedule, participant.timeZone, now);
  await deps.participants.update(participantId, {
    status: 'active',
    consentAt: message.receivedAt,
    nextDueAt: next.toISOString(),
  });
  const when = next.toLocaleString('en-US', {
    timeZone: participant.timeZone,
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
  });
  return { participantId, outcome: 'opt-in', responseText: optInConfirmedSms(when) };
}

async function recordAnswers(
  deps: ReplyDeps,
  participant: Participant,
  message: InboundMessage,
): Promise<InboundOutcome> {
  const participantId = participant.id;
  const prompt = await deps.prompts.latestSent(participantId);
  if (!prompt) return { participantId, outcome: 'no-prompt', responseText: NOTHING_OPEN_SMS };

  const parsed = parseScaleAnswers(message.body, prompt.questions.length);
  if (!parsed.ok) {
    if (prompt.answeredAt) return { participantId, outcome: 'comment', responseText: 'Thanks, noted.' };
    if (prompt.clarified) return { participantId, outcome: 'unparsed' }; // one clarification only
    await deps.prompts.markClarified(prompt);
    return {
      participantId,
      outcome: 'unparsed',
      responseText: clarificationSms(prompt.questions.length, parsed),
    };
  }

  const answers: Answer[] = parsed.values.map((value, questionIndex) => ({
    participantId,
    scheduledFor: prompt.scheduledFor,
    questionIndex,
    question: prompt.questions[questionIndex]?.text ?? '',
    value,
    channel: 'sms',
    receivedAt: message.receivedAt,
    providerMessageId: message.providerMessageId,
    ...(parsed.comment ? { comment: parsed.comment } : {}),
  }));
  const outcome: InboundOutcome = {
    participantId,
    outcome: 'answers',
    responseText: answersConfirmedSms(parsed.values),
  };
  await deps.replies.recordAnswers(message, answers, outcome);
  deps.metrics.count('AnswersRecorded', answers.length);
  return outcome;
}
