/**
 * Inbound email and SES events reach the functions that have those triggers exactly as S3 and
 * SNS would deliver them, and the local S3 serves the stored message to the real S3 client.
 * The catalogue is injected: until the email functions exist, no real entry has these triggers.
 */
import { request } from 'node:http';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3Event, SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../../infra/functions.js';
import { invokerOf, type LambdaHandler } from '../../infra/local/lambda.js';
import { type LocalS3, startLocalS3 } from '../../infra/local/local-s3.js';
import {
  deliverEmailEvent,
  deliverInboundEmail,
  NoTriggerError,
  s3EventKey,
} from '../../infra/local/triggers.js';

const bucket = 'nanocoach-inbound-mail';
const now = new Date('2026-03-05T10:00:00Z');
const catalogue: FunctionSpec[] = [
  { name: 'record-email-reply', description: 'test', triggers: [{ kind: 'inbound-email' }] },
  { name: 'record-email-event', description: 'test', triggers: [{ kind: 'email-events' }] },
  {
    name: 'list-programs',
    description: 'test',
    triggers: [{ kind: 'http', method: 'GET', path: '/x', auth: 'none' }],
  },
];

let s3: LocalS3;
let client: S3Client;
const received: { name: string; event: unknown }[] = [];

/** Handlers that do what the real ones will: read the object with the S3 SDK, parse the SNS message. */
const handlers = new Map<string, LambdaHandler>([
  [
    'record-email-reply',
    async (event) => {
      received.push({ name: 'record-email-reply', event });
      const record = (event as S3Event).Records[0];
      const key = decodeURIComponent((record?.s3.object.key ?? '').replace(/\+/g, ' '));
      const object = await client.send(new GetObjectCommand({ Bucket: record?.s3.bucket.name, Key: key }));
      return { raw: await object.Body?.transformToString() };
    },
  ],
  [
    'record-email-event',
    async (event) => {
      received.push({ name: 'record-email-event', event });
      const message = JSON.parse((event as SNSEvent).Records[0]?.Sns.Message ?? '{}') as {
        eventType?: string;
      };
      return { handled: message.eventType };
    },
  ],
  ['list-programs', async () => ({ statusCode: 200 })],
]);
const invoke = invokerOf(handlers);

beforeAll(async () => {
  s3 = await startLocalS3(0);
  s3.createBucket(bucket);
  client = new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client?.destroy();
  await s3?.close();
});

const message = [
  'From: Participant <p@example.test>',
  'To: reply+abc@reply.nanocoach.localhost',
  'Subject: Re: Your check-in',
  'Message-ID: <m1@example.test>',
  '',
  '7, good day',
  '',
].join('\r\n');

describe('inbound email', () => {
  it('stores the raw message and hands the function an S3 event it can read the object with', async () => {
    received.length = 0;
    const delivered = await deliverInboundEmail(catalogue, invoke, s3, bucket, Buffer.from(message), now);

    expect(delivered.stored).toMatch(/^inbound\/[0-9a-f-]{36}$/);
    expect(delivered.results).toEqual([{ function: 'record-email-reply', result: { raw: message } }]);
    expect(received.map((r) => r.name)).toEqual(['record-email-reply']);
    const record = (received[0]?.event as S3Event | undefined)?.Records[0];
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      eventTime: now.toISOString(),
      s3: {
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: { key: delivered.stored, size: Buffer.byteLength(message) },
      },
    });
    expect(s3.get(bucket, delivered.stored)?.body.toString()).toBe(message);
  });

  it('encodes keys in events as S3 does: spaces as +, slashes kept, the rest percent-encoded', () => {
    expect(s3EventKey('inbound/a b+c/ü.eml')).toBe('inbound/a+b%2Bc/%C3%BC.eml');
  });

  it('stores nothing and says so when no function has an inbound-email trigger', async () => {
    const withoutEmail = catalogue.filter((f) => f.name === 'list-programs');
    await expect(
      deliverInboundEmail(withoutEmail, invoke, s3, bucket, Buffer.from(message), now),
    ).rejects.toThrow(NoTriggerError);
  });
});

describe('SES events', () => {
  it('wraps the SES event in an SNS notification for every email-events function', async () => {
    received.length = 0;
    const bounce = {
      eventType: 'Bounce',
      mail: { messageId: 'm-1', destination: ['p@example.test'], timestamp: now.toISOString() },
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'p@example.test' }] },
    };
    const delivered = await deliverEmailEvent(catalogue, invoke, bounce, now);

    expect(delivered.results).toEqual([{ function: 'record-email-event', result: { handled: 'Bounce' } }]);
    const sns = (received[0]?.event as SNSEvent | undefined)?.Records[0];
    expect(sns).toMatchObject({
      EventSource: 'aws:sns',
      Sns: { Type: 'Notification', Timestamp: now.toISOString() },
    });
    expect(sns?.Sns.TopicArn).toMatch(/^arn:aws:sns:/);
    expect(JSON.parse(sns?.Sns.Message ?? '')).toEqual(bounce);
  });
});

describe('local S3 through the SDK', () => {
  it('puts, heads and gets an object; a missing key is NoSuchKey / NotFound', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'x/with space.eml',
        Body: 'hello',
        ContentType: 'message/rfc822',
      }),
    );
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'x/with space.eml' }));
    expect(head.ContentLength).toBe(5);
    expect(head.ContentType).toBe('message/rfc822');
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'x/with space.eml' }));
    expect(await got.Body?.transformToString()).toBe('hello');

    await expect(client.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' }))).rejects.toMatchObject(
      {
        name: 'NoSuchKey',
      },
    );
    await expect(
      client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
    await expect(client.send(new GetObjectCommand({ Bucket: 'other', Key: 'x' }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
  });

  it('deletes an object with 204, and answers 204 again for a key already gone', async () => {
    s3.put(bucket, 'inbound/to-erase', Buffer.from('mail'));
    const deleted = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'inbound/to-erase' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(s3.get(bucket, 'inbound/to-erase')).toBeUndefined();
    const again = await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'inbound/to-erase' }));
    expect(again.$metadata.httpStatusCode).toBe(204);
  });

  it('refuses a non-loopback Host (DNS rebinding) with 403', async () => {
    s3.put(bucket, 'secret', Buffer.from('mail'));
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        `${s3.endpoint}/${bucket}/secret`,
        { headers: { host: 'attacker.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
