/**
 * {@link SendQueue} over SQS: one queue per channel (`send-sms`, `send-email`), each with its
 * dead-letter queue. Locally the same client talks to the local stack's SQS-compatible queues; on
 * AWS to SQS. Only the endpoint differs. A queue's URL is read from the environment the first time
 * it is used, so a function wired for one channel needs only that channel's variables.
 */
import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { awsConfig, queueUrls, sqsConfig } from '../../config.js';
import type { Channel } from '../../domain/channel.js';
import type { SendQueue, SendRequest } from '../../ports.js';

let client: SQSClient | undefined;
const sqs = () => {
  if (!client) {
    const { SQS_ENDPOINT } = sqsConfig();
    client = new SQSClient({
      region: awsConfig().AWS_REGION,
      ...(SQS_ENDPOINT ? { endpoint: SQS_ENDPOINT } : {}),
    });
  }
  return client;
};

const urls = { sms: queueUrls('send-sms'), email: queueUrls('send-email') } satisfies Record<
  Channel,
  unknown
>;
const channelOf = (request: SendRequest): Channel => request.channel ?? 'sms';

const BATCH = 10; // SQS's maximum entries per SendMessageBatch

/** Sends requests to their channel's send queue, ten per request. */
export const sqsSendQueue: SendQueue = {
  async enqueue(requests) {
    const chunks: SendRequest[][] = [];
    for (const channel of Object.keys(urls) as Channel[]) {
      const mine = requests.filter((r) => channelOf(r) === channel);
      for (let i = 0; i < mine.length; i += BATCH) chunks.push(mine.slice(i, i + BATCH));
    }
    await Promise.all(
      chunks.map(async (chunk) => {
        const first = chunk[0];
        if (!first) return;
        const out = await sqs().send(
          new SendMessageBatchCommand({
            QueueUrl: urls[channelOf(first)]().queueUrl,
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

  /** Puts a request straight on its channel's dead-letter queue (a permanent failure: no retry helps). */
  async deadLetter(request, reason) {
    const { deadLetterUrl } = urls[channelOf(request)]();
    if (!deadLetterUrl) throw new Error(`no dead-letter queue configured for ${channelOf(request)}`);
    await sqs().send(
      new SendMessageCommand({
        QueueUrl: deadLetterUrl,
        MessageBody: JSON.stringify(request),
        MessageAttributes: { reason: { DataType: 'String', StringValue: reason } },
      }),
    );
  },
};

/** Hides a received message of a channel's queue for `seconds`: the backoff before its next attempt. */
export async function delayMessage(channel: Channel, receiptHandle: string, seconds: number): Promise<void> {
  await sqs().send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: urls[channel]().queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: Math.min(Math.max(0, Math.round(seconds)), 43_200),
    }),
  );
}
