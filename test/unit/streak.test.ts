import { describe, expect, it } from 'vitest';
import { currentStreak, type StreakPrompt, streakMayGoOn } from '../../shared/domain/streak.js';

const zone = 'America/New_York';
// 20:00 New York = 01:00Z the next day (November, EST).
const sent = (day: number, answered: boolean): StreakPrompt => ({
  scheduledFor: `2026-11-${String(day + 1).padStart(2, '0')}T01:00:00.000Z`,
  status: 'sent',
  ...(answered ? { answeredAt: `2026-11-${String(day + 1).padStart(2, '0')}T01:10:00.000Z` } : {}),
});

describe('currentStreak', () => {
  it('counts answered days in a row in the participant zone', () => {
    const prompts = [sent(20, true), sent(21, true), sent(22, true)];
    expect(currentStreak(prompts, zone, new Date('2026-11-23T03:00:00Z'))).toBe(3);
  });

  it('breaks on a day whose prompt went unanswered', () => {
    const prompts = [sent(19, true), sent(20, false), sent(21, true), sent(22, true)];
    expect(currentStreak(prompts, zone, new Date('2026-11-23T03:00:00Z'))).toBe(2);
  });

  it('is not broken by a day without a prompt (weekend, pause) or by today still open', () => {
    const prompts = [sent(16, true), sent(17, true), /* paused 18–20 */ sent(21, true), sent(22, false)];
    // 22 Nov 20:00 New York is "today" at 21:00 local on the 22nd.
    expect(currentStreak(prompts, zone, new Date('2026-11-23T02:00:00Z'))).toBe(3);
  });

  it('ignores reminders, opt-in requests and skipped prompts', () => {
    const prompts: StreakPrompt[] = [
      sent(21, true),
      { scheduledFor: '2026-11-23T01:00:00.000Z', status: 'skipped' },
      { scheduledFor: '2026-11-23T01:00:00.000Z', status: 'sent', kind: 'reminder' },
    ];
    expect(currentStreak(prompts, zone, new Date('2026-11-24T03:00:00Z'))).toBe(1);
  });

  it('is 0 with nothing answered', () => {
    expect(currentStreak([], zone, new Date('2026-11-24T03:00:00Z'))).toBe(0);
  });
});

describe('streakMayGoOn', () => {
  // Today's prompt (22 Nov 20:00 New York) is the one being answered; older days come newest first.
  const now = new Date('2026-11-23T02:00:00Z');
  const today = sent(22, false);
  const mayGoOn = (older: StreakPrompt[]) =>
    streakMayGoOn([today, ...older], today, today.scheduledFor, zone, now);

  it('asks for older records while every day read is in the streak', () => {
    expect(mayGoOn([sent(21, true), sent(20, true)])).toBe(true);
  });

  it('needs nothing older once a day before the oldest read broke it', () => {
    expect(mayGoOn([sent(21, false), sent(20, true)])).toBe(false);
  });

  it('reads on when only the oldest day read broke it: its other prompts may be older still', () => {
    expect(mayGoOn([sent(21, true), sent(20, false)])).toBe(true);
  });
});
