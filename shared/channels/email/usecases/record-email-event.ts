/**
 * SES sending events (through the configuration set's event destination): a hard bounce or a
 * complaint suppresses the address for good — every enrolment using it stops and its coach sees
 * the participant as bouncing; a soft bounce is counted, not suppressed at once (mailboxes fill up
 * and empty again). Mailbox providers judge a sender by these rates, so they are never ignored.
 */
import { logger } from '../../../logger.js';
import type { Deps } from '../../../ports.js';

/** The parts of an SES event this reads (the event JSON as SES publishes it). */
export interface SesEvent {
  readonly eventType: string;
  readonly bounce?: {
    readonly bounceType: string;
    readonly bouncedRecipients: readonly { readonly emailAddress: string }[];
  };
  readonly complaint?: { readonly complainedRecipients: readonly { readonly emailAddress: string }[] };
}

/** Addresses are compared lower-cased, as enrolment stores them. */
const normalise = (address: string) => address.trim().toLowerCase();

/** Handles one SES event. */
export async function recordEmailEvent(
  deps: Pick<Deps, 'contacts' | 'participants' | 'metrics'>,
  event: SesEvent,
): Promise<void> {
  if (event.eventType === 'Bounce' && event.bounce) {
    deps.metrics.count('EmailBounces');
    for (const { emailAddress } of event.bounce.bouncedRecipients) {
      const address = normalise(emailAddress);
      if (event.bounce.bounceType === 'Permanent') {
        await suppress(deps, address, 'hard-bounce');
      } else {
        await deps.contacts.countSoftBounce('email', address);
      }
    }
    logger.warn('email bounced', { bounceType: event.bounce.bounceType });
  } else if (event.eventType === 'Complaint' && event.complaint) {
    deps.metrics.count('EmailComplaints');
    for (const { emailAddress } of event.complaint.complainedRecipients) {
      await suppress(deps, normalise(emailAddress), 'complaint');
    }
    logger.warn('email complaint');
  } else if (event.eventType === 'Delivery') {
    deps.metrics.count('Delivered');
  }
}

async function suppress(
  deps: Pick<Deps, 'contacts' | 'participants'>,
  address: string,
  reason: 'hard-bounce' | 'complaint',
): Promise<void> {
  await deps.contacts.suppress('email', address, reason);
  const enrolments = await deps.participants.findByAddress('email', address);
  await Promise.all(enrolments.map((p) => deps.participants.update(p.id, { nextDueAt: null })));
}
