/**
 * The SES email sender against a real aws-ses-v2-local: what a participant's mailbox would get,
 * and how each kind of SES failure is classified.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifySesError,
  sendEmailInput,
  sesEmailSender,
} from '../../shared/channels/email/adapters/ses/email-sender.js';
import { listUnsubscribeHeaders } from '../../shared/channels/email/domain/email-messages.js';
import { SendError, type SendFailureKind } from '../../shared/ports.js';

interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}

let server: Server;
let sesUrl: string;

beforeAll(async () => {
  // aws-ses-v2-local is CommonJS: plain Node puts its function on `default.default`, vitest's
  // interop on `default`.
  type Start = (config: { port: number; host: string }) => Promise<Server>;
  const m = (await import('aws-ses-v2-local')) as unknown as { default: Start | { default: Start } };
  const start = typeof m.default === 'function' ? m.default : m.default.default;
  server = await start({ port: 0, host: '127.0.0.1' });
  sesUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The sender reads its configuration on first use, as a Lambda would at its first invocation.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    EMAIL_FROM: 'Coaching check-ins <checkins@coach.example>',
    EMAIL_REPLY_DOMAIN: 'reply.coach.example',
    SES_CONFIGURATION_SET: 'nanocoach-events',
    SES_ENDPOINT: sesUrl,
  });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function stored(messageId: string): Promise<StoredEmail | undefined> {
  const response = await fetch(`${sesUrl}/store`);
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return emails.find((e) => e.messageId === messageId);
}

const UNSUBSCRIBE = 'https://api.coach.example/u/token-123';

describe('sending through SES', () => {
  it('delivers a check-in with subject, both bodies, reply address and one-click unsubscribe headers', async () => {
    const receipt = await sesEmailSender.send({
      to: 'sam@example.com',
      subject: 'Did I do my best to be happy today?',
      html: '<!DOCTYPE html><html lang="en"><body><p>7?</p></body></html>',
      text: 'Did I do my best to be happy today? Reply 1-10.',
      replyTo: 'r+abc234@reply.coach.example',
      headers: listUnsubscribeHeaders(UNSUBSCRIBE),
    });
    expect(receipt.providerMessageId).toMatch(/\S/u);

    const email = await stored(receipt.providerMessageId);
    expect(email).toMatchObject({
      from: 'Coaching check-ins <checkins@coach.example>',
      replyTo: ['r+abc234@reply.coach.example'],
      destination: { to: ['sam@example.com'] },
      subject: 'Did I do my best to be happy today?',
      body: {
        html: '<!DOCTYPE html><html lang="en"><body><p>7?</p></body></html>',
        text: 'Did I do my best to be happy today? Reply 1-10.',
      },
    });
    expect(email?.headers).toEqual(
      expect.arrayContaining([
        { name: 'List-Unsubscribe', value: `<${UNSUBSCRIBE}>` },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ]),
    );
  });

  it('keeps non-ASCII text intact', async () => {
    const receipt = await sesEmailSender.send({
      to: 'zoe@example.com',
      subject: 'Ça va ? 😊',
      html: '<p>Très bien</p>',
      text: 'Très bien',
    });
    const email = await stored(receipt.providerMessageId);
    expect(email?.subject).toBe('Ça va ? 😊');
    expect(email?.body.text).toBe('Très bien');
    expect(email?.replyTo).toEqual([]);
  });

  it('names the configuration set that reports bounces and complaints', () => {
    const input = sendEmailInput({ to: 'sam@example.com', subject: 's', html: 'h', text: 't' });
    expect(input.ConfigurationSetName).toBe('nanocoach-events');
    expect(input.Content.Simple).not.toHaveProperty('Headers');
  });

  it('classifies a request SES refuses as permanent', async () => {
    // The local SES answers 400 to an empty subject, as SES does to an invalid request.
    const error = await sesEmailSender
      .send({ to: 'sam@example.com', subject: '', html: '<p>x</p>', text: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).kind).toBe('permanent');
  });

  it('classifies a connection that was never made as retryable', async () => {
    // A port nobody listens on: take a free one and close it again.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const unreachable = new SESv2Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const error = await unreachable
      .send(
        new SendEmailCommand(sendEmailInput({ to: 'sam@example.com', subject: 's', html: 'h', text: 't' })),
      )
      .catch((e: unknown) => e);
    expect(classifySesError(error)).toMatchObject({ kind: 'retryable', code: 'ECONNREFUSED' });
  });
});

describe('classifying SES errors', () => {
  // Hand-made errors shaped as the SDK throws them (name, $metadata, $retryable, $response): no
  // real part produces throttling, suspension or a 502 on demand.
  const sdkError = (name: string, httpStatusCode?: number, extra: Record<string, unknown> = {}): Error =>
    Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode }, ...extra });

  it.each<[string, unknown, SendFailureKind, string | undefined]>([
    [
      'TooManyRequestsException',
      sdkError('TooManyRequestsException', 429),
      'retryable',
      'TooManyRequestsException',
    ],
    [
      'LimitExceededException',
      sdkError('LimitExceededException', 400),
      'retryable',
      'LimitExceededException',
    ],
    ['ThrottlingException', sdkError('ThrottlingException', 400), 'retryable', 'ThrottlingException'],
    ['unnamed 429', sdkError('UnknownError', 429), 'retryable', 'UnknownError'],
    ['unnamed 503', sdkError('UnknownError', 503), 'retryable', 'UnknownError'],
    [
      '$retryable throttling',
      sdkError('Weird', 400, { $retryable: { throttling: true } }),
      'retryable',
      'Weird',
    ],
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'retryable',
      'ECONNREFUSED',
    ],
    [
      'DNS failure',
      Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
      'retryable',
      'ENOTFOUND',
    ],
    [
      'connect timeout',
      Object.assign(
        new Error('the request socket did not establish a connection with the server within 3000 ms'),
        {
          name: 'TimeoutError',
        },
      ),
      'retryable',
      'ConnectTimeout',
    ],
    ['MessageRejected', sdkError('MessageRejected', 400), 'permanent', 'MessageRejected'],
    [
      'MailFromDomainNotVerified',
      sdkError('MailFromDomainNotVerifiedException', 400),
      'permanent',
      'MailFromDomainNotVerifiedException',
    ],
    [
      'AccountSuspended',
      sdkError('AccountSuspendedException', 400),
      'permanent',
      'AccountSuspendedException',
    ],
    ['SendingPaused', sdkError('SendingPausedException', 400), 'permanent', 'SendingPausedException'],
    ['BadRequest', sdkError('BadRequestException', 400), 'permanent', 'BadRequestException'],
    ['NotFound', sdkError('NotFoundException', 404), 'permanent', 'NotFoundException'],
    [
      'request timeout',
      Object.assign(new Error('exceeded 10000 ms requestTimeout'), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      }),
      'ambiguous',
      'ETIMEDOUT',
    ],
    [
      'reset',
      Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }),
      'ambiguous',
      'ECONNRESET',
    ],
    ['500', sdkError('InternalFailure', 500), 'ambiguous', 'InternalFailure'],
    ['502', sdkError('UnknownError', 502), 'ambiguous', 'UnknownError'],
    ['504', sdkError('UnknownError', 504), 'ambiguous', 'UnknownError'],
    ['not an error at all', 'boom', 'ambiguous', 'Error'],
  ])('%s → %s', (_, error, kind, code) => {
    const classified = classifySesError(error);
    expect(classified).toBeInstanceOf(SendError);
    expect({ kind: classified.kind, code: classified.code }).toEqual({ kind, code });
  });

  it('passes on the Retry-After of a throttled request', () => {
    const error = sdkError('TooManyRequestsException', 429, {
      $response: { headers: { 'retry-after': '7' } },
    });
    expect(classifySesError(error).retryAfterSeconds).toBe(7);
    expect(classifySesError(sdkError('TooManyRequestsException', 429)).retryAfterSeconds).toBeUndefined();
  });

  it('keeps recipient addresses out of the message', () => {
    const error = sdkError('MessageRejected', 400);
    error.message =
      'Email address is not verified. The following identities failed the check: sam.o@example.com';
    const classified = classifySesError(error);
    expect(classified.message).not.toContain('sam.o@example.com');
    expect(classified.message).toContain('<address>');
  });
});
