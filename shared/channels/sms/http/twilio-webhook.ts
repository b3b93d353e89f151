/**
 * Reading a Twilio webhook request: the form parameters, accepted only with a valid
 * X-Twilio-Signature for this deployment's public URL.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { publicUrlConfig } from '../../../config.js';
import { ForbiddenError } from '../../../errors.js';
import { bodyText, parseFormBody } from '../../../http/api.js';
import { twilioCredentials } from '../adapters/twilio/credentials.js';
import { isValidTwilioSignature, twimlReply } from '../adapters/twilio/webhooks.js';

/** The URL Twilio signed: the public base URL, the path and the query string as received. */
function signedUrl(event: APIGatewayProxyEventV2): string {
  const base = publicUrlConfig().PUBLIC_BASE_URL;
  return `${base}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
}

/** The webhook's form parameters; throws {@link ForbiddenError} (403) unless Twilio signed them. */
export async function verifiedTwilioParams(event: APIGatewayProxyEventV2): Promise<Record<string, string>> {
  const params = parseFormBody(bodyText(event));
  const signature = event.headers['x-twilio-signature'];
  const { authToken } = await twilioCredentials();
  if (!isValidTwilioSignature(authToken, signature, signedUrl(event), params)) throw new ForbiddenError();
  return params;
}

/** A TwiML response answering with `text` (or with nothing). */
export function twiml(text: string | undefined): APIGatewayProxyStructuredResultV2 {
  return { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: twimlReply(text) };
}
