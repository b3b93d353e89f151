/**
 * An inbound SMS: stored raw first (idempotent on the provider's message id), then understood —
 * carrier keywords, consent, or answers to the newest open prompt among the sender's enrolments —
 * and answered.
 *
 * Consent belongs to the phone number: a STOP stops everything this sender sends to the number
 * (every coach, every program), START or YES restores it; the change is recorded on the number,
 * conditional on time, so messages take effect in the order they arrived and nothing a coach does
 * can undo them. A redelivered message gets the reply it got the first time and changes nothing;
 * one that arrives while the first delivery is still being handled gets no reply at all.
 */
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
import type { Deps, InboundMessage, InboundOutcome } from '../ports.js';
import { newestOpenPrompt, receive, recordAnswers, recordOutcome } from './answers.js';

type ReplyDeps = Pick<
  Deps,
  'participants' | 'contacts' | 'programs' | 'prompts' | 'replies' | 'clock' | 'metrics'
>;

/** Handles one inbound SMS; resolves with the text to answer with (empty for none). */
export async function recordSmsReply(deps: ReplyDeps, message: InboundMessage): Promise<string> {
  const received = await receive(deps, message);
  if (received.status === 'duplicate') return received.outcome?.responseText ?? '';
  const outcome = await understand(deps, message);
  logger.info('inbound sms', { participantId: outcome.participantId, outcome: outcome.outcome });
  return outcome.responseText ?? '';
}

async function understand(deps: ReplyDeps, message: InboundMessage): Promise<InboundOutcome> {
  const enrolments = await deps.participants.findByAddress('sms', message.from);
  if (enrolments.length === 0) return recordOutcome(deps, message, { outcome: 'unknown-sender' });
  // A keyword concerns the number, not one enrolment: attributed only when there is one.
  const only = enrolments.length === 1 ? { participantId: enrolments[0]?.id } : {};
  const keyword = keywordOf(message.body);

  if (keyword === 'opt-out') {
    const applied = await deps.contacts.setOptOut('sms', message.from, true, message.receivedAt);
    // Timers go too, so nothing is even dispatched; the gate would refuse it anyway.
    if (applied)
      await Promise.all(enrolments.map((p) => deps.participants.update(p.id, { nextDueAt: null })));
    return recordOutcome(deps, message, {
      ...only,
      outcome: 'opt-out',
      // A STOP older than a START already handled changes nothing, and says nothing.
      ...(applied ? { responseText: OPT_OUT_CONFIRMED_SMS } : {}),
    });
  }
  if (keyword === 'help')
    return recordOutcome(deps, message, { ...only, outcome: 'help', responseText: HELP_SMS });
  if (keyword === 'opt-in')
    return recordOutcome(deps, message, { ...only, ...(await optIn(deps, enrolments, message)) });

  const contact = await deps.contacts.get('sms', message.from);
  // Silence after STOP: nothing is sent to an opted-out number, not even a clarification.
  if (contact?.optedOut) return recordOutcome(deps, message, { ...only, outcome: 'unparsed' });
  if (enrolments.every((p) => p.status === 'pending')) {
    return recordOutcome(deps, message, {
      ...only,
      outcome: 'unparsed',
      responseText: optInRequestSms(undefined),
    });
  }
  return answer(deps, enrolments, message);
}

/** YES / START: the number opts in; every enrolment waiting for consent starts. */
async function optIn(
  deps: ReplyDeps,
  enrolments: readonly Participant[],
  message: InboundMessage,
): Promise<Omit<InboundOutcome, 'participantId'>> {
  const applied = await deps.contacts.setOptOut('sms', message.from, false, message.receivedAt);
  if (!applied) return { outcome: 'opt-in' }; // a later STOP already won
  const now = deps.clock.now();
  const started = await Promise.all(
    enrolments.map(async (participant) => {
      const program = await deps.programs.getById(participant.programId);
      if (!program) return undefined;
      const next = nextSendTime(program.schedule, participant.timeZone, now);
      if (participant.status === 'pending') {
        // Conditional on `pending`: a coach action on the same participant cannot be overwritten.
        const ok = await deps.participants.update(
          participant.id,
          { status: 'active', consentAt: message.receivedAt, nextDueAt: next.toISOString() },
          { status: 'pending' },
        );
        return ok ? { participant, next } : undefined;
      }
      // Back after a STOP: their schedule resumes where it stood.
      if ((participant.status === 'active' || participant.status === 'paused') && !participant.nextDueAt) {
        const ok = await deps.participants.update(
          participant.id,
          { nextDueAt: next.toISOString() },
          { dueAt: null },
        );
        return ok ? { participant, next } : undefined;
      }
      return undefined;
    }),
  );
  const first = started.filter((s) => s !== undefined).sort((a, b) => a.next.getTime() - b.next.getTime())[0];
  if (!first) return { outcome: 'opt-in', responseText: "You're signed up. Reply STOP to opt out." };
  const when = first.next.toLocaleString('en-US', {
    timeZone: first.participant.timeZone,
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
  });
  return { outcome: 'opt-in', responseText: optInConfirmedSms(when) };
}

/** Anything else: answers to the newest open prompt among the number's enrolments. */
async function answer(
  deps: ReplyDeps,
  enrolments: readonly Participant[],
  message: InboundMessage,
): Promise<InboundOutcome> {
  const open = await newestOpenPrompt(deps, enrolments);
  if (!open) return recordOutcome(deps, message, { outcome: 'no-prompt', responseText: NOTHING_OPEN_SMS });
  const { prompt } = open;
  const participantId = prompt.participantId;

  const parsed = parseScaleAnswers(message.body, prompt.questions.length);
  if (!parsed.ok) {
    if (prompt.answeredAt)
      return recordOutcome(deps, message, {
        participantId,
        outcome: 'comment',
        responseText: 'Thanks, noted.',
      });
    // One clarification per prompt, even when two replies are handled at the same moment.
    const first = !prompt.clarified && (await deps.prompts.markClarified(prompt));
    return recordOutcome(deps, message, {
      participantId,
      outcome: 'unparsed',
      ...(first ? { responseText: clarificationSms(prompt.questions.length, parsed) } : {}),
    });
  }
  return recordAnswers(
    deps,
    message,
    prompt,
    parsed.values.map((value, questionIndex) => ({
      questionIndex,
      value,
      ...(parsed.comment ? { comment: parsed.comment } : {}),
    })),
    answersConfirmedSms(parsed.values),
  );
}
