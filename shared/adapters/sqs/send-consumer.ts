/**
 * The per-message work of a send queue's consumer, shared by every channel's sender: parse the
 * message, send it exactly once, and turn a retryable outcome into SQS backoff (hide the message
 * until its next attempt, then fail it so SQS keeps it).
 */
import type { SQSRecord } from 'aws-lambda';
import type { Channel } from '../../domain/channel.js';
import { SendRequestSchema } from '../../http/schemas.js';
import { type SendDeps, sendPrompt } from '../../usecases/send-prompt.js';
import { delayMessage } from './send-queue.js';

/** A function that handles one record of a channel's send queue. */
export function sendRecordHandler(channel: Channel, deps: SendDeps): (record: SQSRecord) => Promise<void> {
  return async (record) => {
    const outcome = await sendPrompt(deps, SendRequestSchema.parse(JSON.parse(record.body)));
    if (outcome.kind === 'retry') {
      await delayMessage(channel, record.receiptHandle, outcome.delaySeconds);
      throw new Error(`retry in ${outcome.delaySeconds}s`);
    }
  };
}
