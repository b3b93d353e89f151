/**
 * The local-only routes (`/health` and `/dev/*`): the clock, tokens for the coach API, the SMS
 * gateway's log and inbound messages, inbound email and SES events, schedule outages, faults and
 * queues. Never part of the deployed API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import type { LocalTokens } from './api-gateway.js';
import { HttpError, parseJson, send } from './http.js';
import { type LocalSes, SES_FAULT_KINDS } from './local-ses.js';
import type { LocalSqs } from './local-sqs.js';
import type { Scheduler } from './scheduler.js';
import type { Delivery } from './triggers.js';
import type { TwilioGateway } from './twilio/gateway.js';
import { FAULT_KINDS } from './twilio/types.js';
import { E164 } from './twilio/wire.js';

/**
 * Largest raw message `POST /dev/email/inbound` takes: SES receiving's own limit (40 MB), so the
 * local stack can deliver every message AWS can, and the parser's limits are tried for real.
 */
export const MAX_INBOUND_EMAIL_BYTES = 40_000_000;

/** Media types of `POST /dev/email/inbound`; every other body on `/dev/*` is JSON. */
export const INBOUND_EMAIL_TYPES = ['message/rfc822', 'text/plain'] as const;

/** What the dev routes act on. */
export interface DevRouteContext {
  now(): Date;
  scheduler: Scheduler;
  tokens: LocalTokens;
  gateway: TwilioGateway;
  sqs: LocalSqs;
  inboundEmail(raw: Buffer): Promise<Delivery & { stored: string }>;
  emailEvent(event: unknown): Promise<Delivery>;
  /** The local SES (its web inbox is at `/`), for `GET /dev/links`. */
  sesUrl?: string;
  /** The local SES, for `POST /dev/ses/faults`. */
  ses?: Pick<LocalSes, 'inject'>;
}

const ClockBody = z.object({ now: z.iso.datetime({ offset: true }) });
const TokenBody = z.object({
  coachId: z.string().regex(/^[\w.@-]{1,64}$/u, 'letters, digits, . _ @ - (max 64)'),
  /** The coach's address, carried as the `email` claim (close-of-week emails go to it). */
  email: z.email().max(254).optional(),
  /** The coach's name, as the Cognito user's `name` attribute: HELP and "needs a human" answers say it. */
  name: z.string().trim().min(1).max(100).optional(),
  /** `admin` adds `cognito:groups: ["admins"]`, like an admin's Cognito ID token. */
  role: z.enum(['admin', 'coach']).optional(),
});
// The number is checked here, not by the gateway: a bad one is the caller's mistake (400), not a crash (500).
const InboundBody = z.object({
  from: z.string().regex(E164, 'an E.164 number such as +12125550123'),
  body: z.string(),
});
const JobBody = z.object({ enabled: z.boolean() });
const FaultBody = z.object({
  kind: z.enum(FAULT_KINDS),
  count: z.number().int().min(1).default(1),
  retryAfterSeconds: z.number().int().min(0).optional(),
  delayMs: z.number().int().min(0).optional(),
});
const SesFaultBody = z.object({
  kind: z.enum(SES_FAULT_KINDS),
  count: z.number().int().min(1).default(1),
});
const SesEventBody = z.looseObject({ eventType: z.string().min(1) });

function parse<T>(schema: z.ZodType<T>, body: Buffer): T {
  const parsed = schema.safeParse(parseJson(body));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  throw new HttpError(400, { error: `${field}: ${issue?.message ?? 'invalid'}`, field });
}

/** The result of the one function a delivery reached, or all of them when there were several. */
const resultOf = (delivery: Delivery) =>
  delivery.results.length === 1 ? delivery.results[0]?.result : delivery.results;

/** Serves `/health` and `/dev/*`; false for any other path. */
export async function serveDevRoute(
  ctx: DevRouteContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  const reply = (status: number, payload: unknown, headers?: Record<string, string>) => {
    send(res, status, payload, headers);
    return true;
  };
  if (method === 'GET' && path === '/health') return reply(200, { status: 'ok' });
  if (!path.startsWith('/dev/')) return false;

  if (path === '/dev/clock' && method === 'GET') return reply(200, { now: ctx.now().toISOString() });
  if (path === '/dev/clock' && method === 'POST') {
    const target = new Date(parse(ClockBody, body).now);
    if (target.getTime() < ctx.now().getTime() - 1000) {
      const error = `now: the clock never moves backwards (it is ${ctx.now().toISOString()})`;
      return reply(400, { error, field: 'now' });
    }
    return reply(200, { now: (await ctx.scheduler.runUntil(target.getTime())).toISOString() });
  }
  if (path === '/dev/token' && method === 'POST') {
    const { coachId, email, name, role } = parse(TokenBody, body);
    const token = ctx.tokens.issue(coachId, {
      ...(email ? { email } : {}),
      ...(name ? { name } : {}),
      ...(role === 'admin' ? { role } : {}),
    });
    if (email || name) {
      // Locally the token route stands in for the Cognito user: its address is where the week-close
      // email goes. Loaded here, not at the top: the adapter reads its configuration when loaded,
      // and the local environment is set only once the system has started.
      const { dynamoCoachRepository } = await import('../../shared/adapters/dynamodb/coaches.js');
      await dynamoCoachRepository.remember({
        coachId,
        ...(email ? { email } : {}),
        ...(name ? { name } : {}),
      });
    }
    return reply(200, { token, coachId });
  }
  if (path === '/dev/sms' && method === 'GET') {
    const to = url.searchParams.get('to') ?? undefined;
    const sent = ctx.gateway.sent(to);
    return reply(
      200,
      sent.map(({ to, from, body, sid, status, sentAt }) => ({ to, from, body, sid, status, sentAt })),
    );
  }
  if (path === '/dev/sms/inbound' && method === 'POST') {
    return reply(200, await ctx.gateway.deliverInbound(parse(InboundBody, body)));
  }
  if (path === '/dev/email/inbound' && method === 'POST') {
    if (body.length === 0) return reply(400, { error: 'body: a raw RFC 5322 message', field: 'body' });
    const delivered = await ctx.inboundEmail(body);
    return reply(202, { stored: delivered.stored, result: resultOf(delivered) });
  }
  if (path === '/dev/email/events' && method === 'POST') {
    const delivered = await ctx.emailEvent(parse(SesEventBody, body));
    return reply(202, { result: resultOf(delivered) });
  }
  const job = /^\/dev\/jobs\/([\w-]+)$/u.exec(path)?.[1];
  if (job && method === 'POST') {
    const { enabled } = parse(JobBody, body);
    try {
      ctx.scheduler.setJobEnabled(job, enabled);
    } catch {
      return reply(404, { error: `no scheduled job ${job}` });
    }
    return reply(200, { job, enabled });
  }
  if (path === '/dev/twilio/faults' && method === 'POST') {
    const fault = parse(FaultBody, body);
    ctx.gateway.inject(fault);
    return reply(200, { injected: fault });
  }
  if (path === '/dev/ses/faults' && method === 'POST' && ctx.ses) {
    const fault = parse(SesFaultBody, body);
    ctx.ses.inject(fault);
    return reply(200, { injected: fault });
  }
  if (path === '/dev/queues' && method === 'GET') {
    const queues = [...ctx.sqs.queues.values()].map((q) => [
      q.name,
      q.messages.map((m) => ({ body: m.body, receiveCount: m.receiveCount })),
    ]);
    return reply(200, Object.fromEntries(queues));
  }
  if (path === '/dev/links' && method === 'GET') {
    // Where the dashboard links to in local mode: the phone simulator and the email inbox.
    return reply(200, { phone: `${ctx.gateway.url}/phone`, inbox: ctx.sesUrl ? `${ctx.sesUrl}/` : null });
  }
  if (path === '/dev/phone' && method === 'GET') {
    const number = url.searchParams.get('number');
    const query = number ? `?number=${encodeURIComponent(number)}` : '';
    return reply(302, '', { location: `${ctx.gateway.url}/phone${query}` });
  }
  return false;
}
