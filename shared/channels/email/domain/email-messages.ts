/**
 * The emails participants read and the small pages their clicks open. Pure: strings in, strings
 * out.
 *
 * Emails are built for mail clients, not browsers: table layout (Outlook desktop renders with
 * Word), inline styles only (many clients strip `<style>`), no images, buttons at least 44 px
 * tall so a thumb hits them. Every email has a plain-text part with the same links, and a footer
 * saying why it arrived and how to stop it. Every string a participant or coach wrote is escaped.
 */
import { EMAIL_STYLE, escapeHtml, greeting, oneLine, page, safeUrl } from '../../../domain/html.js';

export { EMAIL_STYLE, escapeHtml, greeting, oneLine, page, safeUrl };

const { font: FONT, ink: INK, muted: MUTED, accent: ACCENT } = EMAIL_STYLE;

/**
 * A question as rendered. Today's programs only have `{ text, type: 'scale' }` (1–10); the other
 * shapes are what the renderer already understands.
 */
export type RenderableQuestion =
  | { readonly text: string; readonly type: 'scale'; readonly min?: number; readonly max?: number }
  | { readonly text: string; readonly type: 'yes-no' }
  | { readonly text: string; readonly type: 'number'; readonly unit?: string }
  | { readonly text: string; readonly type: 'text' };

/** An email's three parts. */
export interface EmailContent {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** Answer link URLs: `links[questionIndex][value]`. */
export type AnswerLinks = ReadonlyArray<Readonly<Record<number, string>> | undefined>;

/** Input of {@link checkInEmail} and {@link reminderEmail}. */
export interface CheckInInput {
  readonly participantName: string;
  readonly coachName?: string;
  readonly programName: string;
  readonly questions: readonly RenderableQuestion[];
  /** One-click answer URLs per question and value (see {@link answerValues}). */
  readonly links: AnswerLinks;
  readonly unsubscribeUrl: string;
  /** How to answer by reply; defaults to one built from the questions ("Reply with 6 numbers…"). */
  readonly replyHint?: string;
  /** The check-in page that answers every question at once. */
  readonly checkInUrl?: string;
}

/** Input of {@link welcomeEmail}. */
export interface WelcomeInput {
  readonly participantName: string;
  readonly coachName?: string;
  readonly programName: string;
  /** When check-ins arrive, e.g. "every weekday at 18:00 (America/New_York)". */
  readonly scheduleSummary: string;
  readonly unsubscribeUrl: string;
}

/** Value a yes/no answer link carries for "yes" and for "no". */
export const YES_VALUE = 1;
export const NO_VALUE = 0;

const EXAMPLE_ANSWERS = [7, 8, 6, 9, 5, 8, 7, 6, 8, 9];

/** Values a question's answer links carry: the scale's range, or yes then no; none otherwise. */
export function answerValues(question: RenderableQuestion): number[] {
  if (question.type === 'yes-no') return [YES_VALUE, NO_VALUE];
  if (question.type !== 'scale') return [];
  const { min, max } = scaleRange(question);
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

function scaleRange(question: { min?: number; max?: number }): { min: number; max: number } {
  return { min: question.min ?? 1, max: question.max ?? 10 };
}

function label(question: RenderableQuestion, value: number): string {
  if (question.type === 'yes-no') return value === YES_VALUE ? 'Yes' : 'No';
  return String(value);
}

/** The hint for answering by reply, from the questions. */
export function defaultReplyHint(questions: readonly RenderableQuestion[]): string {
  if (questions.length === 1 && questions[0]) {
    const q = questions[0];
    if (q.type === 'scale') {
      const { min, max } = scaleRange(q);
      return `Or reply to this email with a number from ${min} to ${max}.`;
    }
    if (q.type === 'yes-no') return 'Or reply to this email with yes or no.';
    return 'Reply to this email with your answer.';
  }
  const example = EXAMPLE_ANSWERS.slice(0, questions.length).join(' ');
  return `Or reply to this email with your ${questions.length} answers in order, e.g. "${example}".`;
}

/** Headers for RFC 8058 one-click unsubscribe: mail clients POST `List-Unsubscribe=One-Click` to the URL. */
export function listUnsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  safeUrl(unsubscribeUrl);
  return { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

// ---------------------------------------------------------------------------------------------
// Email building blocks

function button(url: string, text: string, ariaLabel: string): string {
  // Inline-block links wrap on narrow screens; the fixed line-height keeps them 44 px tall.
  return (
    `<a href="${safeUrl(url)}" aria-label="${escapeHtml(ariaLabel)}" style="display:inline-block;` +
    `min-width:44px;height:44px;line-height:44px;margin:0 6px 8px 0;padding:0 8px;box-sizing:border-box;` +
    `border:1px solid ${ACCENT};border-radius:8px;background:#ffffff;color:${ACCENT};` +
    `font-family:${FONT};font-size:18px;font-weight:600;text-align:center;text-decoration:none;">` +
    `${escapeHtml(text)}</a>`
  );
}

function questionBlock(
  question: RenderableQuestion,
  index: number,
  links: AnswerLinks,
  total: number,
): string {
  const number = total > 1 ? `${index + 1}. ` : '';
  const heading =
    `<p style="margin:0 0 10px 0;font-family:${FONT};font-size:17px;line-height:24px;color:${INK};` +
    `font-weight:600;">${escapeHtml(number + question.text)}</p>`;
  const buttons = answerButtons(question, links[index], index);
  let legend = '';
  if (question.type === 'scale') {
    const { min, max } = scaleRange(question);
    legend = `<p style="margin:0;font-family:${FONT};font-size:13px;line-height:18px;color:${MUTED};">${min} = not at all, ${max} = completely</p>`;
  } else if (question.type === 'number' || question.type === 'text') {
    const unit = question.type === 'number' && question.unit ? ` (${escapeHtml(question.unit)})` : '';
    legend = `<p style="margin:0;font-family:${FONT};font-size:15px;line-height:22px;color:${MUTED};">Reply to this email with your answer${unit}.</p>`;
  }
  return `<tr><td style="padding:0 0 20px 0;">${heading}${buttons ? `<div>${buttons}</div>` : ''}${legend}</td></tr>`;
}

/**
 * A question's one-click answer buttons as HTML (empty for number and text questions).
 * @throws RangeError when a value has no URL in `urls`
 */
export function answerButtons(
  question: RenderableQuestion,
  urls: Readonly<Record<number, string>> | undefined,
  index = 0,
): string {
  return answerValues(question)
    .map((value) => {
      const url = urls?.[value];
      if (url === undefined) throw new RangeError(`no answer link for question ${index + 1}, value ${value}`);
      const aria =
        question.type === 'scale'
          ? `Answer ${value} of ${scaleRange(question).max}`
          : `Answer ${label(question, value)}`;
      return button(url, label(question, value), aria);
    })
    .join('');
}

/**
 * A question's answer links for a plain-text part, one indented `label: url` line per value.
 * @throws RangeError when a value has no URL in `urls`
 */
export function answerLinkLines(
  question: RenderableQuestion,
  urls: Readonly<Record<number, string>> | undefined,
  index = 0,
): string[] {
  return answerValues(question).map((value) => {
    const url = urls?.[value];
    if (url === undefined) throw new RangeError(`no answer link for question ${index + 1}, value ${value}`);
    return `   ${label(question, value)}: ${url}`;
  });
}

/** A paragraph row of an email's layout table. */
export function paragraph(html: string, extra = ''): string {
  return `<tr><td style="padding:0 0 16px 0;font-family:${FONT};font-size:16px;line-height:24px;color:${INK};${extra}">${html}</td></tr>`;
}

/** The last row of an email: why it came and the unsubscribe link. */
export function footer(
  coachName: string | undefined,
  programName: string,
  unsubscribeUrl: string,
  replyNote: boolean,
) {
  const who = coachName ? escapeHtml(coachName) : 'your coach';
  const reply = replyNote ? 'Reply to this email with your numbers to answer. ' : '';
  return (
    `<tr><td style="padding:16px 0 0 0;border-top:1px solid #d9e2ec;font-family:${FONT};font-size:13px;` +
    `line-height:20px;color:${MUTED};">You receive this because ${who} enrolled you in ` +
    `${escapeHtml(programName)}. ${reply}<a href="${safeUrl(unsubscribeUrl)}" style="color:${MUTED};` +
    `text-decoration:underline;">Unsubscribe</a> to stop these emails.</td></tr>`
  );
}

/** A whole HTML email around its rows. Outlook desktop ignores max-width: the conditional table holds it to 600 px there. */
export function emailDocument(title: string, preheader: string, rows: string): string {
  return `<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>${escapeHtml(title)}</title>
</head>
<body style="margin:0;padding:0;background:#f5f7fa;">
<div style="display:none;max-height:0;overflow:hidden;">${escapeHtml(preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f5f7fa;">
<tr><td align="center" style="padding:16px 8px;">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border-radius:8px;">
<tr><td style="padding:24px 20px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
${rows}
</table>
</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</body>
</html>`;
}

function checkInSubject(input: CheckInInput): string {
  const first = input.questions[0];
  if (input.questions.length === 1 && first) return oneLine(first.text);
  return oneLine(`${input.programName}: ${input.questions.length} quick questions`);
}

/** The plain-text part's footer: why it came and the unsubscribe URL. */
export function textFooter(
  coachName: string | undefined,
  programName: string,
  unsubscribeUrl: string,
): string {
  return [
    '--',
    `You receive this because ${coachName ?? 'your coach'} enrolled you in ${programName}.`,
    `Unsubscribe: ${unsubscribeUrl}`,
  ].join('\n');
}

/** The words of a check-in email's link to its check-in page. */
function checkInLinkText(questions: number): string {
  return questions > 1 ? `Answer all ${questions} questions on one page` : 'Answer on a page';
}

function checkIn(input: CheckInInput, kind: 'prompt' | 'reminder'): EmailContent {
  const { questions, links } = input;
  if (questions.length === 0) throw new RangeError('a check-in needs at least one question');
  const hint = input.replyHint ?? defaultReplyHint(questions);
  const intro =
    kind === 'reminder'
      ? `A gentle reminder: your ${input.programName} check-in is still open. It takes a minute.`
      : questions.length === 1
        ? 'Your check-in for today. One tap answers it.'
        : 'Your check-in for today. One tap per question answers it.';
  const subject = kind === 'reminder' ? oneLine(`Reminder: ${checkInSubject(input)}`) : checkInSubject(input);

  const onePage = checkInLinkText(questions.length);
  const rows = [
    paragraph(escapeHtml(greeting(input.participantName))),
    paragraph(escapeHtml(intro)),
    ...questions.map((q, i) => questionBlock(q, i, links, questions.length)),
    ...(input.checkInUrl
      ? [
          paragraph(
            `<a href="${safeUrl(input.checkInUrl)}" style="color:${ACCENT};font-weight:600;text-decoration:underline;">${escapeHtml(onePage)}</a>`,
          ),
        ]
      : []),
    paragraph(escapeHtml(hint), `color:${MUTED};font-size:15px;`),
    footer(input.coachName, input.programName, input.unsubscribeUrl, true),
  ].join('\n');

  const textQuestions = questions.map((q, i) => {
    const number = questions.length > 1 ? `${i + 1}. ` : '';
    const lines = [`${number}${q.text}`, ...answerLinkLines(q, links[i], i)];
    if (q.type === 'number' || q.type === 'text') lines.push('   (reply to this email with your answer)');
    return lines.join('\n');
  });
  const text = [
    greeting(input.participantName),
    '',
    intro,
    '',
    'Open the link for your answer:',
    '',
    textQuestions.join('\n\n'),
    '',
    ...(input.checkInUrl ? [`${onePage}: ${input.checkInUrl}`, ''] : []),
    hint,
    '',
    textFooter(input.coachName, input.programName, input.unsubscribeUrl),
    '',
  ].join('\n');
  return { subject, html: emailDocument(subject, intro, rows), text };
}

/** The check-in email of a prompt: its questions with one-click answer buttons. */
export function checkInEmail(input: CheckInInput): EmailContent {
  return checkIn(input, 'prompt');
}

/** The one gentle reminder of an unanswered check-in; the same buttons, a softer opening. */
export function reminderEmail(input: CheckInInput): EmailContent {
  return checkIn(input, 'reminder');
}

/** The first email after enrolment: what will arrive, when, and how to stop it. */
export function welcomeEmail(input: WelcomeInput): EmailContent {
  const coach = input.coachName ?? 'Your coach';
  const subject = oneLine(`Welcome to ${input.programName}`);
  const lines = [
    `${coach} enrolled you in ${input.programName}.`,
    `You will get a short check-in email ${input.scheduleSummary}. Answering takes a minute: tap a number in the email, or reply to it with your numbers.`,
    'Your coach reads your answers and sends you a short note once a week.',
  ];
  const rows = [
    paragraph(escapeHtml(greeting(input.participantName))),
    ...lines.map((line) => paragraph(escapeHtml(line))),
    paragraph(
      `Don't want these? <a href="${safeUrl(input.unsubscribeUrl)}" style="color:${ACCENT};text-decoration:underline;">Unsubscribe</a> at any time, from any check-in.`,
    ),
    footer(input.coachName, input.programName, input.unsubscribeUrl, false),
  ].join('\n');
  const text = [
    greeting(input.participantName),
    '',
    ...lines.flatMap((line) => [line, '']),
    `Don't want these? Unsubscribe at any time: ${input.unsubscribeUrl}`,
    '',
    textFooter(input.coachName, input.programName, input.unsubscribeUrl),
    '',
  ].join('\n');
  return { subject, html: emailDocument(subject, lines[1] ?? '', rows), text };
}

/**
 * The answer to a participant's email reply (a confirmation with their progress, or what PAUSE,
 * RESUME, SKIP or STOP did), in the words an SMS participant gets: `Re:` their own subject.
 */
/** A subject without the "Re:", "AW:", "Fwd:" or "Re[2]:" prefixes mail clients add. */
export function withoutReplyPrefix(subject: string): string {
  return subject.replace(/^(?:\s*(?:re|aw|sv|antw|fwd?)\s*(?:\[\d+\])?\s*:)+/iu, '');
}

export function replyEmail(input: { readonly subject: string; readonly text: string }): EmailContent {
  const own = oneLine(withoutReplyPrefix(input.subject));
  const subject = oneLine(`Re: ${own || 'your check-in'}`);
  const html = emailDocument(subject, input.text, paragraph(escapeHtml(input.text)));
  return { subject, html, text: `${input.text}\n` };
}

// ---------------------------------------------------------------------------------------------
// Pages opened from an email (browsers, not mail clients: a <style> block is fine here)

/** Input of {@link answerConfirmPage}. */
export interface AnswerConfirmInput {
  readonly question: RenderableQuestion;
  /** The value the clicked link carries: shown preselected. */
  readonly value: number;
  /** Where the form POSTs the answer (usually the link's own URL). */
  readonly formAction: string;
}

/** Name of the submit button's field: only a press of the button sends it (see {@link answerConfirmPage}). */
export const CONFIRM_FIELD = 'confirm';

/**
 * A question as a group of choices for a form: radio buttons for a scale (its whole range) or
 * yes/no, a number box, or a text box. `name` is the form field; `selected` is checked.
 */
export function answerFieldset(
  question: RenderableQuestion,
  name: string,
  options: { readonly legend: string; readonly selected?: number },
): string {
  const legend = `<legend>${escapeHtml(options.legend)}</legend>`;
  const values = answerValues(question);
  if (values.length > 0) {
    const choices = values
      .map((value) => {
        const checked = value === options.selected ? ' checked' : '';
        return `<label class="choice"><input type="radio" name="${name}" value="${value}"${checked}><span>${escapeHtml(label(question, value))}</span></label>`;
      })
      .join('');
    const scale =
      question.type === 'scale'
        ? `<p class="muted">${scaleRange(question).min} = not at all, ${scaleRange(question).max} = completely</p>`
        : '';
    return `<fieldset>${legend}<div class="choices">${choices}</div>${scale}</fieldset>`;
  }
  const id = `f-${name}`;
  if (question.type === 'number') {
    const unit = question.unit ? ` (${escapeHtml(question.unit)})` : '';
    return `<fieldset>${legend}<label class="field" for="${id}">Your number${unit}</label><input id="${id}" name="${name}" type="text" inputmode="decimal" autocomplete="off" maxlength="32"></fieldset>`;
  }
  return `<fieldset>${legend}<label class="field" for="${id}">Your answer</label><textarea id="${id}" name="${name}" maxlength="${COMMENT_MAX_LENGTH}" rows="3"></textarea></fieldset>`;
}

/** The optional comment box of the answer pages (field `comment`). */
export function commentBox(): string {
  return `<label class="field" for="comment">Anything to add? (optional)</label>
<textarea id="comment" name="comment" maxlength="${COMMENT_MAX_LENGTH}" rows="3"></textarea>
<p class="muted">Only your coach reads it.</p>`;
}

/**
 * The page an answer link's GET shows: the question with the link's answer preselected, the
 * optional comment box and one big Confirm button. Opening it records nothing, and it has no
 * script at all: only a person pressing the button POSTs the answer, so mail scanners that open
 * every link of a message in a browser, scripts running, record nothing. The button's own field
 * ({@link CONFIRM_FIELD}) is sent only when it is pressed.
 */
export function answerConfirmPage(input: AnswerConfirmInput): string {
  const body = `<h1>Your answer</h1>
<form method="post" action="${safeUrl(input.formAction)}">
${answerFieldset(input.question, 'value', { legend: input.question.text, selected: input.value })}
${commentBox()}
<button type="submit" class="primary" name="${CONFIRM_FIELD}" value="1">Confirm</button>
</form>`;
  return page('Confirm your answer', body);
}

/** Input of {@link thankYouPage}. */
export interface ThankYouInput {
  /** What was recorded and the streak, as an SMS confirms it: "Got it: 7, 8, 6. 5 days in a row." */
  readonly progress: string;
  /** Offers a link to answer the rest of the check-in on one page. */
  readonly checkInUrl?: string;
}

/** Maximum length of a comment, as the box enforces (the server must too). */
export const COMMENT_MAX_LENGTH = 500;

/** The page after answers are recorded: the progress line SMS participants get. */
export function thankYouPage(input: ThankYouInput): string {
  const rest = input.checkInUrl
    ? `\n<p><a href="${safeUrl(input.checkInUrl)}">Answer the other questions on one page</a></p>`
    : '';
  return page(
    'Answer recorded',
    `<h1>Thank you</h1>\n<p class="progress">${escapeHtml(input.progress)}</p>${rest}\n<p class="muted">You can close this page.</p>`,
  );
}

/** A page for a form that was sent incomplete or wrong: what to fix; nothing was recorded. */
export function formProblemPage(problem: string): string {
  return page(
    'Please check your answer',
    `<h1>Please check your answer</h1>\n<p>${escapeHtml(problem)}</p>\n<p class="muted">Nothing was recorded. Go back to change it and send it again.</p>`,
  );
}

/** The page for an answer link that cannot be used. */
export function linkProblemPage(problem: 'expired' | 'invalid'): string {
  const body =
    problem === 'expired'
      ? `<h1>This link has expired</h1>
<p>Answer links work for a few days after the email is sent. To answer, reply to your latest check-in email with your numbers, or wait for the next one.</p>`
      : `<h1>This link doesn't work</h1>
<p>It may have been cut short or changed when it was copied. Open it again from the email, or reply to the email with your numbers instead.</p>`;
  return page(problem === 'expired' ? 'Link expired' : 'Link not valid', body);
}

/** Input of {@link unsubscribePage}. */
export type UnsubscribePageInput =
  /** GET: a button that POSTs; a GET alone never unsubscribes (mail scanners open every link). */
  | { readonly step: 'confirm'; readonly formAction: string; readonly programName?: string }
  /** After the POST. */
  | { readonly step: 'done'; readonly programName?: string };

/** The unsubscribe page: confirm with one button, then "You're unsubscribed". */
export function unsubscribePage(input: UnsubscribePageInput): string {
  const what = input.programName ? `${escapeHtml(input.programName)} check-ins` : 'check-in emails';
  if (input.step === 'done') {
    return page(
      'Unsubscribed',
      `<h1>You're unsubscribed</h1>
<p>You won't get any more ${what} at this address. If that was a mistake, ask your coach to enrol you again.</p>`,
    );
  }
  return page(
    'Unsubscribe',
    `<h1>Unsubscribe?</h1>
<p>Stop all ${what} to this address.</p>
<form method="post" action="${safeUrl(input.formAction)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button>
</form>`,
  );
}
