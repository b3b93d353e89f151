/**
 * The words participants read. Composed to stay in the GSM-7 alphabet: one curly quote or emoji
 * turns a message into UCS-2, which halves the characters per segment and doubles the price.
 * Pure.
 */
import type { Question } from './program.js';
import type { ParsedAnswers } from './reply.js';

const EXAMPLE_ANSWERS = [7, 8, 6, 9, 5, 8, 7, 6, 8, 9];

/** Replaces typographic characters with their GSM-7 equivalents. */
export function toGsm(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201A\u2032]/gu, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/gu, '"')
    .replace(/[\u2013\u2014]/gu, '-')
    .replace(/\u2026/gu, '...')
    .replace(/\u00A0/gu, ' ');
}

/** The SMS that asks a prompt's questions. */
export function promptSms(questions: readonly Question[]): string {
  if (questions.length === 1 && questions[0]) {
    return toGsm(`${questions[0].text} Reply 1-10.`);
  }
  const example = EXAMPLE_ANSWERS.slice(0, questions.length).join(' ');
  const ask = `Reply ${questions.length} numbers 1-10 in order, e.g. ${example}`;
  const full = toGsm(`${questions.map((q, i) => `${i + 1}. ${q.text}`).join('\n')}\n${ask}`);
  const compact = compactPrompt(
    questions.map((q) => toGsm(q.text)),
    ask,
  );
  // Each segment saved is money saved on every prompt, every day.
  return compact && segmentsOf(compact) < segmentsOf(full) ? compact : full;
}

/**
 * Questions sharing their opening and closing words ("Did I do my best to … today?") asked once
 * with the shared words as a header: the six daily questions fit in two segments instead of three.
 */
function compactPrompt(texts: readonly string[], ask: string): string | undefined {
  const words = texts.map((t) => t.split(' '));
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
  const lines = words.map((w, i) => `${i + 1} ${w.slice(head, w.length - tail).join(' ')}`);
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

/** The one gentle reminder of an unanswered prompt: short, one GSM-7 segment. */
export function reminderSms(questionCount: number): string {
  const ask = questionCount === 1 ? 'a number 1-10' : `${questionCount} numbers 1-10`;
  return `Gentle reminder: today's check-in is still open. Reply with ${ask} when you have a moment.`;
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

/** Reply to HELP. */
export const HELP_SMS = toGsm(
  'Coaching check-ins: reply to each question with a number 1-10. Reply STOP to opt out, START to resume.',
);

/** Confirmation after answers were stored. */
export function answersConfirmedSms(values: readonly number[]): string {
  return values.length === 1 ? `Got it: ${values[0]}/10. Thanks!` : `Got it: ${values.join(', ')}. Thanks!`;
}

/** The one clarification an unparseable reply gets. */
export function clarificationSms(expected: number, parsed: Exclude<ParsedAnswers, { ok: true }>): string {
  const ask = expected === 1 ? 'a number from 1 to 10' : `${expected} numbers from 1 to 10 in order`;
  const why = parsed.reason === 'wrong-count' && expected > 1 ? ` (I counted ${parsed.found})` : '';
  return `Sorry, I didn't catch that${why}. Please reply with ${ask}, e.g. ${EXAMPLE_ANSWERS.slice(0, expected).join(' ')}`;
}

/** Reply when a message arrives and there is no question waiting for an answer. */
export const NOTHING_OPEN_SMS =
  "Thanks! There's no open question right now; your next check-in is on its way.";
