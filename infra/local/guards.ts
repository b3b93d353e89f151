/**
 * What keeps the local servers closed to everything but this machine's own tools. They bind to
 * 127.0.0.1, which stops other machines, but a web page in the developer's browser can still
 * reach 127.0.0.1:
 * - a cross-site "simple" request (a form or `fetch` with `text/plain`, no preflight) could move
 *   the clock or inject messages, so request bodies must declare a JSON content type, which a
 *   page on another origin cannot send without a CORS preflight (that we never grant);
 * - DNS rebinding (a page whose name re-resolves to 127.0.0.1, so its requests are same-origin)
 *   carries the page's own host name in `Host`, so only loopback host names are served.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether `host` (a `Host` header: name and optional port) names this machine's loopback. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/u.exec(host.trim().toLowerCase())?.[1];
  return name !== undefined && LOOPBACK_HOSTS.has(name);
}

/** Throws a 403 unless the request is addressed to a loopback host name. */
export function requireLoopbackHost(req: IncomingMessage): void {
  if (!isLoopbackHost(req.headers.host)) {
    throw new HttpError(403, { error: 'Host must be localhost, 127.0.0.1 or [::1]' });
  }
}

/** Whether the request carries a body (a length above zero, or a chunked one). */
export function hasBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

/** The media type of the request, lower case, without parameters; `''` when absent. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Throws a 415 when the request has a body whose media type is not one of `accepted`. */
export function requireMediaType(req: IncomingMessage, accepted: readonly string[]): void {
  if (hasBody(req) && !accepted.includes(mediaType(req))) {
    throw new HttpError(415, {
      error: `content-type must be ${accepted.join(' or ')}`,
      field: 'content-type',
    });
  }
}

/**
 * Throws a 403 for a request a page of another origin sent: its browser names that page in
 * `Origin` (every cross-origin POST carries it) and says `cross-site` or `same-site` in
 * `Sec-Fetch-Site`. Tools (curl, scripts, the tests) send neither. Needed where a body type is
 * one a page may send without a CORS preflight — `text/plain` on `/dev/email/inbound`, kept so
 * `curl --data-binary @reply.eml` works — since the media type alone does not stop it there.
 */
export function requireSameOrigin(req: IncomingMessage): void {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  let sameOrigin = origin === undefined;
  if (origin !== undefined) {
    try {
      sameOrigin = new URL(origin).host === (req.headers.host ?? '').toLowerCase();
    } catch {
      sameOrigin = false; // `Origin: null` (a sandboxed frame, a file: page) is no origin of ours
    }
  }
  if (!sameOrigin || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
    throw new HttpError(403, { error: 'cross-site requests are refused', field: 'origin' });
  }
}
