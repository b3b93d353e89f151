/**
 * The local stack is not an open door: a web page in the developer's browser cannot drive it
 * (cross-site simple requests, DNS rebinding), bodies are capped, and DynamoDB Local does not
 * answer on this machine's network addresses.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalSystem, startLocalSystem } from '../../infra/local/system.js';

let system: LocalSystem;
const clockStart = '2026-03-05T10:00:00.000Z';

beforeAll(async () => {
  system = await startLocalSystem({
    port: 0,
    twilioGatewayPort: 0,
    sesPort: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `test-${randomUUID()}`,
    clockStart: new Date(clockStart),
    tickMs: 0,
  });
});

afterAll(async () => {
  await system?.stop();
});

/** A raw HTTP request: unlike fetch(), node:http lets the caller set `Host`, as a rebinding page's browser does. */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number | undefined; text: string }>((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const clockNow = async () => ((await (await fetch(`${system.url}/dev/clock`)).json()) as { now: string }).now;

describe('cross-site requests', () => {
  it('refuses a text/plain POST to /dev/clock with 415 and leaves the clock where it was', async () => {
    const before = await clockNow();
    // What a form or a no-preflight fetch() on any web page can send to 127.0.0.1.
    const res = await fetch(`${system.url}/dev/clock`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ now: '2026-12-01T00:00:00Z' }),
    });
    expect(res.status).toBe(415);
    // The local clock ticks at real speed between moves, so "unchanged" is "within a minute".
    const after = new Date(await clockNow()).getTime();
    expect(after - new Date(before).getTime()).toBeLessThan(60_000);
    expect(new Date(after).toISOString().slice(0, 10)).toBe('2026-03-05');
  });

  it('refuses a form-encoded POST to the coach API with 415', async () => {
    const res = await fetch(`${system.url}/api/programs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    });
    expect(res.status).toBe(415);
  });

  it('still takes a JSON POST (the same move succeeds with the right content type)', async () => {
    const res = await fetch(`${system.url}/dev/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: '2026-03-05T10:05:00Z' }),
    });
    expect(res.status).toBe(200);
    expect(await clockNow()).toMatch(/^2026-03-05T10:0[5-9]/);
  });
});

describe('cross-site inbound email', () => {
  const message = 'From: sam@example.com\r\nTo: r@reply.example\r\nSubject: hi\r\n\r\n7\r\n';
  it('refuses a text/plain message posted by a page of another site (403), before reading it', async () => {
    // What a form on attacker.example sends: text/plain needs no preflight, the browser adds these.
    for (const headers of <Record<string, string>[]>[
      { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const res = await raw(`${system.url}/dev/email/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...headers },
        body: message,
      });
      expect({ headers, status: res.status }).toEqual({ headers, status: 403 });
    }
  });

  it('still takes text/plain from a tool (curl sends no Origin) and from the app itself', async () => {
    const fromTool = await raw(`${system.url}/dev/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: message,
    });
    expect(fromTool.status).toBe(202);
    const own = new URL(system.url).host;
    const fromPage = await raw(`${system.url}/dev/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: `http://${own}`, 'sec-fetch-site': 'same-origin' },
      body: message,
    });
    expect(fromPage.status).toBe(202);
  });
});

describe('malformed requests', () => {
  it('answers 400 to a badly encoded dashboard path', async () => {
    expect((await raw(`${system.url}/app/%ZZ`)).status).toBe(400);
    expect((await raw(`${system.url}/app/%E0%A4%A`)).status).toBe(400);
  });

  it('answers 400 naming `from` to an inbound SMS from something that is not a number', async () => {
    for (const from of ['12', 'not a number', '+0123', '']) {
      const res = await fetch(`${system.url}/dev/sms/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from, body: 'hi' }),
      });
      expect({ from, status: res.status }).toEqual({ from, status: 400 });
      expect(((await res.json()) as { field: string }).field).toBe('from');
    }
    const gateway = await fetch(`${system.twilioGatewayUrl}/_inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'nope', body: 'hi' }),
    });
    expect(gateway.status).toBe(400);
  });
});

describe('DNS rebinding', () => {
  it('answers 403 to a foreign Host on the local SQS endpoint, which still serves loopback', async () => {
    const endpoint = process.env.SQS_ENDPOINT ?? '';
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:/u);
    const call = (host: string) =>
      raw(`${endpoint}/`, {
        method: 'POST',
        headers: {
          host,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.SendMessage',
        },
        body: JSON.stringify({ QueueUrl: 'none', MessageBody: 'x' }),
      });
    expect((await call('attacker.example')).status).toBe(403);
    // Loopback reaches the service (which answers that the queue does not exist).
    expect((await call(new URL(endpoint).host)).status).toBe(400);
  });

  it('answers 403 to a foreign Host on the app, the Twilio gateway and the local SES', async () => {
    const foreign = { host: 'attacker.example' };
    expect((await raw(`${system.url}/dev/clock`, { headers: foreign })).status).toBe(403);
    expect((await raw(`${system.twilioGatewayUrl}/_messages`, { headers: foreign })).status).toBe(403);
    expect((await raw(`${system.sesUrl}/store`, { headers: foreign })).status).toBe(403);
    // Loopback names in any form are served.
    for (const host of ['localhost:1234', '127.0.0.1', '[::1]:3000']) {
      expect((await raw(`${system.url}/health`, { headers: { host } })).status).toBe(200);
    }
  });
});

describe('body limits', () => {
  it('refuses a JSON body over 1 MB with 413', async () => {
    const res = await fetch(`${system.url}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ coachId: 'a', padding: 'x'.repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
  });

  it("refuses an inbound email over 40 MB (SES receiving's own limit) with 413, and JSON there with 415", async () => {
    const big = await fetch(`${system.url}/dev/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822' },
      body: `Subject: big\r\n\r\n${'x'.repeat(40_100_000)}`,
    });
    expect(big.status).toBe(413);
    const json = await fetch(`${system.url}/dev/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
  });
});

describe('DynamoDB Local', () => {
  const port = Number(new URL(inject('dynamoEndpoint')).port);
  const reachable = (host: string) =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host, port, timeout: 2000 });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
  const external = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal && !(a.family === 'IPv6' && a.address.startsWith('fe80')))
    .map((a) => a.address);

  it('answers on loopback only', async () => {
    expect(await reachable('127.0.0.1')).toBe(true);
    if (external.length === 0) {
      // This machine has no non-loopback address to try; only loopback reachability was checked.
      return;
    }
    for (const address of external)
      expect({ address, reachable: await reachable(address) }).toEqual({ address, reachable: false });
  });

  it('refuses a foreign Host on loopback too (DNS rebinding)', async () => {
    const res = await raw(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        host: 'attacker.example',
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260305/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });
});
