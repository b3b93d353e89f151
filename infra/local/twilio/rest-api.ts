/**
 * Twilio's Messages REST API as the `twilio` SDK calls it: `POST
 * /2010-04-01/Accounts/{AccountSid}/Messages.json`, form encoded, Basic auth, answered with the
 * Message resource or Twilio's error JSON, with injected faults standing in for Twilio's bad days.
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { safeDecode } from '../../../shared/http/api.js';
import { HttpError, readBody } from '../http.js';
import type { GatewayState } from './state.js';
import type { Fault, GatewayOptions } from './types.js';
import { scheduleDelivery } from './webhooks-out.js';
import { E164, errorBody, invalidTo, messageResource, newSid, notFound, twilioError } from './wire.js';

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/u;

/** Compares secrets in constant time (hashing first makes the lengths equal). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function checkAuth(options: GatewayOptions, req: IncomingMessage): void {
  const match = /^Basic\s+(\S+)$/iu.exec(req.headers.authorization ?? '');
  const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  if (!sameSecret(decoded, `${options.accountSid}:${options.authToken}`)) {
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

/** The error a fault stands for, or nothing for `slow` (which delays a success instead). */
function faultError(fault: Fault): HttpError | undefined {
  switch (fault.kind) {
    case 'http-500':
      return twilioError(500, 20500, 'An internal server error has occurred');
    case 'http-502':
      // What a load balancer in front of the API answers: HTML, not Twilio's error JSON.
      return new HttpError(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', {
        'Content-Type': 'text/html',
      });
    case 'http-503':
      return twilioError(
        503,
        20503,
        'Service unavailable',
        fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) },
      );
    case 'http-429':
      return twilioError(429, 20429, 'Too Many Requests', {
        'Retry-After': String(fault.retryAfterSeconds ?? 1),
      });
    case 'invalid-number':
      return invalidTo();
    case 'unsubscribed':
      return twilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
    case 'slow':
      return undefined;
  }
}

/** `POST /2010-04-01/Accounts/{sid}/Messages.json`, the call behind `messages.create`. */
async function createMessage(
  options: GatewayOptions,
  state: GatewayState,
  req: IncomingMessage,
  res: ServerResponse,
  pathAccountSid: string,
): Promise<void> {
  const form = new URLSearchParams((await readBody(req)).toString('utf8'));
  checkAuth(options, req);
  if (pathAccountSid !== options.accountSid) throw notFound(req.url ?? '');

  // A fault stands in for whatever Twilio would have said, before any validation.
  const fault = state.takeFault();
  const failure = fault && faultError(fault);
  if (failure) throw failure;

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
  const created = (options.now ?? (() => new Date()))();
  const sms = state.recordSent({
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
    if (state.closed) return;
    if (!res.destroyed) {
      res.writeHead(201, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(resource));
    }
    scheduleDelivery(options, state, sms, statusCallback, messagingServiceSid);
  };
  if (fault?.kind === 'slow') {
    // Tracked so idle() also waits for the callbacks this held-back response will schedule.
    await state.track(state.delay(fault.delayMs ?? 15_000).then(respond));
  } else {
    respond();
  }
}

/**
 * Serves the request if it is for the REST API (`/2010-04-01/…`); returns false otherwise.
 * Unknown API paths are a 404 in Twilio's format, after authentication as Twilio does.
 */
export async function serveRestApi(
  options: GatewayOptions,
  state: GatewayState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  if (!path.startsWith('/2010-04-01/')) return false;
  const api = MESSAGES_PATH.exec(path);
  if (api?.[1] !== undefined && req.method === 'POST') {
    await createMessage(options, state, req, res, safeDecode(api[1]));
    return true;
  }
  await readBody(req);
  checkAuth(options, req);
  throw notFound(path);
}

/** Twilio's 500 JSON, for failures of the gateway itself. */
export const internalError = errorBody(500, 20500, 'An internal server error has occurred');
