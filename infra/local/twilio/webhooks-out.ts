/**
 * The gateway calling the app as Twilio does: signed status callbacks as a message moves through
 * `sent` and `delivered`, and signed inbound messages whose TwiML answers become SMS.
 */
import { randomBytes } from 'node:crypto';
// Only the webhook helpers: the package entry point drags in every Twilio product.
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import type { GatewayState } from './state.js';
import { repliesFrom } from './twiml.js';
import type { GatewayOptions, InboundResult, InboundSms, SentSms } from './types.js';
import { API_VERSION, countryOf, countSegments, E164, newSid } from './wire.js';

/** A form POST signed with the account's auth token, as every Twilio webhook is. */
function signedPost(
  options: GatewayOptions,
  state: GatewayState,
  url: string,
  params: Record<string, string>,
  extraHeaders: Record<string, string> = {},
) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': 'TwilioProxy/1.1',
      ...extraHeaders,
      'X-Twilio-Signature': getExpectedTwilioSignature(options.authToken, url, params),
    },
    body: new URLSearchParams(params).toString(),
    signal: state.webhookSignal(),
  });
}

async function postStatusCallback(
  options: GatewayOptions,
  state: GatewayState,
  url: string,
  sms: SentSms,
  messagingServiceSid: string | undefined,
) {
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
    const response = await signedPost(options, state, url, params);
    await response.arrayBuffer(); // drain, so the connection can be reused
    if (!response.ok && !state.closed) {
      console.warn(`[twilio-gateway] status callback ${sms.status} for ${sms.sid} → HTTP ${response.status}`);
    }
  } catch (error) {
    // Twilio shrugs off an unreachable callback URL; so must we (the message was still delivered).
    if (!state.closed) console.warn(`[twilio-gateway] status callback to ${url} failed: ${String(error)}`);
  }
}

/** Moves the message through `sent` and `delivered`, telling the app at each step if asked to. */
export function scheduleDelivery(
  options: GatewayOptions,
  state: GatewayState,
  sms: SentSms,
  callbackUrl: string | undefined,
  messagingServiceSid?: string,
): void {
  const delayMs = options.statusCallbackDelayMs ?? 10;
  state.track(
    (async () => {
      for (const status of ['sent', 'delivered'] as const) {
        await state.delay(delayMs);
        if (state.closed) return;
        sms.status = status;
        if (callbackUrl) await postStatusCallback(options, state, callbackUrl, sms, messagingServiceSid);
      }
    })(),
  );
}

/** See `TwilioGateway.deliverInbound`. */
export async function deliverInbound(
  options: GatewayOptions,
  state: GatewayState,
  msg: InboundSms,
): Promise<InboundResult> {
  const now = options.now ?? (() => new Date());
  if (!E164.test(msg.from))
    throw new Error(`'from' must be an E.164 number, got ${JSON.stringify(msg.from)}`);
  const messageSid = msg.messageSid ?? newSid('SM');
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
  state.conversation.push({
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
    response = await signedPost(options, state, url, params, {
      Accept: '*/*',
      'I-Twilio-Idempotency-Token': randomBytes(16).toString('hex'),
    });
  } catch (error) {
    throw new Error(`inbound webhook ${url} unreachable: ${String(error)}`, { cause: error });
  }
  const text = await response.text();
  // Twilio sends nothing back to the handset when the webhook fails.
  const replies = response.ok ? repliesFrom(text, response.headers.get('content-type') ?? '') : [];
  for (const reply of replies) {
    state.recordSent({
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
