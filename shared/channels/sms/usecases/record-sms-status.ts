/**
 * Twilio delivery status callbacks: the prompt's delivery status as the carrier reports it, moved
 * only forward (queued → sent → delivered / undelivered / failed).
 *
 * Cost, per callback:
 * - intermediate statuses (`accepted`, `queued`, `sending`, `sent`): no DynamoDB request at all.
 *   A prompt with status `sent` was accepted by Twilio already; the carrier's `sent` adds nothing a
 *   coach acts on.
 * - final statuses (`delivered`, `undelivered`, `failed`): one conditional UpdateItem that also
 *   refuses to go backwards (1 WCU; a refused repeat or late callback still costs the 1 WCU of
 *   its failed condition, and changes nothing).
 * - `21610` (the number texted STOP to the carrier): additionally the opt-out write and the
 *   participant's timer removal, once (only when the final status was new).
 */
import type { Participant } from '../../../domain/participant.js';
import type { PromptKind } from '../../../domain/prompt.js';
import { logger } from '../../../logger.js';
import type { Deps } from '../../../ports.js';

/** A status callback, already signature-checked. */
export interface SmsStatusUpdate {
  readonly participantId: string;
  readonly scheduledFor: string;
  readonly kind?: PromptKind;
  readonly status: string;
  readonly errorCode?: string;
}

/** Twilio's "unsubscribed recipient": the participant texted STOP to the carrier directly. */
export const UNSUBSCRIBED = '21610';

/**
 * The carrier holds a STOP for this number (Twilio answered or reported 21610): it is recorded on
 * the number, as if they had told us, and the participant's timer goes, so nothing more is even
 * tried (every later send would only fail the same way and dead-letter).
 */
export async function recordCarrierOptOut(
  deps: Pick<Deps, 'participants' | 'contacts' | 'clock'>,
  participant: Pick<Participant, 'id' | 'phone'>,
): Promise<void> {
  if (!participant.phone) return;
  await deps.contacts.setOptOut('sms', participant.phone, true, deps.clock.now().toISOString());
  await deps.participants.update(participant.id, { nextDueAt: null });
}

/**
 * Twilio's message statuses in the order a message moves through them. The three final ones share
 * the top rank: whichever arrives first stands (Twilio sends one of them per message).
 */
export const DELIVERY_RANK: Readonly<Record<string, number>> = {
  accepted: 1,
  scheduled: 1,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
};

/** Ranks at or above this are written to the prompt; lower ones cost nothing. */
const WRITTEN_FROM = 4;

/**
 * Records a delivery status, only forward. Final statuses are written with one conditional update
 * (see the module comment for what each costs); metrics count each final status once, so a
 * repeated callback is not counted twice.
 */
export async function recordSmsStatus(
  deps: Pick<Deps, 'prompts' | 'participants' | 'contacts' | 'metrics' | 'clock'>,
  update: SmsStatusUpdate,
): Promise<{ recorded: boolean }> {
  const rank = DELIVERY_RANK[update.status];
  if (rank === undefined || rank < WRITTEN_FROM) return { recorded: false };
  const recorded = await deps.prompts.recordDelivery(update, update.status, update.errorCode, rank);
  if (!recorded) return { recorded };
  if (update.status === 'delivered') {
    deps.metrics.count('Delivered');
    return { recorded };
  }
  deps.metrics.count('Undelivered');
  if (update.errorCode === UNSUBSCRIBED) {
    const participant = await deps.participants.get(update.participantId);
    if (participant) await recordCarrierOptOut(deps, participant);
  }
  logger.warn('prompt not delivered', { participantId: update.participantId, errorCode: update.errorCode });
  return { recorded };
}
