/**
 * How participants' texts are understood: one parser for every reply form, table-driven, and the
 * commands beyond the carrier keywords.
 */
import { describe, expect, it } from 'vitest';
import type { Question } from '../../shared/domain/program.js';
import { commandOf, keywordOf, parseReply, type ReplyParse } from '../../shared/domain/reply.js';

const scale = (min?: number, max?: number): Question => ({
  type: 'scale',
  text: 'How was today?',
  ...(min !== undefined ? { min } : {}),
  ...(max !== undefined ? { max } : {}),
});
const yesNo: Question = { type: 'yes-no', text: 'Did I walk?' };
const minutes: Question = { type: 'number', text: 'How long?', unit: 'minutes walked', min: 0 };
const words: Question = { type: 'text', text: 'Where?' };
const ONE = [scale()];
const THREE = [scale(), scale(), scale()];
const MIXED = [scale(), yesNo, minutes, words];

const answers = (values: (number | string)[], comment?: string): ReplyParse => ({
  kind: 'answers',
  answers: values.map((v, questionIndex) =>
    typeof v === 'number' ? { questionIndex, value: v } : { questionIndex, text: v },
  ),
  ...(comment ? { comment } : {}),
});

describe('answers in every form people write them', () => {
  it.each<[string, Question[], ReplyParse]>([
    ['7', ONE, answers([7])],
    [' 7 ', ONE, answers([7])],
    ['7/10', ONE, answers([7])],
    ['7 / 10', ONE, answers([7])],
    ['7 of 10', ONE, answers([7])],
    ['7 out of 10', ONE, answers([7])],
    ['seven', ONE, answers([7])],
    ['Seven.', ONE, answers([7])],
    ['10', ONE, answers([10])],
    ['7 - tough day', ONE, answers([7], 'tough day')],
    ['8 tough day', ONE, answers([8], 'tough day')],
    ['7. Long day', ONE, answers([7], 'Long day')],
    ['3/5', [scale(1, 5)], answers([3])],
    ['0', [scale(0, 10)], answers([0])],
    ['7 8 6', THREE, answers([7, 8, 6])],
    ['7,8,6', THREE, answers([7, 8, 6])],
    ['7, 8, 6', THREE, answers([7, 8, 6])],
    ['7-8-6', THREE, answers([7, 8, 6])],
    ['7/8/6', THREE, answers([7, 8, 6])], // a slash that is not "/10" separates
    ['1:7 2:8 3:6', THREE, answers([7, 8, 6])],
    ['1: 7, 2: 8, 3: 6', THREE, answers([7, 8, 6])],
    ['3=6 1=7 2=8', THREE, answers([7, 8, 6])],
    ['７ ８ ６', THREE, answers([7, 8, 6])], // full-width digits from some phone keyboards
    ['7​ 8⁠ 6', THREE, answers([7, 8, 6])], // zero-width characters pasted with the text
    ['7 8 6 long day but ok', THREE, answers([7, 8, 6], 'long day but ok')],
    ['8 y 30 walked by the river', MIXED, answers([8, 1, 30, 'walked by the river'])],
    ['8 N 0 stayed in', MIXED, answers([8, 0, 0, 'stayed in'])],
    ['8, yes, 30 min, by the river', MIXED, answers([8, 1, 30, 'by the river'])],
    ['8 Yep! 45 minutes park', MIXED, answers([8, 1, 45, 'park'])],
    ['1:8 2:y 3:30 4:the river', MIXED, answers([8, 1, 30, 'the river'])],
    ['the river, then home', [words], answers(['the river, then home'])],
    ['7', [words], answers(['7'])], // free text is text, even a number
    ['2.5', [{ type: 'number', text: 'Hours slept?' }], answers([2.5])],
    ['8 great day 👨‍👩‍👧', ONE, answers([8], 'great day 👨‍👩‍👧')], // joiners inside an emoji are kept
  ])('%j → answers', (text, questions, expected) => {
    expect(parseReply(text, questions)).toEqual(expected);
  });

  it.each(['y', 'Y', 'yes', 'YES', 'Yes!', 'yep', 'Yeah.', 'yup'])('%j is yes', (text) => {
    expect(parseReply(text, [yesNo])).toEqual(answers([1]));
  });
  it.each(['n', 'N', 'no', 'No.', 'NOPE', 'nope!', 'nah'])('%j is no', (text) => {
    expect(parseReply(text, [yesNo])).toEqual(answers([0]));
  });
});

describe('partial answers', () => {
  it.each<[string, Question[], number[], number[], string | undefined]>([
    ['7 8', THREE, [7, 8], [2], undefined],
    ['7', THREE, [7], [1, 2], undefined],
    ['7 tough day', THREE, [7], [1, 2], 'tough day'],
    ['8 y', MIXED, [8, 1], [2, 3], undefined],
    ['2:8', THREE, [8], [0, 2], undefined],
  ])('%j answers some and leaves the rest to a follow-up', (text, questions, values, missing, comment) => {
    const parsed = parseReply(text, questions);
    expect(parsed.kind).toBe('follow-up');
    if (parsed.kind !== 'follow-up') return;
    expect(parsed.answers.map((a) => a.value)).toEqual(values);
    expect(parsed.missing).toEqual(missing);
    expect(parsed.comment).toBe(comment);
  });

  it('reads the follow-up reply as answers to the missing questions only', () => {
    expect(parseReply('6', THREE, [2])).toEqual({
      kind: 'answers',
      answers: [{ questionIndex: 2, value: 6 }],
    });
    expect(parseReply('30 by the river', MIXED, [2, 3])).toEqual({
      kind: 'answers',
      answers: [
        { questionIndex: 2, value: 30 },
        { questionIndex: 3, text: 'by the river' },
      ],
    });
  });
});

describe('replies that need one clarification', () => {
  it.each<[string, Question[], ReplyParse]>([
    ['great day!', ONE, { kind: 'clarify', problem: { reason: 'no-answer' } }],
    ['', ONE, { kind: 'clarify', problem: { reason: 'no-answer' } }],
    ['​', ONE, { kind: 'clarify', problem: { reason: 'no-answer' } }],
    [
      '11',
      ONE,
      { kind: 'clarify', problem: { reason: 'out-of-range', questionIndex: 0, given: 11, min: 1, max: 10 } },
    ],
    [
      '0',
      ONE,
      { kind: 'clarify', problem: { reason: 'out-of-range', questionIndex: 0, given: 0, min: 1, max: 10 } },
    ],
    [
      '1​1',
      ONE,
      { kind: 'clarify', problem: { reason: 'out-of-range', questionIndex: 0, given: 11, min: 1, max: 10 } },
    ],
    [
      '6',
      [scale(1, 5)],
      { kind: 'clarify', problem: { reason: 'out-of-range', questionIndex: 0, given: 6, min: 1, max: 5 } },
    ],
    [
      '7 11 6',
      THREE,
      { kind: 'clarify', problem: { reason: 'out-of-range', questionIndex: 1, given: 11, min: 1, max: 10 } },
    ],
    ['7.5', ONE, { kind: 'clarify', problem: { reason: 'not-whole', questionIndex: 0, given: 7.5 } }],
    ['8 7 30', MIXED, { kind: 'clarify', problem: { reason: 'not-yes-no', questionIndex: 1 } }],
    ['7 8 6 9', THREE, { kind: 'clarify', problem: { reason: 'too-many', found: 4, expected: 3 } }],
    ['7 8', ONE, { kind: 'clarify', problem: { reason: 'too-many', found: 2, expected: 1 } }],
  ])('%j', (text, questions, expected) => {
    expect(parseReply(text, questions)).toEqual(expected);
  });

  it('takes "7:30" as a time, not as question 7', () => {
    expect(parseReply('7:30', ONE).kind).toBe('clarify');
  });
});

describe('commands', () => {
  it.each([
    ['PAUSE', { kind: 'pause', days: 7 }],
    ['pause 2', { kind: 'pause', days: 2 }],
    ['Pause 3 days.', { kind: 'pause', days: 3 }],
    ['PAUSE 1 day', { kind: 'pause', days: 1 }],
    ['pause for 10 days', { kind: 'pause', days: 10 }],
    ['PAUSE 0', { kind: 'pause', days: 0 }], // kept for the caller to refuse
    ['resume', { kind: 'resume' }],
    ['Resume!', { kind: 'resume' }],
    ['SKIP', { kind: 'skip' }],
    ['skip today', { kind: 'skip' }],
    ['STOP', { kind: 'opt-out', word: 'STOP' }],
    ['Yes!', { kind: 'opt-in', word: 'YES' }],
    ['help', { kind: 'help', word: 'HELP' }],
  ])('%j', (text, command) => expect(commandOf(text)).toEqual(command));

  it.each(['pause the music', 'skip it', '7', 'resume tomorrow', 'pause -2'])('%j is not a command', (text) =>
    expect(commandOf(text)).toBeUndefined(),
  );
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
