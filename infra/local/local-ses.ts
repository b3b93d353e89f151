/**
 * The local SES: aws-ses-v2-local (SES v2 API, a store of sent mail at `GET /store` and a web
 * inbox at `/`), on 127.0.0.1 only and, like the other local servers, only for loopback host
 * names (the store holds every answer link sent).
 *
 * Faults can be queued in front of its `SendEmail` (aws-ses-v2-local never fails by itself), so
 * the sender's handling of SES's bad days runs against the real SDK: see {@link SesFault}.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { isLoopbackHost } from './guards.js';

/**
 * A failure of upcoming `SendEmail` calls, answered as SES answers (restJson error type header and
 * body) before the email reaches the store:
 * `throttle` → 429 `TooManyRequestsException` ("Maximum sending rate exceeded", nothing sent);
 * `http-503` → 503 `ServiceUnavailable` (nothing sent);
 * `http-500` → 500 `InternalFailure` (SES may or may not have taken the email).
 */
export interface SesFault {
  kind: (typeof SES_FAULT_KINDS)[number];
  /** How many upcoming SendEmail calls it applies to. */
  count: number;
}

/** The SES fault kinds, for request validation. */
export const SES_FAULT_KINDS = ['throttle', 'http-503', 'http-500'] as const;

const SES_FAULT_ANSWERS: Record<SesFault['kind'], { status: number; type: string; message: string }> = {
  throttle: { status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' },
  'http-503': { status: 503, type: 'ServiceUnavailable', message: 'Service unavailable.' },
  'http-500': { status: 500, type: 'InternalFailure', message: 'An internal failure occurred.' },
};

/** A running local SES. */
export interface LocalSes {
  /** `http://127.0.0.1:<port>`: the SES v2 endpoint, the store and the inbox. */
  readonly url: string;
  /** Queues a fault for the next `fault.count` SendEmail calls, after those already queued. */
  inject(fault: SesFault): void;
  close(): Promise<void>;
}

type SesServerFactory = (config: { port: number; host: string }) => Promise<Server>;

/** Fails with a clear message when `port` is taken (aws-ses-v2-local would wait forever). */
async function ensurePortFree(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use: set SES_PORT`) : error),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/** Starts aws-ses-v2-local on 127.0.0.1:`port` (0 = any free port). */
export async function startLocalSes(port: number): Promise<LocalSes> {
  await ensurePortFree(port);
  // A CommonJS module: Node's ESM loader puts `module.exports` (`{ default: server }`) under
  // `default`; loaders that honour `__esModule` put the server itself there.
  const module = (await import('aws-ses-v2-local')) as unknown as {
    default: SesServerFactory | { default: SesServerFactory };
  };
  const factory = typeof module.default === 'function' ? module.default : module.default.default;
  const server = await factory({ port, host: '127.0.0.1' });
  // Put the Host check in front of its express app.
  const app = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  const faults: SesFault[] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!isLoopbackHost(req.headers.host)) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Host must be localhost, 127.0.0.1 or [::1]' }));
      return;
    }
    const head = faults[0];
    if (head && req.method === 'POST' && req.url?.startsWith('/v2/email/outbound-emails')) {
      if (head.count <= 1) faults.shift();
      else faults[0] = { ...head, count: head.count - 1 };
      const answer = SES_FAULT_ANSWERS[head.kind];
      req.resume(); // the body is not read, but must be drained for the connection to be reused
      res.writeHead(answer.status, { 'content-type': 'application/json', 'x-amzn-ErrorType': answer.type });
      res.end(JSON.stringify({ message: answer.message }));
      return;
    }
    for (const listener of app) listener(req, res);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    inject(fault) {
      faults.push({ ...fault });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
