/**
 * Twilio delivery status callbacks: the prompt's delivery status as the carrier reports it.
 */
import type { Deps } from '../deps.js';
import { logger } from '../logger.js';

/** A status callback, already signature-checked. */
export interface SmsStatusUpdate {
  readonly participantId: string;
  readonly scheduledFor: string;
  readonly kind?: 'prompt' | 'reminder';
  readonly status: string;
  readonly errorCode?: string;
}

/** Twilio's "unsubscribed recipient": the participant texted STOP to the carrier directly. */
const UNSUBSCRIBED = '21610';

/** Records a delivery status on the prompt it belongs to. */
export async function recordSmsStatus(deps: Pick<Deps, 'prompts' | 'participants'>, update: SmsStatusUpdate) {
  await deps.prompts.recordDelivery(update, update.status, update.errorCode);
  if (update.errorCode === UNSUBSCRIBED) {
    await deps.participants.update(update.participantId, { status: 'opted_out', nextDueAt: null });
  }
  if (update.status === 'failed' || update.status === 'undelivered') {
    logger.warn('prompt not delivered', { participantId: update.participantId, errorCode: update.errorCode });
  }
}
