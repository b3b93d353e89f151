/**
 * Time zones and ISO weeks on the runtime's own `Intl` (full ICU on Lambda and locally), so no date
 * library is bundled. Zone functions read offsets and wall-clock fields from ICU's zone data;
 * calendar functions are plain proleptic-Gregorian arithmetic on day numbers. Pure: no clock, no I/O.
 *
 * Unknown zones and invalid instants give `NaN` (not an exception), as the date library used before
 * this module did: callers validate zones at the edge, and the results stay comparable.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A calendar date, month 1–12. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The wall-clock fields of an instant in a zone; `weekday` is ISO (1 = Monday … 7 = Sunday). */
export interface LocalParts extends CalendarDate {
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number;
}

// One formatter per zone: constructing an Intl.DateTimeFormat is far costlier than formatting.
// Only known zones are cached, so arbitrary input cannot grow the map.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat | undefined {
  const cached = formatters.get(zone);
  if (cached) return cached;
  if (!zone) return undefined;
  try {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      // h23, not hour12: false, which some ICU versions render midnight as "24" with.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
    return f;
  } catch {
    return undefined;
  }
}

/** Wall-clock fields (to the second) of `epochMs` in a zone the formatter was made for. */
function wallFields(f: Intl.DateTimeFormat, epochMs: number) {
  let year = Number.NaN;
  let month = Number.NaN;
  let day = Number.NaN;
  let hour = Number.NaN;
  let minute = Number.NaN;
  let second = Number.NaN;
  for (const { type, value } of f.formatToParts(epochMs)) {
    if (type === 'year') year = Number(value);
    else if (type === 'month') month = Number(value);
    else if (type === 'day') day = Number(value);
    else if (type === 'hour') hour = Number(value) % 24;
    else if (type === 'minute') minute = Number(value);
    else if (type === 'second') second = Number(value);
  }
  return { year, month, day, hour, minute, second };
}

/**
 * Whether the runtime knows `zone` as a time zone (any name ICU accepts, e.g. "America/New_York",
 * "UTC", "Etc/GMT+5"). Stricter naming rules belong to the caller.
 */
export function isKnownTimeZone(zone: string): boolean {
  return formatterFor(zone) !== undefined;
}

/**
 * The zone's offset from UTC at `epochMs`, in minutes (east positive: +330 for Asia/Kolkata).
 * Fractional only for historical local-mean-time offsets with seconds. `NaN` for an unknown zone
 * or a non-finite instant.
 */
export function zoneOffsetMinutes(zone: string, epochMs: number): number {
  const f = formatterFor(zone);
  const t = new Date(epochMs).getTime(); // NaN outside Date's range, whole milliseconds inside it
  if (!f || Number.isNaN(t)) return Number.NaN;
  // Intl reports whole seconds, so compare against the instant truncated to its second.
  const whole = t - (((t % 1000) + 1000) % 1000);
  const w = wallFields(f, whole);
  return (utcMs(w, w.hour * 60 + w.minute) + w.second * 1000 - whole) / MINUTE;
}

/** Wall-clock fields of `instant` in `zone`; every field `NaN` for an unknown zone or invalid date. */
export function localParts(instant: Date, zone: string): LocalParts {
  const f = formatterFor(zone);
  const ms = instant.getTime();
  if (!f || Number.isNaN(ms)) {
    const n = Number.NaN;
    return { year: n, month: n, day: n, hour: n, minute: n, weekday: n };
  }
  const { year, month, day, hour, minute } = wallFields(f, ms);
  return { year, month, day, hour, minute, weekday: isoWeekday({ year, month, day }) };
}

/**
 * The instant at which wall time `minutes` (after midnight) occurs on `date` in `zone`. A wall time
 * skipped by a forward change resolves to the first valid instant after it; one that happens twice
 * resolves to its first occurrence. Invalid Date for an unknown zone.
 */
export function instantAtLocalTime(date: CalendarDate, minutes: number, zone: string): Date {
  const wall = (ts: number) => ts + zoneOffsetMinutes(zone, ts) * MINUTE;
  const target = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE;
  // Every offset in force within a day and a half either side covers any transition near `target`.
  const offsets = [...new Set([-36 * HOUR, 0, 36 * HOUR].map((d) => zoneOffsetMinutes(zone, target + d)))];
  const exact = offsets
    .map((o) => target - o * MINUTE)
    .filter((ts) => wall(ts) === target)
    .sort((a, b) => a - b);
  if (exact[0] !== undefined) return new Date(exact[0]);
  // In a gap: walk minute by minute to the first instant whose wall time is past the target.
  const maxOffset = Math.max(...offsets);
  let ts = target - maxOffset * MINUTE;
  while (wall(ts - MINUTE) >= target) ts -= MINUTE;
  while (wall(ts) < target) ts += MINUTE;
  return new Date(ts);
}

// Calendar arithmetic on day numbers (days since 1970-01-01), exact for any year, including the
// years 0–99 that Date.UTC would map to the 1900s.

/** Days since 1970-01-01 of a proleptic-Gregorian date (H. Hinnant's days_from_civil). */
function dayNumber({ year, month, day }: CalendarDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The date of a day number (H. Hinnant's civil_from_days). */
function dateOfDayNumber(n: number): CalendarDate {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return {
    year: yoe + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: doy - Math.floor((153 * mp + 2) / 5) + 1,
  };
}

/** The instant whose UTC fields are `date` at `minutes` after midnight. */
function utcMs(date: CalendarDate, minutes: number): number {
  return dayNumber(date) * DAY + minutes * MINUTE;
}

/** The ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CalendarDate): number {
  // Day 0 (1970-01-01) was a Thursday.
  return ((((dayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

/** `YYYY-MM-DD` of a calendar date. */
export function formatDate(date: CalendarDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` of the day an instant falls on in a zone. */
export function localDateOf(instant: Date, zone: string): string {
  return formatDate(localParts(instant, zone));
}

/** The date `days` days after `date` (negative: before). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return dateOfDayNumber(dayNumber(date) + days);
}

/** The ISO week-numbering year and week (1–53) a date falls in. */
export function isoWeekOfDate(date: CalendarDate): { year: number; week: number } {
  // An ISO week belongs to the year its Thursday falls in.
  const n = dayNumber(date);
  const thursday = n - isoWeekday(date) + 4;
  const { year } = dateOfDayNumber(thursday);
  return { year, week: Math.floor((thursday - dayNumber({ year, month: 1, day: 1 })) / 7) + 1 };
}

/** How many ISO weeks (52 or 53) the ISO year `year` has. */
export function isoWeeksInYear(year: number): number {
  // 53 exactly when 28 December (always in the year's last week) is in week 53.
  return isoWeekOfDate({ year, month: 12, day: 28 }).week;
}

/**
 * The Monday of ISO week `week` of ISO year `year`. Weeks outside 1–52/53 count on from week 1
 * (week 0 is the previous year's last week), which makes week arithmetic a subtraction.
 */
export function mondayOfIsoWeek(year: number, week: number): CalendarDate {
  // 4 January is always in week 1.
  const jan4 = { year, month: 1, day: 4 };
  return dateOfDayNumber(dayNumber(jan4) - (isoWeekday(jan4) - 1) + (week - 1) * 7);
}

/** `2026-W48` as year and week, if it names a week that exists (W53 only in 53-week years). */
export function parseWeek(week: string): { year: number; week: number } | undefined {
  const m = /^(\d{4})-W(\d{2})$/u.exec(week);
  if (!m) return undefined;
  const year = Number(m[1]);
  const n = Number(m[2]);
  return n >= 1 && n <= isoWeeksInYear(year) ? { year, week: n } : undefined;
}

function parsedWeek(week: string): { year: number; week: number } {
  const parsed = parseWeek(week);
  if (!parsed) throw new RangeError(`not an existing ISO week: ${week}`);
  return parsed;
}

function formatWeek({ year, week }: { year: number; week: number }): string {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The ISO week (`YYYY-Www`) an instant falls in, in `zone`. */
export function isoWeekOf(instant: Date | string, zone: string): string {
  return formatWeek(isoWeekOfDate(localParts(new Date(instant), zone)));
}

/**
 * Start (Monday 00:00) and end (next Monday 00:00) of an ISO week in `zone`. A midnight skipped by
 * a DST change resolves to the first instant after it. Throws a RangeError for a week that is not
 * an existing `YYYY-Www` (validate with {@link WeekSchema}).
 */
export function weekBounds(week: string, zone: string): { start: Date; end: Date } {
  const { year, week: n } = parsedWeek(week);
  const monday = mondayOfIsoWeek(year, n);
  return { start: instantAtLocalTime(monday, 0, zone), end: instantAtLocalTime(addDays(monday, 7), 0, zone) };
}

/** The ISO week `n` weeks before `week` (n may be negative). Throws a RangeError as {@link weekBounds}. */
export function weekBefore(week: string, n = 1): string {
  const parsed = parsedWeek(week);
  return formatWeek(isoWeekOfDate(mondayOfIsoWeek(parsed.year, parsed.week - n)));
}
