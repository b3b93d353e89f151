/** The weekly report card as one SMS segment (the card itself is the core's: `domain/report-card.ts`). */
import { checkIns, inARow, type ReportCard, shownFigure } from '../../../domain/report-card.js';
import { segmentsOf, toGsm } from './messages.js';

/**
 * The SMS report card: one GSM-7 segment ending in the history link. The richest wording that fits
 * is used; with a very long link only the link and a few words remain.
 */
export function reportCardSms(card: ReportCard, historyUrl: string): string {
  const streak = inARow(card.streak);
  const tail = streak ? ` ${streak}.` : '';
  const [only] = card.questions;
  const figure =
    card.questions.length === 1 && only && only.thisWeek !== null
      ? ` Average ${shownFigure(only, only.thisWeek)}${only.lastWeek === null ? '' : ` (last week ${shownFigure(only, only.lastWeek)})`}.`
      : '';
  const more = card.questions.length > 1 ? 'Each question, this week vs last' : 'Your weeks';
  // The short forms are for long links: an API Gateway address alone takes about 60 characters,
  // and the figures should survive it.
  const short = `Your week: ${card.answered}/${card.sent} check-ins.`;
  const shortFigure =
    card.questions.length === 1 && only && only.thisWeek !== null
      ? ` Avg ${shownFigure(only, only.thisWeek)}${only.lastWeek === null ? '' : ` (last wk ${shownFigure(only, only.lastWeek)})`}.`
      : '';
  const shortStreak = card.streak >= 2 ? ` Streak ${card.streak}.` : '';
  const candidates = [
    `Your week: ${checkIns(card)}.${figure}${tail} ${more}: ${historyUrl}`,
    `Your week: ${checkIns(card)}.${figure}${tail} More: ${historyUrl}`,
    `${short}${shortFigure}${shortStreak} ${historyUrl}`,
    `${short}${shortFigure} ${historyUrl}`,
    `Your week: ${checkIns(card)}.${tail} More: ${historyUrl}`,
    `${short}${shortStreak} ${historyUrl}`,
    `Your weekly report card: ${historyUrl}`,
  ].map(toGsm);
  return candidates.find((text) => segmentsOf(text) === 1) ?? (candidates.at(-1) as string);
}
