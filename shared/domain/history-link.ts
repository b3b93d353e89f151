/**
 * The signed, expiring link to a participant's own history page, which every channel's report card
 * carries. Apart from `links.ts` because it signs (node:crypto), and the dashboard bundles `links.ts`.
 */
import { signHistoryToken } from './answer-link.js';
import { historyPageUrl } from './links.js';
import { HISTORY_LINK_TTL_DAYS } from './report-card.js';

/** The signed link to a participant's own history page, working for {@link HISTORY_LINK_TTL_DAYS}. */
export function historyUrl(publicBaseUrl: string, key: string, participantId: string, now: Date): string {
  const expiresAt = new Date(now.getTime() + HISTORY_LINK_TTL_DAYS * 86_400_000);
  return historyPageUrl(publicBaseUrl, signHistoryToken(key, { participantId, expiresAt }));
}
