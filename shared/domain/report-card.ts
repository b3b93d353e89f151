/**
 * The participant's weekly report card — Goldsmith's weekly look back at one's own daily answers:
 * per question this week's average beside last week's, how many check-ins were answered and the
 * streak. It goes out on the participant's channel when their week closes, each channel rendering
 * it (`channels/email/domain/report-card-email.ts`, `channels/sms/domain/report-card-sms.ts`), and the signed link in it opens their own history
 * page. Only the participant's own figures: never the coach's notes, flags or anyone else's. Pure.
 */
import { EMAIL_STYLE, escapeHtml, greeting, page } from './html.js';
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
/** Where `value` sits between the question's bottom and `top`, 0..1, for a bar; null without a figure. */
export function share(q: ReportQuestion, value: number | null, top: number): number | null {
  if (value === null) return null;
  if (q.type === 'yes-no') return value;
  const min = q.min ?? 0;
  const max = q.max ?? top;
  if (max <= min) return null;
  return Math.max(0, Math.min(1, (value - min) / (max - min)));
}

/** "3 of 5 check-ins answered". */
export const checkIns = (card: Pick<ReportCard, 'answered' | 'sent'>) =>
  `${card.answered} of ${card.sent} check-in${card.sent === 1 ? '' : 's'} answered`;
/** "4 days in a row" from a streak of two or more; empty otherwise. */
export const inARow = (streak: number) => (streak >= 2 ? `${streak} days in a row` : '');

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
    const figures = input.weeks.map((w) => w.questions.find((x) => x.key === q.key));
    // Bars of a question without a range are drawn against its highest week.
    const top = Math.max(1, ...figures.map((f) => f?.thisWeek ?? 0));
    const rows = input.weeks.map((w, i) => {
      const own = figures[i];
      const value = own?.thisWeek ?? null;
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
