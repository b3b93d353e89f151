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

/** Result of parsing answers to a prompt. */
export type ParsedAnswers =
  | { readonly ok: true; readonly values: readonly number[]; readonly comment?: string }
  | {
      readonly ok: false;
      readonly reason: 'no-numbers' | 'wrong-count' | 'out-of-range';
      readonly found: number;
    };

// A number, optionally followed by "/10" or "of 10", separated by spaces, commas, semicolons or dashes.
const ANSWER = /^\s*(\d{1,3})(?:\s*(?:\/|of)\s*10\b)?\s*[,;\-/]?/iu;

/** Parses `expected` scale answers (1–10) from reply text. */
export function parseScaleAnswers(text: string, expected: number): ParsedAnswers {
  const values: number[] = [];
  // Invisible characters between digits ("7\u200B8") would otherwise split or hide numbers.
  let rest = text.replace(STRAY_JOINER, '').replace(OTHER_INVISIBLE, '').normalize('NFKC');
  while (values.length < expected) {
    const match = ANSWER.exec(rest);
    if (!match?.[1]) break;
    values.push(Number(match[1]));
    rest = rest.slice(match[0].length);
  }
  const trailingNumbers = /^\s*\d/u.test(rest);
  if (values.length === 0) return { ok: false, reason: 'no-numbers', found: 0 };
  if (values.length !== expected || trailingNumbers) {
    const found = values.length + (rest.match(/\d+/gu)?.length ?? 0);
    return { ok: false, reason: 'wrong-count', found };
  }
  if (values.some((v) => v < 1 || v > 10)) return { ok: false, reason: 'out-of-range', found: values.length };
  const comment = rest.trim().replace(/^[-:,;.\s]+/u, '');
  return comment ? { ok: true, values, comment: comment.slice(0, 500) } : { ok: true, values };
}
