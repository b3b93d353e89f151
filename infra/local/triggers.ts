/**
 * Event sources other than HTTP and schedules, driven by the catalogue's triggers:
 * - `queue`: the Lambda event source mapping, feeding each queue of `queueCatalogue` to its
 *   consumers in batches of 10 with partial batch failures;
 * - `inbound-email`: SES receiving stores the raw message in S3 and S3 notifies the function
 *   with an `S3Event`;
 * - `email-events`: SES publishes sending events (bounce, complaint, delivery…) to an SNS topic
 *   and SNS notifies the function with an `SNSEvent`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { S3Event, SNSEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type FunctionSpec, type QueueName, queueCatalogue } from '../functions.js';
import type { Invoke } from './lambda.js';
import type { LocalS3 } from './local-s3.js';
import { drainQueue, type LocalQueue, type LocalSqs } from './local-sqs.js';

const ACCOUNT = '000000000000';
const REGION = 'local';

const withTrigger = (catalogue: readonly FunctionSpec[], kind: FunctionSpec['triggers'][number]['kind']) =>
  catalogue.filter((spec) => spec.triggers.some((t) => t.kind === kind));

/**
 * Creates every queue of `queueCatalogue` with its dead-letter queue on the local SQS, and the
 * `<NAME>_QUEUE_URL` / `<NAME>_DLQ_URL` variables that name them.
 */
export function createQueues(sqs: LocalSqs, maxReceiveCount: number) {
  const queues = new Map<QueueName, LocalQueue>();
  const urls: Record<string, string> = {};
  for (const spec of queueCatalogue) {
    const deadLetter = sqs.createQueue(`nanocoach-${spec.name}-dlq`);
    const queue = sqs.createQueue(`nanocoach-${spec.name}`, { deadLetter, maxReceiveCount });
    queues.set(spec.name, queue);
    const prefix = spec.name.toUpperCase().replace(/-/gu, '_');
    urls[`${prefix}_QUEUE_URL`] = queue.url;
    urls[`${prefix}_DLQ_URL`] = deadLetter.url;
  }
  return { queues, urls };
}

/** Queue deliveries as the event source mappings run them. */
export interface QueueDeliveries {
  /** When the next message becomes visible on a consumed queue (epoch ms). */
  nextDueAt(): number | undefined;
  /** Delivers every visible message to its consumer until the consumed queues hold none. */
  runDue(): Promise<void>;
}

/** The consumers of the catalogue's `queue` triggers over `queues`. */
export function queueDeliveries(
  catalogue: readonly FunctionSpec[],
  queues: ReadonlyMap<QueueName, LocalQueue>,
  invoke: Invoke,
  concurrency: number,
): QueueDeliveries {
  const consumers = catalogue.flatMap((spec) =>
    spec.triggers.flatMap((t) => {
      const queue = t.kind === 'queue' ? queues.get(t.queue) : undefined;
      return queue ? [{ spec, queue }] : [];
    }),
  );
  return {
    nextDueAt() {
      const times = consumers.map((c) => c.queue.nextVisibleAt()).filter((t): t is number => t !== undefined);
      return times.length ? Math.min(...times) : undefined;
    },
    async runDue() {
      for (const { spec, queue } of consumers) {
        await drainQueue(
          queue,
          async (event: SQSEvent) => (await invoke(spec, event)) as SQSBatchResponse | undefined,
          { batchSize: 10, concurrency },
        );
      }
    },
  };
}

/** What delivering an event to the functions with that trigger gave. */
export interface Delivery {
  /** Each function's result, in catalogue order. */
  results: { function: string; result: unknown }[];
}

/** S3's key encoding in event notifications: form-style (space as `+`), slashes kept. */
export function s3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/gu, '+').replace(/%2F/gu, '/');
}

/**
 * Stores a raw RFC 5322 message under `inbound/<uuid>` in `bucket` and notifies every
 * `inbound-email` function as S3 would after SES receiving wrote it. Rejects when no function has
 * that trigger (nothing is stored then) or when a handler fails.
 */
export async function deliverInboundEmail(
  catalogue: readonly FunctionSpec[],
  invoke: Invoke,
  s3: LocalS3,
  bucket: string,
  raw: Buffer,
  now: Date,
): Promise<Delivery & { stored: string }> {
  const targets = withTrigger(catalogue, 'inbound-email');
  if (targets.length === 0) throw new NoTriggerError('inbound-email');
  const key = `inbound/${randomUUID()}`;
  const object = s3.put(bucket, key, raw, 'message/rfc822');
  const event: S3Event = {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: REGION,
        eventTime: now.toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:ses.amazonaws.com' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': randomId(16), 'x-amz-id-2': randomId(32) },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'nanocoach-inbound-email',
          bucket: { name: bucket, ownerIdentity: { principalId: ACCOUNT }, arn: `arn:aws:s3:::${bucket}` },
          object: {
            key: s3EventKey(key),
            size: raw.length,
            eTag: object.etag.replaceAll('"', ''),
            sequencer: now.getTime().toString(16).toUpperCase().padStart(16, '0'),
          },
        },
      },
    ],
  };
  return { stored: key, results: await invokeAll(targets, invoke, event) };
}

/**
 * Hands one SES event (as SES publishes it: `{"eventType":"Bounce","mail":{…},"bounce":{…}}`)
 * to every `email-events` function, wrapped in the SNS notification its topic would deliver.
 */
export async function deliverEmailEvent(
  catalogue: readonly FunctionSpec[],
  invoke: Invoke,
  sesEvent: unknown,
  now: Date,
): Promise<Delivery> {
  const targets = withTrigger(catalogue, 'email-events');
  if (targets.length === 0) throw new NoTriggerError('email-events');
  const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:nanocoach-email-events`;
  const event: SNSEvent = {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:${randomUUID()}`,
        EventSource: 'aws:sns',
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topicArn,
          Message: JSON.stringify(sesEvent),
          Timestamp: now.toISOString(),
          SignatureVersion: '1',
          Signature: 'local',
          SigningCertUrl: 'https://sns.local.amazonaws.com/local.pem',
          UnsubscribeUrl: `https://sns.local.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}`,
          MessageAttributes: {},
        },
      },
    ],
  };
  return { results: await invokeAll(targets, invoke, event) };
}

/** No function in the catalogue has the trigger a route delivers to. */
export class NoTriggerError extends Error {
  constructor(readonly kind: string) {
    super(`no function has an ${kind} trigger`);
  }
}

async function invokeAll(targets: readonly FunctionSpec[], invoke: Invoke, event: unknown) {
  const results: Delivery['results'] = [];
  for (const spec of targets) results.push({ function: spec.name, result: await invoke(spec, event) });
  return results;
}

function randomId(length: number): string {
  return createHash('sha256').update(randomUUID()).digest('hex').slice(0, length).toUpperCase();
}
