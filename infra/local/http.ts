/**
 * HTTP plumbing shared by the local servers (the app and the Twilio gateway): a response thrown
 * from deep inside a handler, capped body reading, JSON and HTML answers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A response for the caller of a route, thrown from deep inside a handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** Largest JSON or form body any local route accepts (the Lambda payload limit is 6 MB; ours is less). */
export const MAX_JSON_BYTES = 1_000_000;

/**
 * Reads the whole body; past `maxBytes` it throws a 413. The rest of an oversized body is read
 * and dropped first (up to a hard stop), so the client gets the 413 rather than a reset socket.
 */
export async function readBody(req: IncomingMessage, maxBytes = MAX_JSON_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > 16 * maxBytes) {
      req.destroy();
      break;
    }
    if (size <= maxBytes) chunks.push(buffer);
  }
  if (size > maxBytes) throw tooLarge(maxBytes);
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, { error: `request body too large (limit ${maxBytes} bytes)` });
}

/** Parses a JSON body; an empty body is `{}`. Throws a 400 for anything else that is not JSON. */
export function parseJson(body: Buffer | string): unknown {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  try {
    return JSON.parse(text || '{}');
  } catch {
    throw new HttpError(400, { error: 'body must be JSON', field: 'body' });
  }
}

/** Sends `body` as JSON, or as plain text when it is a string; `headers` may override the type. */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const given = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    ...given,
  });
  res.end(text);
}

/**
 * Answers a request that failed with `error`: an {@link HttpError} as it says, anything else as a
 * 500 whose details go to stderr only (never to the client).
 */
export function sendError(
  res: ServerResponse,
  error: unknown,
  label: string,
  internal: unknown = { message: 'Internal Server Error' },
) {
  if (res.headersSent || res.destroyed) return;
  if (error instanceof HttpError) {
    return send(res, error.status, error.body, error.headers);
  }
  process.stderr.write(
    `${label}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  send(res, 500, internal);
}

/** A server on 127.0.0.1 whose request handler is swapped in once the app is ready. */
export interface LocalServer {
  readonly url: string;
  handle(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): void;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:`port` (0 = any free port). Until {@link LocalServer.handle} is called
 * every request gets a quick 503 instead of hanging on a server with no handler.
 */
export async function listenLocal(port: number, portVariable: string): Promise<LocalServer> {
  let handler = async (_req: IncomingMessage, res: ServerResponse) => send(res, 503, { status: 'starting' });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use: set ${portVariable}`) : error),
    );
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handle(next) {
      handler = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
