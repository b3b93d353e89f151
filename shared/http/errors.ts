/**
 * The one place errors become HTTP responses. Known errors map to their status with their own
 * (personal-data-free) message; anything else is a 500 with a generic message and is logged. No
 * error object is ever serialised to a client.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { flushMetrics } from '../adapters/metrics.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RetryLaterError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from '../errors.js';
import { logger } from '../logger.js';
import type { CoachRepository } from '../ports.js';
import { type ApiEvent, claimsOf } from './api.js';

/** Status and JSON body for an error. */
export function errorToHttp(error: unknown): {
  statusCode: number;
  body: { error: string; field?: string };
  retryAfterSeconds?: number;
} {
  if (error instanceof ValidationError)
    return { statusCode: 400, body: { error: error.message, field: error.field } };
  if (error instanceof UnauthorizedError)
    return { statusCode: 401, body: { error: 'authentication required' } };
  if (error instanceof ForbiddenError) return { statusCode: 403, body: { error: 'forbidden' } };
  if (error instanceof NotFoundError)
    return { statusCode: 404, body: { error: error.message || 'not found' } };
  if (error instanceof ConflictError)
    return { statusCode: 409, body: { error: error.message, field: error.field } };
  if (error instanceof TooManyRequestsError)
    return { statusCode: 429, body: { error: error.message }, retryAfterSeconds: error.retryAfterSeconds };
  if (error instanceof RetryLaterError)
    return { statusCode: 503, body: { error: error.message }, retryAfterSeconds: error.retryAfterSeconds };
  return { statusCode: 500, body: { error: 'internal error' } };
}

/** The HTTP response of an error, exactly as {@link httpErrors} sends it. */
export function errorResponse(error: unknown): {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
} {
  const { statusCode, body, retryAfterSeconds } = errorToHttp(error);
  return {
    statusCode,
    headers: {
      'content-type': 'application/json',
      ...(retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {}),
    },
    body: JSON.stringify(body),
  };
}

/** middy middleware: turns a thrown error into the mapped JSON response. */
export function httpErrors(): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request) => {
      const response = errorResponse(request.error);
      if (response.statusCode >= 500) logger.error('request failed', { error: request.error as Error });
      else
        logger.info('request rejected', {
          statusCode: response.statusCode,
          reason: errorToHttp(request.error).body.error,
        });
      request.response = response;
    },
  };
}

/** The middlewares every HTTP handler uses, in order: logging context, metrics, error mapping. */
export function httpMiddlewares() {
  return [injectLambdaContext(logger, { resetKeys: true }), flushMetrics(), httpErrors()];
}

/**
 * middy middleware for coach routes: remembers the coach's profile (email, name) from the identity
 * token, so the week-close email has an address. A conditional write that usually writes nothing;
 * the function needs `PutItem`. A request without claims is left to the handler (401).
 */
export function coachProfile(
  coaches: CoachRepository,
): middy.MiddlewareObj<ApiEvent, APIGatewayProxyStructuredResultV2> {
  return {
    before: async (request) => {
      if (!request.event.requestContext.authorizer?.jwt?.claims?.sub) return;
      const { coachId, email, name } = claimsOf(request.event);
      await coaches.remember({ coachId, ...(email ? { email } : {}), ...(name ? { name } : {}) });
    },
  };
}
