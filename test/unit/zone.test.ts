/**
 * The Intl-based zone and ISO-week functions against luxon, which the runtime code used before
 * (luxon stays a devDependency for this comparison only). Any disagreement would move a
 * participant's question to another hour or their answers into another week.
 */
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isValidTimeZone, resolveLocalTime, toLocal } from '../../shared/domain/schedule.js';
import { isoWeekOf, WeekSchema, weekBefore, weekBounds } from '../../shared/domain/summary.js';
import {
  type CalendarDate,
  instantAtLocalTime,
  isKnownTimeZone,
  isoWeekOfDate,
  isoWeeksInYear,
  localParts,
  mondayOfIsoWeek,
  zoneOffsetMinutes,
} from '../../shared/domain/zone.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Europe/London',
  'Australia/Sydney',
  'Asia/Kolkata', // +05:30
  'Asia/Kathmandu', // +05:45
  'Pacific/Chatham', // +12:45 / +13:45
  'America/St_Johns', // −03:30 / −02:30
  'Australia/Lord_Howe', // +10:30 / +11:00: a 30-minute DST change
  'Pacific/Apia',
  'America/Sao_Paulo',
  'America/Santiago',
];

/** The scheduling code as it was with luxon, kept verbatim as the reference. */
function luxonResolveLocalTime(date: CalendarDate, minutes: number, zoneName: string): Date {
  const zone = IANAZone.create(zoneName);
  const wallClockMs = (ts: number) => ts + zone.offset(ts) * MINUTE;
  const target = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE;
  const offsets = [...new Set([-36 * HOUR, 0, 36 * HOUR].map((d) => zone.offset(target + d)))];
  const exact = offsets
    .map((o) => target - o * MINUTE)
    .filter((ts) => wallClockMs(ts) === target)
    .sort((a, b) => a - b);
  if (exact[0] !== undefined) return new Date(exact[0]);
  const maxOffset = Math.max(...offsets);
  let ts = target - maxOffset * MINUTE;
  while (wallClockMs(ts - MINUTE) >= target) ts -= MINUTE;
  while (wallClockMs(ts) < target) ts += MINUTE;
  return new Date(ts);
}

const luxonWeek = (d: DateTime) => `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;

function* hoursOf(year: number): Generator<number> {
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += HOUR) yield t;
}

function* daysOf(year: number): Generator<CalendarDate> {
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY) {
    const d = new Date(t);
    yield { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  }
}

describe('offsets and wall clocks agree with luxon', () => {
  it.each(ZONES)('every hour of 2026 (and every 15 minutes after the hour) in %s', (zone) => {
    const mismatches: string[] = [];
    for (const hour of hoursOf(2026)) {
      for (const t of [hour, hour + 15 * MINUTE, hour + 45 * MINUTE + 30_500]) {
        const dt = DateTime.fromMillis(t, { zone });
        const p = localParts(new Date(t), zone);
        const mine = [zoneOffsetMinutes(zone, t), p.year, p.month, p.day, p.hour, p.minute, p.weekday];
        const theirs = [
          IANAZone.create(zone).offset(t),
          dt.year,
          dt.month,
          dt.day,
          dt.hour,
          dt.minute,
          dt.weekday,
        ];
        if (mine.join() !== theirs.join())
          mismatches.push(`${new Date(t).toISOString()}: ${mine} vs ${theirs}`);
        if (isoWeekOf(new Date(t), zone) !== luxonWeek(dt)) mismatches.push(`${t} week`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('knows the odd offsets people live with', () => {
    const jan = Date.UTC(2026, 0, 15);
    const jul = Date.UTC(2026, 6, 15);
    expect(zoneOffsetMinutes('Asia/Kolkata', jan)).toBe(330);
    expect(zoneOffsetMinutes('Asia/Kathmandu', jan)).toBe(345);
    expect([zoneOffsetMinutes('Pacific/Chatham', jul), zoneOffsetMinutes('Pacific/Chatham', jan)]).toEqual([
      765, 825,
    ]);
    expect([zoneOffsetMinutes('America/St_Johns', jan), zoneOffsetMinutes('America/St_Johns', jul)]).toEqual([
      -210, -150,
    ]);
    expect([
      zoneOffsetMinutes('Australia/Lord_Howe', jul),
      zoneOffsetMinutes('Australia/Lord_Howe', jan),
    ]).toEqual([630, 660]);
    expect(localParts(new Date('2026-11-23T18:30:00Z'), 'Asia/Kathmandu')).toEqual({
      year: 2026,
      month: 11,
      day: 24,
      hour: 0,
      minute: 15,
      weekday: 2,
    });
  });

  it('the day Samoa skipped (30 December 2011) and historical offsets match luxon', () => {
    for (const zone of ['Pacific/Apia', 'America/New_York', 'Europe/Berlin']) {
      for (let t = Date.UTC(2011, 11, 27); t < Date.UTC(2012, 0, 3); t += 30 * MINUTE)
        expect(zoneOffsetMinutes(zone, t)).toBe(IANAZone.create(zone).offset(t));
      // Before standard time: local mean time with seconds gives fractional minutes.
      const lmt = Date.UTC(1850, 0, 1, 12, 0, 0, 250);
      expect(zoneOffsetMinutes(zone, lmt)).toBe(IANAZone.create(zone).offset(lmt));
      const dt = DateTime.fromMillis(lmt, { zone });
      expect(toLocal(new Date(lmt), zone)).toEqual({
        year: dt.year,
        month: dt.month,
        day: dt.day,
        minutes: dt.hour * 60 + dt.minute,
        weekday: dt.weekday,
      });
    }
    expect(localParts(new Date('2011-12-30T12:00:00Z'), 'Pacific/Apia')).toMatchObject({
      month: 12,
      day: 31,
    });
  });

  it('an unknown zone or invalid instant gives NaN, as luxon did', () => {
    expect(zoneOffsetMinutes('Mars/Olympus_Mons', 0)).toBeNaN();
    expect(zoneOffsetMinutes('UTC', Number.NaN)).toBeNaN();
    expect(localParts(new Date(0), 'Mars/Olympus_Mons').hour).toBeNaN();
    expect(localParts(new Date('nonsense'), 'UTC').year).toBeNaN();
  });

  it.each([
    ['America/New_York', true],
    ['Asia/Kathmandu', true],
    ['UTC', true],
    ['Etc/GMT+5', true],
    ['EST', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
    ['+05:30', false],
  ])('knows whether %s is a zone the way luxon does', (zone, known) => {
    expect(isKnownTimeZone(zone)).toBe(known);
    expect(isKnownTimeZone(zone)).toBe(IANAZone.isValidZone(zone));
  });

  it('schedule zone names still need a slash (or UTC)', () => {
    expect(isValidTimeZone('EST')).toBe(false);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
  });
});

describe('wall time to instant is unchanged', () => {
  it.each(ZONES)('every half hour of every day of 2026, every 5 minutes on change days, in %s', (zone) => {
    const mismatches: string[] = [];
    for (const date of daysOf(2026)) {
      const midnight = Date.UTC(date.year, date.month - 1, date.day);
      const changes = zoneOffsetMinutes(zone, midnight - DAY) !== zoneOffsetMinutes(zone, midnight + 2 * DAY);
      for (let minutes = 0; minutes < 24 * 60; minutes += changes ? 5 : 30) {
        const mine = resolveLocalTime(date, minutes, zone).toISOString();
        const theirs = luxonResolveLocalTime(date, minutes, zone).toISOString();
        if (mine !== theirs) mismatches.push(`${JSON.stringify(date)} ${minutes}: ${mine} vs ${theirs}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('Lord Howe: 02:15 on the spring-forward night (a 30-minute gap) comes at 02:30', () => {
    expect(
      instantAtLocalTime({ year: 2026, month: 10, day: 4 }, 2 * 60 + 15, 'Australia/Lord_Howe').toISOString(),
    ).toBe('2026-10-03T15:30:00.000Z');
  });

  it('Samoa: any time on the skipped 30 December 2011 comes at the start of the 31st', () => {
    const date = { year: 2011, month: 12, day: 30 };
    for (const minutes of [0, 9 * 60, 23 * 60 + 59])
      expect(resolveLocalTime(date, minutes, 'Pacific/Apia').toISOString()).toBe(
        luxonResolveLocalTime(date, minutes, 'Pacific/Apia').toISOString(),
      );
    expect(resolveLocalTime(date, 9 * 60, 'Pacific/Apia').toISOString()).toBe('2011-12-30T10:00:00.000Z');
  });
});

describe('ISO weeks', () => {
  it.each([
    [
      { year: 2020, month: 12, day: 31 },
      { year: 2020, week: 53 },
    ],
    [
      { year: 2021, month: 1, day: 3 },
      { year: 2020, week: 53 },
    ],
    [
      { year: 2021, month: 1, day: 4 },
      { year: 2021, week: 1 },
    ],
    [
      { year: 2026, month: 12, day: 31 },
      { year: 2026, week: 53 },
    ],
    [
      { year: 2027, month: 1, day: 3 },
      { year: 2026, week: 53 },
    ],
    [
      { year: 2027, month: 1, day: 4 },
      { year: 2027, week: 1 },
    ],
    [
      { year: 2024, month: 12, day: 30 },
      { year: 2025, week: 1 },
    ],
    [
      { year: 2027, month: 12, day: 31 },
      { year: 2027, week: 52 },
    ],
  ])('%o is in %o', (date, week) => {
    expect(isoWeekOfDate(date)).toEqual(week);
  });

  it('every day from 1990 to 2040 is in the week luxon says', () => {
    const mismatches: string[] = [];
    for (let year = 1990; year <= 2040; year++)
      for (const date of daysOf(year)) {
        const d = DateTime.fromObject(date, { zone: 'UTC' });
        const w = isoWeekOfDate(date);
        if (w.year !== d.weekYear || w.week !== d.weekNumber) mismatches.push(JSON.stringify(date));
      }
    expect(mismatches).toEqual([]);
  });

  it('weeks that exist, by year, match luxon (2020-W53 and 2026-W53 do, 2021-W53 and 2027-W53 not)', () => {
    expect(
      ['2020-W53', '2026-W53', '2027-W01', '2032-W53'].map((w) => WeekSchema.safeParse(w).success),
    ).toEqual([true, true, true, true]);
    expect(
      ['2021-W53', '2027-W53', '2026-W00', '2026-W54'].map((w) => WeekSchema.safeParse(w).success),
    ).toEqual([false, false, false, false]);
    for (let year = 1900; year <= 2100; year++) {
      expect(isoWeeksInYear(year)).toBe(
        DateTime.fromObject({ year: year, month: 12, day: 28 }).weeksInWeekYear,
      );
      for (const week of [0, 1, 52, 53, 54]) {
        const w = `${year}-W${String(week).padStart(2, '0')}`;
        expect(WeekSchema.safeParse(w).success, w).toBe(DateTime.fromISO(`${w}-1`, { zone: 'UTC' }).isValid);
      }
    }
  });

  it('Mondays of weeks, and week arithmetic across year ends, match luxon', () => {
    for (let year = 2015; year <= 2035; year++)
      for (let week = 1; week <= isoWeeksInYear(year); week++) {
        const w = `${year}-W${String(week).padStart(2, '0')}`;
        const d = DateTime.fromISO(`${w}-1`, { zone: 'UTC' });
        expect(mondayOfIsoWeek(year, week)).toEqual({ year: d.year, month: d.month, day: d.day });
        for (const n of [-53, -1, 1, 2, 52, 53, 105])
          expect(weekBefore(w, n), `${w} − ${n}`).toBe(luxonWeek(d.minus({ weeks: n })));
      }
    expect(weekBefore('2027-W01')).toBe('2026-W53');
    expect(weekBefore('2021-W01')).toBe('2020-W53');
    expect(weekBefore('2026-W53', -1)).toBe('2027-W01');
    expect(weekBefore('2020-W53', 53)).toBe('2019-W52');
  });

  it.each([...ZONES, 'Asia/Tehran'])('week bounds 2019–2030 in %s match luxon', (zone) => {
    const mismatches: string[] = [];
    for (let year = 2019; year <= 2030; year++)
      for (let week = 1; week <= isoWeeksInYear(year); week++) {
        const w = `${year}-W${String(week).padStart(2, '0')}`;
        if (zone === 'Asia/Tehran' && w === '2021-W12') continue; // luxon was wrong here: see below
        const start = DateTime.fromISO(`${w}-1`, { zone }).startOf('day');
        const mine = weekBounds(w, zone);
        const theirs = { start: start.toJSDate(), end: start.plus({ weeks: 1 }).toJSDate() };
        if (JSON.stringify(mine) !== JSON.stringify(theirs))
          mismatches.push(`${w}: ${JSON.stringify(mine)} vs ${JSON.stringify(theirs)}`);
      }
    expect(mismatches).toEqual([]);
  });

  it('a week starting on a skipped midnight starts at the first instant after it (Tehran, 22 March 2021)', () => {
    // Iran's clocks went from 00:00 to 01:00 on Monday 22 March 2021. Luxon ended that week at
    // Monday 29 March 01:00 (it added 7 days to the shifted start), overlapping the next week by an
    // hour; the week now ends where the next one starts, at Monday 00:00.
    const bounds = weekBounds('2021-W12', 'Asia/Tehran');
    expect(bounds.start.toISOString()).toBe('2021-03-21T20:30:00.000Z');
    expect(bounds.end.toISOString()).toBe('2021-03-28T19:30:00.000Z');
    expect(bounds.end).toEqual(weekBounds('2021-W13', 'Asia/Tehran').start);
  });

  it('a week string that names no week is refused, not turned into NaN', () => {
    expect(() => weekBounds('2027-W53', 'UTC')).toThrow(RangeError);
    expect(() => weekBefore('2026-48')).toThrow(RangeError);
  });
});
