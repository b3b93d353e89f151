/**
 * The dashboard's time code against the server's: the send times a coach is shown and the instant
 * a push scheduled "at 02:30 their time" goes out must be the server's, DST days included.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../../shared/domain/program.js';
import { nextSendTime, resolveLocalTime } from '../../shared/domain/schedule.js';
import { isoWeekOf, weekBefore } from '../../shared/domain/summary.js';
import { currentWeek, nextSendTimes, shiftWeek, zonedToUtc } from '../../web/src/time.js';

const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'America/Sao_Paulo',
  'UTC',
] as const;

describe('local time to an instant, as the server resolves it', () => {
  it.each([
    // spring forward: 02:30 does not exist; the server sends at 03:00 new time
    ['America/New_York', 2026, 3, 8, 2, 30, '2026-03-08T07:00:00.000Z'],
    ['Europe/Berlin', 2026, 3, 29, 2, 30, '2026-03-29T01:00:00.000Z'],
    // the days the browser journey schedules a push on (test/e2e/dashboard-archive-dst.test.ts)
    ['America/New_York', 2027, 3, 14, 2, 30, '2027-03-14T07:00:00.000Z'],
    ['Europe/Berlin', 2027, 3, 28, 2, 30, '2027-03-28T01:00:00.000Z'],
    // the edges of the gap: the minute before it, its first minute, and 03:00 itself
    ['America/New_York', 2027, 3, 14, 1, 59, '2027-03-14T06:59:00.000Z'],
    ['America/New_York', 2027, 3, 14, 2, 0, '2027-03-14T07:00:00.000Z'],
    ['America/New_York', 2027, 3, 14, 3, 0, '2027-03-14T07:00:00.000Z'],
    ['Europe/Berlin', 2027, 3, 28, 2, 59, '2027-03-28T01:00:00.000Z'],
    // fall back: 01:30 happens twice; the first occurrence
    ['America/New_York', 2026, 11, 1, 1, 30, '2026-11-01T05:30:00.000Z'],
    ['Europe/Berlin', 2026, 10, 25, 2, 30, '2026-10-25T00:30:00.000Z'],
    // an ordinary day and a :30 zone
    ['Asia/Kolkata', 2026, 6, 1, 9, 0, '2026-06-01T03:30:00.000Z'],
  ])('%s %d-%d-%d %d:%d → %s', (zone, year, month, day, hour, minute, expected) => {
    expect(zonedToUtc({ year, month, day, hour, minute }, zone).toISOString()).toBe(expected);
    expect(resolveLocalTime({ year, month, day }, hour * 60 + minute, zone).toISOString()).toBe(expected);
  });

  test.prop([
    fc.constantFrom(...ZONES),
    fc.date({
      min: new Date('2025-01-01T00:00:00Z'),
      max: new Date('2028-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
  ])('agrees with the server on every day and time', (zone, date, hour, minute) => {
    const day = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    expect(zonedToUtc({ ...day, hour, minute }, zone).getTime()).toBe(
      resolveLocalTime(day, hour * 60 + minute, zone).getTime(),
    );
  });
});

describe('next send times shown in the program editor', () => {
  it('shows 03:00 on the New York spring-forward day for a 02:30 schedule, as the server sends', () => {
    const times = nextSendTimes(
      { days: ['sun', 'mon'], time: '02:30' },
      'America/New_York',
      new Date('2026-03-07T12:00:00Z'),
      2,
    );
    expect(times.map((t) => t.toISOString())).toEqual([
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);
  });

  test.prop([
    fc.constantFrom(...ZONES),
    fc.subarray([...WEEKDAYS], { minLength: 1 }),
    fc.integer({ min: 0, max: 23 }),
    fc.constantFrom(0, 15, 30, 45),
    fc.date({
      min: new Date('2025-01-01T00:00:00Z'),
      max: new Date('2028-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
  ])('are the server schedule’s next instants', (zone, days, hour, minute, from) => {
    const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    const server: string[] = [];
    let after = from;
    for (let i = 0; i < 5; i++) {
      after = nextSendTime({ days, time }, zone, after);
      server.push(after.toISOString());
    }
    expect(nextSendTimes({ days, time }, zone, from).map((t) => t.toISOString())).toEqual(server);
  });

  it('shows nothing for an unknown zone or an unreadable time', () => {
    expect(nextSendTimes({ days: ['mon'], time: '18:00' }, 'Mars/Base', new Date())).toEqual([]);
    expect(nextSendTimes({ days: ['mon'], time: '6pm' }, 'UTC', new Date())).toEqual([]);
  });
});

describe('weeks in the week picker', () => {
  it.each([
    ['2026-W01', -1, '2025-W52'],
    ['2026-W53', 1, '2027-W01'],
    ['2020-W53', 1, '2021-W01'],
    ['2026-W48', 0, '2026-W48'],
  ])('%s shifted by %d is %s', (week, delta, expected) => {
    expect(shiftWeek(week, delta)).toBe(expected);
  });

  it('leaves an unreadable week as it is', () => {
    expect(shiftWeek('last week', 1)).toBe('last week');
  });

  test.prop([
    fc.constantFrom(...ZONES),
    fc.date({ min: new Date('2024-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
    fc.integer({ min: -60, max: 60 }),
  ])('matches the server’s ISO weeks', (zone, instant, delta) => {
    const week = currentWeek(instant, zone);
    expect(week).toBe(isoWeekOf(instant, zone));
    expect(shiftWeek(week, delta)).toBe(weekBefore(week, -delta));
  });
});
