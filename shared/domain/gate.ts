/**
 * The one sending gate: may this go out to this participant on this channel now, and if not, why
 * not or when instead. Every outbound message asks it — prompts, reminders, opt-in requests and
 * welcomes today, coach pushes and summary emails later — at dispatch and again just before the
 * provider is called. Pure.
 */
import type { Channel, ContactState } from './channel.js';
import { addressOf, type Participant } from './participant.js';
import type { Schedule } from './program.js';
import type { SkipReason } from './prompt.js';
import { firstNonQuietInstant, isQuietAt } from './schedule.js';

/** What is being sent. */
export type SendPurpose = 'prompt' | 'reminder' | 'opt-in' | 'welcome' | 'push' | 'report';

/** Everything the gate looks at. */
export interface GateInput {
  readonly purpose: SendPurpose;
  readonly channel: Channel;
  /** Undefined when the participant no longer exists. */
  readonly participant: Pick<Participant, 'status' | 'timeZone' | 'phone' | 'email'> | undefined;
  /** State of the participant's address on `channel`; undefined when nothing was ever recorded. */
  readonly contact: ContactState | undefined;
  /** Quiet hours and freshness window (the program's). */
  readonly schedule: Schedule;
  /** The instant the message was meant for (a prompt's scheduled time, a reminder's due time). */
  readonly dueAt: Date;
  readonly now: Date;
  /** Reminders: whether their prompt was answered meanwhile; push follow-ups: whether their exercise was. */
  readonly answered?: boolean;
}

/** The gate's answer. */
export type GateDecision =
  | { readonly action: 'send' }
  /** Not now: inside quiet hours; it may go out at `until`. */
  | { readonly action: 'defer'; readonly reason: 'quiet-hours'; readonly until: Date }
  /** Not at all. */
  | { readonly action: 'skip'; readonly reason: SkipReason };

const skip = (reason: SkipReason): GateDecision => ({ action: 'skip', reason });

/**
 * Decides whether a message may go out now. Order matters: what the person said (opt-out) and
 * what the mailbox said (suppression) come before anything the coach set, so a STOP always wins.
 */
export function mayGoOut(input: GateInput): GateDecision {
  const { participant, contact, purpose, schedule, now } = input;
  if (!participant) return skip('not-active');
  if (!addressOf(participant, input.channel)) return skip('no-address');
  if (contact?.suppressed) return skip('suppressed');
  if (contact?.optedOut || participant.status === 'opted_out') return skip('opted-out');

  switch (purpose) {
    case 'opt-in':
      // Already answered YES (or never needed one) before the request went out: nothing to ask.
      if (participant.status !== 'pending') return skip('not-active');
      break;
    case 'welcome':
      // Sent while the email enrolment is still `pending` its welcome, or just after it started.
      break;
    case 'report':
      // Their own figures, not a question: a paused participant still gets the week they had.
      if (participant.status === 'pending') return skip('not-active');
      break;
    case 'push':
      if (participant.status === 'pending') return skip('not-active');
      // A follow-up whose exercise was answered meanwhile has nothing left to ask.
      if (input.answered) return skip('answered');
      break;
    case 'prompt':
    case 'reminder':
      if (participant.status === 'paused') return skip('paused');
      if (participant.status !== 'active') return skip('not-active');
      if (input.answered) return skip('answered');
      if (now.getTime() - input.dueAt.getTime() > schedule.freshnessMinutes * 60_000) return skip('stale');
      break;
  }

  if (isQuietAt(schedule, participant.timeZone, now)) {
    // A scheduled prompt caught up inside quiet hours is too late to be useful: its day has passed.
    if (purpose === 'prompt') return skip('quiet-hours');
    return {
      action: 'defer',
      reason: 'quiet-hours',
      until: firstNonQuietInstant(schedule, participant.timeZone, now),
    };
  }
  return { action: 'send' };
}
