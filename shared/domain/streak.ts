/**
 * Streaks: how many scheduled days in a row, up to now, the participant answered — counted in the
 * participant's own time zone. Only days a prompt actually went out count: a day with no prompt
 * (not a scheduled day, paused, skipped in quiet hours) neither extends nor breaks a streak. Pure.
 */
import type { Prompt } from './prompt.js';
import { localDateOf } from './zone.js';

/** The parts of a prompt a streak looks at. */
export type StreakPrompt = Pick<Prompt, 'scheduledFor' | 'status' | 'answeredAt' | 'kind'>;

const localDay = (iso: string, zone: string) => localDateOf(new Date(iso), zone);

/**
 * The current streak: consecutive days with a sent prompt that was answered, newest first. Today's
 * prompt, while still unanswered, does not break it (the day is not over).
 */
export function currentStreak(prompts: readonly StreakPrompt[], zone: string, now: Date): number {
  const today = localDay(now.toISOString(), zone);
  const byDay = new Map<string, boolean>();
  for (const p of prompts) {
    if ((p.kind ?? 'prompt') !== 'prompt') continue;
    if (p.status !== 'sent' && p.status !== 'unknown') continue;
    const day = localDay(p.scheduledFor, zone);
    byDay.set(day, (byDay.get(day) ?? false) || Boolean(p.answeredAt));
  }
  let streak = 0;
  for (const day of [...byDay.keys()].sort().reverse()) {
    if (byDay.get(day)) streak++;
    else if (day === today && streak === 0) continue;
    else break;
  }
  return streak;
}

/**
 * The streak a confirmation shows once `prompt` counts as answered at `answeredAt`: the history as
 * read before the answer was stored, with that prompt marked answered and skipped days left out.
 */
export function streakAfterAnswer(
  history: readonly (StreakPrompt & Pick<Prompt, 'participantSkippedAt'>)[],
  prompt: Pick<Prompt, 'scheduledFor' | 'kind' | 'answeredAt'>,
  answeredAt: string,
  zone: string,
  now: Date,
): number {
  const same = (p: StreakPrompt) =>
    p.scheduledFor === prompt.scheduledFor && (p.kind ?? 'prompt') === (prompt.kind ?? 'prompt');
  return currentStreak(
    history
      .filter((p) => !p.participantSkippedAt)
      .map((p) => (same(p) ? { ...p, answeredAt: p.answeredAt ?? prompt.answeredAt ?? answeredAt } : p)),
    zone,
    now,
  );
}
