/**
 * {@link SendQueue} over SQS. Locally the same client talks to the local stack's SQS-compatible
 * queue; on AWS to SQS. Only the endpoint differs.
 */
import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { config } from '../../config.js';
import type { SendQueue, SendRequest } from '../../ports.js';

const sqs = new SQSClient({
  region: config.AWS_REGION,
  ...(config.SQS_ENDPOINT ? { endpoint: config.SQS_ENDPOINT } : {}),
});

const BATCH = 10; // SQS's maximum entries per SendMessageBatch

/** Sends prompts to the send queue, ten per request. */
export const sqsSendQueue: SendQueue & {
  deadLetter(request: SendRequest, reason: string): Promise<void>;
  delay(receiptHandle: string, seconds: number): Promise<void>;
} = {
  async enqueue(requests) {
    const chunks: SendRequest[][] = [];
    for (let i = 0; i < requests.length; i += BATCH) chunks.push(requests.slice(i, i + BATCH));
    await Promise.all(
      chunks.map(async (chunk) => {
        const out = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: config.SEND_QUEUE_URL,
            Entries: chunk.map((r, n) => ({ Id: String(n), MessageBody: JSON.stringify(r) })),
          }),
        );
        // A partial batch failure must not pass silently: the run fails and the next one re-queues
        // (the timers were not moved yet, and the sender's claim absorbs any duplicate).
        if (out.Failed?.length)
          throw new Error(`send queue refused ${out.Failed.length} of ${chunk.length} messages`);
      }),
    );
  },

  /** Puts a request straight on the dead-letter queue (a permanent failure: no retry helps). */
  async deadLetter(request, reason) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: config.SEND_DLQ_URL,
        MessageBody: JSON.stringify(request),
        MessageAttributes: { reason: { DataType: 'String', StringValue: reason } },
      }),
    );
  },

  /** Hides a received message for `seconds`: the backoff before its next attempt. */
  async delay(receiptHandle, seconds) {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: config.SEND_QUEUE_URL,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.min(Math.max(0, Math.round(seconds)), 43_200),
      }),
    );
  },
};
