/**
 * The participant's weekly report card — Goldsmith's weekly look back at one's own daily answers:
 * per question this week's average beside last week's, how many check-ins were answered and the
 * streak. It goes out on the participant's channel when their week closes (by email a small table
 * with bars, by SMS one segment with a link), and the signed link in it opens their own history
 * page. Only the participant's own figures: never the coach's notes, flags or anyone else's. Pure.
 */
import {
  EMAIL_STYLE,
  type EmailContent,
  emailDocument,
  escapeHtml,
  footer,
  greeting,
  oneLine,
  page,
  paragraph,
  safeUrl,
  textFooter,
} from '../channels/email/domain/email-messages.js';
import { segmentsOf, toGsm } from '../channels/sms/domain/messages.js';
import type { QuestionSummary, WeekSummary } from './summary.js';
import { addDays, mondayOfIsoWeek, parseWeek } from './zone.js';

/** How long a report card's history link works. */
export const HISTORY_LINK_TTL_DAYS = 30;

/** Weeks the history page shows, newest first. */
export const HISTORY_WEEKS = 12;

/** One question on a report card. Text questions have no figure and are left out. */
export interface ReportQuestion {
  readonly key: string;
  readonly text: string;
  readonly type: 'scale' | 'yes-no' | 'number';
  readonly min: number | null;
  readonly max: number | null;
  readonly unit: string | null;
  /** This week's average (yes/no: the share of yes, 0..1); null when nothing was answered. */
  readonly thisWeek: number | null;
  /** Last week's, the same way; null when it was not asked or not answered. */
  readonly lastWeek: number | null;
}

/** A participant's week as their report card shows it. */
export interface ReportCard {
  readonly week: string;
  readonly sent: number;
  readonly answered: number;
  readonly streak: number;
  readonly questions: readonly ReportQuestion[];
}

function figureOf(q: QuestionSummary | undefined): number | null {
  if (!q) return null;
  return q.type === 'yes-no' ? q.yesShare : q.average;
}

/** The report card of `current`, compared with the week before it (`previous`, when there is one). */
export function reportCardOf(current: WeekSummary, previous?: WeekSummary): ReportCard {
  const before = new Map((previous?.questions ?? []).map((q) => [q.key, q]));
  return {
    week: current.week,
    sent: current.sent,
    answered: current.answered,
    streak: current.streak,
    questions: current.questions.flatMap((q): ReportQuestion[] =>
      q.type === 'text'
        ? []
        : [
            {
              key: q.key,
              text: q.text,
              type: q.type,
              min: q.min,
              max: q.max,
              unit: q.unit,
              thisWeek: figureOf(q),
              lastWeek: figureOf(before.get(q.key)),
            },
          ],
    ),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An ISO week as a person reads it: "Nov 23–29", "Nov 30–Dec 6" (the ISO form when unparseable). */
export function weekLabel(week: string): string {
  const parsed = parseWeek(week);
  if (!parsed) return week;
  const monday = mondayOfIsoWeek(parsed.year, parsed.week);
  const sunday = addDays(monday, 6);
  const month = (m: number) => MONTHS[m - 1] ?? '';
  const end = sunday.month === monday.month ? `${sunday.day}` : `${month(sunday.month)} ${sunday.day}`;
  return `${month(monday.month)} ${monday.day}–${end}`;
}

const oneDecimal = (x: number) => String(Math.round(x * 10) / 10);

/** A figure as the participant reads it: "7.3", "71% yes", "6.5 hours". */
export function shownFigure(q: Pick<ReportQuestion, 'type' | 'unit'>, value: number | null): string {
  if (value === null) return '–';
  if (q.type === 'yes-no') return `${Math.round(value * 100)}% yes`;
  return q.unit ? `${oneDecimal(value)} ${q.unit}` : oneDecimal(value);
}

/** Where a figure sits between its question's ends, 0..1, for a bar; null without a range. */
function share(q: ReportQuestion, value: number | null, top: number): number | null {
  if (value === null) return null;
  if (q.type === 'yes-no') return value;
  const min = q.min ?? 0;
  const max = q.max ?? top;
  if (max <= min) return null;
  return Math.max(0, Math.min(1, (value - min) / (max - min)));
}

const checkIns = (card: Pick<ReportCard, 'answered' | 'sent'>) =>
  `${card.answered} of ${card.sent} check-in${card.sent === 1 ? '' : 's'} answered`;
const inARow = (streak: number) => (streak >= 2 ? `${streak} days in a row` : '');

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
  const candidates = [
    `Your week: ${checkIns(card)}.${figure}${tail} ${more}: ${historyUrl}`,
    `Your week: ${checkIns(card)}.${figure}${tail} More: ${historyUrl}`,
    `Your week: ${checkIns(card)}.${tail} More: ${historyUrl}`,
    `Your weekly report card: ${historyUrl}`,
  ].map(toGsm);
  return candidates.find((text) => segmentsOf(text) === 1) ?? (candidates.at(-1) as string);
}

/** What the email report card needs besides the card. */
export interface ReportCardEmailInput {
  readonly participantName: string;
  readonly programName: string;
  readonly coachName?: string;
  readonly historyUrl: string;
  readonly unsubscribeUrl: string;
}

const BAR_WIDTH = 120;

/** A horizontal bar as table cells (mail clients drop most CSS, but keep widths and backgrounds). */
function bar(fraction: number | null, colour: string): string {
  if (fraction === null) return '';
  const filled = Math.max(2, Math.round(fraction * BAR_WIDTH));
  return (
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="${BAR_WIDTH}" style="width:${BAR_WIDTH}px;">` +
    `<tr><td width="${filled}" height="8" style="width:${filled}px;height:8px;background:${colour};font-size:0;line-height:0;">&nbsp;</td>` +
    `<td style="background:#e4e7eb;font-size:0;line-height:0;">&nbsp;</td></tr></table>`
  );
}

function topOf(q: ReportQuestion): number {
  return Math.max(q.thisWeek ?? 0, q.lastWeek ?? 0, 1);
}

const cell = (html: string, extra = '') =>
  `<td style="padding:6px 8px 6px 0;font-family:${EMAIL_STYLE.font};font-size:15px;line-height:20px;color:${EMAIL_STYLE.ink};vertical-align:top;${extra}">${html}</td>`;

function questionRows(card: ReportCard): string {
  const head =
    `<tr>${cell('<strong>Question</strong>')}${cell('<strong>This week</strong>', 'white-space:nowrap;')}` +
    `${cell('<strong>Last week</strong>', 'white-space:nowrap;')}</tr>`;
  const rows = card.questions.map((q) => {
    const top = topOf(q);
    const now = `${escapeHtml(shownFigure(q, q.thisWeek))}${bar(share(q, q.thisWeek, top), EMAIL_STYLE.accent)}`;
    const then = `${escapeHtml(shownFigure(q, q.lastWeek))}${bar(share(q, q.lastWeek, top), '#9aa5b1')}`;
    return `<tr>${cell(escapeHtml(q.text))}${cell(now, 'white-space:nowrap;')}${cell(then, 'white-space:nowrap;')}</tr>`;
  });
  return `<tr><td style="padding:0 0 16px 0;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${head}${rows.join('')}</table></td></tr>`;
}

/** The email report card: the week's figures as a table with small bars, and the history link. */
export function reportCardEmail(card: ReportCard, input: ReportCardEmailInput): EmailContent {
  const streak = inARow(card.streak);
  const subject = oneLine(
    `Your week (${weekLabel(card.week)}): ${checkIns(card)}${streak ? `, ${streak}` : ''}`,
  );
  const intro = `Here is your week in ${input.programName}: you answered ${card.answered} of ${card.sent} check-ins.${streak ? ` That's ${streak}.` : ''}`;
  const link = `<a href="${safeUrl(input.historyUrl)}" style="color:${EMAIL_STYLE.accent};text-decoration:underline;">See all your weeks</a>`;
  const rows = [
    paragraph(escapeHtml(greeting(input.participantName))),
    paragraph(escapeHtml(intro)),
    card.questions.length ? questionRows(card) : '',
    paragraph(`${link} (the link works for ${HISTORY_LINK_TTL_DAYS} days).`),
    footer(input.coachName, input.programName, input.unsubscribeUrl, false),
  ].join('\n');
  const lines = card.questions.map(
    (q) => `- ${q.text}: ${shownFigure(q, q.thisWeek)} (last week ${shownFigure(q, q.lastWeek)})`,
  );
  const text = [
    greeting(input.participantName),
    '',
    intro,
    '',
    ...(lines.length ? [...lines, ''] : []),
    `See all your weeks (the link works for ${HISTORY_LINK_TTL_DAYS} days): ${input.historyUrl}`,
    '',
    textFooter(input.coachName, input.programName, input.unsubscribeUrl),
    '',
  ].join('\n');
  return { subject, html: emailDocument(subject, intro, rows), text };
}

/** What the history page shows. */
export interface HistoryPageInput {
  readonly participantName: string;
  readonly programName?: string;
  /** Newest first. */
  readonly weeks: readonly ReportCard[];
  /** When the link stops working. */
  readonly expiresAt: string;
}

function pageBar(fraction: number | null): string {
  if (fraction === null) return '';
  const percent = Math.max(2, Math.round(fraction * 100));
  return `<span class="bar" aria-hidden="true"><span style="width:${percent}%"></span></span>`;
}

/** The participant's own history: each question's weekly figure, newest week first. No script. */
export function historyPage(input: HistoryPageInput): string {
  const [newest] = input.weeks;
  const questions = new Map<string, ReportQuestion>();
  for (const week of input.weeks)
    for (const q of week.questions) if (!questions.has(q.key)) questions.set(q.key, q);
  const title = input.programName ? `Your weeks in ${input.programName}` : 'Your weeks';
  const streak = newest ? inARow(newest.streak) : '';
  const summary = input.weeks
    .map(
      (w) =>
        `<tr><th scope="row">${escapeHtml(weekLabel(w.week))}</th><td>${escapeHtml(checkIns(w))}</td></tr>`,
    )
    .join('\n');
  const sections = [...questions.values()].map((q) => {
    const rows = input.weeks.map((w) => {
      const own = w.questions.find((x) => x.key === q.key);
      const value = own?.thisWeek ?? null;
      const top = Math.max(
        1,
        ...input.weeks.map((x) => x.questions.find((y) => y.key === q.key)?.thisWeek ?? 0),
      );
      return `<tr><th scope="row">${escapeHtml(weekLabel(w.week))}</th><td>${escapeHtml(shownFigure(q, value))}</td><td class="b">${pageBar(own ? share(own, value, top) : null)}</td></tr>`;
    });
    return `<h2>${escapeHtml(q.text)}</h2>\n<table>\n${rows.join('\n')}\n</table>`;
  });
  const expires = input.expiresAt.slice(0, 10);
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(greeting(input.participantName))} here are your own answers, week by week.${streak ? ` Right now: ${escapeHtml(streak)}.` : ''}</p>`,
    input.weeks.length ? `<h2>Check-ins</h2>\n<table>\n${summary}\n</table>` : '<p>No weeks to show yet.</p>',
    ...sections,
    `<p class="muted">Only someone with this link can open this page, and it stops working on ${escapeHtml(expires)}. Your coach's private notes are never shown here.</p>`,
  ].join('\n');
  return page(
    title,
    `<style>table{border-collapse:collapse;width:100%;margin:0 0 20px}th,td{text-align:left;padding:6px 8px 6px 0;border-bottom:1px solid #e4e7eb;font-weight:400}th{white-space:nowrap}td.b{width:40%}.bar{display:block;height:8px;background:#e4e7eb;border-radius:4px}.bar span{display:block;height:8px;background:${EMAIL_STYLE.accent};border-radius:4px}h2{font-size:18px;margin:20px 0 8px}</style>\n${body}`,
  );
}

/** The page for a history link that cannot be used (expired, altered, or its participant erased). */
export function historyLinkProblemPage(problem: 'expired' | 'invalid'): string {
  const body =
    problem === 'expired'
      ? `<h1>This link has expired</h1>
<p>History links work for ${HISTORY_LINK_TTL_DAYS} days. Your next weekly report card brings a new one.</p>`
      : `<h1>This link doesn't work</h1>
<p>It may have been cut short or changed when it was copied. Open it again from your weekly report card.</p>`;
  return page(problem === 'expired' ? 'Link expired' : 'Link not valid', body);
}
