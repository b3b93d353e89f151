/**
 * Channels: how a participant is reached. Each channel has its own contact address, consent and
 * sender; everything above the senders (scheduling, the sending gate, answers) is channel-neutral.
 * Pure.
 */
import * as z from 'zod';

/** The channels a participant can be reached on. */
export const CHANNELS = ['sms', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * What the person behind one address (a phone number, an email address) has said to this sender,
 * across every enrolment that uses the address: carriers require a STOP to stop everything from
 * the sender, and a bounce or complaint concerns the mailbox, not one coach.
 */
export interface ContactState {
  readonly channel: Channel;
  /** E.164 number or normalised email address. */
  readonly address: string;
  /** STOP (SMS) or unsubscribe (email): nothing more is sent to the address until they opt back in. */
  readonly optedOut?: boolean;
  /** When the person last opted out or back in: later messages win, earlier ones change nothing. */
  readonly consentChangedAt?: string;
  /** Email only: a hard bounce or a complaint; nothing is sent to the address any more. */
  readonly suppressed?: 'hard-bounce' | 'complaint';
  /** Email only: soft bounces counted, not suppressed at once. */
  readonly softBounces?: number;
}

/** An email address, trimmed and lower-cased (the domain is case-insensitive, and in practice so is the local part). */
export const EmailAddressSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('expected an email address such as sam@example.com'))
  .transform((address) => address.toLowerCase());

/**
 * The size and price drivers of one SMS body, as the coach API shows them (`smsCost`). Counted by
 * the SMS channel (`channels/sms/domain/sms-cost.ts`), which the core reaches through `SmsPolicy`.
 */
export interface SmsCost {
  /** GSM-7 fits 160 characters in one segment (153 when split); UCS-2 only 70 (67). */
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Segments billed for the body as sent. */
  readonly segments: number;
  /** Characters as a person counts them (Unicode code points). */
  readonly characters: number;
  /** Characters that forced UCS-2, each listed once, in order of appearance. */
  readonly nonGsmCharacters: string[];
}
