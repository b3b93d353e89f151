/**
 * Local Twilio-compatible SMS gateway (local mode only, never deployed).
 *
 * Speaks the one Twilio REST call the app makes — `messages.create` — well enough that the real
 * `twilio` SDK, pointed here with `client.api.baseUrl`, cannot tell the difference (`rest-api.ts`).
 * It then behaves like Twilio towards the app: signed status callbacks and signed inbound
 * messages whose TwiML replies are delivered as SMS (`webhooks-out.ts`), and a phone-simulator
 * page (`phone-page.ts`). Faults can be injected to exercise the app's retry and
 * ambiguous-failure handling.
 *
 * HTTP routes on the gateway (only for a loopback `Host`; JSON bodies only on the `/_` routes):
 * - `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` — Twilio's Messages API (create).
 * - `POST /_faults` (JSON {@link Fault}) queues a fault; `DELETE /_faults` clears them.
 * - `GET /_messages[?to=E164]` — JSON array of {@link SentSms}, oldest first.
 * - `GET /_conversation?number=E164` — JSON conversation with that number, both directions.
 * - `POST /_inbound` (JSON `{from, body}`) — {@link TwilioGateway.deliverInbound}; answers
 *   `{status, reply, messageSid}`.
 * - `GET /phone[?number=E164]` — phone simulator (number picker without `number`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as z from 'zod';
import { requireLoopbackHost, requireMediaType } from '../guards.js';
import { HttpError, parseJson, readBody, send } from '../http.js';
import { HTML_HEADERS, phonePage, pickerPage } from './phone-page.js';
import { internalError, serveRestApi } from './rest-api.js';
import { GatewayState } from './state.js';
import { FAULT_KINDS, type Fault, type GatewayOptions, type SentSms, type TwilioGateway } from './types.js';
import { deliverInbound } from './webhooks-out.js';
import { E164, normalizeNumber, numberParam } from './wire.js';

export type { Fault, GatewayOptions, InboundResult, InboundSms, SentSms, TwilioGateway } from './types.js';

const FaultSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  count: z.number().int().min(1),
  retryAfterSeconds: z.number().int().min(0).optional(),
  delayMs: z.number().int().min(0).optional(),
});
const InboundSchema = z.object({
  from: z.string().regex(E164, 'an E.164 number such as +12125550123'),
  body: z.string(),
});
const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  send(res, status, body, { ...JSON_TYPE, ...headers });
}

async function jsonBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(parseJson(await readBody(req)));
  if (!parsed.success) throw new HttpError(400, { error: z.prettifyError(parsed.error) });
  return parsed.data;
}

/** The gateway's own routes: control, inspection and the phone simulator. */
async function serveLocalRoutes(
  options: GatewayOptions,
  state: GatewayState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (path.startsWith('/_')) requireMediaType(req, ['application/json']);
  if (path === '/_faults' && method === 'POST') {
    state.faults.push(await jsonBody(req, FaultSchema));
    return sendJson(res, 200, { faults: state.faults });
  }
  if (path === '/_faults' && method === 'DELETE') {
    state.faults.length = 0;
    return sendJson(res, 200, { faults: state.faults });
  }
  if (path === '/_messages' && method === 'GET')
    return sendJson(res, 200, state.sent(numberParam(url, 'to')));
  if (path === '/_conversation' && method === 'GET') {
    const number = numberParam(url, 'number');
    if (!number) throw new HttpError(400, { error: "query parameter 'number' is required" });
    return sendJson(res, 200, state.conversationWith(number));
  }
  if (path === '/_inbound' && method === 'POST') {
    const inbound = await jsonBody(req, InboundSchema);
    const from = normalizeNumber(inbound.from);
    if (!E164.test(from)) throw new HttpError(400, { error: "'from' must be an E.164 number" });
    try {
      return sendJson(res, 200, await deliverInbound(options, state, { from, body: inbound.body }));
    } catch (error) {
      throw new HttpError(502, { error: error instanceof Error ? error.message : String(error) });
    }
  }
  if (path === '/phone' && method === 'GET') {
    const number = numberParam(url, 'number');
    const html =
      number && E164.test(number)
        ? phonePage(number, state.conversationWith(number))
        : pickerPage(state.numbersSeen(), number ? `Not an E.164 number: ${number}` : undefined);
    return send(res, 200, html, HTML_HEADERS);
  }
  if (path === '/' && method === 'GET') {
    res.writeHead(302, { Location: '/phone' }).end();
    return;
  }
  throw new HttpError(404, { error: `no route for ${method} ${path}` });
}

/**
 * Starts a gateway on 127.0.0.1 and resolves once it listens.
 *
 * @example
 * const gateway = await startTwilioGateway({ port: 0, accountSid, authToken, senderNumber,
 *   inboundWebhookUrl: 'http://127.0.0.1:3000/webhooks/twilio/sms' });
 * const client = twilio(accountSid, authToken);
 * client.api.baseUrl = gateway.url;
 */
export async function startTwilioGateway(options: GatewayOptions): Promise<TwilioGateway> {
  const state = new GatewayState();
  const sockets = new Set<Socket>();

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requireLoopbackHost(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (await serveRestApi(options, state, req, res, url.pathname)) return;
    await serveLocalRoutes(options, state, req, res, url);
  };
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof HttpError) {
        const json = typeof error.body === 'string' ? {} : JSON_TYPE;
        return send(res, error.status, error.body, { ...json, ...error.headers });
      }
      console.error('[twilio-gateway] request failed', error);
      sendJson(res, 500, internalError);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    sent: (to?: string): SentSms[] => state.sent(to),
    inject(fault: Fault) {
      state.faults.push(FaultSchema.parse(fault));
    },
    clearFaults() {
      state.faults.length = 0;
    },
    deliverInbound: (msg) => deliverInbound(options, state, msg),
    idle: () => state.idle(),
    async close() {
      if (state.closed) return;
      state.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
      await state.settled();
    },
  };
}
