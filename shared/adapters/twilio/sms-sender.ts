/**
 * {@link SmsSender} over the real `twilio` SDK. Locally the SDK is pointed at the project's
 * Twilio-compatible gateway; on AWS at Twilio. Only the base URL differs.
 *
 * Imports the SDK's base client and the REST `Api` domain only: the package entry point pulls in
 * every Twilio product (3.7 MB minified), this is about a quarter of that in a Lambda bundle.
 */
import BaseTwilio from 'twilio/lib/base/BaseTwilio.js';
import RequestClient from 'twilio/lib/base/RequestClient.js';
import Api from 'twilio/lib/rest/Api.js';
import type Twilio from 'twilio/lib/rest/Twilio.js';
import { config } from '../../config.js';
import { SmsSendError, type SmsSender } from '../../ports.js';
import { twilioCredentials } from './credentials.js';

/** Connection errors where the request certainly never reached Twilio. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * Twilio's HTTP client, plus one thing the SDK drops: the `Retry-After` of a 429. The SDK turns
 * error responses into exceptions without their headers, so a 429 is classified here, where the
 * headers still are, and the sender waits as long as Twilio asked.
 */
class RetryAfterAwareClient extends RequestClient {
  override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const response = await super.request(opts);
    if (response.statusCode === 429) {
      const header = Number((response.headers as Record<string, unknown>)['retry-after']);
      const body = response.body as { code?: unknown; message?: unknown } | undefined;
      throw new SmsSendError(
        'retryable',
        typeof body?.message === 'string' ? body.message : 'Twilio rate limit',
        String(body?.code ?? 429),
        Number.isFinite(header) && header > 0 ? header : undefined,
      );
    }
    return response;
  }
}

let cached: { token: string; api: Api } | undefined;

async function api(): Promise<Api> {
  const credentials = await twilioCredentials();
  if (cached?.token !== credentials.authToken) {
    const client = new BaseTwilio.Client(credentials.accountSid, credentials.authToken, {
      timeout: config.TWILIO_TIMEOUT_MS,
      autoRetry: false, // retries are ours: the queue's backoff, and never after an ambiguous failure
      httpClient: new RetryAfterAwareClient({ timeout: config.TWILIO_TIMEOUT_MS, autoRetry: false }),
    });
    // `Api` only reads `accountSid` and `request` from the client; the full `Twilio` type is wider.
    const domain = new Api(client as unknown as Twilio);
    if (config.TWILIO_API_BASE_URL) domain.baseUrl = config.TWILIO_API_BASE_URL;
    cached = { token: credentials.authToken, api: domain };
  }
  return cached.api;
}

/** Turns whatever the SDK threw into a classified {@link SmsSendError}. */
export function classifyTwilioError(error: unknown): SmsSendError {
  if (error instanceof SmsSendError) return error;
  const e = error as { status?: unknown; code?: unknown; message?: unknown; retryAfter?: unknown };
  const message = typeof e.message === 'string' ? e.message : 'Twilio request failed';
  if (typeof e.status === 'number') {
    const code = e.code === undefined ? String(e.status) : String(e.code);
    if (e.status === 429 || e.status >= 500) return new SmsSendError('retryable', message, code);
    return new SmsSendError('permanent', message, code);
  }
  const networkCode = typeof e.code === 'string' ? e.code : undefined;
  if (networkCode && NOT_SENT_CODES.has(networkCode))
    return new SmsSendError('retryable', message, networkCode);
  // Timeouts, resets and anything unrecognised: the message may have gone out.
  return new SmsSendError('ambiguous', message, networkCode ?? 'unknown');
}

/** Sends SMS through Twilio's Messages API. */
export const twilioSmsSender: SmsSender = {
  async send({ to, body, statusCallbackUrl }) {
    const from = config.TWILIO_FROM.startsWith('MG')
      ? { messagingServiceSid: config.TWILIO_FROM }
      : { from: config.TWILIO_FROM };
    try {
      const message = await (await api()).v2010.account.messages.create({
        to,
        body,
        ...from,
        ...(statusCallbackUrl ? { statusCallback: statusCallbackUrl } : {}),
      });
      return { providerMessageId: message.sid };
    } catch (error) {
      throw classifyTwilioError(error);
    }
  },
};
