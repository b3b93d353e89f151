/**
 * The URLs participants, Twilio and coaches are sent to: each must name a public route the API
 * really has (a route renamed in the catalogue but not here would send people to a 404), and the
 * status callback must carry the record's key in a form the status webhook reads back.
 */
import { describe, expect, it } from 'vitest';
import { functionCatalogue } from '../../infra/functions.js';
import {
  answerPageUrl,
  checkInPageUrl,
  dashboardParticipantUrl,
  dashboardWeekUrl,
  historyPageUrl,
  smsInboundWebhookUrl,
  smsStatusCallbackUrl,
  unsubscribePageUrl,
} from '../../shared/domain/links.js';
import { StatusQuerySchema } from '../../shared/http/schemas.js';

const BASE = 'https://api.example';

/** The public routes of the catalogue, as `METHOD /path` with `{name}` segments as one segment. */
const publicRoutes = functionCatalogue.flatMap((spec) =>
  spec.triggers.flatMap((t) => (t.kind === 'http' && t.auth === 'none' ? [t] : [])),
);

/** Whether `url` (under {@link BASE}) is served by a public route of `method`. */
function served(method: string, url: string): boolean {
  const path = new URL(url).pathname;
  return publicRoutes.some(
    (route) =>
      route.method === method &&
      new RegExp(`^${route.path.replace(/\{[^}]+\}/gu, '[^/]+')}$`, 'u').test(path),
  );
}

describe('participant and webhook links', () => {
  it('each names a public route of the API', () => {
    expect(served('GET', answerPageUrl(BASE, 'tok'))).toBe(true);
    expect(served('POST', answerPageUrl(BASE, 'tok'))).toBe(true);
    expect(served('GET', checkInPageUrl(BASE, 'tok'))).toBe(true);
    expect(served('POST', checkInPageUrl(BASE, 'tok'))).toBe(true);
    expect(served('GET', unsubscribePageUrl(BASE, 'tok'))).toBe(true);
    expect(served('POST', unsubscribePageUrl(BASE, 'tok'))).toBe(true);
    expect(served('GET', historyPageUrl(BASE, 'tok'))).toBe(true);
    expect(served('POST', smsInboundWebhookUrl(BASE))).toBe(true);
    expect(served('POST', smsStatusCallbackUrl(BASE, { participantId: 'p1', scheduledFor: 'x' }))).toBe(true);
  });

  it('carries the record key in a status callback the webhook reads back, the kind only when not a prompt', () => {
    const scheduledFor = '2026-03-29T01:30:00.000Z';
    const read = (url: string) =>
      StatusQuerySchema.parse(Object.fromEntries(new URL(url).searchParams.entries()));
    expect(read(smsStatusCallbackUrl(BASE, { participantId: 'p 1+', scheduledFor, kind: 'prompt' }))).toEqual(
      {
        p: 'p 1+',
        s: scheduledFor,
      },
    );
    expect(read(smsStatusCallbackUrl(BASE, { participantId: 'p1', scheduledFor, kind: 'push' }))).toEqual({
      p: 'p1',
      s: scheduledFor,
      k: 'push',
    });
  });
});

describe('dashboard links', () => {
  it("opens the closed week and the participant's page, the id escaped", () => {
    expect(dashboardWeekUrl('https://d.example/app/', '2026-W48')).toBe(
      'https://d.example/app/#/week?w=2026-W48',
    );
    expect(dashboardParticipantUrl('https://d.example/app/', 'a/b#c')).toBe(
      'https://d.example/app/#/p/a%2Fb%23c',
    );
  });
});
