/**
 * How participants' texts are understood, and what they read back.
 */
import { describe, expect, it } from 'vitest';
import { answersConfirmedSms, promptSms, segmentsOf, toGsm } from '../../shared/domain/messages.js';
import { DAILY_QUESTIONS } from '../../shared/domain/program.js';
import { keywordOf, parseScaleAnswers } from '../../shared/domain/reply.js';

describe('scale answers', () => {
  it.each([
    ['7', 1, [7], undefined],
    ['7/10', 1, [7], undefined],
    ['7 of 10', 1, [7], undefined],
    ['10', 1, [10], undefined],
    ['8 tough day', 1, [8], 'tough day'],
    ['8 - tough day', 1, [8], 'tough day'],
    ['7 8 6 9 5 8', 6, [7, 8, 6, 9, 5, 8], undefined],
    ['7,8,6,9,5,8', 6, [7, 8, 6, 9, 5, 8], undefined],
    ['7, 8, 6, 9, 5, 8 long day but ok', 6, [7, 8, 6, 9, 5, 8], 'long day but ok'],
    ['７ ８', 2, [7, 8], undefined], // full-width digits from some phone keyboards
    ['\u200B7', 1, [7], undefined], // zero-width characters pasted with the text
    ['7\u200B 8\u2060', 2, [7, 8], undefined],
    ['7\uFEFF/10', 1, [7], undefined],
    ['8 great day 👨‍👩‍👧', 1, [8], 'great day 👨‍👩‍👧'], // joiners inside an emoji are kept
  ])('%j for %i question(s) → %j', (text, expected, values, comment) => {
    const parsed = parseScaleAnswers(text, expected);
    expect(parsed).toEqual(comment ? { ok: true, values, comment } : { ok: true, values });
  });

  it.each([
    ['great day!', 1, 'no-numbers'],
    ['7 8 6', 6, 'wrong-count'],
    ['7 8 6 9 5 8 4', 6, 'wrong-count'],
    ['0', 1, 'out-of-range'],
    ['11', 1, 'out-of-range'],
    ['1\u200B1', 1, 'out-of-range'], // reads as 11 on the phone, so it is 11
  ])('%j for %i question(s) is not an answer (%s)', (text, expected, reason) => {
    const parsed = parseScaleAnswers(text, expected);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? undefined : parsed.reason).toBe(reason);
  });
});

describe('carrier keywords', () => {
  it.each(['STOP', 'stop', ' Stop. ', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'])(
    '%j opts out',
    (text) => expect(keywordOf(text)).toBe('opt-out'),
  );
  it.each(['START', 'UNSTOP', 'YES', 'yes!'])('%j opts in', (text) => expect(keywordOf(text)).toBe('opt-in'));
  it.each(['HELP', 'info'])('%j asks for help', (text) => expect(keywordOf(text)).toBe('help'));
  it.each([
    ['full-width letters', 'ＳＴＯＰ', 'opt-out'],
    ['a trailing zero-width space', 'STOP\u200B', 'opt-out'],
    ['a leading zero-width space and an exclamation mark', '\u200BStop!', 'opt-out'],
    ['a zero-width space inside the word', 'ST\u200BOP', 'opt-out'],
    ['a byte-order mark', '\uFEFFunsubscribe', 'opt-out'],
    ['a word joiner and a soft hyphen', 'STOP\u2060\u00AD', 'opt-out'],
    ['quotes', '"stop"', 'opt-out'],
    ['guillemets', '«STOP»', 'opt-out'],
    ['Spanish punctuation', '¡Stop!', 'opt-out'],
    ['a direction mark', '\u200FYES', 'opt-in'],
    ['full-width punctuation', 'ｈｅｌｐ？', 'help'],
    ['an ellipsis', 'yes…', 'opt-in'],
    ['an emoji', 'STOP 🛑', 'opt-out'],
    ['an emoji with a skin tone', '👍🏽 yes', 'opt-in'],
  ])('%s: %j is still a keyword', (_, text, keyword) => expect(keywordOf(text)).toBe(keyword));
  it.each(['stop it please', '7', 'y', 'STOP STOP', 'st op', '\u200B'])('%j is not a keyword', (text) =>
    expect(keywordOf(text)).toBeUndefined(),
  );
});

describe('message texts', () => {
  const GSM7 =
    /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/u;

  it('asks the six daily questions numbered, in two GSM-7 segments instead of three', () => {
    const body = promptSms(DAILY_QUESTIONS.questions);
    expect(body.split('\n')).toEqual([
      'Did I do my best to... today?',
      '1 set clear goals',
      '2 make progress toward my goals',
      '3 find meaning',
      '4 be happy',
      '5 build positive relationships',
      '6 be fully engaged',
      'Reply 6 numbers 1-10 in order, e.g. 7 8 6 9 5 8',
    ]);
    expect(GSM7.test(body)).toBe(true);
    expect(segmentsOf(body)).toBe(2);
    // Written out in full, the same questions would cost a third more on every send.
    const full = DAILY_QUESTIONS.questions.map((q, i) => `${i + 1}. ${q.text}`);
    expect(segmentsOf([...full, 'Reply 6 numbers 1-10 in order, e.g. 7 8 6 9 5 8'].join('\n'))).toBe(3);
  });

  it('keeps questions without shared words as they are, numbered', () => {
    const body = promptSms([
      { text: 'How focused was I today?', type: 'scale' },
      { text: 'Did I exercise?', type: 'scale' },
    ]);
    expect(body).toBe(
      '1. How focused was I today?\n2. Did I exercise?\nReply 2 numbers 1-10 in order, e.g. 7 8',
    );
  });

  it('counts segments as carriers bill them', () => {
    expect(segmentsOf('a'.repeat(160))).toBe(1);
    expect(segmentsOf('a'.repeat(161))).toBe(2);
    expect(segmentsOf('€'.repeat(80))).toBe(1); // extension characters take two septets
    expect(segmentsOf('€'.repeat(81))).toBe(2);
    expect(segmentsOf(`Great day ${'😀'}`)).toBe(1); // UCS-2: 70 per segment
    expect(segmentsOf(`${'a'.repeat(69)}😀`)).toBe(2); // the emoji is two UTF-16 units
  });

  it('turns a coach’s typographic quotes and dashes into GSM-7', () => {
    const body = promptSms([{ text: 'Did I do my best to be “present” – today’s focus?', type: 'scale' }]);
    expect(body).toBe('Did I do my best to be "present" - today\'s focus? Reply 1-10.');
    expect(GSM7.test(body)).toBe(true);
    expect(toGsm('wait…')).toBe('wait...');
  });

  it('confirms one answer as a score and several as a list', () => {
    expect(answersConfirmedSms([7])).toBe('Got it: 7/10. Thanks!');
    expect(answersConfirmedSms([7, 8])).toBe('Got it: 7, 8. Thanks!');
  });
});
