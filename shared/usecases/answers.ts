/**
 * The one way answers are recorded, whatever they came from — an SMS reply, an email reply, a
 * click on an answer link, later the dashboard: the raw input is stored first (idempotent on its
 * id), then attributed to a prompt, then the answers and the outcome are written together.
 */
import type { Prompt } from '../domain/prompt.js';
import { RetryLaterError } from '../errors.js';
import type { Answer, Deps, InboundMessage, InboundOutcome, SummaryOwner } from '../ports.js';

/**
 * How long a duplicate waits for the delivery at work on the same message: 12 × 0.5 s, well
 * inside Twilio's 15 s webhook timeout and the function's own.
 */
const IN_FLIGHT_ROUNDS = 12;
const IN_FLIGHT_POLL_MS = 500;

/** What storing an inbound message found. */
export type Received =
  /**
   * First time seen (or taken over from a handler that died): handle it. `waited`: taken over
   * after waiting for another delivery, so anything read before this answer came may be stale.
   */
  | { readonly status: 'new'; readonly waited?: true }
  /** Seen before: answer with its earlier outcome, or with nothing while it is still being handled. */
  | { readonly status: 'duplicate'; readonly outcome?: InboundOutcome };

/**
 * Stores the raw message before anything else. If storing fails the error propagates, so the
 * provider is answered 5xx and retries: a reply is never acknowledged before it is stored.
 */
export async function receive(
  deps: Pick<Deps, 'replies' | 'metrics'>,
  message: InboundMessage,
): Promise<Received> {
  let stored = await deps.replies.storeRaw(message);
  // A delivery racing one still at work waits for its outcome. If none comes, the first handler
  // failed after storing (its 5xx made the provider retry at once): answering this retry 2xx
  // with nothing would drop the message for good, so it is 503 until the lease runs out and a
  // later retry takes the message over.
  let round = 0;
  for (; stored.duplicate && stored.inFlight && round < IN_FLIGHT_ROUNDS; round++) {
    await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_POLL_MS));
    stored = await deps.replies.storeRaw(message);
  }
  if (stored.duplicate && stored.inFlight)
    throw new RetryLaterError('this message is still being handled; deliver it again later', 30);
  if (stored.duplicate)
    return stored.outcome ? { status: 'duplicate', outcome: stored.outcome } : { status: 'duplicate' };
  deps.metrics.count('RepliesReceived');
  return round > 0 ? { status: 'new', waited: true } : { status: 'new' };
}

/** One answer as a source delivers it: a number (scale, 1/0 for yes/no, number) or a text. */
export interface AnswerInput {
  readonly questionIndex: number;
  readonly value?: number;
  readonly text?: string;
  readonly comment?: string;
}

/**
 * Records answers to a prompt from a received message, with the outcome the message gets, all or
 * nothing. An answer to a question that already has one replaces it (a second click, a
 * correction), so nothing is ever counted twice. Callers holding the participant pass it as
 * `owner`, which keys the weekly summary without reading the participant again.
 */
export async function recordAnswers(
  deps: Pick<Deps, 'replies' | 'metrics' | 'prompts'>,
  message: InboundMessage,
  prompt: Pick<Prompt, 'participantId' | 'scheduledFor' | 'questions' | 'kind'>,
  answers: readonly AnswerInput[],
  responseText?: string,
  owner?: SummaryOwner,
): Promise<InboundOutcome> {
  if (prompt.kind === 'push') return recordExerciseAnswer(deps, message, prompt, answers, responseText);
  const stored: Answer[] = answers.map(({ questionIndex, value, text, comment }) => {
    const question = prompt.questions[questionIndex];
    return {
      participantId: prompt.participantId,
      scheduledFor: prompt.scheduledFor,
      questionIndex,
      question: question?.text ?? '',
      ...(value !== undefined ? { value } : {}),
      ...(text !== undefined ? { text } : {}),
      // An experiment's answers are kept apart from the program's by the id its question carries.
      ...(question?.experimentId ? { experimentId: question.experimentId } : {}),
      channel: message.channel,
      source: message.source,
      receivedAt: message.receivedAt,
      providerMessageId: message.providerMessageId,
      ...(comment ? { comment } : {}),
    };
  });
  const outcome: InboundOutcome = {
    participantId: prompt.participantId,
    outcome: 'answers',
    ...(responseText ? { responseText } : {}),
  };
  await deps.replies.recordAnswers(message, stored, outcome, owner);
  deps.metrics.count('AnswersRecorded', stored.length);
  return outcome;
}

/**
 * The answer to a push's micro-exercise (its one question), kept on the push itself: it shows with
 * the push, and stays out of the check-in answers that weekly summaries count.
 */
async function recordExerciseAnswer(
  deps: Pick<Deps, 'prompts' | 'metrics'>,
  message: InboundMessage,
  push: Pick<Prompt, 'participantId' | 'scheduledFor'>,
  answers: readonly AnswerInput[],
  responseText?: string,
): Promise<InboundOutcome> {
  const first: AnswerInput | undefined = answers[0];
  const text = first?.text;
  const outcome: InboundOutcome = {
    participantId: push.participantId,
    outcome: 'answers',
    ...(responseText ? { responseText } : {}),
  };
  await deps.prompts.recordExerciseAnswer(
    message,
    { participantId: push.participantId, scheduledFor: push.scheduledFor, kind: 'push' },
    {
      ...(typeof first?.value === 'number' ? { value: first.value } : {}),
      ...(text !== undefined ? { text } : first?.comment ? { text: first.comment } : {}),
      receivedAt: message.receivedAt,
    },
    outcome,
  );
  deps.metrics.count('AnswersRecorded', 1);
  return outcome;
}

/** Records what became of a message that carried no answers. */
export async function recordOutcome(
  deps: Pick<Deps, 'replies'>,
  message: InboundMessage,
  outcome: InboundOutcome,
): Promise<InboundOutcome> {
  await deps.replies.recordOutcome(message, outcome);
  return outcome;
}
