/**
 * Understanding what a participant texted back. Pure.
 *
 * People answer a scale question in many ways: "7", "7/10", "7 of 10", "8 tough day",
 * "7 8 6 9 5 8", "7,8,6,9,5,8". Numbers are read in order, one per question; anything after the
 * last expected number is kept as a comment.
 */

/** Carrier keyword classes (CTIA): opt-out, opt-in and help. */
export type Keyword = 'opt-out' | 'opt-in' | 'help';

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES']);
const HELP = new Set(['HELP', 'INFO']);

// Invisible format characters (zero-width space, word joiner, BOM, soft hyphen, direction marks).
// Keyboards, copy-paste and deliberate evasion put them inside words that must still be understood.
const INVISIBLE = /\p{Cf}/gu;
// Joiners are meaningful inside emoji and some scripts; next to plain ASCII they only hide text.
const STRAY_JOINER = /[\u200C\u200D](?=\p{ASCII})|(?<=\p{ASCII})[\u200C\u200D]/gu;
const OTHER_INVISIBLE = /(?![\u200C\u200D])\p{Cf}/gu;
// Punctuation, symbols and emoji around a keyword ("Stop!", "«STOP»", "STOP 🛑") do not change it.
const SURROUNDING = /^(?:[\p{P}\p{S}\p{Z}\s]|\uFE0F)+|(?:[\p{P}\p{S}\p{Z}\s]|\uFE0F)+$/gu;

/**
 * The keyword a whole message amounts to, if it is one ("stop", "Yes!", " HELP ", "ＳＴＯＰ",
 * "STOP" with a zero-width space): compared after NFKC normalisation, without invisible
 * characters and without surrounding punctuation, symbols or emoji.
 */
export function keywordOf(text: string): Keyword | undefined {
  const word = text.replace(INVISIBLE, '').normalize('NFKC').replace(SURROUNDING, '').toUpperCase();
  if (OPT_OUT.has(word)) return 'opt-out';
  if (OPT_IN.has(word)) return 'opt-in';
  if (HELP.has(word)) return 'help';
  return undefined;
}

/** A participant's command beyond the carrier keywords. */
export type Command =
  | { readonly kind: Keyword; readonly word: string }
  /** `PAUSE` / `PAUSE n` (days; {@link DEFAULT_PAUSE_DAYS} when absent). */
  | { readonly kind: 'pause'; readonly days: number }
  | { readonly kind: 'resume' }
  /** Skip today's check-in. */
  | { readonly kind: 'skip' };

/** Days a bare `PAUSE` pauses for. */
export const DEFAULT_PAUSE_DAYS = 7;
/** The longest pause a text can ask for; longer breaks are the coach's to set. */
export const MAX_PAUSE_DAYS = 90;

const PAUSE = /^PAUSE(?:\s+(?:FOR\s+)?(\d{1,4})(?:\s*DAYS?)?)?$/u;
const RESUME = new Set(['RESUME', 'UNPAUSE']);
const SKIP = /^SKIP(?:\s+TODAY)?$/u;

/**
 * What a whole message asks for, if it is a command. Carrier keywords come first (they are
 * checked exactly as {@link keywordOf} does), then `PAUSE n`, `RESUME` and `SKIP`, compared the
 * same way (NFKC, no invisible characters, no surrounding punctuation, any case). A `PAUSE` with
 * a number of days out of 1–{@link MAX_PAUSE_DAYS} keeps the number, for the caller to refuse.
 */
export function commandOf(text: string): Command | undefined {
  const word = text.replace(INVISIBLE, '').normalize('NFKC').replace(SURROUNDING, '').toUpperCase();
  const keyword = keywordOf(text);
  if (keyword) return { kind: keyword, word };
  const spaced = word.replace(/\s+/gu, ' ');
  const pause = PAUSE.exec(spaced);
  if (pause) return { kind: 'pause', days: pause[1] ? Number(pause[1]) : DEFAULT_PAUSE_DAYS };
  if (RESUME.has(spaced)) return { kind: 'resume' };
  if (SKIP.test(spaced)) return { kind: 'skip' };
  return undefined;
}

/** One answer read from a reply: `value` for scale, yes/no (1/0) and number; `text` for text. */
export interface ParsedAnswer {
  readonly questionIndex: number;
  readonly value?: number;
  readonly text?: string;
}

/** Why a reply needs a clarification; nothing of it is stored as an answer. */
export type ReplyProblem =
  /** Nothing in it answers the (first) question. */
  | { readonly reason: 'no-answer' }
  /** A number outside the question's range. */
  | {
      readonly reason: 'out-of-range';
      readonly questionIndex: number;
      readonly given: number;
      readonly min?: number;
      readonly max?: number;
    }
  /** A scale answer with decimals ("7.5"). */
  | { readonly reason: 'not-whole'; readonly questionIndex: number; readonly given: number }
  /** A number where yes or no was asked. */
  | { readonly reason: 'not-yes-no'; readonly questionIndex: number }
  /** More numbers than questions. */
  | { readonly reason: 'too-many'; readonly found: number; readonly expected: number }
  /** "5:7" where there is no question 5. */
  | { readonly reason: 'no-such-question'; readonly number: number };

/**
 * What a reply amounts to:
 * - `answers`: every expected question answered (a trailing comment kept);
 * - `follow-up`: some answered, the others (`missing`, question indexes) still to ask;
 * - `clarify`: nothing usable, or something wrong (out of range, decimals…): ask once, store nothing.
 */
export type ReplyParse =
  | { readonly kind: 'answers'; readonly answers: readonly ParsedAnswer[]; readonly comment?: string }
  | {
      readonly kind: 'follow-up';
      readonly answers: readonly ParsedAnswer[];
      readonly missing: readonly number[];
      readonly comment?: string;
    }
  | { readonly kind: 'clarify'; readonly problem: ReplyProblem };

/** What the parser needs of a question (a program's `Question` fits). */
export type ReplyQuestion =
  | { readonly type: 'scale'; readonly min?: number; readonly max?: number }
  | { readonly type: 'yes-no' }
  | { readonly type: 'number'; readonly unit?: string; readonly min?: number; readonly max?: number }
  | { readonly type: 'text' };

const MAX_TEXT = 500;
const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];
const YES = new Set(['y', 'yes', 'yep', 'yeah', 'yup', 'ya', 'yea', 'yas']);
const NO = new Set(['n', 'no', 'nope', 'nah']);

// Between answers: spaces, commas, semicolons, slashes, dashes, pipes, full stops after a word.
const SEPARATORS = /^[\s,;/|\-–—]+/u;
const COMMENT_LEAD = /^[\s\-–—:,;.|/]+/u;
const NUMBER = /^(\d{1,9}(?:\.\d+)?)(?![\d])/u;
const WORD = /^([\p{L}']+)(?![\p{L}\p{N}])[!.?]*/u;
const DENOMINATOR = /^\s*(?:\/|out\s+of\b|of\b)\s*(\d{1,3})(?!\d)/iu;
const NUMBERED = /(?:^|[\s,;]+)(\d{1,2})\s*[:=)]\s*/gu;

/** Text as the parser reads it: no invisible characters, NFKC (full-width digits), plain quotes. */
function normalise(text: string): string {
  return text
    .replace(STRAY_JOINER, '')
    .replace(OTHER_INVISIBLE, '')
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u2032]/gu, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/gu, '"')
    .replace(/\u2026/gu, '...')
    .trim();
}

type Token =
  | { readonly ok: true; readonly answer: ParsedAnswer; readonly length: number }
  | { readonly ok: false; readonly problem: ReplyProblem };

const rangeOf = (q: ReplyQuestion): { min?: number; max?: number } =>
  q.type === 'scale'
    ? { min: q.min ?? 1, max: q.max ?? 10 }
    : q.type === 'number'
      ? { ...(q.min !== undefined ? { min: q.min } : {}), ...(q.max !== undefined ? { max: q.max } : {}) }
      : {};

/**
 * Reads one answer to `q` at the start of `rest`; undefined when what is there is words, not an
 * answer to this question (then the words are a comment).
 */
function readToken(rest: string, q: ReplyQuestion, questionIndex: number): Token | undefined {
  const numeric = NUMBER.exec(rest);
  const word = numeric ? undefined : WORD.exec(rest);
  const spelled = word?.[1] ? NUMBER_WORDS.indexOf(word[1].toLowerCase()) : -1;

  if (q.type === 'yes-no') {
    if (numeric) return { ok: false, problem: { reason: 'not-yes-no', questionIndex } };
    const w = word?.[1]?.toLowerCase() ?? '';
    if (YES.has(w)) return { ok: true, answer: { questionIndex, value: 1 }, length: word?.[0].length ?? 0 };
    if (NO.has(w)) return { ok: true, answer: { questionIndex, value: 0 }, length: word?.[0].length ?? 0 };
    return undefined;
  }
  if (q.type === 'text') return undefined; // handled by the caller: text takes what is left
  if (!numeric?.[1] && spelled < 0) return undefined;
  const value = numeric?.[1] ? Number(numeric[1]) : spelled;
  let length = numeric ? numeric[0].length : (word?.[0].length ?? 0);
  const { min, max } = rangeOf(q);
  if (q.type === 'scale') {
    // "7/10", "7 of 10": the scale's own maximum only; "7/8" is two answers.
    const denominator = DENOMINATOR.exec(rest.slice(length));
    if (denominator?.[1] && Number(denominator[1]) === max) length += denominator[0].length;
    if (!Number.isInteger(value))
      return { ok: false, problem: { reason: 'not-whole', questionIndex, given: value } };
  } else if (q.unit) {
    // "30 min" for "minutes walked": a word that starts the unit is part of the answer.
    const unitWord = WORD.exec(rest.slice(length).replace(/^\s+/u, ''));
    const unit = q.unit.toLowerCase().split(/\s+/u)[0] ?? '';
    const said = unitWord?.[1]?.toLowerCase().replace(/s$/u, '') ?? '';
    if (unitWord && said.length >= 1 && unit.startsWith(said)) {
      length = rest.length - rest.slice(length).replace(/^\s+/u, '').length + unitWord[0].length;
    }
  }
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    return {
      ok: false,
      problem: {
        reason: 'out-of-range',
        questionIndex,
        given: value,
        ...(min !== undefined ? { min } : {}),
        ...(max !== undefined ? { max } : {}),
      },
    };
  }
  return { ok: true, answer: { questionIndex, value }, length };
}

const clarify = (problem: ReplyProblem): ReplyParse => ({ kind: 'clarify', problem });

function outcome(answers: readonly ParsedAnswer[], expected: readonly number[], rest: string): ReplyParse {
  const comment = rest.replace(COMMENT_LEAD, '').trim().slice(0, MAX_TEXT);
  const withComment = comment ? { comment } : {};
  if (answers.length === 0) return clarify({ reason: 'no-answer' });
  const answered = new Set(answers.map((a) => a.questionIndex));
  const missing = expected.filter((i) => !answered.has(i));
  if (missing.length === 0) return { kind: 'answers', answers, ...withComment };
  return { kind: 'follow-up', answers, missing, ...withComment };
}

/** Answers in order, one per expected question: "7 8 6", "7,8,6", "8 y 30 walked by the river". */
function parseInOrder(text: string, questions: readonly ReplyQuestion[], expected: readonly number[]) {
  const answers: ParsedAnswer[] = [];
  let rest = text;
  for (const [position, questionIndex] of expected.entries()) {
    const q = questions[questionIndex];
    rest = rest.replace(SEPARATORS, '');
    if (!q || !rest) break;
    if (q.type === 'text') {
      // Free text takes the rest of the message; before other questions, only up to a line break or ";".
      const last = position === expected.length - 1;
      const piece = last ? rest : (/^[^\n;|]*/u.exec(rest)?.[0] ?? '');
      const answer = piece.trim().slice(0, MAX_TEXT);
      if (!answer) break;
      answers.push({ questionIndex, text: answer });
      rest = rest.slice(piece.length);
      continue;
    }
    const token = readToken(rest, q, questionIndex);
    if (!token) break;
    if (!token.ok) return clarify(token.problem);
    answers.push(token.answer);
    rest = rest.slice(token.length);
  }
  const trailing = rest.replace(COMMENT_LEAD, '');
  if (answers.length === expected.length && answers.length > 0 && /^\d/u.test(trailing)) {
    // More numbers than questions: a shifted answer is worse than asking again.
    const found = answers.length + (trailing.match(/\d+(?:\.\d+)?/gu)?.length ?? 0);
    return clarify({ reason: 'too-many', found, expected: expected.length });
  }
  return outcome(answers, expected, rest);
}

/** Numbered answers, in any order: "1:7 2:8 3:6", "2=8". */
function parseNumbered(
  text: string,
  questions: readonly ReplyQuestion[],
  expected: readonly number[],
  marks: readonly RegExpExecArray[],
): ReplyParse {
  const byQuestion = new Map<number, ParsedAnswer>();
  const comments: string[] = [];
  for (const [i, mark] of marks.entries()) {
    const questionIndex = Number(mark[1]) - 1;
    const q = questions[questionIndex];
    if (!q) return clarify({ reason: 'no-such-question', number: questionIndex + 1 });
    const end = marks[i + 1]?.index ?? text.length;
    const piece = text.slice(mark.index + mark[0].length, end).trim();
    if (q.type === 'text') {
      if (piece) byQuestion.set(questionIndex, { questionIndex, text: piece.slice(0, MAX_TEXT) });
      continue;
    }
    const token = readToken(piece, q, questionIndex);
    if (!token) {
      if (piece) comments.push(piece);
      continue;
    }
    if (!token.ok) return clarify(token.problem);
    byQuestion.set(questionIndex, token.answer);
    const left = piece.slice(token.length).replace(COMMENT_LEAD, '').trim();
    if (left) comments.push(left);
  }
  // Answers to questions already answered are corrections, kept; the order is the questions'.
  const answers = [...byQuestion.values()].sort((a, b) => a.questionIndex - b.questionIndex);
  return outcome(answers, expected, comments.join(' '));
}

/**
 * Understands a reply to `questions`, of which `expected` (question indexes, in order; default
 * all) are still to be answered — after a partial answer, only the missing ones. Never throws.
 *
 * Answers are read in order, one per expected question, each by its type: a scale takes a whole
 * number in its range ("7", "7/10", "seven"), yes/no takes y/yes/yep/yeah/n/no/nope in any case,
 * a number takes any number in its bounds (with its unit: "30 min"), free text takes the rest of
 * the message. Numbered answers ("1:7 2:8") may come in any order. Words after the last answer
 * are a comment.
 */
export function parseReply(
  text: string,
  questions: readonly ReplyQuestion[],
  expected: readonly number[] = questions.map((_, i) => i),
): ReplyParse {
  const clean = normalise(text);
  if (!clean || expected.length === 0) return clarify({ reason: 'no-answer' });
  if (/^\d{1,2}\s*[:=)]/u.test(clean)) {
    const marks = [...clean.matchAll(NUMBERED)];
    const numbers = marks.map((m) => Number(m[1]));
    // "7:30" is a time, not question 7: numbering only when every number names a question.
    if (numbers.every((n) => n >= 1 && n <= questions.length) && new Set(numbers).size === numbers.length)
      return parseNumbered(clean, questions, expected, marks);
  }
  return parseInOrder(clean, questions, expected);
}
