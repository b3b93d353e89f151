/**
 * The app's request pipeline: the guards first (loopback `Host`, JSON-only bodies on `/dev/*` and
 * `/api/*`, capped sizes), then the dashboard at `/app/`, the local-only routes, then the
 * catalogue's API routes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiGateway } from './api-gateway.js';
import {
  type DevRouteContext,
  INBOUND_EMAIL_TYPES,
  MAX_INBOUND_EMAIL_BYTES,
  serveDevRoute,
} from './dev-routes.js';
import { mediaType, requireLoopbackHost, requireMediaType, requireSameOrigin } from './guards.js';
import { MAX_JSON_BYTES, readBody, send, sendError } from './http.js';
import { NoTriggerError } from './triggers.js';
import { serveWebApp } from './web-app.js';

/** The request handler of the app at `baseUrl`. */
export function appHandler(baseUrl: string, dev: DevRouteContext, api: ApiGateway) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      requireLoopbackHost(req);
      const url = new URL(req.url ?? '/', baseUrl);
      const path = url.pathname;
      const inboundEmail = path === '/dev/email/inbound';
      if (path.startsWith('/dev/') || path.startsWith('/api/')) {
        requireMediaType(req, inboundEmail ? INBOUND_EMAIL_TYPES : ['application/json']);
        // text/plain needs no preflight, so a page of any site could post it here.
        if (inboundEmail && mediaType(req) === 'text/plain') requireSameOrigin(req);
      }
      if (serveWebApp(req, res, url)) return;
      const body = await readBody(req, inboundEmail ? MAX_INBOUND_EMAIL_BYTES : MAX_JSON_BYTES);
      if (await serveDevRoute(dev, req, res, url, body)) return;
      if (await api(req, res, url, body)) return;
      send(res, 404, { message: 'Not Found' });
    } catch (error) {
      if (error instanceof NoTriggerError) return send(res, 404, { error: error.message });
      sendError(res, error, 'local server error');
    }
  };
}
