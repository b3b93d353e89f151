/**
 * Errors the use cases throw on purpose. Each maps to one HTTP status in `shared/http/errors.ts`,
 * the only place that turns errors into responses. Messages are written for the API caller and
 * never contain personal data.
 */

/** Input that fails validation; `field` is the JSON path of the offending field. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** The caller is not authenticated. */
export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
}

/** A request that claims to come from a provider but whose signature does not verify. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/** The thing does not exist, or belongs to another coach (indistinguishable on purpose). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The request conflicts with existing state (e.g. a phone number already enrolled). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Too many requests of one kind from one caller; try again after `retryAfterSeconds`. */
export class TooManyRequestsError extends Error {
  override readonly name = 'TooManyRequestsError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/**
 * Not handled now, but nothing is lost: the caller (a provider's webhook) should deliver it again
 * later. Answered 503, which makes Twilio and SES retry.
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
