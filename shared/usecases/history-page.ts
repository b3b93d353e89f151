/**
 * The participant's own history page, opened from the signed, expiring link in their weekly report
 * card: no login, nothing recorded, only their own figures (never the coach's notes or flags).
 */

import { verifyHistoryToken } from '../domain/answer-link.js';
import type { PageResult } from '../domain/html.js';
import { HISTORY_WEEKS, historyLinkProblemPage, historyPage, reportCardOf } from '../domain/report-card.js';
import type { Deps } from '../ports.js';
import { participantSummaries } from './summaries.js';

type HistoryDeps = Pick<Deps, 'linkKey' | 'clock' | 'participants' | 'summaries' | 'contacts' | 'programs'>;

/** GET /r/{token}: the participant's last {@link HISTORY_WEEKS} weeks, newest first. */
export async function openHistoryPage(deps: HistoryDeps, token: string): Promise<PageResult> {
  const verified = verifyHistoryToken(await deps.linkKey(), token, deps.clock.now());
  if (!verified.ok)
    return verified.reason === 'expired'
      ? { statusCode: 410, html: historyLinkProblemPage('expired') }
      : { statusCode: 403, html: historyLinkProblemPage('invalid') };
  const participant = await deps.participants.get(verified.claims.participantId);
  // Erased since the link was sent: nothing of theirs is left to show.
  if (!participant) return { statusCode: 404, html: historyLinkProblemPage('invalid') };
  // One week more than shown: the oldest shown week is compared with the one before it.
  const [weeks, program] = await Promise.all([
    participantSummaries(deps, participant.coachId, participant.id, HISTORY_WEEKS + 1),
    deps.programs.getById(participant.programId),
  ]);
  const cards = weeks.slice(0, HISTORY_WEEKS).map((week, i) => reportCardOf(week, weeks[i + 1]));
  return {
    statusCode: 200,
    html: historyPage({
      participantName: participant.name,
      ...(program ? { programName: program.name } : {}),
      weeks: cards,
      expiresAt: verified.claims.expiresAt,
    }),
  };
}
