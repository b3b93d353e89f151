/**
 * Helpers for API Gateway (HTTP API v2) handlers: the coach behind a request, bodies validated
 * with zod, JSON responses.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { UnauthorizedError, ValidationError } from '../errors.js';

/** An HTTP API event as delivered behind the JWT authorizer. */
export type ApiEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]> } };
  };
};

/**
 * The coach id of an authenticated request: the token's `sub` claim. API Gateway's JWT authorizer
 * has already verified the token on AWS (the local server does the same); this guards against a
 * route wired without the authorizer.
 */
export function coachIdOf(event: ApiEvent): string {
  const sub = event.requestContext.authorizer?.jwt?.claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) throw new UnauthorizedError();
  return sub;
}

/** Who is calling the coach API, from the identity token's claims. */
export interface Claims {
  readonly coachId: string;
  readonly email?: string;
  readonly name?: string;
  /** An organisation admin: `role: admin` claim, or the Cognito group `admins`. */
  readonly admin: boolean;
}

/**
 * The caller's claims: {@link coachIdOf}, the `email` and `name` claims of the ID token, and
 * whether they are an admin. API Gateway hands a JWT array claim over as a string such as
 * `[admins coaches]`; the local server as an array; both are read.
 */
export function claimsOf(event: ApiEvent): Claims {
  const coachId = coachIdOf(event);
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const groups = claims['cognito:groups'];
  const groupList = Array.isArray(groups)
    ? groups.map(String)
    : typeof groups === 'string'
      ? groups.replace(/^\[|\]$/gu, '').split(/[\s,]+/u)
      : [];
  const email = typeof claims.email === 'string' && claims.email ? claims.email : undefined;
  const name = typeof claims.name === 'string' && claims.name ? claims.name : undefined;
  return {
    coachId,
    ...(email ? { email } : {}),
    ...(name ? { name } : {}),
    admin: claims.role === 'admin' || claims['custom:role'] === 'admin' || groupList.includes('admins'),
  };
}

/** The raw body as text, whether or not API Gateway base64-encoded it. */
export function bodyText(event: APIGatewayProxyEventV2): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** Parses a JSON body against a schema; a 400 names the first offending field. */
export function parseJsonBody<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  const text = bodyText(event);
  let json: unknown;
  try {
    // An empty body stays undefined, so it is reported as required rather than as null.
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ValidationError('body', 'not valid JSON');
  }
  return parseWith(schema, json, 'body');
}

/** Validates a value; a 400 names the first offending field by its JSON path. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : what;
  throw new ValidationError(field, issue ? issueMessage(issue, value) : 'is invalid');
}

/**
 * What was expected, for the caller to fix their request. zod 4 does not keep the offending input
 * on its issues, so the value is looked up along the issue's path: absent means required, present
 * means the wrong kind ("expected number, got string"). Only kinds are named, never values.
 */
function issueMessage(issue: z.core.$ZodIssue, root: unknown): string {
  if (issue.code !== 'invalid_type') return issue.message;
  const found = valueAt(root, issue.path);
  if (!found.present || found.value === undefined) return 'is required';
  if (issue.expected === 'int') return 'expected integer, got a number with a fraction';
  return `expected ${issue.expected}, got ${kindOf(found.value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { present: boolean; value?: unknown } {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return { present: false };
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return { present: true, value };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A JSON response. */
export function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

// Ids this API hands out: letters, digits and a few separators; anything else is not one of ours.
const ID = /^[A-Za-z0-9._:-]{1,64}$/u;

/**
 * A path parameter that API Gateway guarantees by route, checked anyway: an id of at most 64
 * characters from `[A-Za-z0-9._:-]`. Anything else is a 400 naming the parameter, never a 500 from
 * a key builder or the database further in.
 */
export function pathParam(event: APIGatewayProxyEventV2, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new ValidationError(name, 'is required');
  if (!ID.test(value)) {
    throw new ValidationError(name, 'expected an id of at most 64 letters, digits or . _ : -');
  }
  return value;
}

/**
 * Percent-decodes one path segment without throwing. `decodeURIComponent` throws URIError on a
 * malformed sequence such as `%E0%A4%A`, which would surface as a 500; here the segment comes back
 * undecoded instead, and its `%` then fails {@link pathParam}'s check as a 400.
 */
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Page size of listings when the caller gives none, and the most one page may hold. */
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;
const MAX_CURSOR_LENGTH = 1024;

/** Paging of a listing: how many items, and where the previous page stopped. */
export interface ListQuery {
  readonly limit: number;
  /** Opaque base64url token from the previous page's response; absent for the first page. */
  readonly cursor?: string;
}

/**
 * Reads `?limit=&cursor=` of a paginated listing: `limit` an integer 1–200 (default 50), `cursor`
 * an opaque base64url string of at most 1024 characters. The cursor's content is checked by
 * whoever decodes it; this only keeps junk away from it.
 */
export function parseListQuery(event: APIGatewayProxyEventV2): ListQuery {
  const query = event.queryStringParameters ?? {};
  const rawLimit = query.limit;
  let limit = DEFAULT_PAGE_LIMIT;
  if (rawLimit !== undefined && rawLimit !== '') {
    limit = /^\d{1,3}$/u.test(rawLimit) ? Number(rawLimit) : 0;
    if (limit < 1 || limit > MAX_PAGE_LIMIT) {
      throw new ValidationError('limit', `expected an integer from 1 to ${MAX_PAGE_LIMIT}`);
    }
  }
  const cursor = query.cursor;
  if (cursor === undefined || cursor === '') return { limit };
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/u.test(cursor)) {
    throw new ValidationError('cursor', 'expected the cursor returned with the previous page');
  }
  return { limit, cursor };
}

/**
 * Parses an `application/x-www-form-urlencoded` body (Twilio webhooks). A key given twice is
 * refused: Twilio never repeats one, and a repeated key could make the signature check and the
 * handler read different values.
 */
export function parseFormBody(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(params, key)) {
      throw new ValidationError(key.slice(0, 64) || 'body', 'appears more than once in the form body');
    }
    // defineProperty: a key named __proto__ must become data, not the object's prototype.
    Object.defineProperty(params, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return params;
}

/**
 * Content-Security-Policy of the participant pages: nothing from anywhere, inline styles, no
 * script at all (an answer is recorded only by a person pressing a button), forms posting back to
 * this API only.
 */
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'none'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** An HTML page for a participant: never cached (links carry tokens), never indexed, never framed. */
export function html(statusCode: number, body: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex',
      'x-content-type-options': 'nosniff',
    },
    body,
  };
}

/** A signed token from the path (answer and unsubscribe links): base64url, bounded length. */
export function tokenParam(event: APIGatewayProxyEventV2): string {
  const token = event.pathParameters?.token ?? '';
  if (!/^[A-Za-z0-9_-]{16,512}$/u.test(token)) throw new ValidationError('token', 'expected a link token');
  return token;
}
