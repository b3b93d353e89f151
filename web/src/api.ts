/**
 * The coach API client: same-origin `/api/*` with the signed-in coach's bearer token. A route the
 * server does not have (yet) is reported as {@link NotAvailableError}, so a page can show "not
 * available" for that part instead of breaking.
 */
import { session, signOut } from './auth';

/** A route this server does not offer (an older deployment, or a feature still being built). */
export class NotAvailableError extends Error {
  constructor(readonly route: string) {
    super(`${route} is not available on this server`);
  }
}

/** An error answer of the API: its status, message and the field it names, if any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** How many requests this page has made: shown to tests and the bench (no per-participant calls). */
export const requestLog: string[] = [];

async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  raw = false,
  extra: Record<string, string> = {},
): Promise<T> {
  const token = session()?.token;
  requestLog.push(`${method} ${path.split('?')[0]}`);
  const res = await fetch(path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...extra,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status === 401) {
    signOut();
    throw new ApiError(401, 'Your session has ended: please sign in again.');
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (res.ok) return (raw ? text : parsed) as T;
  const error = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  // API Gateway (and the local stand-in) answer an unknown route with {"message":"Not Found"};
  // the API's own 404s carry {"error": …}.
  if ((res.status === 404 || res.status === 405) && error.error === undefined) {
    throw new NotAvailableError(`${method} ${path.split('?')[0]}`);
  }
  const message = typeof error.error === 'string' ? error.error : `HTTP ${res.status}`;
  throw new ApiError(res.status, message, typeof error.field === 'string' ? error.field : undefined, parsed);
}

/** GET a JSON resource. */
export const get = <T>(path: string) => call<T>('GET', path);
/** GET a text resource (CSV). */
export const getText = (path: string) => call<string>('GET', path, undefined, true);
/** POST JSON. */
export const post = <T>(path: string, body: unknown = {}) => call<T>('POST', path, body);
/**
 * POST JSON once: the server applies one user action once however often it arrives (a double
 * click, a retry after a dropped connection) when each action sends its own key.
 */
export const postOnce = <T>(path: string, body: unknown, idempotencyKey: string) =>
  call<T>('POST', path, body, false, { 'idempotency-key': idempotencyKey });

/**
 * Keys of one form's actions (see {@link postOnce}): sending the same body again (a retry after an
 * error that may have reached the server) reuses its key; a changed body or a success starts anew.
 */
export function actionKeys() {
  let last: { body: string; key: string } | undefined;
  return {
    for(body: unknown): string {
      const text = JSON.stringify(body);
      if (last?.body !== text) last = { body: text, key: crypto.randomUUID() };
      return last.key;
    },
    done(): void {
      last = undefined;
    },
  };
}

/** PUT JSON. */
export const put = <T>(path: string, body: unknown) => call<T>('PUT', path, body);
/** PATCH JSON. */
export const patch = <T>(path: string, body: unknown) => call<T>('PATCH', path, body);
/** DELETE. */
export const del = <T>(path: string) => call<T>('DELETE', path);

/** Path segment, escaped. */
export const seg = (value: string) => encodeURIComponent(value);
