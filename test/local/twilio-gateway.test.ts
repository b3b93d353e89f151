/**
 * The local Twilio gateway, exercised through the REAL `twilio` SDK: if the SDK accepts the
 * gateway's answers (and raises genuine RestExceptions for its errors), so will the app.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioGateway, type TwilioGateway } from '../../infra/local/twilio/gateway.js';

const accountSid = 'AC00000000000000000000000000000000';
const authToken = 'local-test-auth-token';
const sender = '+15005550006';
const clock = new Date('2025-03-06T09:00:00.000Z');

interface Received {
  url: string;
  path: string;
  signature: string;
  params: Record<string, string>;
}
type Answer = { status: number; contentType: string; body: string };

/** A stand-in for the app: records form POSTs and answers with whatever `answer` says. */
async function startApp() {
  const received: Received[] = [];
  let answer: (r: Received) => Answer = () => ({ status: 204, contentType: 'text/plain', body: '' });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const r: Received = {
        url: `${base}${path}`,
        path,
        signature: String(req.headers['x-twilio-signature'] ?? ''),
        params: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
      };
      received.push(r);
      const a = answer(r);
      res.writeHead(a.status, { 'Content-Type': a.contentType }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    answerWith(fn: (r: Received) => Answer) {
      answer = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Whether a request the app received carries a valid Twilio signature, as the app checks it. */
function signedByTwilio(r: Received): boolean {
  return twilio.validateRequest(authToken, r.signature, r.url, r.params);
}

let app: Awaited<ReturnType<typeof startApp>>;
let gateway: TwilioGateway;
let client: twilio.Twilio;

beforeAll(async () => {
  app = await startApp();
  gateway = await startTwilioGateway({
    port: 0,
    accountSid,
    authToken,
    senderNumber: sender,
    inboundWebhookUrl: `${app.base}/webhooks/twilio/sms`,
    now: () => clock,
  });
  client = twilio(accountSid, authToken);
  client.api.baseUrl = gateway.url;
});

afterAll(async () => {
  await gateway?.close();
  await app?.close();
});

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}

describe('Messages API through the twilio SDK', () => {
  it('creates a message the SDK parses, and lists it as sent', async () => {
    const message = await client.messages.create({ to: '+12125550101', from: sender, body: 'Hello there' });

    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({
      to: '+12125550101',
      from: sender,
      body: 'Hello there',
      status: 'queued',
      direction: 'outbound-api',
      accountSid,
      numSegments: '1',
      apiVersion: '2010-04-01',
    });
    expect(message.dateCreated.toISOString()).toBe(clock.toISOString());
    expect(gateway.sent('+12125550101')).toEqual([
      {
        sid: message.sid,
        to: '+12125550101',
        from: sender,
        body: 'Hello there',
        status: 'queued',
        sentAt: clock.toISOString(),
        direction: 'outbound-api',
      },
    ]);
  });

  it('sends through a Messaging Service from the gateway-owned number', async () => {
    const message = await client.messages.create({
      to: '+12125550102',
      messagingServiceSid: 'MG00000000000000000000000000000000',
      body: 'Via service',
    });
    expect(message.messagingServiceSid).toBe('MG00000000000000000000000000000000');
    expect(gateway.sent('+12125550102').map((s) => s.from)).toEqual([sender]);
  });

  it('counts segments as Twilio bills them (GSM-7 vs UCS-2)', async () => {
    const to = '+12125550103';
    const sizes = await Promise.all(
      ['a'.repeat(160), 'a'.repeat(161), 'é'.repeat(160), '😀'.repeat(35), '😀'.repeat(36)].map(
        async (body) => (await client.messages.create({ to, from: sender, body })).numSegments,
      ),
    );
    // 'é' is in the GSM-7 set; each emoji is two UCS-2 code units (70 per single segment).
    expect(sizes).toEqual(['1', '2', '1', '1', '2']);
  });

  it('rejects a wrong auth token with 401 and records nothing', async () => {
    const intruder = twilio(accountSid, 'wrong-token');
    intruder.api.baseUrl = gateway.url;
    const error = await rejection(intruder.messages.create({ to: '+12125550104', from: sender, body: 'x' }));
    expect(error).toBeInstanceOf(twilio.RestException);
    expect(error).toMatchObject({ status: 401, code: 20003 });
    expect(gateway.sent('+12125550104')).toEqual([]);
  });

  it('answers 404 for another account in the path', async () => {
    const error = await rejection(
      client.api.v2010.accounts('AC11111111111111111111111111111111').messages.create({
        to: '+12125550105',
        from: sender,
        body: 'x',
      }),
    );
    expect(error).toMatchObject({ status: 404, code: 20404 });
  });

  it('rejects a To that is not E.164 with RestException 21211', async () => {
    const error = await rejection(client.messages.create({ to: '2125550106', from: sender, body: 'x' }));
    expect(error).toBeInstanceOf(twilio.RestException);
    expect(error).toMatchObject({
      status: 400,
      code: 21211,
      message: "The 'To' number is not a valid phone number.",
      moreInfo: 'https://www.twilio.com/docs/errors/21211',
    });
    expect(gateway.sent('2125550106')).toEqual([]);
  });

  it('rejects a missing body with 21602', async () => {
    const error = await rejection(client.messages.create({ to: '+12125550107', from: sender }));
    expect(error).toMatchObject({ status: 400, code: 21602 });
  });
});

describe('faults', () => {
  it('fails the next create with 500, then succeeds again', async () => {
    const to = '+12125550201';
    gateway.inject({ kind: 'http-500', count: 1 });
    const error = await rejection(client.messages.create({ to, from: sender, body: 'first try' }));
    expect(error).toBeInstanceOf(twilio.RestException);
    expect(error).toMatchObject({ status: 500, code: 20500 });
    await client.messages.create({ to, from: sender, body: 'second try' });
    expect(gateway.sent(to).map((s) => s.body)).toEqual(['second try']);
  });

  it('answers 429 with Retry-After when injected over HTTP', async () => {
    const injected = await fetch(`${gateway.url}/_faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'http-429', count: 1, retryAfterSeconds: 7 }),
    });
    expect(injected.status).toBe(200);

    const error = await rejection(client.messages.create({ to: '+12125550202', from: sender, body: 'x' }));
    expect(error).toMatchObject({ status: 429, code: 20429 });
    expect(client.httpClient.lastResponse?.headers['retry-after']).toBe('7');
    expect(gateway.sent('+12125550202')).toEqual([]);
  });

  it('applies a fault to exactly `count` calls; DELETE /_faults clears the rest', async () => {
    const to = '+12125550203';
    gateway.inject({ kind: 'invalid-number', count: 3 });
    const first = await rejection(client.messages.create({ to, from: sender, body: 'x' }));
    expect(first).toMatchObject({ status: 400, code: 21211 });
    expect((await fetch(`${gateway.url}/_faults`, { method: 'DELETE' })).status).toBe(200);
    await client.messages.create({ to, from: sender, body: 'after clearing' });
    expect(gateway.sent(to).map((s) => s.body)).toEqual(['after clearing']);
  });

  it('answers 502 with a non-JSON body; the SDK still raises a RestException', async () => {
    const to = '+12125550205';
    gateway.inject({ kind: 'http-502', count: 1 });
    const error = await rejection(client.messages.create({ to, from: sender, body: 'x' }));
    expect(error).toBeInstanceOf(twilio.RestException);
    expect(error).toMatchObject({ status: 502 });
    expect(gateway.sent(to)).toEqual([]);
  });

  it('answers 503 with Retry-After only when one is given', async () => {
    const to = '+12125550206';
    const injected = await fetch(`${gateway.url}/_faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'http-503', count: 1, retryAfterSeconds: 30 }),
    });
    expect(injected.status).toBe(200);
    const first = await rejection(client.messages.create({ to, from: sender, body: 'x' }));
    expect(first).toMatchObject({ status: 503, code: 20503 });
    expect(client.httpClient.lastResponse?.headers['retry-after']).toBe('30');

    gateway.inject({ kind: 'http-503', count: 1 });
    const second = await rejection(client.messages.create({ to, from: sender, body: 'x' }));
    expect(second).toMatchObject({ status: 503, code: 20503 });
    expect(client.httpClient.lastResponse?.headers['retry-after']).toBeUndefined();
    expect(gateway.sent(to)).toEqual([]);
  });

  it('refuses a malformed fault on the control route', async () => {
    const response = await fetch(`${gateway.url}/_faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'meteor', count: 1 }),
    });
    expect(response.status).toBe(400);
  });

  it('slow: the SDK times out although the message was sent', async () => {
    const impatient = twilio(accountSid, authToken, { timeout: 200 });
    impatient.api.baseUrl = gateway.url;
    const to = '+12125550204';
    gateway.inject({ kind: 'slow', count: 1, delayMs: 1000 });

    const started = Date.now();
    const error = await rejection(impatient.messages.create({ to, from: sender, body: 'did it go?' }));
    expect(Date.now() - started).toBeLessThan(900);
    expect(error).not.toBeInstanceOf(twilio.RestException);
    expect(error.status).toBeUndefined();
    expect(error.code).toBe('ECONNABORTED');
    expect(gateway.sent(to).map((s) => s.body)).toEqual(['did it go?']);

    // Twilio carries on delivering it; idle() waits for the held-back response too.
    await gateway.idle();
    expect(gateway.sent(to).map((s) => s.status)).toEqual(['delivered']);
  });
});

describe('status callbacks', () => {
  it('posts signed sent and delivered callbacks and tracks the status', async () => {
    const to = '+12125550301';
    app.answerWith(() => ({ status: 204, contentType: 'text/plain', body: '' }));
    const callbackUrl = `${app.base}/webhooks/twilio/status?attempt=1`;
    const message = await client.messages.create({
      to,
      from: sender,
      body: 'track me',
      statusCallback: callbackUrl,
    });
    await gateway.idle();

    const callbacks = app.received.filter((r) => r.params.MessageSid === message.sid);
    expect(callbacks.map((r) => r.params.MessageStatus)).toEqual(['sent', 'delivered']);
    for (const r of callbacks) {
      expect(r.url).toBe(callbackUrl);
      expect(signedByTwilio(r)).toBe(true);
      expect(r.params).toMatchObject({
        SmsSid: message.sid,
        SmsStatus: r.params.MessageStatus,
        To: to,
        From: sender,
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
      });
    }
    expect(gateway.sent(to)[0]?.status).toBe('delivered');
  });

  it('survives an unreachable or failing callback URL', async () => {
    const to = '+12125550302';
    app.answerWith(() => ({ status: 500, contentType: 'text/plain', body: 'boom' }));
    await client.messages.create({
      to,
      from: sender,
      body: 'a',
      statusCallback: 'http://127.0.0.1:1/nowhere',
    });
    await client.messages.create({
      to,
      from: sender,
      body: 'b',
      statusCallback: `${app.base}/webhooks/fail`,
    });
    await gateway.idle();

    expect(gateway.sent(to).map((s) => s.status)).toEqual(['delivered', 'delivered']);
    // And the gateway still serves requests.
    await client.messages.create({ to, from: sender, body: 'c' });
    expect(gateway.sent(to)).toHaveLength(3);
  });
});

describe('inbound messages', () => {
  it('delivers a signed webhook and records the TwiML reply as an SMS', async () => {
    const from = '+12125550401';
    app.answerWith((r) =>
      signedByTwilio(r)
        ? {
            status: 200,
            contentType: 'text/xml',
            body: '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Got it &amp; thanks</Message></Response>',
          }
        : { status: 403, contentType: 'text/plain', body: 'bad signature' },
    );

    const result = await gateway.deliverInbound({ from, body: 'Slept 7 hours + walked' });

    expect(result).toEqual({
      status: 200,
      reply: 'Got it & thanks',
      messageSid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
    });
    const webhook = app.received.at(-1);
    expect(webhook?.path).toBe('/webhooks/twilio/sms');
    expect(webhook?.params).toMatchObject({
      MessageSid: result.messageSid,
      SmsSid: result.messageSid,
      SmsMessageSid: result.messageSid,
      AccountSid: accountSid,
      From: from,
      To: sender,
      Body: 'Slept 7 hours + walked',
      NumMedia: '0',
      NumSegments: '1',
      ApiVersion: '2010-04-01',
    });
    expect(gateway.sent(from)).toEqual([
      expect.objectContaining({
        to: from,
        from: sender,
        body: 'Got it & thanks',
        direction: 'outbound-reply',
        status: 'delivered',
      }),
    ]);
  });

  it('joins several <Message> replies, reads <Body>, and sends nothing for an empty <Response/>', async () => {
    const from = '+12125550402';
    app.answerWith(() => ({
      status: 200,
      contentType: 'application/xml',
      body: '<Response><Message>One</Message><Message><Body>Two &lt;3</Body></Message></Response>',
    }));
    expect((await gateway.deliverInbound({ from, body: 'hi' })).reply).toBe('One\nTwo <3');

    app.answerWith(() => ({ status: 200, contentType: 'text/xml', body: '<Response/>' }));
    expect((await gateway.deliverInbound({ from, body: 'thanks' })).reply).toBe('');
    expect(gateway.sent(from).map((s) => s.body)).toEqual(['One', 'Two <3']);
  });

  it('reports the app status and sends no reply when the webhook fails', async () => {
    const from = '+12125550403';
    app.answerWith(() => ({
      status: 403,
      contentType: 'text/xml',
      body: '<Response><Message>no</Message></Response>',
    }));
    expect(await gateway.deliverInbound({ from, body: 'hi' })).toMatchObject({ status: 403, reply: '' });
    expect(gateway.sent(from)).toEqual([]);
  });

  it('POST /_inbound and GET /_messages work over HTTP (with an unencoded + in the query)', async () => {
    const from = '+12125550404';
    app.answerWith(() => ({
      status: 200,
      contentType: 'text/xml',
      body: '<Response><Message>Noted</Message></Response>',
    }));
    const response = await fetch(`${gateway.url}/_inbound`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ from, body: 'Done' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 200, reply: 'Noted' });

    const listed = await (await fetch(`${gateway.url}/_messages?to=${from}`)).json();
    expect(listed).toEqual([
      expect.objectContaining({ to: from, body: 'Noted', direction: 'outbound-reply' }),
    ]);
  });
});

describe('phone simulator page', () => {
  it('shows the conversation with participant and app text HTML-escaped', async () => {
    const from = '+12125550501';
    await client.messages.create({ to: from, from: sender, body: 'How did you sleep? <b>1-5</b>' });
    app.answerWith(() => ({
      status: 200,
      contentType: 'text/xml',
      body: '<Response><Message>&lt;img src=x onerror=alert(2)&gt;</Message></Response>',
    }));
    await gateway.deliverInbound({ from, body: '<script>alert(1)</script>' });

    const page = await fetch(`${gateway.url}/phone?number=${encodeURIComponent(from)}`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>1-5</b>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('&#60;img src=x onerror=alert(2)&#62;');
    // Conversation order: the app's question, the participant's answer, the app's reply.
    const order = ['How did you sleep?', '&#60;script&#62;alert(1)', '&#60;img src=x'].map((s) =>
      html.indexOf(s),
    );
    expect(order.every((i, n) => i > 0 && (n === 0 || i > (order[n - 1] ?? 0)))).toBe(true);
    // Polled updates render text, never markup.
    expect(html).toContain('textContent');
    expect(html).not.toContain('innerHTML');

    const conversation = await (
      await fetch(`${gateway.url}/_conversation?number=${encodeURIComponent(from)}`)
    ).json();
    expect(conversation).toEqual([
      expect.objectContaining({ direction: 'outbound-api', body: 'How did you sleep? <b>1-5</b>' }),
      expect.objectContaining({ direction: 'inbound', body: '<script>alert(1)</script>' }),
      expect.objectContaining({ direction: 'outbound-reply', body: '<img src=x onerror=alert(2)>' }),
    ]);
  });

  it('without a number, offers a form and the numbers seen so far', async () => {
    const html = await (await fetch(`${gateway.url}/phone`)).text();
    expect(html).toContain('<form method="get" action="/phone">');
    expect(html).toContain('href="/phone?number=%2B12125550501"');
  });
});

describe('closed to other sites', () => {
  it('refuses a request whose Host is not loopback (DNS rebinding) with 403', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      // fetch() will not let a caller set Host; node:http does, as a rebinding browser would.
      const req = request(`${gateway.url}/_messages`, { headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    const allowed = await fetch(`${gateway.url}/_messages`, { headers: { host: 'localhost' } });
    expect(allowed.status).toBe(200);
  });

  it('refuses a cross-site text/plain POST to the control routes with 415 and sends nothing', async () => {
    const from = '+12125550601';
    const response = await fetch(`${gateway.url}/_inbound`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ from, body: 'STOP' }),
    });
    expect(response.status).toBe(415);
    const conversation = await (
      await fetch(`${gateway.url}/_conversation?number=${encodeURIComponent(from)}`)
    ).json();
    expect(conversation).toEqual([]);
  });
});
