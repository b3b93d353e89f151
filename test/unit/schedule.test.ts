/**
 * Local send times to instants, with real DST rules. Each case is a moment a participant would
 * notice: a question an hour late, two questions in one night, or none at all.
 */
import { describe, expect, it } from 'vitest';
import { type Schedule, ScheduleSchema } from '../../shared/domain/program.js';
import {
  firstNonQuietInstant,
  firstSendOnOrAfter,
  isQuietAt,
  isValidTimeZone,
  nextSendTime,
  resolveLocalTime,
} from '../../shared/domain/schedule.js';

const every = (time: string, quietHours = { start: '21:00', end: '08:00' }) =>
  ScheduleSchema.parse({ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time, quietHours });
const iso = (d: Date) => d.toISOString();
const at = (date: string, time: string, zone: string) => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [h, m] = time.split(':').map(Number) as [number, number];
  return iso(resolveLocalTime({ year, month, day }, h * 60 + m, zone));
};

describe('wall time to instant', () => {
  it.each([
    // zone, local date, local time, expected UTC — ordinary days
    ['America/New_York', '2026-11-23', '18:00', '2026-11-23T23:00:00.000Z'], // EST −5
    ['America/New_York', '2026-07-01', '18:00', '2026-07-01T22:00:00.000Z'], // EDT −4
    ['Europe/Berlin', '2026-12-01', '20:00', '2026-12-01T19:00:00.000Z'], // CET +1
    ['Asia/Kolkata', '2026-11-23', '20:00', '2026-11-23T14:30:00.000Z'], // +5:30, no DST
    ['Asia/Kathmandu', '2026-11-23', '20:00', '2026-11-23T14:15:00.000Z'], // +5:45
    ['Australia/Sydney', '2027-01-15', '20:00', '2027-01-15T09:00:00.000Z'], // AEDT +11 (southern summer)
    ['Australia/Sydney', '2027-07-15', '20:00', '2027-07-15T10:00:00.000Z'], // AEST +10
  ])('%s %s %s → %s', (zone, date, time, expected) => {
    expect(at(date, time, zone)).toBe(expected);
  });

  it('spring forward: a time that does not exist goes out at the first valid instant after it', () => {
    // New York 2027-03-14: 02:00 EST jumps to 03:00 EDT (07:00Z). 02:30 → 03:00 EDT, not 03:30.
    expect(at('2027-03-14', '02:30', 'America/New_York')).toBe('2027-03-14T07:00:00.000Z');
    // Berlin 2027-03-28: 02:00 CET jumps to 03:00 CEST (01:00Z).
    expect(at('2027-03-28', '02:30', 'Europe/Berlin')).toBe('2027-03-28T01:00:00.000Z');
    // Sydney 2026-10-04: 02:00 AEST jumps to 03:00 AEDT (2026-10-03T16:00Z).
    expect(at('2026-10-04', '02:15', 'Australia/Sydney')).toBe('2026-10-03T16:00:00.000Z');
    // The minutes around the gap are untouched.
    expect(at('2027-03-14', '01:59', 'America/New_York')).toBe('2027-03-14T06:59:00.000Z');
    expect(at('2027-03-14', '03:00', 'America/New_York')).toBe('2027-03-14T07:00:00.000Z');
  });

  it('fall back: a time that happens twice goes out once, at its first occurrence', () => {
    // New York 2026-11-01: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(at('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    // New York 2027-11-07.
    expect(at('2027-11-07', '01:30', 'America/New_York')).toBe('2027-11-07T05:30:00.000Z');
    // Berlin 2026-10-25 and 2027-10-31: 02:30 CEST (00:30Z) before 02:30 CET (01:30Z).
    expect(at('2026-10-25', '02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(at('2027-10-31', '02:30', 'Europe/Berlin')).toBe('2027-10-31T00:30:00.000Z');
    // Sydney 2027-04-04: 02:30 AEDT (2027-04-03T15:30Z) before 02:30 AEST.
    expect(at('2027-04-04', '02:30', 'Australia/Sydney')).toBe('2027-04-03T15:30:00.000Z');
  });
});

describe('next send time', () => {
  it('is strictly after the given instant and on a scheduled weekday', () => {
    const weekdays = ScheduleSchema.parse({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '18:00' });
    // Friday 2026-11-27 18:00 New York has passed → next is Monday 2026-11-30.
    expect(iso(nextSendTime(weekdays, 'America/New_York', new Date('2026-11-27T23:00:00Z')))).toBe(
      '2026-11-30T23:00:00.000Z',
    );
    // One millisecond before → that same Friday.
    expect(iso(nextSendTime(weekdays, 'America/New_York', new Date('2026-11-27T22:59:59.999Z')))).toBe(
      '2026-11-27T23:00:00.000Z',
    );
  });

  it('follows the clock change: the same local time is a different UTC instant after DST ends', () => {
    const daily = every('20:00');
    const saturday = nextSendTime(daily, 'America/New_York', new Date('2026-10-31T12:00:00Z'));
    const sunday = nextSendTime(daily, 'America/New_York', saturday);
    expect(iso(saturday)).toBe('2026-11-01T00:00:00.000Z'); // 20:00 EDT
    expect(iso(sunday)).toBe('2026-11-02T01:00:00.000Z'); // 20:00 EST: 25 h later, same wall time
  });

  it('sends exactly once across a fall-back night for an ambiguous send time', () => {
    // New programs can no longer ask at 01:30 (quiet hours must cover 23:00–06:00), but a stored
    // program keeps whatever it was saved with, and the ambiguous hour in New York is 01:00–02:00.
    const daily: Schedule = {
      ...every('20:00'),
      time: '01:30',
      quietHours: { start: '03:00', end: '07:00' },
    };
    const first = nextSendTime(daily, 'America/New_York', new Date('2026-11-01T04:00:00Z'));
    const second = nextSendTime(daily, 'America/New_York', first);
    expect(iso(first)).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(second)).toBe('2026-11-02T06:30:00.000Z'); // the next day, not the repeated 01:30
  });

  it('resumes after a pause on the first scheduled send of the end date', () => {
    const weekdays = ScheduleSchema.parse({ days: ['mon', 'wed'], time: '09:00' });
    // Paused until Tuesday 2026-12-01 in Kolkata → Wednesday 09:00 IST.
    expect(iso(firstSendOnOrAfter(weekdays, 'Asia/Kolkata', { year: 2026, month: 12, day: 1 }))).toBe(
      '2026-12-02T03:30:00.000Z',
    );
  });
});

describe('quiet hours', () => {
  const schedule = every('20:00'); // default quiet hours 21:00–08:00

  it('knows quiet from not quiet in the participant zone', () => {
    expect(isQuietAt(schedule, 'Europe/Berlin', new Date('2026-12-01T20:30:00Z'))).toBe(true); // 21:30 CET
    expect(isQuietAt(schedule, 'Europe/Berlin', new Date('2026-12-01T06:59:00Z'))).toBe(true); // 07:59
    expect(isQuietAt(schedule, 'Europe/Berlin', new Date('2026-12-01T07:00:00Z'))).toBe(false); // 08:00
    expect(isQuietAt(schedule, 'America/New_York', new Date('2026-12-01T20:30:00Z'))).toBe(false); // 15:30
  });

  it('defers to the end of the quiet window, the next morning when it started in the evening', () => {
    expect(iso(firstNonQuietInstant(schedule, 'Europe/Berlin', new Date('2026-12-01T21:30:00Z')))).toBe(
      '2026-12-02T07:00:00.000Z',
    );
    expect(iso(firstNonQuietInstant(schedule, 'Europe/Berlin', new Date('2026-12-02T03:00:00Z')))).toBe(
      '2026-12-02T07:00:00.000Z',
    );
    const noon = new Date('2026-12-02T11:00:00Z');
    expect(firstNonQuietInstant(schedule, 'Europe/Berlin', noon)).toEqual(noon);
  });

  it('rejects a program whose send time falls inside quiet hours, naming the window', () => {
    const result = ScheduleSchema.safeParse({ days: ['mon'], time: '06:30' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('21:00–08:00');
    expect(
      ScheduleSchema.safeParse({ days: ['mon'], time: '06:30', quietHours: { start: '22:00', end: '06:00' } })
        .success,
    ).toBe(true);
  });
});

describe('time zone validation', () => {
  it('accepts IANA names and refuses abbreviations and inventions', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Australia/Lord_Howe')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('EST')).toBe(false); // ambiguous abbreviation, not a place
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
