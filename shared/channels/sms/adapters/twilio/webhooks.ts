/**
 * Twilio webhook helpers: signature validation and TwiML replies. Both work offline and import
 * only the small webhook and TwiML parts of the SDK.
 */
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';

/** Whether `signature` (the X-Twilio-Signature header) matches the URL and form parameters. */
export function isValidTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string>,
): boolean {
  if (!signature) return false;
  return validateRequest(authToken, signature, url, params);
}

/** TwiML that answers an inbound SMS with `text`, or with nothing. */
export function twimlReply(text: string | undefined): string {
  const response = new MessagingResponse();
  if (text) response.message(text);
  return response.toString();
}
