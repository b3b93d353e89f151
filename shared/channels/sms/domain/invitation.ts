/**
 * The SMS invitation names who asks: "Ana Ruiz (Focus program) invites you to daily questions by
 * SMS. Reply YES to join, STOP to opt out." A YES is consent to that coach's program, so the words
 * around it (the invitation, the confirmation, the hint after an answer) always say whose. Texts
 * stay GSM-7 and one segment where the names allow: accents outside GSM-7 are dropped (é stays, ë
 * becomes e), long names are shortened, optional sentences are added only while they fit. Pure.
 */
import { toGsm } from './messages.js';

/** Who asks: the coach's display name (absent: "Your coach") and the program's name. */
export interface Inviter {
  readonly coachName?: string;
  readonly programName: string;
}

/** The GSM-7 basic character set; the extension table's characters count twice. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€';

/** One SMS segment of GSM-7 holds 160 characters. */
const ONE_SEGMENT = 160;
/** Longest name shown: two names still fit one segment with the invitation's words. */
const MAX_NAME = 28;

/** Characters of `text` in GSM-7 (extension characters count twice); undefined when it needs UCS-2. */
export function gsmLength(text: string): number | undefined {
  let length = 0;
  for (const ch of text) {
    if (GSM_BASIC.includes(ch)) length += 1;
    else if (GSM_EXTENSION.includes(ch)) length += 2;
    else return undefined;
  }
  return length;
}

/** Whether `text` goes out as one GSM-7 segment. */
const fitsOneSegment = (text: string) => (gsmLength(text) ?? Number.POSITIVE_INFINITY) <= ONE_SEGMENT;

/**
 * A name as an SMS shows it: typographic characters made GSM-7, accents GSM-7 lacks removed
 * (other scripts are kept as they are: a name is never made unreadable to save a segment),
 * whitespace collapsed, shortened to {@link MAX_NAME} characters.
 */
export function smsName(name: string): string {
  const plain = [...toGsm(name).replace(/\s+/gu, ' ').trim()]
    .map((ch) => {
      if (gsmLength(ch) !== undefined) return ch;
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
      return base && gsmLength(base) !== undefined ? base : ch;
    })
    .join('');
  const chars = [...plain];
  return chars.length > MAX_NAME
    ? `${chars
        .slice(0, MAX_NAME - 3)
        .join('')
        .trimEnd()}...`
    : plain;
}

/** "Ana Ruiz (Focus program)"; "Your coach (Focus program)" when the coach's name is unknown. */
export function inviterText(inviter: Inviter): string {
  const coach = inviter.coachName ? smsName(inviter.coachName) : 'Your coach';
  const program = smsName(inviter.programName);
  const named = /\bprogram(me)?$/iu.test(program) ? program : `${program} program`;
  return `${coach} (${named})`;
}

/** `core` followed by as many of `extras` (in order) as keep it one segment. */
function withExtras(core: string, extras: readonly string[]): string {
  let text = core;
  for (const extra of extras) if (fitsOneSegment(`${text} ${extra}`)) text = `${text} ${extra}`;
  return text;
}

/** The opt-in request sent at enrolment: nothing else is sent before the person replies YES. */
export function invitationSms(inviter: Inviter): string {
  return withExtras(
    `${inviterText(inviter)} invites you to daily questions by SMS. Reply YES to join, STOP to opt out.`,
    ['HELP for help.', 'Msg&data rates may apply.'],
  );
}

/** Reply to a YES that accepted an invitation, naming whose it was. */
export function joinedSms(inviter: Inviter, firstQuestionAt: string): string {
  return withExtras(`You're in with ${inviterText(inviter)}. First check-in: ${firstQuestionAt}.`, [
    'Reply STOP to opt out.',
  ]);
}

/** Added to a reply when another invitation still waits for its own YES. */
export function alsoInvitedSms(inviter: Inviter): string {
  return `${inviterText(inviter)} also invited you: reply YES to join.`;
}
