/**
 * Streaks: how many scheduled days in a row, up to now, the participant answered — counted in the
 * participant's own time zone. Only days a prompt actually went out count: a day with no prompt
 * (not a scheduled day, paused, skipped in quiet hours) neither extends nor breaks a streak. Pure.
 */
import type { Prompt } from './prompt.js';
import { localDateOf } from './zone.js';

/** The parts of a prompt a streak looks at. */
export type StreakPrompt = Pick<Prompt, 'scheduledFor' | 'status' | 'answeredAt' | 'kind'>;

/** A send record as a streak reads it: what it counts, and whether the participant skipped it. */
export type StreakRecord = StreakPrompt & Pick<Prompt, 'participantSkippedAt'>;

const localDay = (iso: string, zone: string) => localDateOf(new Date(iso), zone);

/**
 * The current streak: consecutive days with a sent prompt that was answered, newest first. Today's
 * prompt, while still unanswered, does not break it (the day is not over).
 */
export function currentStreak(prompts: readonly StreakPrompt[], zone: string, now: Date): number {
  return walk(prompts, zone, now).streak;
}

/**
 * The streak, and whether counting it stopped at a day that broke it before the oldest day of
 * `prompts` (a break on the oldest day may be a day only partly read: its other send records can
 * be older still).
 */
function walk(
  prompts: readonly StreakPrompt[],
  zone: string,
  now: Date,
): { streak: number; broken: boolean } {
  const today = localDay(now.toISOString(), zone);
  const byDay = new Map<string, boolean>();
  for (const p of prompts) {
    if ((p.kind ?? 'prompt') !== 'prompt') continue;
    if (p.status !== 'sent' && p.status !== 'unknown') continue;
    const day = localDay(p.scheduledFor, zone);
    byDay.set(day, (byDay.get(day) ?? false) || Boolean(p.answeredAt));
  }
  const days = [...byDay.keys()].sort().reverse();
  let streak = 0;
  for (const [i, day] of days.entries()) {
    if (byDay.get(day)) streak++;
    else if (day === today && streak === 0) continue;
    else return { streak, broken: i < days.length - 1 };
  }
  return { streak, broken: false };
}

/**
 * The streak a confirmation shows once `prompt` counts as answered at `answeredAt`: the history as
 * read before the answer was stored, with that prompt marked answered and skipped days left out.
 */
export function streakAfterAnswer(
  history: readonly StreakRecord[],
  prompt: Pick<Prompt, 'scheduledFor' | 'kind' | 'answeredAt'>,
  answeredAt: string,
  zone: string,
  now: Date,
): number {
  return walk(afterAnswer(history, prompt, answeredAt), zone, now).streak;
}

/**
 * Whether records older than `history` could change {@link streakAfterAnswer}: counting it ran
 * through every day of `history` (or broke on its oldest, which may be only partly read). A reader
 * pages further back only then.
 */
export function streakMayGoOn(
  history: readonly StreakRecord[],
  prompt: Pick<Prompt, 'scheduledFor' | 'kind' | 'answeredAt'>,
  answeredAt: string,
  zone: string,
  now: Date,
): boolean {
  return !walk(afterAnswer(history, prompt, answeredAt), zone, now).broken;
}

/** The history with `prompt` marked answered and skipped days left out. */
function afterAnswer(
  history: readonly StreakRecord[],
  prompt: Pick<Prompt, 'scheduledFor' | 'kind' | 'answeredAt'>,
  answeredAt: string,
): StreakPrompt[] {
  const same = (p: StreakPrompt) =>
    p.scheduledFor === prompt.scheduledFor && (p.kind ?? 'prompt') === (prompt.kind ?? 'prompt');
  return history
    .filter((p) => !p.participantSkippedAt)
    .map((p) => (same(p) ? { ...p, answeredAt: p.answeredAt ?? prompt.answeredAt ?? answeredAt } : p));
}
