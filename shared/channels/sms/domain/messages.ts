/**
 * The words participants read. Composed to stay in the GSM-7 alphabet: one curly quote or emoji
 * turns a message into UCS-2, which halves the characters per segment and doubles the price.
 * Pure.
 */
import type { Question } from '../../../domain/program.js';
import type { ParsedAnswer, ReplyProblem } from '../../../domain/reply.js';

const EXAMPLE_ANSWERS = [7, 8, 6, 9, 5, 8, 7, 6, 8, 9];
const YES_NO_EXAMPLES = ['Y', 'N'];

/** Replaces typographic characters with their GSM-7 equivalents. */
export function toGsm(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u00B4\u0060]/gu, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/gu, '"')
    .replace(/[\u2010-\u2015\u2212]/gu, '-')
    .replace(/\u2026/gu, '...')
    .replace(/[\u00A0\u2002-\u200A\u202F]/gu, ' ');
}

const clamp = (n: number, min: number | undefined, max: number | undefined) =>
  Math.min(max ?? n, Math.max(min ?? n, n));

/** The range a scale question shows, "1-10" by default. */
function scaleText(q: Extract<Question, { type: 'scale' }>): string {
  return `${q.min ?? 1}-${q.max ?? 10}`;
}

/** A short hint after a question in a mixed prompt: "(1-10)", "(Y/N)", "(minutes walked)". */
function hintOf(q: Question): string {
  switch (q.type) {
    case 'scale':
      return `(${scaleText(q)})`;
    case 'yes-no':
      return '(Y/N)';
    case 'number':
      return `(${q.unit ?? 'number'})`;
    case 'text':
      return '(words)';
  }
}

/** An example answer to the question at `position` of a reply. */
function exampleOf(q: Question, position: number): string {
  switch (q.type) {
    case 'scale':
      return String(clamp(EXAMPLE_ANSWERS[position % EXAMPLE_ANSWERS.length] ?? 7, q.min ?? 1, q.max ?? 10));
    case 'yes-no':
      return YES_NO_EXAMPLES[position % 2] ?? 'Y';
    case 'number':
      return String(clamp(30, q.min, q.max));
    case 'text':
      return 'good day';
  }
}

/** Every question a scale with the same range, or every one yes/no: one shared hint suffices. */
function uniformKind(questions: readonly Question[]): 'scale' | 'yes-no' | undefined {
  const [first] = questions;
  if (!first) return undefined;
  if (questions.every((q) => q.type === 'yes-no')) return 'yes-no';
  if (first.type !== 'scale') return undefined;
  const range = scaleText(first);
  return questions.every((q) => q.type === 'scale' && scaleText(q) === range) ? 'scale' : undefined;
}

/** How to answer one question on its own: "Reply 1-10.", "Reply Y or N.". */
function singleAsk(q: Question): string {
  switch (q.type) {
    case 'scale':
      return `Reply ${scaleText(q)}.`;
    case 'yes-no':
      return 'Reply Y or N.';
    case 'number':
      return q.unit ? `Reply with ${q.unit}, e.g. ${exampleOf(q, 0)}.` : 'Reply with a number.';
    case 'text':
      return 'Reply in a few words.';
  }
}

/** How to answer several questions in one text, and whether each line needs its own hint. */
function severalAsk(questions: readonly Question[]): { ask: string; lineHints: boolean } {
  const example = questions.map(exampleOf).join(' ');
  const kind = uniformKind(questions);
  const first = questions[0];
  if (kind === 'scale' && first?.type === 'scale')
    return {
      ask: `Reply ${questions.length} numbers ${scaleText(first)} in order, e.g. ${example}`,
      lineHints: false,
    };
  if (kind === 'yes-no')
    return { ask: `Reply ${questions.length} Y or N in order, e.g. ${example}`, lineHints: false };
  return { ask: `Reply in order in one text, e.g. ${example}`, lineHints: true };
}

/** A question as numbered in a message: its number in the prompt (1-based) and the question. */
interface Numbered {
  readonly number: number;
  readonly question: Question;
}

/** Questions numbered, then how to answer; compacted when that saves a segment. */
function compose(items: readonly Numbered[], ask: string, lineHints: boolean, lead = ''): string {
  const hint = (q: Question) => (lineHints ? ` ${hintOf(q)}` : '');
  const full = toGsm(
    `${lead}${items.map(({ number, question }) => `${number}. ${question.text}${hint(question)}`).join('\n')}\n${ask}`,
  );
  const compact = compactPrompt(
    items.map(({ number, question }) => ({ number, text: toGsm(question.text), hint: hint(question) })),
    toGsm(ask),
  );
  // Each segment saved is money saved on every prompt, every day.
  return compact && segmentsOf(lead + compact) < segmentsOf(full) ? toGsm(lead) + compact : full;
}

/**
 * The SMS that asks a prompt's questions, with how to answer each type: a range for scales, Y or
 * N, a number with its unit, a few words. Questions of one kind share one hint; mixed ones get a
 * hint each and one example reply.
 */
export function promptSms(questions: readonly Question[]): string {
  const [only] = questions;
  if (questions.length === 1 && only) return toGsm(`${only.text} ${singleAsk(only)}`);
  const { ask, lineHints } = severalAsk(questions);
  return compose(
    questions.map((question, i) => ({ number: i + 1, question })),
    ask,
    lineHints,
  );
}

/**
 * Questions sharing their opening and closing words ("Did I do my best to … today?") asked once
 * with the shared words as a header: the six daily questions fit in two segments instead of three.
 */
function compactPrompt(
  items: readonly { number: number; text: string; hint: string }[],
  ask: string,
): string | undefined {
  // Fewer than two questions share nothing. Checked first: with none, the shortest length below
  // is Infinity and \`every\` of nothing is true, so the loops would never end (a body of
  // \`{"questions":[]}\` hung the program API until its timeout; found by fuzzing).
  if (items.length < 2) return undefined;
  const words = items.map((t) => t.text.split(' '));
  const shortest = Math.min(...words.map((w) => w.length));
  let head = 0;
  while (head < shortest - 1 && words.every((w) => w[head] === words[0]?.[head])) head++;
  let tail = 0;
  while (
    tail < shortest - head - 1 &&
    words.every((w) => w[w.length - 1 - tail] === words[0]?.[words[0].length - 1 - tail])
  ) {
    tail++;
  }
  if (head < 3) return undefined; // nothing worth factoring out
  const first = words[0] ?? [];
  const header = `${first.slice(0, head).join(' ')}...${tail ? ` ${first.slice(first.length - tail).join(' ')}` : ''}`;
  const lines = words.map(
    (w, i) =>
      `${items[i]?.number ?? i + 1} ${w.slice(head, w.length - tail).join(' ')}${items[i]?.hint ?? ''}`,
  );
  return `${header}\n${lines.join('\n')}\n${ask}`;
}

// GSM-7 basic set and the extension characters that take two septets.
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENDED = new Set('^{}\\[~]|€');

/** How many SMS segments a text costs: GSM-7 160/153 per segment, UCS-2 70/67. */
export function segmentsOf(text: string): number {
  let septets = 0;
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) septets += 1;
    else if (GSM7_EXTENDED.has(ch)) septets += 2;
    else {
      const units = [...text].reduce((n, c) => n + ((c.codePointAt(0) ?? 0) > 0xffff ? 2 : 1), 0);
      return units <= 70 ? 1 : Math.ceil(units / 67);
    }
  }
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}

/**
 * The one gentle reminder of an unanswered prompt: short, one GSM-7 segment. Takes the prompt's
 * questions (a count is read as that many 1-10 scales, as before question types existed).
 */
export function reminderSms(questions: readonly Question[] | number): string {
  const qs: readonly Question[] =
    typeof questions === 'number'
      ? Array.from({ length: questions }, () => ({ type: 'scale' as const, text: 'question' }))
      : questions;
  const [only] = qs;
  const kind = uniformKind(qs);
  const ask =
    qs.length === 1 && only
      ? singleReminderAsk(only)
      : kind === 'scale' && only?.type === 'scale'
        ? `${qs.length} numbers ${scaleText(only)}`
        : kind === 'yes-no'
          ? `${qs.length} Y or N`
          : `your ${qs.length} answers in order`;
  return `Gentle reminder: today's check-in is still open. Reply with ${ask} when you have a moment.`;
}

function singleReminderAsk(q: Question): string {
  switch (q.type) {
    case 'scale':
      return `a number ${scaleText(q)}`;
    case 'yes-no':
      return 'Y or N';
    case 'number':
      return q.unit ? toGsm(q.unit) : 'a number';
    case 'text':
      return 'a few words';
  }
}

/** Sent at enrolment: consent must be explicit before any question. */
export function optInRequestSms(coachName: string | undefined): string {
  const from = coachName ? ` from ${coachName}` : '';
  return toGsm(
    `Hi! You've been invited to daily coaching check-ins${from}. Reply YES to start. Reply STOP to opt out, HELP for help. Msg&data rates may apply.`,
  );
}

/** Reply to YES. */
export function optInConfirmedSms(firstQuestionAt: string): string {
  return toGsm(
    `You're in. Your first check-in arrives ${firstQuestionAt}. Reply STOP to opt out at any time.`,
  );
}

/** Reply to STOP (carriers require a confirmation and no further messages). */
export const OPT_OUT_CONFIRMED_SMS = toGsm(
  'You are unsubscribed from coaching check-ins and will get no more messages. Reply START to resubscribe.',
);

/** Reply to HELP when nothing is known about the program or the coach. */
export const HELP_SMS = toGsm(
  'Coaching check-ins: reply to each question as asked. PAUSE 7 pauses a week, SKIP skips today, STOP opts out. Questions? Ask your coach.',
);

/** Who is behind a participant's check-ins, for HELP. */
export interface HelpContext {
  readonly programName?: string;
  readonly coachName?: string;
  readonly coachEmail?: string;
}

/**
 * Reply to HELP (CTIA: the program's name, how to reach someone, how to stop): names the program
 * and the coach's contact, "your coach" when unknown.
 */
export function helpSms(context: HelpContext): string {
  const program = context.programName ? `${context.programName}: coaching check-ins` : 'Coaching check-ins';
  const coach = context.coachName ?? 'your coach';
  const contact = context.coachEmail
    ? `Contact ${coach} at ${context.coachEmail}.`
    : `Questions? Ask ${coach}.`;
  return toGsm(
    `${program}. ${contact} Reply PAUSE 7 to pause a week, SKIP to skip today, STOP to opt out. Msg&data rates may apply.`,
  );
}

/** An answer as a confirmation shows it: "7/10" alone, "Y", "30", "noted" for words. */
function shown(q: Question | undefined, a: ParsedAnswer, alone: boolean): string {
  if (a.text !== undefined) return 'noted';
  if (q?.type === 'yes-no') return a.value === 1 ? 'Y' : 'N';
  if (alone && q?.type === 'scale') return `${a.value}/${q.max ?? 10}`;
  return String(a.value);
}

/**
 * Confirmation after answers were stored, with the streak when there is one: "Got it: 7, 8, 6.
 * 5 days in a row."
 */
export function answersConfirmedSms(
  questions: readonly Question[],
  answers: readonly ParsedAnswer[],
  streak = 0,
): string {
  const list = answers.map((a) => shown(questions[a.questionIndex], a, answers.length === 1)).join(', ');
  const tail = streak >= 2 ? `${streak} days in a row.` : 'Thanks!';
  return `Got it: ${list}. ${tail}`;
}

/**
 * The one follow-up after a partial answer: what was stored, then the questions still open with
 * their numbers from the prompt, and how to answer them.
 */
export function followUpSms(
  questions: readonly Question[],
  answers: readonly ParsedAnswer[],
  missing: readonly number[],
): string {
  const got = answers.map((a) => shown(questions[a.questionIndex], a, false)).join(', ');
  const open = missing
    .map((i) => ({ number: i + 1, question: questions[i] }))
    .filter((n): n is Numbered => n.question !== undefined);
  const lead = `Got ${got}. Still open:\n`;
  const [only] = open;
  if (open.length === 1 && only)
    return toGsm(`${lead}${only.number}. ${only.question.text} ${singleAsk(only.question)}`);
  const { ask, lineHints } = severalAsk(open.map((n) => n.question));
  return compose(open, ask, lineHints, lead);
}

/** How to answer what is still expected, for a clarification. */
function askAgain(questions: readonly Question[], expected: readonly number[]): string {
  const qs = expected.map((i) => questions[i]).filter((q): q is Question => q !== undefined);
  const [only] = qs;
  if (qs.length === 1 && only) {
    switch (only.type) {
      case 'scale':
        return `Please reply with a number from ${only.min ?? 1} to ${only.max ?? 10}, e.g. ${exampleOf(only, 0)}`;
      case 'yes-no':
        return 'Please reply Y or N';
      case 'number':
        return `Please reply with a number${only.unit ? ` (${only.unit})` : ''}, e.g. ${exampleOf(only, 0)}`;
      case 'text':
        return 'Please reply in a few words';
    }
  }
  const kind = uniformKind(qs);
  const example = qs.map(exampleOf).join(' ');
  if (kind === 'scale' && only?.type === 'scale')
    return `Please reply with ${qs.length} numbers from ${only.min ?? 1} to ${only.max ?? 10} in order, e.g. ${example}`;
  return `Please reply with your ${qs.length} answers in order, e.g. ${example}`;
}

function rangeText(p: Extract<ReplyProblem, { reason: 'out-of-range' }>): string {
  if (p.min !== undefined && p.max !== undefined) return `outside ${p.min}-${p.max}`;
  if (p.min !== undefined) return `below ${p.min}`;
  return `above ${p.max}`;
}

/**
 * The one clarification a reply that cannot be stored gets: what was wrong (the range, for a
 * number out of it) and how to answer what is still expected.
 */
export function clarificationSms(
  questions: readonly Question[],
  expected: readonly number[],
  problem: ReplyProblem,
): string {
  const several = expected.length > 1;
  const which = (i: number, given: number) => (several ? `answer ${i + 1} (${given})` : String(given));
  let why: string;
  switch (problem.reason) {
    case 'no-answer':
      why = "Sorry, I didn't catch that.";
      break;
    case 'out-of-range':
      why = `Sorry, ${which(problem.questionIndex, problem.given)} is ${rangeText(problem)}.`;
      break;
    case 'not-whole':
      why = `Sorry, ${which(problem.questionIndex, problem.given)} is not a whole number.`;
      break;
    case 'not-yes-no':
      why = `Sorry, question ${problem.questionIndex + 1} asks Y or N.`;
      break;
    case 'too-many':
      why = `Sorry, I didn't catch that (I counted ${problem.found}).`;
      break;
    case 'no-such-question':
      why = `Sorry, there is no question ${problem.number}.`;
      break;
  }
  return toGsm(`${why} ${askAgain(questions, expected)}`);
}

/** Reply when a message arrives and there is no question waiting for an answer. */
export const NOTHING_OPEN_SMS =
  "Thanks! There's no open question right now; your next check-in is on its way.";

/** Reply to a reply to a prompt already answered: kept for the coach. */
export const NOTED_SMS = 'Thanks, noted.';

/** Reply to PAUSE n. `resumesOn` reads like "Wed, Nov 25". */
export function pausedSms(days: number, resumesOn: string): string {
  // Dates come from Intl, which may put narrow no-break spaces in them: those would force UCS-2.
  return toGsm(
    `Paused for ${days} day${days === 1 ? '' : 's'}. Check-ins resume ${resumesOn}. Reply RESUME to restart sooner.`,
  );
}

/** Reply to a PAUSE with a number of days out of range. */
export function pauseRangeSms(maxDays: number): string {
  return `Sorry, PAUSE takes 1 to ${maxDays} days, e.g. PAUSE 7.`;
}

/** Reply to RESUME. `next` reads like "Tue 8:00 PM". */
export function resumedSms(next: string): string {
  return toGsm(`Welcome back! Your next check-in arrives ${next}.`);
}

/** Reply to RESUME when nothing was paused. */
export const NOT_PAUSED_SMS = "You're not paused; check-ins continue as usual.";

/** Reply to SKIP. */
export const SKIPPED_SMS = "OK, today's check-in is skipped. See you next time!";

/** Reply to SKIP when there is nothing left to skip today. */
export const NOTHING_TO_SKIP_SMS = 'There is no check-in left to skip today.';
