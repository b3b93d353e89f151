/**
 * `Idempotency-Key` for the coach API's writes (pushes, bulk pushes, enrolments): a request that
 * carries a key takes effect once, and every request with the same key gets that one response.
 *
 * The first request claims the key (a conditional write, so of 20 concurrent ones exactly one
 * runs); the others wait for its response and get it replayed, marked `idempotent-replayed: true`.
 * The same key with a different request (method, path or body) is a 409 naming the header. Keys
 * are per coach and kept 24 hours. A 5xx or 429 releases the key, since a retry may succeed;
 * every other response, 4xx included, is kept and replayed.
 */
import { createHash } from 'node:crypto';
import type middy from '@middy/core';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConflictError, ValidationError } from '../errors.js';
import type { Clock, IdempotencyStore, StoredResponse } from '../ports.js';
import { type ApiEvent, bodyText } from './api.js';
import { errorResponse } from './errors.js';

/** How long a key and its response are kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** How long the claiming request may take before another with the key may take over. */
const LEASE_MS = 60_000;
/** How long a request waits for the claiming one's response, at most. */
const WAIT_MS = 25_000;
const POLL_MS = 100;

const KEY = /^[\x21-\x7E]{1,255}$/u;

interface Claimed {
  readonly scope: string;
  readonly key: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function keep(response: { statusCode?: number }): boolean {
  const status = response.statusCode ?? 200;
  return status < 500 && status !== 429;
}

function stored(response: APIGatewayProxyStructuredResultV2): StoredResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name] = String(value);
  return { statusCode: response.statusCode ?? 200, headers, body: response.body ?? '' };
}

/** middy middleware: honours `Idempotency-Key` on a coach route. Use after `httpMiddlewares()`. */
export function idempotent(deps: {
  readonly store: IdempotencyStore;
  readonly clock: Clock;
}): middy.MiddlewareObj<ApiEvent, APIGatewayProxyStructuredResultV2> {
  const claims = new WeakMap<object, Claimed>();
  const finish = async (event: object, response: StoredResponse) => {
    const claimed = claims.get(event);
    if (!claimed) return;
    claims.delete(event);
    if (keep(response))
      await deps.store.complete(
        claimed.scope,
        claimed.key,
        response,
        new Date(deps.clock.now().getTime() + IDEMPOTENCY_TTL_MS),
      );
    else await deps.store.release(claimed.scope, claimed.key);
  };
  return {
    before: async (request) => {
      const { event } = request;
      const key = event.headers?.['idempotency-key'];
      if (key === undefined) return;
      if (!KEY.test(key))
        throw new ValidationError(
          'Idempotency-Key',
          'expected 1 to 255 visible ASCII characters, such as a UUID',
        );
      const scope = event.requestContext.authorizer?.jwt?.claims?.sub;
      if (typeof scope !== 'string' || !scope) return; // the handler answers 401
      const hash = createHash('sha256')
        .update(`${event.requestContext.http.method} ${event.rawPath}\n${bodyText(event)}`)
        .digest('base64url');
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const claim = await deps.store.claim(scope, key, hash, deps.clock.now(), LEASE_MS);
        if (claim.state === 'claimed') {
          claims.set(event, { scope, key });
          return;
        }
        if (claim.requestHash && claim.requestHash !== hash)
          throw new ConflictError(
            'Idempotency-Key',
            'was already used with a different request; send a new key for a new request',
          );
        if (claim.state === 'done') {
          const { response } = claim;
          return { ...response, headers: { ...response.headers, 'idempotent-replayed': 'true' } };
        }
        if (Date.now() > deadline)
          throw new ConflictError(
            'Idempotency-Key',
            'a request with this key is still in progress; retry later',
          );
        // Waiting on another request's work, not synchronising a test: bounded by WAIT_MS.
        await sleep(POLL_MS);
      }
    },
    after: async (request) => {
      if (request.response) await finish(request.event, stored(request.response));
    },
    onError: async (request) => {
      await finish(request.event, errorResponse(request.error));
    },
  };
}
