/**
 * Test harness: the real local system (same handlers, DynamoDB Local, local queue, local Twilio
 * gateway) started in this test file's process, on free ports, with its own table, plus a small
 * client for its HTTP API — the same requests a coach, Twilio or a demo script would make.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { type LocalSystem, startLocalSystem } from '../../infra/local/system.js';

/** A JSON object as the API returns it; tests narrow it with the fields they read. */
export type Json = Record<string, unknown>;

/** An HTTP status and parsed JSON body. */
export interface Res<T> {
  status: number;
  json: T;
}

/** One SMS as `GET /dev/sms` lists it. */
export interface DevSms {
  to: string;
  from: string;
  body: string;
  sid: string;
  status: string;
  sentAt: string;
}

/** A started system and a client for it. */
export interface TestSystem {
  readonly system: LocalSystem;
  readonly url: string;
  request<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Res<T>>;
  /** A coach client; `email` and `role` become the token's claims, as in a Cognito ID token. */
  coach(coachId: string, claims?: { email?: string; name?: string; role?: 'admin' }): Promise<CoachClient>;
  sms(to: string): Promise<DevSms[]>;
  inbound(from: string, body: string): Promise<{ status: number; reply: string }>;
  clock(now: string): Promise<string>;
  /** Lets queued work finish at the current local time (what the real-time ticker would do). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** Calls the coach API with a local bearer token. */
export interface CoachClient {
  readonly coachId: string;
  get<T = Json>(path: string): Promise<Res<T>>;
  post<T = Json>(path: string, body: unknown): Promise<Res<T>>;
  put<T = Json>(path: string, body: unknown): Promise<Res<T>>;
}

/** Starts a system whose clock reads `clockStart`. */
export async function startTestSystem(clockStart: string): Promise<TestSystem> {
  const system = await startLocalSystem({
    port: 0,
    twilioGatewayPort: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `test-${randomUUID()}`,
    clockStart: new Date(clockStart),
    sesPort: 0,
    tickMs: 0, // the test moves the clock; nothing happens behind its back
  });
  const request = async <T = Json>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Res<T>> => {
    const res = await fetch(`${system.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, json: json as T };
  };
  return {
    system,
    url: system.url,
    request,
    async coach(coachId, claims = {}) {
      const { json } = await request<{ token: string }>('POST', '/dev/token', { coachId, ...claims });
      const auth = { authorization: `Bearer ${json.token}` };
      return {
        coachId,
        get: <T = Json>(path: string) => request<T>('GET', path, undefined, auth),
        post: <T = Json>(path: string, body: unknown) => request<T>('POST', path, body, auth),
        put: <T = Json>(path: string, body: unknown) => request<T>('PUT', path, body, auth),
      };
    },
    async sms(to) {
      return (await request<DevSms[]>('GET', `/dev/sms?to=${encodeURIComponent(to)}`)).json;
    },
    async inbound(from, body) {
      return (await request<{ status: number; reply: string }>('POST', '/dev/sms/inbound', { from, body }))
        .json;
    },
    async clock(now) {
      const res = await request<{ now: string }>('POST', '/dev/clock', { now });
      if (res.status !== 200) throw new Error(`clock: ${JSON.stringify(res.json)}`);
      return res.json.now;
    },
    async settle() {
      const { json } = await request<{ now: string }>('GET', '/dev/clock');
      await system.advanceClock(new Date(json.now)); // runs what is due by now and drains the queues
    },
    stop: () => system.stop(),
  };
}
