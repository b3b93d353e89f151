/**
 * Consent outlives erasure. Erasing a participant keeps each of their addresses' "no" (STOP,
 * unsubscribe, hard bounce, complaint) under a keyed hash of the address, with nothing else about
 * them; enrolling that number or address again, by any coach, puts the "no" back on the address
 * before anything is decided, so nobody who said no is messaged again because their data was
 * erased. A START or YES the person sends later still wins: opt-outs keep the time they were said.
 */
import { CHANNELS, type Channel, type ContactState } from '../domain/channel.js';
import { addressDigest, erasedContactOf } from '../domain/erased-contact.js';
import { addressOf, type Participant } from '../domain/participant.js';
import type { Deps } from '../ports.js';

/** Before an opt-out time was recorded: any later START or YES wins over it. */
const LONG_AGO = '1970-01-01T00:00:00.000Z';

/**
 * Keeps (or, for an address that opted back in, forgets) what each of the participant's addresses
 * said, given their states as read before erasure.
 */
export async function keepConsentOfErased(
  deps: Pick<Deps, 'erasedContacts' | 'addressKey'>,
  participant: Pick<Participant, 'phone' | 'email'>,
  states: readonly ContactState[],
): Promise<void> {
  const key = await deps.addressKey();
  await Promise.all(
    CHANNELS.flatMap((channel) => {
      const address = addressOf(participant, channel);
      if (!address) return [];
      const state = states.find((s) => s.channel === channel && s.address === address);
      return [deps.erasedContacts.set(addressDigest(key, channel, address), erasedContactOf(state))];
    }),
  );
}

/** Puts an erased address's kept "no" back on the address (a no-op for any other address). */
export async function restoreErasedConsent(
  deps: Pick<Deps, 'erasedContacts' | 'addressKey' | 'contacts'>,
  channel: Channel,
  address: string,
): Promise<void> {
  const kept = await deps.erasedContacts.get(addressDigest(await deps.addressKey(), channel, address));
  if (!kept) return;
  // Conditional on time like every opt-out: a START recorded since then stays in force.
  if (kept.optedOut) await deps.contacts.setOptOut(channel, address, true, kept.consentChangedAt ?? LONG_AGO);
  if (kept.suppressed) await deps.contacts.suppress(channel, address, kept.suppressed);
}
