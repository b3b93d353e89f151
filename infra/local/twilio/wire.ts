/** Twilio's wire formats: SIDs, dates, the Message resource, error JSON, segment counts. */
import { randomBytes } from 'node:crypto';
import { HttpError } from '../http.js';
import type { SentSms } from './types.js';

export const API_VERSION = '2010-04-01';
export const E164 = /^\+[1-9]\d{1,14}$/u;

export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** Twilio's dates: RFC 2822 with a numeric zone, which is what the SDK's parser expects. */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** The Message resource JSON Twilio answers `messages.create` with. */
export function messageResource(
  sms: SentSms,
  created: Date,
  accountSid: string,
  messagingServiceSid?: string,
) {
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
    subresource_uris: { media: uri.replace(/\.json$/u, '/Media.json') },
    to: sms.to,
    uri,
  };
}

/**
 * Twilio's legacy error JSON. No `type`/`title`, so the SDK raises `RestException` (with `status`,
 * `code`, `message`, `moreInfo`) rather than its RFC 9457 `TwilioServiceException`.
 */
export function errorBody(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export function twilioError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): HttpError {
  return new HttpError(status, errorBody(status, code, message), headers);
}

export function invalidTo(): HttpError {
  return twilioError(400, 21211, "The 'To' number is not a valid phone number.");
}

export function notFound(path: string): HttpError {
  return twilioError(404, 20404, `The requested resource ${path} was not found`);
}

// GSM 03.38: the basic set costs one septet, the extension set two (escape + char).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

/** SMS segments for `body`: GSM-7 160/153 septets, otherwise UCS-2 70/67 code units. */
export function countSegments(body: string): number {
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
export function countryOf(number: string): string {
  if (number.startsWith('+1')) return 'US';
  if (number.startsWith('+44')) return 'GB';
  if (number.startsWith('+49')) return 'DE';
  return '';
}

/**
 * A phone number from a query string. An unencoded `+` arrives as a space (`?to=+1555…`), so a
 * bare run of digits gets its `+` back.
 */
export function numberParam(url: URL, name: string): string | undefined {
  const value = url.searchParams.get(name);
  return value === null || value.trim() === '' ? undefined : normalizeNumber(value);
}

export function normalizeNumber(value: string): string {
  const trimmed = value.trim();
  return /^\d+$/u.test(trimmed) ? `+${trimmed}` : trimmed;
}
