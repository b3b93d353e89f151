/**
 * The dashboard's API client over real HTTP (a node:http server standing in for the API, answering
 * the way the API and API Gateway answer): what a coach is told for a 400 naming a field, a 401,
 * a 409, an unknown route and a dropped connection, and what each request carries.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createClient, NotAvailableError } from '../../web/src/client.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
/** The next answer: status and JSON body (or text), or `drop` to reset the connection. */
let next: { status: number; body?: unknown; type?: string } | 'drop';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (next === 'drop') {
        req.socket.destroy();
        return;
      }
      const text = typeof next.body === 'string' ? next.body : JSON.stringify(next.body ?? null);
      res.writeHead(next.status, { 'content-type': next.type ?? 'application/json' });
      res.end(next.body === undefined ? '' : text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  next = { status: 200, body: {} };
});

let signedOut = 0;
const client = () =>
  createClient({
    baseUrl,
    token: () => 'tok-123',
    onUnauthorized: () => {
      signedOut++;
    },
  });

/** The error a call rejects with. */
async function failure(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

describe('requests', () => {
  it('fills and escapes path segments, sends the token, the body and the idempotency key', async () => {
    next = { status: 201, body: { id: 'push-1', status: 'scheduled' } };
    const push = await client().createPush('p/1 ü', { text: 'Hi' }, 'key-1');
    expect(push.status).toBe('scheduled');
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/participants/p%2F1%20%C3%BC/pushes');
    expect(request?.headers.authorization).toBe('Bearer tok-123');
    expect(request?.headers['idempotency-key']).toBe('key-1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ text: 'Hi' });
  });

  it('puts query values in the query string and leaves out absent ones', async () => {
    next = { status: 200, body: { participants: [] } };
    await client().listParticipants({ cursor: 'a&b=c' });
    await client().weekSummaries();
    expect(seen.map((s) => s.url)).toEqual([
      '/api/participants?limit=200&cursor=a%26b%3Dc',
      '/api/summaries',
    ]);
    expect(seen[1]?.headers['content-type']).toBeUndefined();
  });

  it('reads the week CSV as text', async () => {
    next = { status: 200, body: 'participant,question\n"=1",x\n', type: 'text/csv' };
    expect(await client().weekCsv('2027-W11')).toBe('participant,question\n"=1",x\n');
    expect(seen[0]?.url).toBe('/api/summaries.csv?week=2027-W11');
  });
});

describe('errors as the coach is told them', () => {
  it('a 400 names the field and keeps the message', async () => {
    next = {
      status: 400,
      body: { error: 'expected an IANA time zone such as Europe/Berlin', field: 'timeZone' },
    };
    const error = await failure(
      client().enrolParticipant(
        { name: 'Sam', channel: 'sms', phone: '+14155552671', timeZone: 'Mars/Base', programId: 'p' },
        'k',
      ),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      field: 'timeZone',
      message: 'expected an IANA time zone such as Europe/Berlin',
    });
  });

  it('a 401 ends the session and says to sign in again', async () => {
    const before = signedOut;
    next = { status: 401, body: { message: 'Unauthorized' } };
    const error = await failure(client().listPrograms());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, message: 'Your session has ended: please sign in again.' });
    expect(signedOut).toBe(before + 1);
  });

  it('a 409 keeps its message and field (an archived program takes no enrolments)', async () => {
    next = { status: 409, body: { error: 'the program is archived', field: 'programId' } };
    const error = await failure(
      client().enrolParticipant(
        { name: 'Sam', channel: 'email', email: 'sam@example.com', timeZone: 'UTC', programId: 'old' },
        'k',
      ),
    );
    expect(error).toMatchObject({ status: 409, field: 'programId', message: 'the program is archived' });
  });

  it('an unknown route (API Gateway’s 404) is "not available", the API’s own 404 is an error', async () => {
    next = { status: 404, body: { message: 'Not Found' } };
    const missing = await failure(client().listExperiments('p1'));
    expect(missing).toBeInstanceOf(NotAvailableError);
    expect((missing as NotAvailableError).route).toBe('GET /api/participants/{id}/experiments');

    next = { status: 404, body: { error: 'participant not found' } };
    const notFound = await failure(client().getParticipant('gone'));
    expect(notFound).toBeInstanceOf(ApiError);
    expect(notFound).toMatchObject({ status: 404, message: 'participant not found' });
  });

  it('an answer without a JSON error body still gives its status', async () => {
    next = { status: 502, body: '<html>Bad gateway</html>', type: 'text/html' };
    expect(await failure(client().listPrograms())).toMatchObject({ status: 502, message: 'HTTP 502' });
  });

  it('a dropped connection says the server could not be reached', async () => {
    next = 'drop';
    const error = await failure(client().bulkPush({ text: 'Hi', to: 'all' }, 'k'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 0,
      message: 'Could not reach the server: check your connection and try again.',
    });
  });

  it('a server that is not there at all says the same', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(createClient({ baseUrl: `http://127.0.0.1:${port}` }).listPrograms());
    expect(error).toMatchObject({ status: 0 });
  });
});
