import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { fullBucket, type PaceItem, pace, sendDeadline, take } from '../../shared/domain/pacing.js';
import { ScheduleSchema } from '../../shared/domain/program.js';

const T0 = Date.parse('2026-11-24T01:00:00Z'); // 20:00 in New York
const bucket = { ratePerSecond: 100, burst: 100 };

describe('token bucket', () => {
  it.each([
    // [tokens in the bucket, cost, wait in ms]
    [100, 1, 0],
    [100, 100, 0],
    [0, 1, 10],
    [0, 2, 20],
    [50, 60, 100],
  ])('with %d tokens a cost of %d waits %d ms', (tokens, cost, wait) => {
    const { start } = take(bucket, { tokens, at: T0 }, T0, cost);
    expect(start - T0).toBe(wait);
  });

  it('refills at its rate but never above its burst', () => {
    const after = take(bucket, { tokens: 0, at: T0 }, T0 + 60_000, 100);
    expect(after.start).toBe(T0 + 60_000); // a minute idle fills it, but only to 100
    expect(take(bucket, after.state, after.start, 1).start).toBe(T0 + 60_010);
  });

  it('slows a message larger than the burst instead of refusing it', () => {
    const small = { ratePerSecond: 1, burst: 1 };
    const first = take(small, fullBucket(small, T0), T0, 3);
    expect(first.start).toBe(T0);
    expect(take(small, first.state, T0, 1).start).toBe(T0 + 3_000); // pays the debt first
  });

  it('refuses a bucket that never refills', () => {
    expect(() => take({ ratePerSecond: 0, burst: 1 }, { tokens: 0, at: T0 }, T0, 1)).toThrow(RangeError);
  });

  test.prop([
    fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 300 }),
    fc.integer({ min: 1, max: 50 }),
    fc.integer({ min: 1, max: 20 }),
  ])('never hands out more than burst + rate × window in any window', (costs, rate, burst) => {
    const b = { ratePerSecond: rate, burst };
    let state = fullBucket(b, T0);
    const taken: { at: number; cost: number }[] = [];
    for (const cost of costs) {
      const next = take(b, state, T0, cost);
      taken.push({ at: next.start, cost });
      state = next.state;
    }
    for (let i = 0; i < taken.length; i++) {
      let sum = 0;
      for (let j = i; j < taken.length; j++) {
        sum += (taken[j] as { cost: number }).cost;
        const windowS = ((taken[j] as { at: number }).at - (taken[i] as { at: number }).at) / 1000;
        // A single oversized take may exceed the burst once; otherwise the bound holds (+1 ms rounding).
        const oversized = Math.max(...taken.slice(i, j + 1).map((t) => t.cost - burst), 0);
        expect(sum).toBeLessThanOrEqual(burst + oversized + (windowS + 0.001) * rate + 1e-9);
      }
    }
  });
});

describe('earliest-deadline-first pacing', () => {
  const items = (n: number, deadline: number, prefix: string): PaceItem[] =>
    Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, cost: 2, deadline }));

  it('puts the messages closest to quiet hours first, so none of them is late', () => {
    // 1,000 due at 20:00 with quiet hours at 21:00, and 100 due at 20:45 with 15 minutes left.
    const early = items(1000, T0 + 3_600_000, 'a');
    const tight = items(100, T0 + 60_000, 'b'); // must be out within a minute
    const plan = pace([...early, ...tight], bucket, fullBucket(bucket, T0), T0, 15 * 60_000);
    expect(plan.late).toEqual([]);
    expect(plan.later).toEqual([]);
    expect(plan.slots.slice(0, 100).every((s) => s.item.id.startsWith('b'))).toBe(true);
    expect(plan.slots.every((s) => s.at <= s.item.deadline)).toBe(true);
  });

  it('returns what cannot make its deadline as late instead of sending it into quiet hours', () => {
    // 100 segments a second for 10 s is 1,000 segments: 500 two-segment prompts fit, 100 do not.
    const plan = pace(items(600, T0 + 10_000, 'x'), bucket, fullBucket(bucket, T0), T0, 15 * 60_000);
    expect(plan.slots.length + plan.late.length).toBe(600);
    expect(plan.slots.length).toBeGreaterThanOrEqual(500);
    expect(plan.late.length).toBeGreaterThan(0);
    expect(plan.slots.every((s) => s.at <= T0 + 10_000)).toBe(true);
  });

  it('leaves what lies past the horizon due for the next run', () => {
    const plan = pace(items(10_000, T0 + 7_200_000, 'y'), bucket, fullBucket(bucket, T0), T0, 60_000);
    expect(plan.slots.length).toBeGreaterThan(3000);
    expect(plan.slots.length).toBeLessThan(3100); // 100 burst + 60 s × 100 per second, 2 per prompt
    expect(plan.slots.length + plan.later.length).toBe(10_000);
    expect(plan.late).toEqual([]);
  });

  test.prop([
    fc.array(
      fc.record({ cost: fc.integer({ min: 1, max: 3 }), slack: fc.integer({ min: 0, max: 120_000 }) }),
      { maxLength: 400 },
    ),
  ])('loses nothing: every message is slotted before its deadline, late, or later', (specs) => {
    const input = specs.map((s, i) => ({ id: String(i), cost: s.cost, deadline: T0 + s.slack }));
    const plan = pace(input, bucket, fullBucket(bucket, T0), T0, 60_000);
    const ids = [
      ...plan.slots.map((s) => s.item.id),
      ...plan.late.map((i) => i.id),
      ...plan.later.map((i) => i.id),
    ];
    expect(ids.sort()).toEqual(input.map((i) => i.id).sort());
    expect(plan.slots.every((s) => s.at <= s.item.deadline && s.at >= T0)).toBe(true);
  });
});

describe('send deadline', () => {
  const schedule = ScheduleSchema.parse({ days: ['mon'], time: '20:00' }); // quiet 21:00–08:00, fresh 3 h

  it('is the start of quiet hours when that comes before freshness runs out', () => {
    expect(new Date(sendDeadline(schedule, 'America/New_York', new Date(T0))).toISOString()).toBe(
      '2026-11-24T02:00:00.000Z',
    );
  });

  it('is the end of freshness when quiet hours are further away', () => {
    const morning = ScheduleSchema.parse({ days: ['mon'], time: '09:00', freshnessMinutes: 30 });
    const due = new Date('2026-11-23T14:00:00Z'); // 09:00 in New York
    expect(new Date(sendDeadline(morning, 'America/New_York', due)).toISOString()).toBe(
      '2026-11-23T14:30:00.000Z',
    );
  });

  it('follows the zone: the same instant has another deadline in Berlin', () => {
    const due = new Date('2026-11-23T19:00:00Z'); // 20:00 in Berlin
    expect(new Date(sendDeadline(schedule, 'Europe/Berlin', due)).toISOString()).toBe(
      '2026-11-23T20:00:00.000Z',
    );
  });
});
