/**
 * What coaches send to enrol participants, validated with zod. Kept apart
 * from `participant.ts` because phone validation carries libphonenumber's number-type metadata
 * (about 140 KB minified, see `phone-numbers.ts`), which only the functions that take these
 * bodies should bundle. Pure.
 */

import * as z from 'zod';
import { CHANNELS, EmailAddressSchema } from './channel.js';
import { isValidPhoneNumber, parsePhoneNumberWithError } from './phone-numbers.js';
import { isValidTimeZone } from './schedule.js';

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

/** Body of `POST /api/participants`: the contact the preferred channel needs is required. */
export const NewParticipantSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    phone: E164Schema.optional(),
    email: EmailAddressSchema.optional(),
    timeZone: TimeZoneSchema,
    programId: z.string().trim().min(1).max(64),
    channel: z.enum(CHANNELS),
  })
  .superRefine((p, ctx) => {
    if (p.channel === 'sms' && !p.phone)
      ctx.addIssue({ code: 'custom', path: ['phone'], message: 'is required for the sms channel' });
    if (p.channel === 'email' && !p.email)
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'is required for the email channel' });
  });
export type NewParticipant = z.infer<typeof NewParticipantSchema>;

/**
 * Body of `PATCH /api/participants/{id}`: any of the profile fields, at least one. An address
 * cannot be removed, only replaced; the channel's address must exist after the change (checked
 * against the stored participant by the use case, naming the field).
 */
export const EditParticipantSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    phone: E164Schema,
    email: EmailAddressSchema,
    timeZone: TimeZoneSchema,
    channel: z.enum(CHANNELS),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, {
    message: 'expected at least one of name, phone, email, timeZone, channel',
  });
export type ParticipantEdit = z.infer<typeof EditParticipantSchema>;
