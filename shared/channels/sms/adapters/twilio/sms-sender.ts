/**
 * {@link SmsSender} over the real `twilio` SDK. Locally the SDK is pointed at the project's
 * Twilio-compatible gateway; on AWS at Twilio. Only the base URL differs.
 *
 * Imports the SDK's base client and the Messages resource only: the package entry point pulls in
 * every Twilio product (3.7 MB minified) and even the REST `Api` domain brings every v2010
 * resource; the Messages resource with its own `Domain` and `Version` is what sending needs.
 */
import BaseTwilio from 'twilio/lib/base/BaseTwilio.js';
import DomainModule from 'twilio/lib/base/Domain.js';
import RequestClient from 'twilio/lib/base/RequestClient.js';
import VersionModule from 'twilio/lib/base/Version.js';
import type Twilio from 'twilio/lib/rest/Twilio.js';

type V2010 = import('twilio/lib/rest/api/V2010.js').default;

import {
  type MessageListInstance,
  MessageListInstance as messagesOf,
} from 'twilio/lib/rest/api/v2010/account/message.js';
import { twilioConfig } from '../../../../config.js';
import { SendError, type SmsSender } from '../../../../ports.js';
import { twilioCredentials } from './credentials.js';

/** Connection errors where the request certainly never reached Twilio. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

const TWILIO_API = 'https://api.twilio.com';
// Both are CommonJS modules with `exports.default`. Node's ESM loader hands over `exports` (the
// class is its `default`); bundlers and vitest honour `__esModule` and hand over the class itself.
const interop = <T>(module: T | { default: T }): T =>
  typeof module === 'function' ? (module as T) : (module as { default: T }).default;
const Domain = interop(DomainModule as unknown as typeof DomainModule.default);
const Version = interop(VersionModule as unknown as typeof VersionModule.default);

/**
 * Twilio's HTTP client, plus one thing the SDK drops: the `Retry-After` of a 429 or 503. The SDK
 * turns error responses into exceptions without their headers, so those two are classified here,
 * where the headers still are, and the sender waits as long as Twilio asked.
 */
class RetryAfterAwareClient extends RequestClient {
  override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const response = await super.request(opts);
    if (response.statusCode === 429 || response.statusCode === 503) {
      const header = Number((response.headers as Record<string, unknown>)['retry-after']);
      const body = response.body as { code?: unknown; message?: unknown } | undefined;
      throw new SendError(
        'retryable',
        typeof body?.message === 'string' ? body.message : `Twilio answered ${response.statusCode}`,
        String(body?.code ?? response.statusCode),
        Number.isFinite(header) && header > 0 ? header : undefined,
      );
    }
    return response;
  }
}

let cached: { token: string; messages: MessageListInstance } | undefined;

async function messages(): Promise<MessageListInstance> {
  const credentials = await twilioCredentials();
  if (cached?.token !== credentials.authToken) {
    const config = twilioConfig();
    const client = new BaseTwilio.Client(credentials.accountSid, credentials.authToken, {
      timeout: config.TWILIO_TIMEOUT_MS,
      autoRetry: false, // retries are ours: the queue's backoff, and never after an ambiguous failure
      httpClient: new RetryAfterAwareClient({ timeout: config.TWILIO_TIMEOUT_MS, autoRetry: false }),
    });
    // `Domain` only calls `request` on the client; the full `Twilio` type is wider.
    const domain = new Domain(client as unknown as Twilio, config.TWILIO_API_BASE_URL ?? TWILIO_API);
    cached = {
      token: credentials.authToken,
      // The Messages resource only uses the generic `Version` methods (create, page, fetch).
      messages: messagesOf(new Version(domain, '2010-04-01') as unknown as V2010, credentials.accountSid),
    };
  }
  return cached.messages;
}

/**
 * Turns whatever the SDK threw into a classified {@link SendError}. Only answers that mean "not
 * accepted" are retried: 429 and 503 (overloaded, try later), and connections refused before the
 * request was sent. A 500, 502 or 504 may come after Twilio accepted the message (a gateway in
 * front of it timed out), so, like a timeout, it is ambiguous: surfaced, never resent.
 */
export function classifyTwilioError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  const e = error as { status?: unknown; code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : 'Twilio request failed';
  if (typeof e.status === 'number') {
    const code = e.code === undefined ? String(e.status) : String(e.code);
    if (e.status === 429 || e.status === 503) return new SendError('retryable', message, code);
    if (e.status >= 500) return new SendError('ambiguous', message, code);
    return new SendError('permanent', message, code);
  }
  const networkCode = typeof e.code === 'string' ? e.code : undefined;
  if (networkCode && NOT_SENT_CODES.has(networkCode)) return new SendError('retryable', message, networkCode);
  // Timeouts, resets and anything unrecognised: the message may have gone out.
  return new SendError('ambiguous', message, networkCode ?? 'unknown');
}

/** Sends SMS through Twilio's Messages API. */
export const twilioSmsSender: SmsSender = {
  async send({ to, text, statusCallbackUrl }) {
    const { TWILIO_FROM } = twilioConfig();
    const from = TWILIO_FROM.startsWith('MG') ? { messagingServiceSid: TWILIO_FROM } : { from: TWILIO_FROM };
    try {
      const message = await (await messages()).create({
        to,
        body: text,
        ...from,
        ...(statusCallbackUrl ? { statusCallback: statusCallbackUrl } : {}),
      });
      return { providerMessageId: message.sid };
    } catch (error) {
      throw classifyTwilioError(error);
    }
  },
};
