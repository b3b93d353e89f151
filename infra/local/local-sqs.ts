/**
 * A local SQS-compatible queue service, plus the "event source mapping" that feeds a queue to its
 * consumer function — the two halves of what AWS runs between the dispatcher and the sender.
 *
 * It speaks the SQS JSON protocol for the calls the product makes (SendMessage, SendMessageBatch,
 * ChangeMessageVisibility), so the production SQS adapter runs unchanged against it. Visibility is
 * measured on the local clock, so a retry with a 30-second backoff happens when the local clock
 * passes it — instantly under `POST /dev/clock`, in real time otherwise.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { isLoopbackHost } from './guards.js';

/** One message held by the local queue. */
interface Held {
  readonly id: string;
  readonly body: string;
  readonly sentAt: number;
  receiptHandle: string;
  receiveCount: number;
  visibleAt: number;
}

/** A local queue with an optional dead-letter queue. */
export class LocalQueue {
  readonly messages: Held[] = [];
  constructor(
    readonly name: string,
    readonly url: string,
    private readonly now: () => number,
    readonly deadLetter?: { queue: LocalQueue; maxReceiveCount: number },
    readonly visibilityTimeoutSeconds = 180,
  ) {}

  send(body: string, delaySeconds = 0): Held {
    const message: Held = {
      id: randomUUID(),
      body,
      sentAt: this.now(),
      receiptHandle: '',
      receiveCount: 0,
      visibleAt: this.now() + delaySeconds * 1000,
    };
    this.messages.push(message);
    return message;
  }

  /** Messages visible now (received: their receive count goes up and they are hidden). */
  receive(max: number): Held[] {
    const now = this.now();
    const out: Held[] = [];
    for (const m of [...this.messages]) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      if (this.deadLetter && m.receiveCount >= this.deadLetter.maxReceiveCount) {
        this.remove(m.receiptHandle || m.id);
        this.deadLetter.queue.send(m.body);
        continue;
      }
      m.receiveCount++;
      m.receiptHandle = `${m.id}#${m.receiveCount}`;
      m.visibleAt = now + this.visibilityTimeoutSeconds * 1000;
      out.push(m);
    }
    return out;
  }

  changeVisibility(receiptHandle: string, seconds: number): boolean {
    const m = this.messages.find((x) => x.receiptHandle === receiptHandle);
    if (!m) return false;
    m.visibleAt = this.now() + seconds * 1000;
    return true;
  }

  remove(handleOrId: string): void {
    const i = this.messages.findIndex((x) => x.receiptHandle === handleOrId || x.id === handleOrId);
    if (i >= 0) this.messages.splice(i, 1);
  }

  /** The local time the next hidden message becomes visible, if any. */
  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const m of this.messages) if (next === undefined || m.visibleAt < next) next = m.visibleAt;
    return next;
  }
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The local SQS endpoint. */
export interface LocalSqs {
  readonly endpoint: string;
  readonly queues: Map<string, LocalQueue>;
  /** Creates a queue; its URL is what `SEND_QUEUE_URL` should be set to. */
  createQueue(name: string, options?: { deadLetter?: LocalQueue; maxReceiveCount?: number }): LocalQueue;
  close(): Promise<void>;
}

/** Starts the local SQS endpoint on 127.0.0.1:`port` (0 = any free port). */
export async function startLocalSqs(port: number, now: () => number): Promise<LocalSqs> {
  const queues = new Map<string, LocalQueue>();
  const byUrl = (url: unknown) => (typeof url === 'string' ? queues.get(url.replace(/\/$/u, '')) : undefined);

  const server: Server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown, type?: string) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(type ? { __type: type, message: String(body) } : body));
    };
    // Like the other local servers: a DNS-rebinding page reaching 127.0.0.1 names its own host.
    if (!isLoopbackHost(req.headers.host)) return reply(403, 'Host must be a loopback name', 'AccessDenied');
    try {
      const action = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./u, '');
      const input = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
      const queue = byUrl(input.QueueUrl);
      if (!queue)
        return reply(400, 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue');
      switch (action) {
        case 'SendMessage': {
          const m = queue.send(String(input.MessageBody ?? ''), Number(input.DelaySeconds ?? 0));
          return reply(200, { MessageId: m.id, MD5OfMessageBody: md5(m.body) });
        }
        case 'SendMessageBatch': {
          const entries = (input.Entries ?? []) as {
            Id: string;
            MessageBody: string;
            DelaySeconds?: number;
          }[];
          const Successful = entries.map((e) => {
            const m = queue.send(e.MessageBody, e.DelaySeconds ?? 0);
            return { Id: e.Id, MessageId: m.id, MD5OfMessageBody: md5(e.MessageBody) };
          });
          return reply(200, { Successful, Failed: [] });
        }
        case 'ChangeMessageVisibility': {
          const ok = queue.changeVisibility(
            String(input.ReceiptHandle),
            Number(input.VisibilityTimeout ?? 0),
          );
          return ok ? reply(200, {}) : reply(400, 'Receipt handle is invalid.', 'ReceiptHandleIsInvalid');
        }
        default:
          return reply(400, `unsupported action ${action}`, 'InvalidAction');
      }
    } catch (error) {
      return reply(500, (error as Error).message, 'InternalError');
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    queues,
    createQueue(name, options = {}) {
      const url = `${endpoint}/000000000000/${name}`;
      const deadLetter = options.deadLetter
        ? { queue: options.deadLetter, maxReceiveCount: options.maxReceiveCount ?? 5 }
        : undefined;
      const queue = new LocalQueue(name, url, now, deadLetter);
      queues.set(url, queue);
      return queue;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the SDK's keep-alive sockets would hold close() open
      }),
  };
}

/** A function consuming SQS batches, as Lambda invokes it. */
export type SqsConsumer = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

function toRecord(queue: LocalQueue, m: Held): SQSRecord {
  return {
    messageId: m.id,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(m.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(m.sentAt),
    },
    messageAttributes: {},
    md5OfBody: md5(m.body),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:local:000000000000:${queue.name}`,
    awsRegion: 'local',
  };
}

/**
 * Delivers every visible message to the consumer in batches of up to `batchSize`, `concurrency`
 * batches at a time, as the Lambda event source mapping does with ReportBatchItemFailures: a
 * failed item stays in the queue (hidden until its visibility timeout), the others are deleted.
 * Returns when nothing is visible any more.
 */
export async function drainQueue(
  queue: LocalQueue,
  consumer: SqsConsumer,
  options: { batchSize: number; concurrency: number },
): Promise<number> {
  let delivered = 0;
  for (;;) {
    const batches: Held[][] = [];
    for (let i = 0; i < options.concurrency; i++) {
      const batch = queue.receive(options.batchSize);
      if (batch.length === 0) break;
      batches.push(batch);
    }
    if (batches.length === 0) return delivered;
    await Promise.all(
      batches.map(async (batch) => {
        delivered += batch.length;
        try {
          const result = await consumer({ Records: batch.map((m) => toRecord(queue, m)) });
          const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
          for (const m of batch) if (!failed.has(m.id)) queue.remove(m.receiptHandle);
        } catch {
          // The whole invocation failed: every message stays and comes back after its timeout.
        }
      }),
    );
  }
}
