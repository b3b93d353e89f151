/**
 * Every URL a message, page or output carries, one function per kind, so a route moves in one
 * place. Pure string building: tokens come signed (`domain/answer-link.ts`), bases come without a
 * trailing slash (`PUBLIC_BASE_URL`) or, for the dashboard, with one (`DASHBOARD_URL`, ending in
 * `/app/`). The routes themselves are declared in `infra/functions.ts`; the dashboard's hash routes
 * in `web/src/main.tsx`. The signed history link of the report cards is `history-link.ts`: it
 * signs, and the dashboard bundles this file.
 */
import type { PromptKind } from './prompt.js';

/** `GET|POST /a/{token}`: the one-click answer page of an email's answer link. */
export const answerPageUrl = (publicBaseUrl: string, token: string): string => `${publicBaseUrl}/a/${token}`;

/** `GET|POST /c/{token}`: the check-in page with every question of a prompt. */
export const checkInPageUrl = (publicBaseUrl: string, token: string): string => `${publicBaseUrl}/c/${token}`;

/** `GET|POST /u/{token}`: the email unsubscribe page (also the RFC 8058 one-click target). */
export const unsubscribePageUrl = (publicBaseUrl: string, token: string): string =>
  `${publicBaseUrl}/u/${token}`;

/** `GET /r/{token}`: the participant's own history page, linked from their report card. */
export const historyPageUrl = (publicBaseUrl: string, token: string): string => `${publicBaseUrl}/r/${token}`;

/** `POST /webhooks/twilio/sms`: where Twilio posts inbound SMS (set on the number in Twilio). */
export const smsInboundWebhookUrl = (publicBaseUrl: string): string => `${publicBaseUrl}/webhooks/twilio/sms`;

/**
 * `POST /webhooks/twilio/status?p=…&s=…[&k=…]`: where Twilio posts a sent message's delivery
 * status. The record's key rides in the query string, which Twilio's request signature covers;
 * `k` is left out for a prompt (an absent kind means `prompt`).
 */
export function smsStatusCallbackUrl(
  publicBaseUrl: string,
  record: { readonly participantId: string; readonly scheduledFor: string; readonly kind?: PromptKind },
): string {
  const query = new URLSearchParams({ p: record.participantId, s: record.scheduledFor });
  if (record.kind && record.kind !== 'prompt') query.set('k', record.kind);
  return `${publicBaseUrl}/webhooks/twilio/status?${query.toString()}`;
}

/** The dashboard's hash route of one ISO week (`#/week?w=2026-W48`), as the dashboard links it. */
export const weekRoute = (week: string): string => `#/week?w=${week}`;

/** The dashboard's week view; `dashboardUrl` ends in `/`. */
export const dashboardWeekUrl = (dashboardUrl: string, week: string): string =>
  `${dashboardUrl}${weekRoute(week)}`;

/** The dashboard's page of one participant (`#/p/{id}`), where their conversation is read. */
export const dashboardParticipantUrl = (dashboardUrl: string, participantId: string): string =>
  `${dashboardUrl}#/p/${encodeURIComponent(participantId)}`;
