/** A coach's push as an email (what a push may say is the core's: `domain/push.ts`). */
import type { Question } from '../../../domain/program.js';
import {
  answerButtons,
  answerLinkLines,
  answerValues,
  defaultReplyHint,
  escapeHtml,
} from './email-messages.js';

/**
 * A push as an email: a short personal note, the exercise question, the unsubscribe footer. A scale
 * or yes/no question gets one-click answer buttons, as a check-in does, when its links are given;
 * any question can be answered by replying.
 */
export function pushEmail(input: {
  readonly text: string;
  readonly question: Question | undefined;
  readonly programName: string;
  readonly unsubscribeUrl: string;
  /** One-click answer URLs of the question, by value (see `answerValues`). */
  readonly links?: Readonly<Record<number, string>>;
}): { subject: string; html: string; text: string } {
  if (!/^https?:\/\//iu.test(input.unsubscribeUrl)) throw new RangeError('links must be http(s) URLs');
  const { question, links } = input;
  const subject = question ? 'A note and a question from your coach' : 'A note from your coach';
  const clickable = question && links && answerValues(question).length > 0 ? question : undefined;
  const ask = question
    ? clickable
      ? question.text
      : `${question.text} Reply to this email with your answer.`
    : undefined;
  const buttons = clickable ? answerButtons(clickable, links) : '';
  const linkLines = clickable ? answerLinkLines(clickable, links) : [];
  const replyHint = clickable ? defaultReplyHint([clickable]) : undefined;
  const footer = `You receive this because your coach enrolled you in ${input.programName}.`;
  const p = (html: string, style = '') =>
    `<p style="margin:0 0 16px 0;font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:24px;color:#1f2933;${style}">${html}</p>`;
  const paragraphs = input.text.split(/\n{2,}/u).map((para) => p(escapeHtml(para).replace(/\n/gu, '<br>')));
  const html = [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:16px 8px;background:#f5f7fa;">',
    '<div style="max-width:600px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px 20px;">',
    ...paragraphs,
    ...(ask ? [p(escapeHtml(ask), 'font-weight:600;')] : []),
    ...(buttons ? [`<div style="margin:0 0 16px 0;">${buttons}</div>`] : []),
    ...(replyHint ? [p(escapeHtml(replyHint), 'font-size:15px;color:#52606d;')] : []),
    p(
      `${escapeHtml(footer)} <a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#52606d;">Unsubscribe</a> to stop these emails.`,
      'font-size:13px;color:#52606d;border-top:1px solid #d9e2ec;padding-top:16px;',
    ),
    '</div></body></html>',
  ].join('\n');
  const text = [
    input.text,
    '',
    ...(ask ? [ask, ''] : []),
    ...(linkLines.length ? [...linkLines, ''] : []),
    ...(replyHint ? [replyHint, ''] : []),
    '--',
    footer,
    `Unsubscribe: ${input.unsubscribeUrl}`,
    '',
  ].join('\n');
  return { subject, html, text };
}
