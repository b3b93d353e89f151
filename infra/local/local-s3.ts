/**
 * A small S3-compatible object store in memory: PutObject, GetObject, HeadObject and DeleteObject on
 * path-style URLs (`/{bucket}/{key}`), as `@aws-sdk/client-s3` sends them with `forcePathStyle: true`, so the
 * production S3 adapter reads inbound mail unchanged. Like `local-sqs.ts` for SQS: enough of the
 * protocol for what the product calls, nothing more. Signatures are not checked (the credentials
 * are local ones), but only loopback host names are served.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireLoopbackHost } from './guards.js';
import { HttpError, readBody } from './http.js';

/** One stored object. */
export interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: Date;
}

/** A running local S3. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` (with `forcePathStyle: true`). */
  readonly endpoint: string;
  /** Creates a bucket (no-op if it exists). */
  createBucket(name: string): void;
  /** Stores an object directly, as another AWS service (SES receiving) would. */
  put(bucket: string, key: string, body: Buffer, contentType?: string): StoredObject;
  get(bucket: string, key: string): StoredObject | undefined;
  close(): Promise<void>;
}

/** The largest object accepted over HTTP (inbound mail is capped at 10 MB before it gets here). */
const MAX_OBJECT_BYTES = 40_000_000;

function s3Error(status: number, code: string, message: string): HttpError {
  return new HttpError(
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    { 'content-type': 'application/xml' },
  );
}

/**
 * The payload of a PUT. The SDK may stream it `aws-chunked` (`<hex size>[;ext]\r\n<data>\r\n…
 * 0\r\n<trailers>\r\n\r\n`, e.g. with a trailing checksum); the object is the data alone.
 */
function decodePayload(req: IncomingMessage, raw: Buffer): Buffer {
  const encoding = String(req.headers['content-encoding'] ?? '');
  if (!encoding.split(',').some((e) => e.trim() === 'aws-chunked')) return raw;
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) throw s3Error(400, 'IncompleteBody', 'Malformed aws-chunked body');
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) throw s3Error(400, 'IncompleteBody', 'Malformed aws-chunked body');
    if (size === 0) return Buffer.concat(parts);
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

/** Starts the store on 127.0.0.1:`port` (0 = any free port). */
export async function startLocalS3(port = 0): Promise<LocalS3> {
  const buckets = new Map<string, Map<string, StoredObject>>();

  const put = (bucket: string, key: string, body: Buffer, contentType = 'binary/octet-stream') => {
    const objects = buckets.get(bucket);
    if (!objects) throw s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    const object: StoredObject = {
      body,
      contentType,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: new Date(),
    };
    objects.set(key, object);
    return object;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requireLoopbackHost(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const objects = buckets.get(decodeURIComponent(bucket));
    if (!objects) throw s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (!key) throw s3Error(405, 'MethodNotAllowed', 'Only object operations are supported');
    if (req.method === 'PUT') {
      const body = decodePayload(req, await readBody(req, MAX_OBJECT_BYTES));
      const contentType = req.headers['content-type'] ?? 'binary/octet-stream';
      const stored = put(decodeURIComponent(bucket), key, body, contentType);
      res.writeHead(200, { etag: stored.etag }).end();
      return;
    }
    if (req.method === 'DELETE') {
      // As S3 without versioning: 204 whether or not the key was there.
      objects.delete(key);
      res.writeHead(204).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed');
    }
    const object = objects.get(key);
    if (!object) throw s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    res.writeHead(200, {
      'content-type': object.contentType,
      'content-length': String(object.body.length),
      etag: object.etag,
      'last-modified': object.lastModified.toUTCString(),
      'accept-ranges': 'bytes',
    });
    res.end(req.method === 'HEAD' ? undefined : object.body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      if (error instanceof HttpError) {
        res.writeHead(error.status, error.headers);
        // HEAD answers carry no body; the SDK reads the status alone (404 → NotFound).
        const text = typeof error.body === 'string' ? error.body : JSON.stringify(error.body);
        res.end(req.method === 'HEAD' ? undefined : text);
        return;
      }
      process.stderr.write(`local s3: ${(error as Error).stack ?? String(error)}\n`);
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    createBucket(name) {
      if (!buckets.has(name)) buckets.set(name, new Map());
    },
    put,
    get: (bucket, key) => buckets.get(bucket)?.get(key),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the SDK's keep-alive sockets would hold close() open
      }),
  };
}
