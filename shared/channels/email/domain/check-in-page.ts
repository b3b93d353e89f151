/**
 * The check-in page: every question of a prompt on one page, answered with one form POST. It works
 * without JavaScript (it has none: plain radio buttons, boxes and a submit button) and down to a
 * 320 px screen (choices wrap, nothing is wider than the screen). Pure: strings in, strings out;
 * what the participant or coach wrote is escaped.
 */
import * as z from 'zod';
import type { Question } from '../../../domain/program.js';
import type { ParsedAnswer } from '../../../domain/reply.js';
import {
  answerFieldset,
  COMMENT_MAX_LENGTH,
  commentBox,
  escapeHtml,
  page,
  safeUrl,
} from './email-messages.js';

/** The form field of the question at `index` (0-based): `q1`, `q2`, … */
export const checkInField = (index: number) => `q${index + 1}`;

/** Input of {@link checkInPage}. */
export interface CheckInPageInput {
  readonly programName?: string;
  readonly questions: readonly Question[];
  /** Where the form POSTs (the page's own URL). */
  readonly formAction: string;
  /** Indexes of questions that already have an answer: sending them again replaces it. */
  readonly answered?: readonly number[];
}

/** The page a check-in email's "answer on one page" link opens. Records nothing. */
export function checkInPage(input: CheckInPageInput): string {
  const answered = new Set(input.answered ?? []);
  const several = input.questions.length > 1;
  const fieldsets = input.questions
    .map((question, i) => {
      const legend = `${several ? `${i + 1}. ` : ''}${question.text}${answered.has(i) ? ' (answered; pick again to change it)' : ''}`;
      return answerFieldset(question, checkInField(i), { legend });
    })
    .join('\n');
  const intro = several
    ? 'Answer what you like and send it all at once. A question left blank stays as it is.'
    : 'Answer and send.';
  const title = input.programName ? `Your check-in: ${input.programName}` : 'Your check-in';
  const body = `<h1>${escapeHtml(title)}</h1>
<p class="muted">${intro}</p>
<form method="post" action="${safeUrl(input.formAction)}">
${fieldsets}
${commentBox()}
<button type="submit" class="primary">Send answers</button>
</form>`;
  return page('Your check-in', body);
}

/** The form as POSTed: `q1`…`qN` and `comment`, nothing else, each bounded. */
const CheckInFormSchema = z.record(
  z.string().regex(/^(?:q[1-9]\d{0,2}|comment)$/u, { error: 'is not a field of this form' }),
  z.string().max(COMMENT_MAX_LENGTH, { error: `at most ${COMMENT_MAX_LENGTH} characters` }),
);

/** What a check-in form amounts to: answers, or the first field that is wrong and why. */
export type CheckInForm =
  | { readonly ok: true; readonly answers: readonly ParsedAnswer[]; readonly comment?: string }
  | { readonly ok: false; readonly field: string; readonly message: string };

/** One field read as the question's answer; undefined when left blank. */
function readField(
  question: Question,
  raw: string,
): Omit<ParsedAnswer, 'questionIndex'> | string | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  switch (question.type) {
    case 'scale': {
      const min = question.min ?? 1;
      const max = question.max ?? 10;
      const value = /^\d{1,3}$/u.test(text) ? Number(text) : Number.NaN;
      return value >= min && value <= max ? { value } : `expected a whole number from ${min} to ${max}`;
    }
    case 'yes-no':
      return text === '1' || text === '0' ? { value: Number(text) } : 'expected Yes or No';
    case 'number': {
      const value = /^-?\d{1,9}(?:[.,]\d{1,6})?$/u.test(text) ? Number(text.replace(',', '.')) : Number.NaN;
      if (!Number.isFinite(value)) return 'expected a number';
      if (question.min !== undefined && value < question.min) return `expected at least ${question.min}`;
      if (question.max !== undefined && value > question.max) return `expected at most ${question.max}`;
      return { value };
    }
    case 'text':
      return { text };
  }
}

/**
 * Reads a POSTed check-in form against the prompt's questions: each answered field must fit its
 * question (a scale's range, yes/no, a number within bounds), blanks are left out, at least one
 * question must be answered. Reports the first wrong field by name.
 */
export function readCheckInForm(
  questions: readonly Question[],
  form: Readonly<Record<string, string>>,
): CheckInForm {
  const shape = CheckInFormSchema.safeParse(form);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    return { ok: false, field: String(issue?.path[0] ?? 'form'), message: issue?.message ?? 'is invalid' };
  }
  const fields = shape.data;
  for (const name of Object.keys(fields)) {
    if (name !== 'comment' && Number(name.slice(1)) > questions.length)
      return { ok: false, field: name, message: 'is not a field of this form' };
  }
  const answers: ParsedAnswer[] = [];
  for (const [i, question] of questions.entries()) {
    const field = checkInField(i);
    const read = readField(question, fields[field] ?? '');
    if (typeof read === 'string') return { ok: false, field, message: read };
    if (read) answers.push({ ...read, questionIndex: i });
  }
  if (answers.length === 0)
    return { ok: false, field: checkInField(0), message: 'answer at least one question' };
  const comment = fields.comment?.trim();
  return { ok: true, answers, ...(comment ? { comment } : {}) };
}
