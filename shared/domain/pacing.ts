/**
 * Pacing sends to a provider's rate: a token bucket per sender (Twilio's messages — really
 * segments — per second for a number or messaging service, SES's sending rate), and a planner that
 * hands out its slots earliest deadline first, so that when more is due than the provider can take
 * at once, nothing is dropped and nothing lands inside a participant's quiet hours.
 *
 * Why deadlines and not first come, first served: 100,000 people due at 20:00 in one zone, at
 * 100 segments a second and 2 segments a prompt, take 2,000 s to hand over. In arrival order the
 * last of them would reach Twilio at 20:33, fine for those whose quiet hours start at 21:00 but
 * not for a program scheduled at 20:45. A message's deadline is the earlier of the start of its
 * participant's quiet hours and the end of its freshness window; ordering by it (Jackson's rule)
 * minimises the worst lateness, so if any order meets every deadline this one does. What still
 * cannot make its deadline is not sent now: the planner returns it as `late`, and the gate defers
 * it out of quiet hours (or records it stale), exactly as for a catch-up after an outage.
 *
 * Pure: time is passed in as epoch milliseconds. `docs/scale.md` explains where this sits on AWS
 * and `npm run bench -- scale` simulates it at 100,000 prompts in a minute.
 */
import { quietWindow, type Schedule } from './program.js';
import { resolveLocalTime, toLocal } from './schedule.js';
import { addDays } from './zone.js';

/** A provider's sustained rate and how much it accepts at once. */
export interface TokenBucket {
  /** Tokens (messages or segments) added per second. */
  readonly ratePerSecond: number;
  /** Most tokens held at once: the burst the provider accepts without queueing. */
  readonly burst: number;
}

/** A bucket's fill at an instant. */
export interface BucketState {
  readonly tokens: number;
  /** Epoch ms the fill was measured at. */
  readonly at: number;
}

/** A full bucket at `at`. */
export function fullBucket(bucket: TokenBucket, at: number): BucketState {
  return { tokens: bucket.burst, at };
}

/**
 * Takes `cost` tokens at the earliest instant at or after `at` when they are there. Returns that
 * instant and the bucket after the take. A cost above the burst is taken as soon as the bucket is
 * full and leaves it in debt, so an oversized message is slowed, never refused.
 */
export function take(
  bucket: TokenBucket,
  state: BucketState,
  at: number,
  cost: number,
): { readonly start: number; readonly state: BucketState } {
  if (!(bucket.ratePerSecond > 0) || !(bucket.burst > 0))
    throw new RangeError('bucket rate and burst must be > 0');
  const from = Math.max(at, state.at);
  const filled = Math.min(bucket.burst, state.tokens + ((from - state.at) / 1000) * bucket.ratePerSecond);
  const need = Math.min(cost, bucket.burst);
  const waitMs = filled >= need ? 0 : ((need - filled) / bucket.ratePerSecond) * 1000;
  const start = from + Math.ceil(waitMs);
  const available = Math.min(bucket.burst, filled + (waitMs / 1000) * bucket.ratePerSecond);
  return { start, state: { tokens: available - cost, at: start } };
}

/** One message waiting for a slot. */
export interface PaceItem {
  readonly id: string;
  /** Tokens it takes: SMS segments, or 1 for an email. */
  readonly cost: number;
  /** Epoch ms after which it must not be handed to the provider (quiet hours, freshness). */
  readonly deadline: number;
}

/** The planner's answer. */
export interface PacePlan<T extends PaceItem> {
  /** Messages with the instant each may be handed to the provider, in that order. */
  readonly slots: readonly { readonly item: T; readonly at: number }[];
  /** Messages whose slot would pass their deadline: not sent now (the gate defers or skips them). */
  readonly late: readonly T[];
  /** Messages whose slot lies past the horizon: left due, for the next run to plan. */
  readonly later: readonly T[];
  /** The bucket after the planned slots. */
  readonly state: BucketState;
}

/**
 * Plans slots for `items`, all ready at `now`, earliest deadline first, up to `horizonMs` ahead
 * (e.g. SQS's 15-minute delay limit). Ties keep the input order.
 */
export function pace<T extends PaceItem>(
  items: readonly T[],
  bucket: TokenBucket,
  state: BucketState,
  now: number,
  horizonMs: number,
): PacePlan<T> {
  const ordered = items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => a.item.deadline - b.item.deadline || a.i - b.i);
  const slots: { item: T; at: number }[] = [];
  const late: T[] = [];
  const later: T[] = [];
  let current = state;
  for (const { item } of ordered) {
    const next = take(bucket, current, now, item.cost);
    if (next.start > now + horizonMs) later.push(item);
    else if (next.start > item.deadline) late.push(item);
    else {
      slots.push({ item, at: next.start });
      current = next.state;
    }
  }
  return { slots, late, later, state: current };
}

/**
 * A message's deadline: the earlier of the start of the participant's next quiet hours after
 * `dueAt` and the end of the program's freshness window.
 */
export function sendDeadline(schedule: Schedule, zone: string, dueAt: Date): number {
  const quietStart = quietWindow(schedule).start;
  const local = toLocal(dueAt, zone);
  let start = resolveLocalTime(local, quietStart, zone);
  if (start.getTime() <= dueAt.getTime()) start = resolveLocalTime(addDays(local, 1), quietStart, zone);
  return Math.min(start.getTime(), dueAt.getTime() + schedule.freshnessMinutes * 60_000);
}
