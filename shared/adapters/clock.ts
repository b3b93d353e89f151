/**
 * The process clock. On AWS it is the system clock and nothing ever moves it. The local stack
 * moves it forward (`POST /dev/clock`) so scheduled work can be exercised at any date; it never
 * moves backwards, and between moves it ticks at real speed.
 */
import type { Clock } from '../ports.js';

let offsetMs = 0;

/** The clock every use case receives. */
export const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

/** Local mode only: sets the clock to `instant` if that is later than now. Returns the new time. */
export function advanceClockTo(instant: Date): Date {
  const delta = instant.getTime() - clock.now().getTime();
  if (delta > 0) offsetMs += delta;
  return clock.now();
}

/** Local mode only, at start-up: makes the clock read `instant` now (it may be in the past). */
export function setClockOrigin(instant: Date): void {
  offsetMs = instant.getTime() - Date.now();
}
