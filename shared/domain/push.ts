/**
 * Coach pushes: the short personal message a coach sends a participant after reading their week,
 * optionally with a micro-exercise (one question to answer, asked again N days later). What the
 * coach may write, the templates offered, and how a push reads on each channel. Pure.
 */
import * as z from 'zod';
import {
  answerButtons,
  answerLinkLines,
  answerValues,
  defaultReplyHint,
  escapeHtml,
} from '../channels/email/domain/email-messages.js';
import { toGsm } from '../channels/sms/domain/messages.js';
import { type Question, QuestionSchema, scaleRange } from './program.js';
import { PUSH_MAX_LENGTH, unknownFieldsProblem } from './push-fields.js';

export { firstName, PUSH_MAX_LENGTH } from './push-fields.js';

// The limit holds again on each participant's filled-in text (`checkRenderedPush`).
const pushText = z
  .string()
  .trim()
  .min(1)
  .max(PUSH_MAX_LENGTH)
  .superRefine((text, ctx) => {
    const problem = unknownFieldsProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A micro-exercise: a question the participant answers, optionally asked again N days later. */
export const ExerciseSchema = z.object({
  question: QuestionSchema,
  followUpDays: z.number().int().min(1).max(14).optional(),
});
export type Exercise = z.infer<typeof ExerciseSchema>;

const isoWeek = z
  .string()
  .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/u, 'expected an ISO week such as 2026-W48');

/** Body of `POST /api/participants/{id}/pushes`. */
export const NewPushSchema = z.object({
  text: pushText,
  /** The ISO week this push answers (the one "This week" shows it against); default the current one. */
  week: isoWeek.optional(),
  /** When to send; absent: now. Never inside the participant's quiet hours: deferred to their end. */
  sendAt: z.iso.datetime({ offset: true }).optional(),
  exercise: ExerciseSchema.optional(),
});
export type NewPush = z.infer<typeof NewPushSchema>;

/** Body of `POST /api/pushes/bulk`: the fields (`PUSH_FIELDS`) are filled in per participant. */
export const BulkPushSchema = z.object({
  text: pushText,
  to: z.enum(['all', 'flagged']),
  /** The ISO week whose flags `flagged` uses, and that the pushes answer; default the current one. */
  week: isoWeek.optional(),
});
export type BulkPush = z.infer<typeof BulkPushSchema>;

/** A template the push composer offers. */
export interface PushTemplate {
  readonly id: string;
  readonly name: string;
  /** `[…]` marks what the coach fills in; `{{firstName}}` is personalised when sent. */
  readonly text: string;
  readonly hint: string;
}

/**
 * The templates offered. The first is the observation → impact → improvement-offer form: what the
 * coach saw, why it matters, and one concrete offer, in a few sentences.
 */
export const PUSH_TEMPLATES: readonly PushTemplate[] = [
  {
    id: 'observation-impact-offer',
    name: 'Observation, impact, improvement offer',
    text: 'Hi {{firstName}}, this week I noticed [observation]. That matters because [impact]. One idea for next week: [offer]. Want to try it?',
    hint: 'Say what you saw in the answers, why it matters to them, then offer one small, concrete step.',
  },
  {
    id: 'recognition',
    name: 'Recognition',
    text: 'Hi {{firstName}}, [what went well] this week stood out. Keep it going: [next small step].',
    hint: 'Name one specific thing that went well and the next small step.',
  },
  {
    id: 'check-in-after-silence',
    name: 'Check-in after silence',
    text: "Hi {{firstName}}, I haven't heard from you for a few days. No pressure: a one-number reply is plenty. Anything I can make easier?",
    hint: 'For participants flagged silent: keep it light and make replying easy.',
  },
];

/** How to answer an exercise question by SMS. */
function smsAnswerHint(question: Question): string {
  switch (question.type) {
    case 'scale': {
      const { min, max } = scaleRange(question);
      return `Reply ${min}-${max}.`;
    }
    case 'yes-no':
      return 'Reply Y or N.';
    case 'number':
      return question.unit ? `Reply with a number (${question.unit}).` : 'Reply with a number.';
    case 'text':
      return 'Reply with a few words.';
  }
}

/** A push as an SMS: the coach's text, then the exercise question if any, in GSM-7. */
export function pushSms(text: string, question: Question | undefined): string {
  const ask = question ? `\n${question.text} ${smsAnswerHint(question)}` : '';
  return toGsm(`${text}${ask}`);
}

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
