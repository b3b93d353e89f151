/**
 * "Needs a human": whether what a participant wrote reads as a person asking for help now, and what
 * is said to them and to their coach when it does. Pure.
 *
 * The list is short on purpose and errs towards a person reading: a false alarm costs the coach a
 * minute, a missed one costs far more. It is matched after normalisation (NFKC, invisible
 * characters removed, any case, apostrophes dropped, punctuation and runs of spaces as one space)
 * on whole words, so "Help me!!", "HELP  ME" and "i cant go on" match and "helpful" does not.
 *
 * The carrier keyword HELP on its own is not here: it is the HELP keyword (`domain/reply.ts`) and
 * keeps its compliant reply. "help me" is not a keyword and is here.
 *
 * Nothing here promises more than that the coach is told and a person will read the message: the
 * product is no crisis service and names no hotline (a deployment that wants one can change
 * {@link needsHumanSms} and {@link needsHumanAckEmail}).
 */
import { escapeHtml } from './html.js';

/** Phrases that flag a message, in normalised form (lower case, no apostrophes, single spaces). */
export const NEEDS_HUMAN_PHRASES: readonly string[] = [
  // Asking for a person.
  'i need to talk',
  'need to talk to someone',
  'need someone to talk to',
  'talk to someone',
  'help me',
  'please help',
  'i need help',
  // Crisis.
  'crisis',
  'emergency',
  'cant go on',
  'cannot go on',
  'cant cope',
  'cannot cope',
  // Self-harm and suicide.
  'suicide',
  'suicidal',
  'kill myself',
  'killing myself',
  'end my life',
  'end it all',
  'want to die',
  'wanna die',
  'hurt myself',
  'hurting myself',
  'harm myself',
  'self harm',
  'selfharm',
  'no reason to live',
];

const INVISIBLE = /\p{Cf}/gu;
const APOSTROPHES = /['\u2018\u2019\u02BC`´]/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** A text as the phrase list is matched against it: " words separated by single spaces ". */
export function normaliseForMatching(text: string): string {
  const words = text
    .replace(INVISIBLE, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(NOT_WORD, ' ')
    .trim();
  return ` ${words} `;
}

/** Whether a message reads as a person needing help now (see {@link NEEDS_HUMAN_PHRASES}). */
export function needsHuman(text: string): boolean {
  const normalised = normaliseForMatching(text);
  return NEEDS_HUMAN_PHRASES.some((phrase) => normalised.includes(` ${phrase} `));
}

/**
 * The coach's "needs a human" email: who wrote and where to read it. The message itself stays in
 * the dashboard (an email may be forwarded or read on a shared screen).
 */
export function needsHumanCoachEmail(
  participantName: string,
  dashboardUrl: string,
): {
  subject: string;
  text: string;
  html: string;
} {
  if (!/^https?:\/\//iu.test(dashboardUrl)) throw new RangeError('links must be http(s) URLs');
  const subject = `${participantName} may need a human now`;
  const text =
    `${participantName} wrote a message that reads as needing help now. ` +
    `They were told that you will read it.\n\nRead it and reply:\n${dashboardUrl}\n`;
  const html =
    `<p><strong>${escapeHtml(participantName)}</strong> wrote a message that reads as needing help now. ` +
    'They were told that you will read it.</p>' +
    `<p><a href="${escapeHtml(dashboardUrl)}">Read it and reply</a></p>`;
  return { subject: subject.replace(/[\r\n]+/gu, ' '), text, html };
}
