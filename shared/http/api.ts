/**
 * Helpers for API Gateway (HTTP API v2) handlers: the coach behind a request, bodies validated
 * with zod, JSON responses.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
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

/** The raw body as text, whether or not API Gateway base64-encoded it. */
export function bodyText(event: APIGatewayProxyEventV2): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** Parses a JSON body against a schema; a 400 names the first offending field. */
export function parseJsonBody<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(bodyText(event) || 'null');
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
  const message =
    issue?.code === 'invalid_type' && issue.input === undefined
      ? 'is required'
      : (issue?.message ?? 'is invalid');
  throw new ValidationError(field, message);
}

/** A JSON response. */
export function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A path parameter that API Gateway guarantees by route, checked anyway. */
export function pathParam(event: APIGatewayProxyEventV2, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new ValidationError(name, 'is required');
  return value;
}

/** `limit` and `cursor` of a listing's query string (limit 1–200, default 50). */
export function pageOf(event: APIGatewayProxyEventV2): { limit: number; cursor?: string } {
  const query = event.queryStringParameters ?? {};
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new ValidationError('limit', 'expected a whole number from 1 to 200');
  const cursor = query.cursor;
  if (cursor !== undefined && (cursor.length === 0 || cursor.length > 1024))
    throw new ValidationError('cursor', 'expected a cursor from a previous page');
  return cursor ? { limit, cursor } : { limit };
}
