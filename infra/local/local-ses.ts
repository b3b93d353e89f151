/**
 * The local SES: aws-ses-v2-local (SES v2 API, a store of sent mail at `GET /store` and a web
 * inbox at `/`), on 127.0.0.1 only and, like the other local servers, only for loopback host
 * names (the store holds every answer link sent).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { isLoopbackHost } from './guards.js';

/** A running local SES. */
export interface LocalSes {
  /** `http://127.0.0.1:<port>`: the SES v2 endpoint, the store and the inbox. */
  readonly url: string;
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
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!isLoopbackHost(req.headers.host)) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Host must be localhost, 127.0.0.1 or [::1]' }));
      return;
    }
    for (const listener of app) listener(req, res);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
