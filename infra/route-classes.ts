/**
 * Throttles per route class on AWS, so a flood on one kind of entry point cannot starve the
 * others:
 * - `twilio-webhooks` (`/webhooks/twilio/*`): signed by Twilio; generous, because Twilio does not
 *   retry a refused SMS webhook — a throttled reply would be lost rather than delayed;
 * - `public-pages` (answer links `/a/{token}`, unsubscribe `/u/{token}`): anyone can request them,
 *   so they get the tightest limit;
 * - `coach-api` (`/api/*`, behind the JWT): a handful of coaches clicking;
 * - `ses-events` (SES → SNS → `record-email-event`, SES → S3 → `record-email-reply`): not HTTP
 *   routes; AWS retries those deliveries, so a cap on concurrency only delays them.
 * The HTTP classes get route-level throttling on the API stage (each route of the class its own
 * limit, which API Gateway counts per route); the functions behind Twilio webhooks, public pages
 * and the SES paths get reserved concurrency, so a flood on them can use only their share of the
 * account's Lambda concurrency and never the concurrency the coach API and the senders run on.
 */
import type { FunctionSpec, Trigger } from './functions.js';

/** The classes of entry points that are throttled apart. */
export type RouteClass = 'twilio-webhooks' | 'public-pages' | 'coach-api' | 'ses-events';

/** One class's limits: HTTP requests per second and burst, and its functions' reserved concurrency. */
export interface ClassThrottle {
  readonly rateLimit?: number;
  readonly burstLimit?: number;
  readonly reservedConcurrency?: number;
}

/** Defaults, per class; a stack prop can override each. */
export const ROUTE_CLASS_THROTTLES: Readonly<Record<RouteClass, ClassThrottle>> = {
  // 100 replies a second is a cohort of thousands answering in the same minute; at ~200 ms each
  // that is 20 concurrent invocations.
  'twilio-webhooks': { rateLimit: 100, burstLimit: 200, reservedConcurrency: 20 },
  'public-pages': { rateLimit: 20, burstLimit: 40, reservedConcurrency: 5 },
  'coach-api': { rateLimit: 25, burstLimit: 50 },
  'ses-events': { reservedConcurrency: 5 },
};

/** The class of an HTTP trigger. */
export function routeClassOf(trigger: Extract<Trigger, { kind: 'http' }>): RouteClass {
  if (trigger.auth === 'coach') return 'coach-api';
  return trigger.path.startsWith('/webhooks/twilio/') ? 'twilio-webhooks' : 'public-pages';
}

/**
 * The class whose reserved concurrency a function gets: that of its public routes or SES triggers;
 * undefined for coach-API-only, scheduled and queue functions (their concurrency is the catalogue's).
 */
export function functionClassOf(spec: FunctionSpec): RouteClass | undefined {
  for (const trigger of spec.triggers) {
    if (trigger.kind === 'http' && trigger.auth === 'none') return routeClassOf(trigger);
    if (trigger.kind === 'inbound-email' || trigger.kind === 'email-events') return 'ses-events';
  }
  return undefined;
}
