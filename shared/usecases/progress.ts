/**
 * The progress line every recorded answer gets, whatever it came from: what was stored and the
 * streak, in the words of the SMS confirmation ("Got it: 7, 8, 6. 5 days in a row."). Email
 * participants read it on the page after a click, on the check-in page, or in the reply to their
 * email.
 */
import { answersConfirmedSms } from '../domain/messages.js';
import type { Participant } from '../domain/participant.js';
import type { Prompt } from '../domain/prompt.js';
import type { ParsedAnswer } from '../domain/reply.js';
import { streakAfterAnswer } from '../domain/streak.js';
import type { Deps } from '../ports.js';

/** Send records a streak looks back over (as the SMS reply path does). */
const HISTORY = 100;

/** The confirmation of answers just recorded to `prompt`, with the participant's streak. */
export async function progressLine(
  deps: Pick<Deps, 'prompts' | 'clock'>,
  participant: Pick<Participant, 'timeZone'>,
  prompt: Pick<Prompt, 'participantId' | 'scheduledFor' | 'kind' | 'questions' | 'answeredAt'>,
  answers: readonly ParsedAnswer[],
  answeredAt: string,
): Promise<string> {
  const history = await deps.prompts.list(prompt.participantId, HISTORY);
  const streak = streakAfterAnswer(history, prompt, answeredAt, participant.timeZone, deps.clock.now());
  return answersConfirmedSms(prompt.questions, answers, streak);
}
