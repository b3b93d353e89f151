/**
 * Dates in a participant's time zone with the browser's own Intl data (no date library in the
 * bundle): ISO weeks, local ↔ UTC, and the next send times of a schedule.
 */

import {
  addDays,
  instantAtLocalTime,
  isoWeekday,
  isoWeekOf,
  type LocalParts,
  localParts,
  parseWeek,
  weekBefore,
} from '../../shared/domain/zone.js';

// The server's own zone and ISO-week code (pure, Intl only, no zod): the dashboard computes the
// same instants the server will send at, DST days included, and never a hand-copied variant.
export { type LocalParts, localParts };

/** Whether `timeZone` is a zone this browser knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone.length > 0;
  } catch {
    return false;
  }
}

/**
 * The instant a local wall-clock time happens in `timeZone`, as the server resolves it: a time
 * skipped by a spring-forward change is the first valid instant after it (02:30 → 03:00), a time
 * that happens twice is its first occurrence.
 */
export function zonedToUtc(
  local: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): Date {
  return instantAtLocalTime(local, local.hour * 60 + local.minute, timeZone);
}

/** The ISO week (`YYYY-Www`) of `instant` in `timeZone`. */
export function currentWeek(instant: Date, timeZone: string): string {
  return isoWeekOf(instant, timeZone);
}

/** The week `delta` weeks after `week`; an unreadable week is returned as it is. */
export function shiftWeek(week: string, delta: number): string {
  return parseWeek(week) ? weekBefore(week, -delta) : week;
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * The next `count` send times of a schedule after `from`, in `timeZone` — the instants the
 * server's `nextSendTime` gives (a test holds the two together).
 */
export function nextSendTimes(
  schedule: { days: string[]; time: string },
  timeZone: string,
  from: Date,
  count = 5,
): Date[] {
  const m = /^(\d{2}):(\d{2})$/u.exec(schedule.time);
  if (!m || !isTimeZone(timeZone)) return [];
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  const start = localParts(from, timeZone);
  const out: Date[] = [];
  // A one-day-a-week schedule needs `count` weeks; a day either side covers any zone offset.
  for (let i = -1; i <= 7 * count + 1 && out.length < count; i++) {
    const date = addDays(start, i);
    if (!schedule.days.includes(DAYS[isoWeekday(date) - 1] ?? '')) continue;
    const instant = instantAtLocalTime(date, minutes, timeZone);
    if (instant.getTime() > from.getTime()) out.push(instant);
  }
  return out;
}

/** "Mon 23 Nov, 18:00" in `timeZone`. */
export function formatLocal(iso: string | Date, timeZone: string, withYear = false): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: isTimeZone(timeZone) ? timeZone : 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/** "3 h ago", "2 d ago". */
export function ago(iso: string | null | undefined, now = appNow().getTime()): string {
  if (!iso) return 'never';
  const minutes = Math.round((now - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} d ago`;
}

/** Every IANA zone the browser knows (for the time zone pickers). */
export function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC', 'Europe/London', 'America/New_York'];
}

let offsetMs = 0;
let local = false;
let syncing: Promise<void> | undefined;

/**
 * Follows the local system's clock (`GET /dev/clock`), which tests and demos move: "this week",
 * "last reply … ago", today's date and the send-time preview then match what the local system
 * will do. From then on {@link syncClock} reads it again.
 */
export function followLocalClock(): Promise<void> {
  local = true;
  return syncClock();
}

/**
 * Reads the local clock again (it moves while the page is open); nothing outside local mode.
 * Concurrent calls share one request.
 */
export function syncClock(): Promise<void> {
  if (!local) return Promise.resolve();
  syncing ??= fetch('/dev/clock')
    .then((res) => res.json() as Promise<{ now: string }>)
    .then(({ now }) => {
      const t = new Date(now).getTime();
      if (!Number.isNaN(t)) offsetMs = t - Date.now();
    })
    .catch(() => {
      // keep the last offset
    })
    .finally(() => {
      syncing = undefined;
    });
  return syncing;
}

/** Now, on the deployment's clock. */
export const appNow = () => new Date(Date.now() + offsetMs);
