/**
 * {@link EmailSender} over Amazon SES v2 `SendEmail` with simple content. Locally the same client
 * talks to aws-ses-v2-local (`SES_ENDPOINT`); on AWS to SES. Only the endpoint differs.
 *
 * Simple content (not raw MIME) because SES v2 accepts custom headers with it (List-Unsubscribe
 * for RFC 8058), and the local SES keeps those headers only for simple content, so they can be
 * tested locally.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { awsConfig, emailConfig } from '../../../../config.js';
import { type EmailSender, type OutboundEmail, SendError, type SendReceipt } from '../../../../ports.js';

let client: SESv2Client | undefined;

/** One client per process, made on first send (so merely importing needs no configuration). */
function ses(): SESv2Client {
  if (!client) {
    const { SES_ENDPOINT } = emailConfig();
    client = new SESv2Client({
      region: awsConfig().AWS_REGION,
      ...(SES_ENDPOINT ? { endpoint: SES_ENDPOINT } : {}),
      // Retries are ours (the send queue's backoff): the SDK would also retry a timeout or a 500,
      // after which the email may already have gone out, and a participant would get it twice.
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
    });
  }
  return client;
}

/** Throttling: the request was refused, nothing was sent. */
const THROTTLED = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

/** Refused for good: retrying the same email cannot succeed. */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
  'ValidationException',
]);

/** Credentials that expired mid-flight: refused before anything was sent, fine on a later try. */
const CREDENTIALS_EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired']);

/** Connection errors where the request certainly never reached SES. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: { headers?: Record<string, unknown> };
  $retryable?: { throttling?: unknown };
}

/** SES messages can quote the recipient ("…failed the check: sam@example.com"); addresses never go in logs. */
function redact(message: string): string {
  return message.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/gu, '<address>');
}

function retryAfter(headers: Record<string, unknown> | undefined): number | undefined {
  const value = headers?.['retry-after'] ?? headers?.['Retry-After'];
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/**
 * Turns whatever the SES client threw into a classified {@link SendError}: `retryable` when SES
 * certainly did not take the email (throttling, 503, connection never made), `permanent` when it
 * refused it for good, `ambiguous` when it may have been sent (timeouts after the request left,
 * resets, 500/502/504, anything unrecognised).
 */
export function classifySesError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = redact(typeof e.message === 'string' && e.message ? e.message : 'SES request failed');
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const networkCode = typeof e.code === 'string' ? e.code : undefined;

  if (THROTTLED.has(name) || status === 429 || status === 503 || e.$retryable?.throttling === true) {
    return new SendError('retryable', message, name, retryAfter(e.$response?.headers));
  }
  if (CREDENTIALS_EXPIRED.has(name)) return new SendError('retryable', message, name);
  if (PERMANENT.has(name)) return new SendError('permanent', message, name);
  if (networkCode && NOT_SENT_CODES.has(networkCode)) return new SendError('retryable', message, networkCode);
  // The SDK's connection timeout fires before a socket exists: nothing can have been sent. Its
  // message is the only thing telling it apart from a timeout while waiting for the response.
  if (name === 'TimeoutError' && message.includes('did not establish a connection')) {
    return new SendError('retryable', message, 'ConnectTimeout');
  }
  // Any other 4xx: SES answered and refused this request; repeating it changes nothing.
  if (status !== undefined && status >= 400 && status < 500 && status !== 408) {
    return new SendError('permanent', message, name);
  }
  // 500/502/504, timeouts after the request left, resets, and anything unknown: it may have gone out.
  return new SendError('ambiguous', message, networkCode ?? name);
}

/** The SendEmail input of one email; exported so what goes to SES can be inspected without sending. */
export function sendEmailInput(message: OutboundEmail) {
  const { EMAIL_FROM, SES_CONFIGURATION_SET } = emailConfig();
  const headers = Object.entries(message.headers ?? {}).map(([Name, Value]) => ({ Name, Value }));
  return {
    FromEmailAddress: EMAIL_FROM,
    Destination: { ToAddresses: [message.to] },
    ...(message.replyTo ? { ReplyToAddresses: [message.replyTo] } : {}),
    ...(SES_CONFIGURATION_SET ? { ConfigurationSetName: SES_CONFIGURATION_SET } : {}),
    Content: {
      Simple: {
        Subject: { Data: message.subject, Charset: 'UTF-8' },
        Body: {
          Html: { Data: message.html, Charset: 'UTF-8' },
          Text: { Data: message.text, Charset: 'UTF-8' },
        },
        ...(headers.length ? { Headers: headers } : {}),
      },
    },
  };
}

/** Sends email through SES v2; throws a classified {@link SendError}. */
export const sesEmailSender: EmailSender = {
  async send(message: OutboundEmail): Promise<SendReceipt> {
    // Outside the try: a configuration error is a deployment fault, not a send outcome.
    const command = new SendEmailCommand(sendEmailInput(message));
    const sender = ses();
    let output: { MessageId?: string | undefined };
    try {
      output = await sender.send(command);
    } catch (error) {
      throw classifySesError(error);
    }
    // A 200 without an id should not happen; the email was accepted, so it is not retried.
    if (!output.MessageId) throw new SendError('ambiguous', 'SES accepted the email without a message id');
    return { providerMessageId: output.MessageId };
  },
};
