/**
 * Participants: the people being coached, each enrolled by one coach on one program and reached on
 * a preferred channel. Pure domain, no I/O. The request schemas (with phone-number metadata, which
 * only enrolment needs) are in `participant-input.ts`.
 */
import * as z from 'zod';
import type { Channel, ContactState } from './channel.js';
import type { NewParticipant } from './participant-input.js';

export type { NewParticipant } from './participant-input.js';

/**
 * Stored status of an enrolment. `pending`: waiting for the SMS opt-in (YES). `active`: receiving
 * prompts. `paused`: no prompts until `pausedUntil`. `opted_out`: kept for enrolments stored before
 * opt-outs were recorded per address; an opt-out now lives on the address ({@link ContactState}).
 */
export const PARTICIPANT_STATUSES = ['pending', 'active', 'paused', 'opted_out'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/**
 * What a coach sees: the stored status, unless the address says otherwise — `opted_out` after a
 * STOP or an unsubscribe, `bouncing` after a hard bounce or a complaint.
 */
export type ParticipantViewStatus = ParticipantStatus | 'bouncing';

/** A stored participant. */
export interface Participant extends NewParticipant {
  readonly id: string;
  readonly coachId: string;
  readonly status: ParticipantStatus;
  readonly createdAt: string;
  /** When the participant consented to this enrolment (replied YES by SMS; enrolled by email). */
  readonly consentAt?: string;
  /** Local date (YYYY-MM-DD) the participant is paused until, exclusive. */
  readonly pausedUntil?: string;
  /** When the next prompt is due; absent while nothing is scheduled. */
  readonly nextDueAt?: string;
  /**
   * The latest end date (participant-local YYYY-MM-DD) of their personal experiments; absent when
   * they never had one. The dispatcher reads experiments only for prompts on or before it.
   */
  readonly experimentsUntil?: string;
  /**
   * When a coach last changed the address the participant is reached at (a new phone, a new email,
   * another channel): consent restarts there, and what that address said before stays hidden.
   */
  readonly addressSince?: string;
  /**
   * The enrolling coach's display name (the `name` claim of their identity token): the SMS
   * invitation says who asks, so a YES is consent to that coach. Absent: "Your coach".
   */
  readonly coachName?: string;
  /** Messages they wrote that the coach has not marked read (see `domain/conversation.ts`). */
  readonly unreadMessages?: number;
  /** Of those, how many read as needing a human now: above 0, the participant `needs-human`. */
  readonly unreadUrgent?: number;
}

/**
 * What a coach's edit of a participant is computed from: it applies only while every one of them
 * still has the value read, so two concurrent edits (or an edit and a STOP) never half-apply.
 */
export const EDIT_GUARDS = [
  'name',
  'phone',
  'email',
  'timeZone',
  'channel',
  'status',
  'programId',
  'nextDueAt',
  'pausedUntil',
] as const;

/** Body of `POST /api/participants/{id}/pause`: the participant-local date prompts resume. */
export const PauseSchema = z.object({
  until: z.iso.date('expected a date as YYYY-MM-DD'),
});

/** The address of a participant on a channel, if they have one there. */
export function addressOf(
  participant: Pick<Participant, 'phone' | 'email'>,
  channel: Channel,
): string | undefined {
  return channel === 'sms' ? participant.phone : participant.email;
}

/**
 * The status a coach sees, given the state of the address the participant is reached at. An
 * address that opted out before this enrolment existed (or before the coach moved it to that
 * address) shows as `pending` (waiting for START), so
 * a coach never learns what the person told another coach's enrolment.
 */
export function viewStatus(
  participant: Pick<Participant, 'status' | 'createdAt' | 'addressSince'>,
  contact: ContactState | undefined,
): ParticipantViewStatus {
  if (contact?.suppressed) return 'bouncing';
  if (contact?.optedOut) {
    const since = participant.addressSince ?? participant.createdAt;
    const before = (contact.consentChangedAt ?? '') < since;
    // Said no before this enrolment (perhaps to another coach): to this coach it is an enrolment
    // still waiting for consent — an email one too, which the dispatcher marks active while the
    // sender holds its every message — so nothing tells them what the address said elsewhere.
    return before ? 'pending' : 'opted_out';
  }
  return participant.status;
}
