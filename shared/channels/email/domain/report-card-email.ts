/** The weekly report card as an email (the card itself is the core's: `domain/report-card.ts`). */
import {
  checkIns,
  HISTORY_LINK_TTL_DAYS,
  inARow,
  type ReportCard,
  type ReportQuestion,
  share,
  shownFigure,
  weekLabel,
} from '../../../domain/report-card.js';
import {
  EMAIL_STYLE,
  type EmailContent,
  emailDocument,
  escapeHtml,
  footer,
  greeting,
  oneLine,
  paragraph,
  safeUrl,
  textFooter,
} from './email-messages.js';

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
