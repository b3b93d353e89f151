/**
 * Twilio delivery status callbacks: the prompt's delivery status as the carrier reports it.
 */
import type { PromptKind } from '../domain/prompt.js';
import { logger } from '../logger.js';
import type { Deps } from '../ports.js';

/** A status callback, already signature-checked. */
export interface SmsStatusUpdate {
  readonly participantId: string;
  readonly scheduledFor: string;
  readonly kind?: PromptKind;
  readonly status: string;
  readonly errorCode?: string;
}

/** Twilio's "unsubscribed recipient": the participant texted STOP to the carrier directly. */
const UNSUBSCRIBED = '21610';

/** Final statuses that the coach needs on the prompt; the others are only counted. */
const FAILED = new Set(['failed', 'undelivered']);

/**
 * Records a delivery status. Only failures are written to the prompt (the coach must see them);
 * `delivered` and the intermediate statuses are counted as metrics, so a successful send costs no
 * DynamoDB write for its callbacks.
 */
export async function recordSmsStatus(
  deps: Pick<Deps, 'prompts' | 'participants' | 'contacts' | 'metrics' | 'clock'>,
  update: SmsStatusUpdate,
) {
  if (update.status === 'delivered') deps.metrics.count('Delivered');
  if (!FAILED.has(update.status)) return;
  deps.metrics.count('Undelivered');
  await deps.prompts.recordDelivery(update, update.status, update.errorCode);
  if (update.errorCode === UNSUBSCRIBED) {
    // The carrier holds a STOP for this number: record it on the number, as if they had told us.
    const participant = await deps.participants.get(update.participantId);
    if (participant?.phone) {
      await deps.contacts.setOptOut('sms', participant.phone, true, deps.clock.now().toISOString());
      await deps.participants.update(participant.id, { nextDueAt: null });
    }
  }
  logger.warn('prompt not delivered', { participantId: update.participantId, errorCode: update.errorCode });
}
