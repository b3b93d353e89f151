/**
 * Participants: the people being coached. Pure domain, no I/O.
 */
import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { z } from 'zod';
import { isValidTimeZone } from './schedule.js';

/**
 * `pending`: enrolled, waiting for the SMS opt-in (YES). `active`: receiving prompts.
 * `paused`: no prompts until `pausedUntil`. `opted_out`: replied STOP; nothing is sent, ever,
 * until they opt back in.
 */
export const PARTICIPANT_STATUSES = ['pending', 'active', 'paused', 'opted_out'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/** A phone number in strict E.164 that is a valid number for its country. */
export const E164Schema = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 phone number such as +14155552671')
  .refine((p) => isValidPhoneNumber(p), 'not a valid phone number for its country')
  .transform((p) => parsePhoneNumberWithError(p).number);

/** An IANA time zone name such as "Europe/Berlin". */
export const TimeZoneSchema = z
  .string()
  .trim()
  .refine(isValidTimeZone, 'expected an IANA time zone such as America/New_York');

/** Body of `POST /api/participants`. */
export const NewParticipantSchema = z.object({
  name: z.string().trim().min(1).max(80),
  phone: E164Schema,
  timeZone: TimeZoneSchema,
  programId: z.string().trim().min(1).max(64),
  channel: z.literal('sms'),
});
export type NewParticipant = z.infer<typeof NewParticipantSchema>;

/** A stored participant. */
export interface Participant extends NewParticipant {
  readonly id: string;
  readonly coachId: string;
  readonly status: ParticipantStatus;
  readonly createdAt: string;
  /** When the participant opted in to SMS (replied YES). */
  readonly consentAt?: string;
  /** Local date (YYYY-MM-DD) the participant is paused until, exclusive. */
  readonly pausedUntil?: string;
  /** When the next prompt is due; absent while nothing is scheduled. */
  readonly nextDueAt?: string;
}

/** Body of `POST /api/participants/{id}/pause`: the participant-local date prompts resume. */
export const PauseSchema = z.object({
  until: z.iso.date('expected a date as YYYY-MM-DD'),
});
