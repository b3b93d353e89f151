/**
 * Where the next prompt goes when a coach changes a participant's zone: one prompt per local day,
 * today's not lost when the new zone puts its send time a little in the past.
 */
import { describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../../shared/domain/program.js';
import { nextDueAfterZoneChange } from '../../shared/domain/zone-change.js';

const daily = {
  days: [...WEEKDAYS],
  time: '20:00',
  quietHours: { start: '21:00', end: '08:00' },
  freshnessMinutes: 180,
  replyWindowHours: 24,
};

describe('the next prompt after a zone change', () => {
  it.each([
    {
      why: "New York → Berlin in the morning: today's 20:00 in Berlin is still ahead",
      zone: 'Europe/Berlin',
      now: '2026-11-24T14:00:00Z', // Tue 09:00 NY, 15:00 Berlin; Monday's NY prompt went out 01:00Z
      last: '2026-11-23',
      expected: '2026-11-24T19:00:00.000Z',
    },
    {
      why: "Berlin → New York after Berlin's 20:00 was sent: New York's 20:00 the same local day would be a second prompt that day",
      zone: 'America/New_York',
      now: '2026-11-24T20:00:00Z',
      last: '2026-11-24',
      expected: '2026-11-26T01:00:00.000Z', // Wednesday 20:00 NY
    },
    {
      why: "New York → Berlin in the afternoon, before NY's 20:00: Berlin's 20:00 passed 30 min ago, still fresh and not quiet, so it is caught up now",
      zone: 'Europe/Berlin',
      now: '2026-11-24T19:30:00Z', // 20:30 Berlin, before quiet hours at 21:00
      last: '2026-11-23',
      expected: '2026-11-24T19:00:00.000Z',
    },
    {
      why: "…but not once Berlin's quiet hours have begun: the next day's instead",
      zone: 'Europe/Berlin',
      now: '2026-11-24T20:30:00Z', // 21:30 Berlin
      last: '2026-11-23',
      expected: '2026-11-25T19:00:00.000Z',
    },
    {
      why: 'no prompt ever sent: the first scheduled day in the new zone',
      zone: 'Asia/Tokyo',
      now: '2026-11-24T00:00:00Z', // 09:00 Tokyo
      last: undefined,
      expected: '2026-11-24T11:00:00.000Z',
    },
    {
      why: 'Tokyo → Honolulu: the day already had its prompt in Tokyo, so Honolulu starts the next local day',
      zone: 'Pacific/Honolulu',
      now: '2026-11-24T12:00:00Z', // 02:00 Tue in Honolulu; Tuesday's Tokyo prompt went out 11:00Z
      last: '2026-11-24',
      expected: '2026-11-26T06:00:00.000Z', // Wednesday 20:00 Honolulu
    },
  ])('$why', ({ zone, now, last, expected }) => {
    expect(
      nextDueAfterZoneChange(daily, { zone, now: new Date(now), lastPromptDay: last }).toISOString(),
    ).toBe(expected);
  });

  it('keeps to the schedule days in the new zone', () => {
    const weekdays = { ...daily, days: ['mon' as const, 'wed' as const] };
    // Tuesday: the next Wednesday 20:00 in Berlin.
    const next = nextDueAfterZoneChange(weekdays, {
      zone: 'Europe/Berlin',
      now: new Date('2026-11-24T10:00:00Z'),
      lastPromptDay: '2026-11-23',
    });
    expect(next.toISOString()).toBe('2026-11-25T19:00:00.000Z');
  });
});
