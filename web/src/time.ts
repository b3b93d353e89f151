/**
 * Dates in a participant's time zone with the browser's own Intl data (no date library in the
 * bundle): ISO weeks, local ↔ UTC, and the next send times of a schedule.
 */

/** Local calendar fields of an instant in `timeZone`. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday, Monday = 1. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAY_INDEX: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall-clock fields of `instant` in `timeZone`. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    weekday: WEEKDAY_INDEX[parts.weekday ?? 'Mon'] ?? 1,
  };
}

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
 * The instant a local wall-clock time happens in `timeZone`. A time skipped by a spring-forward
 * change comes out an hour later (as the server sends it at the first valid instant after).
 */
export function zonedToUtc(
  local: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): Date {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const offsetAt = (t: number) => {
    const p = localParts(new Date(t), timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - t;
  };
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return new Date(guess);
}

/** ISO week (`YYYY-Www`) of a calendar date. */
export function isoWeekOf(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The ISO week of `instant` in `timeZone`. */
export function currentWeek(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return isoWeekOf(p.year, p.month, p.day);
}

/** The week `delta` weeks after `week`. */
export function shiftWeek(week: string, delta: number): string {
  const m = /^(\d{4})-W(\d{2})$/u.exec(week);
  if (!m) return week;
  const year = Number(m[1]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday =
    Date.UTC(year, 0, 4 - ((jan4.getUTCDay() || 7) - 1)) + (Number(m[2]) - 1 + delta) * 7 * 86_400_000;
  const d = new Date(monday);
  return isoWeekOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The next `count` send times of a schedule after `from`, in `timeZone`. */
export function nextSendTimes(
  schedule: { days: string[]; time: string },
  timeZone: string,
  from: Date,
  count = 5,
): Date[] {
  const [h, m] = schedule.time.split(':').map(Number);
  if (h === undefined || m === undefined || Number.isNaN(h) || Number.isNaN(m) || !isTimeZone(timeZone))
    return [];
  const start = localParts(from, timeZone);
  const out: Date[] = [];
  for (let i = 0; i < 30 && out.length < count; i++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    const weekday = DAYS[(date.getUTCDay() + 6) % 7] ?? 'mon';
    if (!schedule.days.includes(weekday)) continue;
    const instant = zonedToUtc(
      {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: h,
        minute: m,
      },
      timeZone,
    );
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
