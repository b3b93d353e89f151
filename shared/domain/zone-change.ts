/**
 * Where a participant's next prompt goes when their coach changes their time zone. Pure.
 *
 * The rule is "one prompt per participant-local day": a day that already had its prompt (in the
 * zone it was scheduled in) never gets a second one, and today's prompt is not lost when the new
 * zone puts its send time a little in the past — it is caught up at once, as after an outage,
 * while it would still be fresh and outside quiet hours.
 */
import type { Schedule } from './program.js';
import { WEEKDAYS } from './program.js';
import { isQuietAt, resolveLocalTime, toLocal } from './schedule.js';
import { addDays, formatDate, isoWeekday } from './zone.js';

/** What the next due time after a zone change depends on. */
export interface ZoneChangeInput {
  /** The new IANA zone. */
  readonly zone: string;
  readonly now: Date;
  /**
   * The local date (YYYY-MM-DD, in the zone it was scheduled in) of the participant's latest
   * scheduled prompt, if any: that day and every day before it are done.
   */
  readonly lastPromptDay?: string | undefined;
}

/**
 * The next due instant in the new zone: the first scheduled day in it that is today or later and
 * after the last prompt's day. Today's send time already past in the new zone is returned as is
 * (a due timer the dispatcher sends at once) when it is still within the program's freshness
 * window and `now` is outside quiet hours; otherwise the following scheduled day.
 */
export function nextDueAfterZoneChange(schedule: Schedule, input: ZoneChangeInput): Date {
  const { zone, now, lastPromptDay } = input;
  const [h, m] = schedule.time.split(':').map(Number);
  const minutes = (h ?? 0) * 60 + (m ?? 0);
  const today = toLocal(now, zone);
  for (let i = 0; i <= 8; i++) {
    const date = addDays(today, i);
    const weekday = WEEKDAYS[isoWeekday(date) - 1];
    if (weekday === undefined || !schedule.days.includes(weekday)) continue;
    if (lastPromptDay !== undefined && formatDate(date) <= lastPromptDay) continue;
    const at = resolveLocalTime(date, minutes, zone);
    if (at.getTime() > now.getTime()) return at;
    const late = now.getTime() - at.getTime();
    if (late <= schedule.freshnessMinutes * 60_000 && !isQuietAt(schedule, zone, now)) return at;
  }
  // Unreachable for a valid schedule (at least one weekday within 8 days after today).
  throw new Error('schedule has no weekday');
}
