/**
 * Turning a program's local schedule into instants, in each participant's IANA time zone, with the
 * zone's real DST rules (from the runtime's ICU data via luxon). Pure: no clock, no I/O.
 *
 * DST decisions, chosen so that nobody is skipped and nobody is asked twice:
 * - a wall time that does not exist (spring forward: 02:30 in New York) resolves to the first valid
 *   instant after it (03:00 the new offset), not an hour later as naive arithmetic would;
 * - a wall time that happens twice (fall back: 01:30) resolves to its first occurrence only.
 */
import { DateTime, IANAZone } from 'luxon';
import { isInsideWindow, type LocalTime } from './local-time.js';
import { quietWindow, type Schedule, WEEKDAYS } from './program.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Whether `zone` is an IANA time zone name this runtime knows (e.g. "America/New_York"). */
export function isValidTimeZone(zone: string): boolean {
  return zone.includes('/') || zone === 'UTC' ? IANAZone.isValidZone(zone) : false;
}

/** A calendar date, month 1–12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Local wall time of an instant in a zone, expressed as "the UTC instant with the same digits". */
function wallClockMs(zone: IANAZone, ts: number): number {
  return ts + zone.offset(ts) * MINUTE;
}

/**
 * The instant at which the wall time `minutes` occurs on `date` in `zone`. Non-existent times
 * resolve to the first valid instant after them; ambiguous ones to their first occurrence.
 */
export function resolveLocalTime(date: LocalDate, minutes: LocalTime, zoneName: string): Date {
  const zone = IANAZone.create(zoneName);
  const target = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE;
  // Every offset in force within a day and a half either side covers any transition near `target`.
  const offsets = [...new Set([-36 * HOUR, 0, 36 * HOUR].map((d) => zone.offset(target + d)))];
  const exact = offsets
    .map((o) => target - o * MINUTE)
    .filter((ts) => wallClockMs(zone, ts) === target)
    .sort((a, b) => a - b);
  if (exact[0] !== undefined) return new Date(exact[0]);
  // In a gap: walk minute by minute to the first instant whose wall time is past the target.
  const maxOffset = Math.max(...offsets);
  let ts = target - maxOffset * MINUTE;
  while (wallClockMs(zone, ts - MINUTE) >= target) ts -= MINUTE;
  while (wallClockMs(zone, ts) < target) ts += MINUTE;
  return new Date(ts);
}

/** Local calendar date and minute of day of an instant in a zone. */
export function toLocal(
  instant: Date,
  zoneName: string,
): LocalDate & { minutes: LocalTime; weekday: number } {
  const dt = DateTime.fromJSDate(instant, { zone: zoneName });
  return {
    year: dt.year,
    month: dt.month,
    day: dt.day,
    minutes: dt.hour * 60 + dt.minute,
    weekday: dt.weekday,
  };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function isoWeekday(date: LocalDate): number {
  const js = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return js === 0 ? 7 : js;
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
