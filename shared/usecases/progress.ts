/**
 * The progress line every recorded answer gets, whatever it came from: what was stored and the
 * streak, in the words of the SMS confirmation ("Got it: 7, 8, 6. 5 days in a row."). Email
 * participants read it on the page after a click, on the check-in page, or in the reply to their
 * email.
 */
import { answersConfirmedSms } from '../channels/sms/domain/messages.js';
import type { Participant } from '../domain/participant.js';
import type { Prompt } from '../domain/prompt.js';
import type { ParsedAnswer } from '../domain/reply.js';
import { type StreakRecord, streakAfterAnswer, streakMayGoOn } from '../domain/streak.js';
import type { Deps } from '../ports.js';

/** Prompts a streak looks back over, at most. */
export const STREAK_HISTORY = 100;

/**
 * The prompts read first, newest first: two weeks of a daily program, which holds the reply
 * window and most streaks. Older ones are read (without their question snapshots) only while the
 * streak reaches back to the oldest read.
 */
export const FIRST_PAGE = 14;

/** A participant's newest prompts as read so far; `more` when older ones may exist. */
export interface StreakHistory {
  readonly records: readonly StreakRecord[];
  readonly more: boolean;
}

/**
 * The streak a confirmation shows once `prompt` counts as answered at `answeredAt`, from the
 * participant's prompts newest first (`first`, when the caller read them already), paging back
 * only as far as the streak goes, up to {@link STREAK_HISTORY} prompts.
 */
export async function streakAfter(
  deps: Pick<Deps, 'prompts' | 'clock'>,
  participant: Pick<Participant, 'timeZone'>,
  prompt: Pick<Prompt, 'participantId' | 'scheduledFor' | 'kind' | 'answeredAt'>,
  answeredAt: string,
  first?: StreakHistory,
): Promise<number> {
  const now = deps.clock.now();
  const zone = participant.timeZone;
  let history = first;
  if (!history) {
    const records = await deps.prompts.streakRecords(prompt.participantId, FIRST_PAGE);
    history = { records, more: records.length === FIRST_PAGE };
  }
  let records = history.records;
  if (
    history.more &&
    records.length < STREAK_HISTORY &&
    streakMayGoOn(records, prompt, answeredAt, zone, now)
  ) {
    // A streak as long as the first page: the rest at once (a streak is the days still to count).
    const limit = STREAK_HISTORY - records.length;
    const older = await deps.prompts.streakRecords(prompt.participantId, limit, records.at(-1)?.scheduledFor);
    records = [...records, ...older];
  }
  return streakAfterAnswer(records, prompt, answeredAt, zone, now);
}

/** The confirmation of answers just recorded to `prompt`, with the participant's streak. */
export async function progressLine(
  deps: Pick<Deps, 'prompts' | 'clock'>,
  participant: Pick<Participant, 'timeZone'>,
  prompt: Pick<Prompt, 'participantId' | 'scheduledFor' | 'kind' | 'questions' | 'answeredAt'>,
  answers: readonly ParsedAnswer[],
  answeredAt: string,
  first?: StreakHistory,
): Promise<string> {
  const streak = await streakAfter(deps, participant, prompt, answeredAt, first);
  return answersConfirmedSms(prompt.questions, answers, streak);
}
