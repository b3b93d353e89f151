/** Public types of the local Twilio-compatible gateway (see `gateway.ts`). */

/** Configuration of `startTwilioGateway`. */
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
   * `http-500` → 500 code 20500; `http-502` → 502 (a bad gateway in front of Twilio, HTML body);
   * `http-503` → 503 code 20503, with `Retry-After` when `retryAfterSeconds` is given;
   * `http-429` → 429 code 20429 with `Retry-After`;
   * `slow` → the message is accepted and recorded at once but the 201 comes only after `delayMs`
   * (a client with a shorter timeout sees a timeout for a message that WAS sent);
   * `invalid-number` → 400 code 21211;
   * `unsubscribed` → 400 code 21610 (the number texted STOP to the carrier: Twilio refuses to send).
   */
  kind: 'http-500' | 'http-502' | 'http-503' | 'http-429' | 'slow' | 'invalid-number' | 'unsubscribed';
  /** How many upcoming Messages.create calls it applies to. */
  count: number;
  /** `Retry-After` of `http-429` (default 1) and `http-503` (none unless given), in seconds. */
  retryAfterSeconds?: number;
  /** Delay of `slow`, in ms; default 15000. */
  delayMs?: number;
}

/** The fault kinds, for request validation. */
export const FAULT_KINDS = [
  'http-500',
  'http-502',
  'http-503',
  'http-429',
  'slow',
  'invalid-number',
  'unsubscribed',
] as const;

/** An inbound SMS as {@link TwilioGateway.deliverInbound} takes it. */
export interface InboundSms {
  from: string;
  body: string;
  /**
   * The message's SID; a fresh one when omitted. Given, it makes a redelivery: Twilio retrying a
   * webhook that failed sends the same `MessageSid` again.
   */
  messageSid?: string;
}

/** What the app answered to an inbound SMS. */
export interface InboundResult {
  status: number;
  reply: string;
  messageSid: string;
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
  deliverInbound(msg: InboundSms): Promise<InboundResult>;
  /**
   * Resolves when every status callback scheduled so far has been delivered (or failed) —
   * including callbacks of `slow` responses still being held back, and any scheduled meanwhile.
   */
  idle(): Promise<void>;
  /** Stops the server, drops open connections and abandons pending callbacks. */
  close(): Promise<void>;
}
