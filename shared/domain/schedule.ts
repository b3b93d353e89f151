/**
 * Turning a program's local schedule into instants, in each participant's IANA time zone, with the
 * zone's real DST rules (from the runtime's ICU data via `Intl`, see zone.ts). Pure: no clock, no I/O.
 *
 * DST decisions, chosen so that nobody is skipped and nobody is asked twice:
 * - a wall time that does not exist (spring forward: 02:30 in New York) resolves to the first valid
 *   instant after it (03:00 the new offset), not an hour later as naive arithmetic would;
 * - a wall time that happens twice (fall back: 01:30) resolves to its first occurrence only.
 */
import { isInsideWindow, type LocalTime } from './local-time.js';
import { quietWindow, type Schedule, WEEKDAYS } from './program.js';
import { addDays, instantAtLocalTime, isKnownTimeZone, isoWeekday, localParts } from './zone.js';

/** Whether `zone` is an IANA time zone name this runtime knows (e.g. "America/New_York"). */
export function isValidTimeZone(zone: string): boolean {
  return zone.includes('/') || zone === 'UTC' ? isKnownTimeZone(zone) : false;
}

/** A calendar date, month 1–12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * The instant at which the wall time `minutes` occurs on `date` in `zoneName`. Non-existent times
 * resolve to the first valid instant after them; ambiguous ones to their first occurrence.
 */
export function resolveLocalTime(date: LocalDate, minutes: LocalTime, zoneName: string): Date {
  return instantAtLocalTime(date, minutes, zoneName);
}

/** Local calendar date and minute of day of an instant in a zone. */
export function toLocal(
  instant: Date,
  zoneName: string,
): LocalDate & { minutes: LocalTime; weekday: number } {
  const p = localParts(instant, zoneName);
  return { year: p.year, month: p.month, day: p.day, minutes: p.hour * 60 + p.minute, weekday: p.weekday };
}

/**
 * The first scheduled send instant strictly after `after` for a participant in `zone`.
 * Always defined: a schedule has at least one weekday, so one falls within the next 8 days.
 */
export function nextSendTime(schedule: Pick<Schedule, 'days' | 'time'>, zone: string, after: Date): Date {
  const [h, m] = schedule.time.split(':').map(Number);
  const minutes = (h ?? 0) * 60 + (m ?? 0);
  const start = toLocal(after, zone);
  for (let i = -1; i <= 8; i++) {
    const date = addDays(start, i);
    const weekday = WEEKDAYS[isoWeekday(date) - 1];
    if (weekday === undefined || !schedule.days.includes(weekday)) continue;
    const at = resolveLocalTime(date, minutes, zone);
    if (at.getTime() > after.getTime()) return at;
  }
  throw new Error('schedule has no weekday'); // unreachable: the schema requires one
}

/** The first send instant on or after local midnight starting `date` (e.g. the day a pause ends). */
export function firstSendOnOrAfter(
  schedule: Pick<Schedule, 'days' | 'time'>,
  zone: string,
  date: LocalDate,
): Date {
  const midnight = resolveLocalTime(date, 0, zone);
  return nextSendTime(schedule, zone, new Date(midnight.getTime() - 1));
}

/** Whether an instant falls inside the schedule's quiet hours in the participant's zone. */
export function isQuietAt(schedule: Schedule, zone: string, instant: Date): boolean {
  const { start, end } = quietWindow(schedule);
  return isInsideWindow(toLocal(instant, zone).minutes, start, end);
}

/**
 * The earliest instant at or after `instant` outside quiet hours: `instant` itself when it is not
 * quiet, otherwise the end of the quiet window it falls in.
 */
export function firstNonQuietInstant(schedule: Schedule, zone: string, instant: Date): Date {
  if (!isQuietAt(schedule, zone, instant)) return instant;
  const { end } = quietWindow(schedule);
  const local = toLocal(instant, zone);
  const sameDay = resolveLocalTime(local, end, zone);
  return sameDay.getTime() > instant.getTime() ? sameDay : resolveLocalTime(addDays(local, 1), end, zone);
}
