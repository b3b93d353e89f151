/**
 * What erasure keeps of an address: the person's "no" (an SMS STOP, an email unsubscribe, a hard
 * bounce, a complaint), under a keyed hash of the address and with nothing else about them, so a
 * coach who enrols the erased number or address again cannot message someone who said no. Pure.
 */
import { createHmac } from 'node:crypto';
import type { Channel, ContactState } from './channel.js';

/** The consent facts of an erased address; no address, no name, no link to an enrolment. */
export interface ErasedContact {
  readonly optedOut?: true;
  /** When the opt-out was said: a later START or YES still wins over it. */
  readonly consentChangedAt?: string;
  readonly suppressed?: NonNullable<ContactState['suppressed']>;
}

/**
 * The keyed hash (HMAC-SHA256, base64url) naming an address of a channel. Keyed, so a table
 * export cannot be matched against a list of phone numbers (there are few enough to try them all).
 */
export function addressDigest(key: string, channel: Channel, address: string): string {
  return createHmac('sha256', key).update(`${channel}:${address}`).digest('base64url');
}

/** What erasure keeps of an address's state; undefined when the address never said no. */
export function erasedContactOf(state: ContactState | undefined): ErasedContact | undefined {
  if (!state?.optedOut && !state?.suppressed) return undefined;
  return {
    ...(state.optedOut ? { optedOut: true as const } : {}),
    ...(state.optedOut && state.consentChangedAt ? { consentChangedAt: state.consentChangedAt } : {}),
    ...(state.suppressed ? { suppressed: state.suppressed } : {}),
  };
}
