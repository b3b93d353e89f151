/**
 * Local Twilio-compatible SMS gateway (local mode only, never deployed).
 *
 * Speaks the one Twilio REST call the app makes — `messages.create` — well enough that the real
 * `twilio` SDK, pointed here with `client.api.baseUrl`, cannot tell the difference: same path, form
 * encoding, Basic auth, resource JSON and error JSON (so the SDK raises a genuine `RestException`).
 * It then behaves like Twilio towards the app: signed status callbacks (`sent`, `delivered`),
 * signed inbound messages to the app's webhook with their TwiML replies delivered as SMS, and a
 * phone-simulator page for trying the system by hand. Faults can be injected to exercise the
 * app's retry and ambiguous-failure handling.
 *
 * HTTP routes on the gateway:
 * - `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` — Twilio's Messages API (create).
 * - `POST /_faults` (JSON {@link Fault}) queues a fault; `DELETE /_faults` clears them.
 * - `GET /_messages[?to=E164]` — JSON array of {@link SentSms}, oldest first.
 * - `GET /_conversation?number=E164` — JSON conversation with that number, both directions.
 * - `POST /_inbound` (JSON `{from, body}`) — {@link TwilioGateway.deliverInbound}; answers
 *   `{status, reply, messageSid}`.
 * - `GET /phone[?number=E164]` — phone simulator (number picker without `number`).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
// Only the webhook helpers: the package entry point drags in every Twilio product.
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import * as z from 'zod';

/** Configuration of {@link startTwilioGateway}. */
export interface GatewayOptions {
  /** Port on 127.0.0.1; `0` picks any free port (see {@link TwilioGateway.url}). */
  port: number;
  /** The Twilio account the app authenticates as, e.g. `'AC00000000000000000000000000000000'`. */
  accountSid: string;
  /** Used for Basic auth of REST calls AND for signing webhooks (`X-Twilio-Signature`). */
  authToken: string;
  /** URL Twilio would call for inbound messages, e.g. http://127.0.0.1:3000/webhooks/twilio/sms */
  inboundWebhookUrl: string;
  /** The number this gateway "owns" (the app's sender), e.g. `'+15005550006'`. */
  senderNumber: string;
  /**
   * Messaging Service the sender number belongs to, if the app sends with `messagingServiceSid`.
   * When set, inbound webhooks carry it as `MessagingServiceSid`, as Twilio's do.
   */
  messagingServiceSid?: string;
  /** Current time source for sentAt fields (the app's local clock); default `() => new Date()`. */
  now?: () => Date;
  /**
   * Pause before each status step (`sent`, then `delivered`), in ms; default 10. Real Twilio takes
   * seconds; a small pause keeps callbacks from overtaking the app's own handling of the 201.
   */
  statusCallbackDelayMs?: number;
}

/** An SMS the gateway "delivered" to a handset: sent through the API or as a TwiML reply. */
export interface SentSms {
  /** Twilio message SID, `SM` + 32 hex digits. */
  sid: string;
  to: string;
  from: string;
  body: string;
  /** `queued` on creation, then `sent` and `delivered`; TwiML replies are `delivered` at once. */
  status: string;
  /** ISO-8601 instant from {@link GatewayOptions.now} when the gateway accepted the message. */
  sentAt: string;
  direction: 'outbound-api' | 'outbound-reply';
}

/** A failure to simulate on upcoming `Messages.create` calls. */
export interface Fault {
  /**
   * `http-500` → 500 code 20500; `http-429` → 429 code 20429 with `Retry-After`;
   * `slow` → the message is accepted and recorded at once but the 201 comes only after `delayMs`
   * (a client with a shorter timeout sees a timeout for a message that WAS sent);
   * `invalid-number` → 400 code 21211.
   */
  kind: 'http-500' | 'http-429' | 'slow' | 'invalid-number';
  /** How many upcoming Messages.create calls it applies to. */
  count: number;
  /** `Retry-After` of `http-429`, in seconds; default 1. */
  retryAfterSeconds?: number;
  /** Delay of `slow`, in ms; default 15000. */
  delayMs?: number;
}

/** A running gateway. */
export interface TwilioGateway {
  /** Base URL, `http://127.0.0.1:<port>`; assign it to the SDK's `client.api.baseUrl`. */
  url: string;
  /** SMS sent to handsets, oldest first; only those to `to` when given. Copies, not live records. */
  sent(to?: string): SentSms[];
  /** Queues a fault for the next `fault.count` create calls, after any faults already queued. */
  inject(fault: Fault): void;
  /** Drops every queued fault. */
  clearFaults(): void;
  /**
   * Signs and POSTs an inbound SMS to `inboundWebhookUrl` exactly as Twilio would; records TwiML
   * `<Message>` replies as SMS sent to `from` (direction `outbound-reply`); resolves with the app's
   * HTTP status and the reply text (all `<Message>` bodies joined with "\n", `''` if none).
   * Rejects when `from` is not E.164 or the app cannot be reached.
   */
  deliverInbound(msg: {
    from: string;
    body: string;
  }): Promise<{ status: number; reply: string; messageSid: string }>;
  /**
   * Resolves when every status callback scheduled so far has been delivered (or failed) —
   * including callbacks of `slow` responses still being held back, and any scheduled meanwhile.
   */
  idle(): Promise<void>;
  /** Stops the server, drops open connections and abandons pending callbacks. */
  close(): Promise<void>;
}

const API_VERSION = '2010-04-01';
const E164 = /^\+[1-9]\d{1,14}$/;
const MAX_BODY_BYTES = 1_000_000;
/** Twilio gives up on a webhook after 15 s; so do we, for callbacks and inbound messages. */
const WEBHOOK_TIMEOUT_MS = 15_000;

const FaultSchema = z.object({
  kind: z.enum(['http-500', 'http-429', 'slow', 'invalid-number']),
  count: z.number().int().min(1),
  retryAfterSeconds: z.number().int().min(0).optional(),
  delayMs: z.number().int().min(0).optional(),
});

const InboundSchema = z.object({ from: z.string(), body: z.string() });

/** One line of the phone simulator's conversation log. */
interface ConversationEntry {
  sid: string;
  direction: 'inbound' | SentSms['direction'];
  from: string;
  to: string;
  body: string;
  at: string;
  /** The outbound record, so the log shows its current status. */
  sms?: SentSms;
}

/** A response for the caller of the route, thrown from deep inside a handler. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
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
  const now = options.now ?? (() => new Date());
  const statusDelayMs = options.statusCallbackDelayMs ?? 10;
  const sentLog: SentSms[] = [];
  const conversation: ConversationEntry[] = [];
  const faults: Fault[] = [];
  const pending = new Set<Promise<unknown>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  const sockets = new Set<Socket>();
  // Aborts in-flight webhook requests on close so nothing outlives the gateway.
  const shutdown = new AbortController();
  let closed = false;

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise);
    const done = (): void => {
      pending.delete(promise);
    };
    promise.then(done, done);
    return promise;
  }

  /** A timer that close() can cut short, so `slow` responses do not keep the process alive. */
  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.set(timer, resolve);
    });
  }

  function webhookSignal(): AbortSignal {
    return AbortSignal.any([shutdown.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]);
  }

  function takeFault(): Fault | undefined {
    const head = faults[0];
    if (!head) return undefined;
    if (head.count <= 1) faults.shift();
    else faults[0] = { ...head, count: head.count - 1 };
    return head;
  }

  function recordSent(sms: SentSms): SentSms {
    sentLog.push(sms);
    conversation.push({
      sid: sms.sid,
      direction: sms.direction,
      from: sms.from,
      to: sms.to,
      body: sms.body,
      at: sms.sentAt,
      sms,
    });
    return sms;
  }

  async function postStatusCallback(url: string, sms: SentSms, messagingServiceSid: string | undefined) {
    const params: Record<string, string> = {
      MessageSid: sms.sid,
      SmsSid: sms.sid,
      MessageStatus: sms.status,
      SmsStatus: sms.status,
      To: sms.to,
      From: sms.from,
      AccountSid: options.accountSid,
      ApiVersion: API_VERSION,
    };
    if (messagingServiceSid) params.MessagingServiceSid = messagingServiceSid;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'User-Agent': 'TwilioProxy/1.1',
          'X-Twilio-Signature': getExpectedTwilioSignature(options.authToken, url, params),
        },
        body: new URLSearchParams(params).toString(),
        signal: webhookSignal(),
      });
      await response.arrayBuffer(); // drain, so the connection can be reused
      if (!response.ok && !closed) {
        console.warn(
          `[twilio-gateway] status callback ${sms.status} for ${sms.sid} → HTTP ${response.status}`,
        );
      }
    } catch (error) {
      // Twilio shrugs off an unreachable callback URL; so must we (the message was still delivered).
      if (!closed) console.warn(`[twilio-gateway] status callback to ${url} failed: ${String(error)}`);
    }
  }

  /** Moves the message through `sent` and `delivered`, telling the app at each step if asked to. */
  function scheduleDelivery(sms: SentSms, callbackUrl: string | undefined, messagingServiceSid?: string) {
    track(
      (async () => {
        for (const status of ['sent', 'delivered'] as const) {
          await delay(statusDelayMs);
          if (closed) return;
          sms.status = status;
          if (callbackUrl) await postStatusCallback(callbackUrl, sms, messagingServiceSid);
        }
      })(),
    );
  }

  function checkAuth(req: IncomingMessage): void {
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+(\S+)$/i.exec(header);
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const expected = `${options.accountSid}:${options.authToken}`;
    if (!sameSecret(decoded, expected)) {
      throw new HttpError(
        401,
        {
          code: 20003,
          detail: 'Your AccountSid or AuthToken was incorrect.',
          message: 'Authenticate',
          more_info: 'https://www.twilio.com/docs/errors/20003',
          status: 401,
        },
        { 'WWW-Authenticate': 'Basic realm="Twilio API"' },
      );
    }
  }

  /** `POST /2010-04-01/Accounts/{sid}/Messages.json`, the call behind `messages.create`. */
  async function createMessage(req: IncomingMessage, res: ServerResponse, pathAccountSid: string) {
    const form = new URLSearchParams(await readBody(req));
    checkAuth(req);
    if (pathAccountSid !== options.accountSid) throw notFound(req.url ?? '');

    // A fault stands in for whatever Twilio would have said, before any validation.
    const fault = takeFault();
    if (fault?.kind === 'http-500') {
      throw twilioError(500, 20500, 'An internal server error has occurred');
    }
    if (fault?.kind === 'http-429') {
      throw new HttpError(429, errorBody(429, 20429, 'Too Many Requests'), {
        'Retry-After': String(fault.retryAfterSeconds ?? 1),
      });
    }
    if (fault?.kind === 'invalid-number') throw invalidTo();

    const to = form.get('To') ?? '';
    const body = form.get('Body') ?? '';
    const messagingServiceSid = form.get('MessagingServiceSid') || undefined;
    const statusCallback = form.get('StatusCallback') || undefined;
    if (!E164.test(to)) throw invalidTo();
    if (!body) throw twilioError(400, 21602, 'Message body is required.');
    const explicitFrom = form.get('From') || undefined;
    if (!explicitFrom && !messagingServiceSid) {
      throw twilioError(
        400,
        21603,
        "A 'From' or 'MessagingServiceSid' parameter is required to send a message",
      );
    }
    // With a Messaging Service, Twilio picks the sender from the service's pool: ours.
    const from = explicitFrom ?? options.senderNumber;

    // Recorded at arrival: from here on the message is "out", whatever happens to the response.
    const created = now();
    const sms = recordSent({
      sid: newSid('SM'),
      to,
      from,
      body,
      status: 'queued',
      sentAt: created.toISOString(),
      direction: 'outbound-api',
    });
    const resource = messageResource(sms, created, options.accountSid, messagingServiceSid);
    const respond = (): void => {
      if (closed) return;
      if (!res.destroyed) sendJson(res, 201, resource);
      scheduleDelivery(sms, statusCallback, messagingServiceSid);
    };
    if (fault?.kind === 'slow') {
      // Tracked so idle() also waits for the callbacks this held-back response will schedule.
      await track(delay(fault.delayMs ?? 15_000).then(respond));
    } else {
      respond();
    }
  }

  async function deliverInbound(msg: {
    from: string;
    body: string;
  }): Promise<{ status: number; reply: string; messageSid: string }> {
    if (!E164.test(msg.from))
      throw new Error(`'from' must be an E.164 number, got ${JSON.stringify(msg.from)}`);
    const messageSid = newSid('SM');
    const params: Record<string, string> = {
      ToCountry: countryOf(options.senderNumber),
      SmsMessageSid: messageSid,
      NumMedia: '0',
      SmsSid: messageSid,
      SmsStatus: 'received',
      Body: msg.body,
      To: options.senderNumber,
      NumSegments: String(countSegments(msg.body)),
      MessageSid: messageSid,
      AccountSid: options.accountSid,
      From: msg.from,
      FromCountry: countryOf(msg.from),
      ApiVersion: API_VERSION,
    };
    if (options.messagingServiceSid) params.MessagingServiceSid = options.messagingServiceSid;
    conversation.push({
      sid: messageSid,
      direction: 'inbound',
      from: msg.from,
      to: options.senderNumber,
      body: msg.body,
      at: now().toISOString(),
    });

    const url = options.inboundWebhookUrl;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: '*/*',
          'User-Agent': 'TwilioProxy/1.1',
          'I-Twilio-Idempotency-Token': randomBytes(16).toString('hex'),
          'X-Twilio-Signature': getExpectedTwilioSignature(options.authToken, url, params),
        },
        body: new URLSearchParams(params).toString(),
        signal: webhookSignal(),
      });
    } catch (error) {
      throw new Error(`inbound webhook ${url} unreachable: ${String(error)}`, { cause: error });
    }
    const text = await response.text();
    // Twilio sends nothing back to the handset when the webhook fails.
    const replies = response.ok ? repliesFrom(text, response.headers.get('content-type') ?? '') : [];
    for (const reply of replies) {
      recordSent({
        sid: newSid('SM'),
        to: reply.to ?? msg.from,
        from: reply.from ?? options.senderNumber,
        body: reply.body,
        status: 'delivered',
        sentAt: now().toISOString(),
        direction: 'outbound-reply',
      });
    }
    return { status: response.status, reply: replies.map((r) => r.body).join('\n'), messageSid };
  }

  function conversationWith(number: string) {
    return conversation
      .filter((e) => (e.direction === 'inbound' ? e.from === number : e.to === number))
      .map((e) => ({
        sid: e.sid,
        direction: e.direction,
        from: e.from,
        to: e.to,
        body: e.body,
        at: e.at,
        status: e.sms?.status ?? 'received',
      }));
  }

  function numbersSeen(): string[] {
    const numbers = new Set<string>();
    for (const e of conversation) numbers.add(e.direction === 'inbound' ? e.from : e.to);
    return [...numbers];
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname;

    const api = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (api?.[1] !== undefined && method === 'POST')
      return createMessage(req, res, decodeURIComponent(api[1]));
    if (path.startsWith('/2010-04-01/')) {
      await readBody(req);
      checkAuth(req);
      throw notFound(path);
    }

    if (path === '/_faults' && method === 'POST') {
      const parsed = FaultSchema.safeParse(parseJson(await readBody(req)));
      if (!parsed.success) throw new HttpError(400, { error: z.prettifyError(parsed.error) });
      faults.push(parsed.data);
      return sendJson(res, 200, { faults });
    }
    if (path === '/_faults' && method === 'DELETE') {
      faults.length = 0;
      return sendJson(res, 200, { faults });
    }
    if (path === '/_messages' && method === 'GET') {
      return sendJson(res, 200, gateway.sent(numberParam(url, 'to')));
    }
    if (path === '/_conversation' && method === 'GET') {
      const number = numberParam(url, 'number');
      if (!number) throw new HttpError(400, { error: "query parameter 'number' is required" });
      return sendJson(res, 200, conversationWith(number));
    }
    if (path === '/_inbound' && method === 'POST') {
      const parsed = InboundSchema.safeParse(parseJson(await readBody(req)));
      if (!parsed.success) throw new HttpError(400, { error: z.prettifyError(parsed.error) });
      const from = normalizeNumber(parsed.data.from);
      if (!E164.test(from)) throw new HttpError(400, { error: "'from' must be an E.164 number" });
      try {
        return sendJson(res, 200, await deliverInbound({ from, body: parsed.data.body }));
      } catch (error) {
        throw new HttpError(502, { error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (path === '/phone' && method === 'GET') {
      const number = numberParam(url, 'number');
      const html =
        number && E164.test(number)
          ? phonePage(number, conversationWith(number))
          : pickerPage(numbersSeen(), number ? `Not an E.164 number: ${number}` : undefined);
      return sendHtml(res, html);
    }
    if (path === '/' && method === 'GET') {
      res.writeHead(302, { Location: '/phone' }).end();
      return;
    }
    throw new HttpError(404, { error: `no route for ${method} ${path}` });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof HttpError) return sendJson(res, error.status, error.body, error.headers);
      console.error('[twilio-gateway] request failed', error);
      sendJson(res, 500, errorBody(500, 20500, 'An internal server error has occurred'));
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

  const gateway: TwilioGateway = {
    url: `http://127.0.0.1:${port}`,
    sent(to) {
      return sentLog.filter((s) => to === undefined || s.to === to).map((s) => ({ ...s }));
    },
    inject(fault) {
      faults.push(FaultSchema.parse(fault));
    },
    clearFaults() {
      faults.length = 0;
    },
    deliverInbound,
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async close() {
      if (closed) return;
      closed = true;
      shutdown.abort();
      for (const [timer, release] of timers) {
        clearTimeout(timer);
        release();
      }
      timers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
      await Promise.allSettled([...pending]);
    },
  };
  return gateway;
}

// ---------------------------------------------------------------------------------------------
// Twilio wire formats

function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** Twilio's dates: RFC 2822 with a numeric zone, which is what the SDK's parser expects. */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

function messageResource(sms: SentSms, created: Date, accountSid: string, messagingServiceSid?: string) {
  const uri = `/${API_VERSION}/Accounts/${accountSid}/Messages/${sms.sid}.json`;
  return {
    account_sid: accountSid,
    api_version: API_VERSION,
    body: sms.body,
    date_created: rfc2822(created),
    date_sent: null,
    date_updated: rfc2822(created),
    direction: sms.direction,
    error_code: null,
    error_message: null,
    from: sms.from,
    messaging_service_sid: messagingServiceSid ?? null,
    num_media: '0',
    num_segments: String(countSegments(sms.body)),
    price: null,
    price_unit: 'USD',
    sid: sms.sid,
    status: sms.status,
    subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
    to: sms.to,
    uri,
  };
}

/**
 * Twilio's legacy error JSON. No `type`/`title`, so the SDK raises `RestException` (with `status`,
 * `code`, `message`, `moreInfo`) rather than its RFC 9457 `TwilioServiceException`.
 */
function errorBody(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function twilioError(status: number, code: number, message: string): HttpError {
  return new HttpError(status, errorBody(status, code, message));
}

function invalidTo(): HttpError {
  return twilioError(400, 21211, "The 'To' number is not a valid phone number.");
}

function notFound(path: string): HttpError {
  return twilioError(404, 20404, `The requested resource ${path} was not found`);
}

// GSM 03.38: the basic set costs one septet, the extension set two (escape + char).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

/** SMS segments for `body`: GSM-7 160/153 septets, otherwise UCS-2 70/67 code units. */
function countSegments(body: string): number {
  const chars = [...body];
  if (chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c))) {
    const septets = chars.map((c) => (GSM_EXTENSION.has(c) ? 2 : 1));
    return packSegments(septets, 160, 153);
  }
  // UTF-16 code units; a surrogate pair is never split across segments.
  return packSegments(
    chars.map((c) => c.length),
    70,
    67,
  );
}

function packSegments(sizes: number[], single: number, multi: number): number {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > multi) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return segments;
}

/** Two-letter country for Twilio's optional geo fields, from the calling code; '' when unsure. */
function countryOf(number: string): string {
  if (number.startsWith('+1')) return 'US';
  if (number.startsWith('+44')) return 'GB';
  if (number.startsWith('+49')) return 'DE';
  return '';
}

interface TwimlReply {
  body: string;
  to?: string;
  from?: string;
}

/**
 * The SMS Twilio would send back for a webhook answer: each TwiML `<Message>` (optionally with a
 * `<Body>` and `to`/`from` attributes), or — as Twilio does — a `text/plain` answer verbatim.
 */
function repliesFrom(text: string, contentType: string): TwimlReply[] {
  if (/^text\/plain\b/i.test(contentType)) {
    const body = text.trim();
    return body ? [{ body }] : [];
  }
  const replies: TwimlReply[] = [];
  const xml = text.replace(/<!--[\s\S]*?-->/g, '');
  for (const match of xml.matchAll(/<Message\b([^>]*?)(?:\/>|>([\s\S]*?)<\/Message\s*>)/g)) {
    const attributes = match[1] ?? '';
    const inner = match[2] ?? '';
    const bodyElement = /<Body\b[^>]*>([\s\S]*?)<\/Body\s*>/.exec(inner);
    const raw = bodyElement
      ? (bodyElement[1] ?? '')
      : inner.replace(/<(Media|Redirect)\b[\s\S]*?<\/\1\s*>/g, '');
    const body = xmlText(raw).trim();
    if (!body) continue; // Twilio does not send empty messages
    const reply: TwimlReply = { body };
    const to = xmlAttribute(attributes, 'to');
    const from = xmlAttribute(attributes, 'from');
    if (to) reply.to = to;
    if (from) reply.from = from;
    replies.push(reply);
  }
  return replies;
}

function xmlAttribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  const value = match?.[1] ?? match?.[2];
  return value === undefined ? undefined : decodeXmlEntities(value);
}

/** Character data of an XML fragment: tags dropped, entities decoded, CDATA kept literally. */
function xmlText(fragment: string): string {
  // split() with a capture group alternates outside-CDATA and inside-CDATA pieces.
  return fragment
    .split(/<!\[CDATA\[([\s\S]*?)\]\]>/)
    .map((piece, i) => (i % 2 === 1 ? piece : decodeXmlEntities(piece.replace(/<[^>]*>/g, ''))))
    .join('');
}

function decodeXmlEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (entity, name: string) => {
    if (!name.startsWith('#')) return named[name] ?? entity;
    const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { error: 'request body too large' });
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, { error: 'body must be JSON' });
  }
}

/** Compares secrets in constant time (hashing first makes the lengths equal). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * A phone number from a query string. An unencoded `+` arrives as a space (`?to=+1555…`), so a
 * bare run of digits gets its `+` back.
 */
function numberParam(url: URL, name: string): string | undefined {
  const value = url.searchParams.get(name);
  return value === null || value.trim() === '' ? undefined : normalizeNumber(value);
}

function normalizeNumber(value: string): string {
  const trimmed = value.trim();
  return /^\d+$/.test(trimmed) ? `+${trimmed}` : trimmed;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendHtml(res: ServerResponse, html: string) {
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    // Defence in depth: even if some text slipped through unescaped it could not run script.
    'Content-Security-Policy':
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; form-action 'self'",
    'Cache-Control': 'no-store',
  });
  res.end(html);
}

// ---------------------------------------------------------------------------------------------
// Phone simulator

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.4 system-ui,-apple-system,sans-serif;background:#f2f2f7;color:#111;
  display:flex;flex-direction:column;min-height:100vh;max-width:32rem;margin-inline:auto}
header{display:flex;align-items:center;gap:.75rem;padding:.75rem 1rem;background:#fff;border-bottom:1px solid #ddd}
header h1{font-size:1.1rem;margin:0}
a{color:#0a66d8}
main{flex:1;padding:1rem;display:flex;flex-direction:column;gap:.5rem;overflow-y:auto}
.msg{max-width:80%;padding:.5rem .75rem;border-radius:1rem;white-space:pre-wrap;overflow-wrap:anywhere}
.msg p{margin:0}
.msg small{display:block;font-size:.7rem;opacity:.7;margin-top:.2rem}
.them{align-self:flex-start;background:#e5e5ea}
.me{align-self:flex-end;background:#0a84ff;color:#fff}
.empty{color:#666;text-align:center}
form{display:flex;gap:.5rem;padding:.75rem;background:#fff;border-top:1px solid #ddd}
input{flex:1;font:inherit;padding:.5rem .75rem;border:1px solid #ccc;border-radius:1.25rem;min-width:0}
button{font:inherit;padding:.5rem 1rem;border:0;border-radius:1.25rem;background:#0a84ff;color:#fff}
button:disabled{opacity:.5}
#error{color:#b00020;margin:0;padding:0 1rem .5rem;min-height:1em}
ul{list-style:none;padding:0 1rem}li{padding:.4rem 0}
`;

type ConversationLine = { direction: string; body: string; at: string; status: string };

function bubbleHtml(line: ConversationLine): string {
  const mine = line.direction === 'inbound';
  const meta = `${line.at.replace('T', ' ').slice(0, 19)}${mine ? '' : ` · ${line.status}`}`;
  return `<div class="msg ${mine ? 'me' : 'them'}"><p>${escapeHtml(line.body)}</p><small>${escapeHtml(meta)}</small></div>`;
}

// Client script: contains no server data (the number comes from a data attribute) and renders
// message text only through textContent, so nothing a participant or the app types is ever HTML.
const PHONE_SCRIPT = `
const number = document.body.dataset.number;
const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('text');
const error = document.getElementById('error');
let last = '';
function bubble(line) {
  const mine = line.direction === 'inbound';
  const div = document.createElement('div');
  div.className = 'msg ' + (mine ? 'me' : 'them');
  const p = document.createElement('p');
  p.textContent = line.body;
  const small = document.createElement('small');
  small.textContent = line.at.replace('T', ' ').slice(0, 19) + (mine ? '' : ' · ' + line.status);
  div.append(p, small);
  return div;
}
async function refresh() {
  try {
    const res = await fetch('/_conversation?number=' + encodeURIComponent(number));
    const text = await res.text();
    if (!res.ok || text === last) return;
    last = text;
    const lines = JSON.parse(text);
    if (lines.length === 0) return;
    log.replaceChildren(...lines.map(bubble));
    log.lastElementChild.scrollIntoView({ block: 'end' });
  } catch (e) {
    error.textContent = 'Gateway unreachable';
  }
}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = input.value;
  if (!body) return;
  const button = form.querySelector('button');
  button.disabled = true;
  error.textContent = '';
  try {
    const res = await fetch('/_inbound', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: number, body }),
    });
    const result = await res.json();
    if (!res.ok) error.textContent = result.error || ('HTTP ' + res.status);
    else if (result.status >= 300) error.textContent = 'The app answered HTTP ' + result.status;
    else input.value = '';
  } catch (e) {
    error.textContent = 'Send failed';
  } finally {
    button.disabled = false;
    input.focus();
    await refresh();
  }
});
setInterval(refresh, 2000);
log.lastElementChild?.scrollIntoView({ block: 'end' });
`;

function phonePage(number: string, lines: ConversationLine[]): string {
  const bubbles = lines.length > 0 ? lines.map(bubbleHtml).join('') : '<p class="empty">No messages yet.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(number)} · nanocoach phone</title><style>${PAGE_STYLE}</style></head>
<body data-number="${escapeHtml(number)}">
<header><a href="/phone">&larr; Numbers</a><h1>${escapeHtml(number)}</h1></header>
<main id="log" aria-live="polite">${bubbles}</main>
<p id="error" role="status"></p>
<form id="composer"><input id="text" name="body" autocomplete="off" placeholder="Text message" aria-label="Text message" maxlength="1600"><button type="submit">Send</button></form>
<script>${PHONE_SCRIPT}</script>
</body></html>`;
}

function pickerPage(numbers: string[], problem?: string): string {
  const items = numbers
    .map((n) => `<li><a href="/phone?number=${escapeHtml(encodeURIComponent(n))}">${escapeHtml(n)}</a></li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nanocoach phone</title><style>${PAGE_STYLE}</style></head>
<body>
<header><h1>Phone simulator</h1></header>
${problem ? `<p id="error" role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="get" action="/phone"><input name="number" placeholder="+12125550123" aria-label="Phone number" required><button type="submit">Open</button></form>
${items ? `<ul>${items}</ul>` : '<p class="empty">No numbers seen yet.</p>'}
</body></html>`;
}
