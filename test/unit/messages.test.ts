/**
 * What participants read: prompts with per-type hints, confirmations with the streak, follow-ups,
 * clarifications, reminders and HELP — all in GSM-7, as few segments as possible.
 */
import { describe, expect, it } from 'vitest';
import {
  answersConfirmedSms,
  clarificationSms,
  followUpSms,
  helpSms,
  pausedSms,
  promptSms,
  reminderSms,
  resumedSms,
  segmentsOf,
  toGsm,
} from '../../shared/channels/sms/domain/messages.js';
import { DAILY_QUESTIONS, type Question } from '../../shared/domain/program.js';

const scale = (text: string, min?: number, max?: number): Question => ({
  type: 'scale',
  text,
  ...(min !== undefined ? { min } : {}),
  ...(max !== undefined ? { max } : {}),
});
const MIXED: Question[] = [
  scale('How focused was I?'),
  { type: 'yes-no', text: 'Did I walk?' },
  { type: 'number', text: 'How long did I walk?', unit: 'minutes walked' },
  { type: 'text', text: 'Where did I walk?' },
];
const GSM7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/u;

describe('message texts', () => {
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

  it('confirms one answer as a score and several as a list, with the streak once there is one', () => {
    const at = (value: number, questionIndex = 0) => ({ questionIndex, value });
    const two = [scale('One?'), scale('Two?')];
    expect(answersConfirmedSms([scale('One?')], [at(7)])).toBe('Got it: 7/10. Thanks!');
    expect(answersConfirmedSms(two, [at(7), at(8, 1)])).toBe('Got it: 7, 8. Thanks!');
    expect(answersConfirmedSms(two, [at(7), at(8, 1)], 1)).toBe('Got it: 7, 8. Thanks!');
    expect(answersConfirmedSms(two, [at(7), at(8, 1)], 5)).toBe('Got it: 7, 8. 5 days in a row.');
    expect(answersConfirmedSms([scale('1-5?', 1, 5)], [at(4)], 2)).toBe('Got it: 4/5. 2 days in a row.');
    expect(
      answersConfirmedSms(MIXED, [at(8), at(1, 1), at(30, 2), { questionIndex: 3, text: 'by the river' }], 3),
    ).toBe('Got it: 8, Y, 30, noted. 3 days in a row.');
  });
});

describe('per-type hints', () => {
  it.each<[string, Question, string]>([
    ['a 1-10 scale', scale('How focused was I?'), 'How focused was I? Reply 1-10.'],
    ['a 0-10 scale', scale('How focused was I?', 0, 10), 'How focused was I? Reply 0-10.'],
    ['a yes/no question', { type: 'yes-no', text: 'Did I walk?' }, 'Did I walk? Reply Y or N.'],
    [
      'a number with a unit',
      { type: 'number', text: 'How long did I walk?', unit: 'minutes walked' },
      'How long did I walk? Reply with minutes walked, e.g. 30.',
    ],
    ['a number', { type: 'number', text: 'Glasses of water?' }, 'Glasses of water? Reply with a number.'],
    ['free text', { type: 'text', text: 'What went well?' }, 'What went well? Reply in a few words.'],
  ])('asks %s with its own hint', (_, question, body) => expect(promptSms([question])).toBe(body));

  it('gives each question of a mixed prompt its hint and one example reply', () => {
    expect(promptSms(MIXED)).toBe(
      [
        '1. How focused was I? (1-10)',
        '2. Did I walk? (Y/N)',
        '3. How long did I walk? (minutes walked)',
        '4. Where did I walk? (words)',
        'Reply in order in one text, e.g. 7 N 30 good day',
      ].join('\n'),
    );
  });

  it('shares one hint between questions of one kind', () => {
    expect(promptSms([scale('One?', 1, 5), scale('Two?', 1, 5)])).toBe(
      '1. One?\n2. Two?\nReply 2 numbers 1-5 in order, e.g. 5 5',
    );
    expect(
      promptSms([
        { type: 'yes-no', text: 'Walk?' },
        { type: 'yes-no', text: 'Read?' },
      ]),
    ).toBe('1. Walk?\n2. Read?\nReply 2 Y or N in order, e.g. Y N');
  });

  it('keeps the daily six within three segments with hints, mixed or not', () => {
    expect(segmentsOf(promptSms(DAILY_QUESTIONS.questions))).toBeLessThanOrEqual(3);
    const mixedSix = DAILY_QUESTIONS.questions.map((q, i) =>
      i % 2 ? ({ type: 'yes-no', text: q.text } as const) : q,
    );
    expect(segmentsOf(promptSms(mixedSix))).toBeLessThanOrEqual(3);
    expect(GSM7.test(promptSms(mixedSix))).toBe(true);
  });

  it('reminds with what the questions take, in one segment', () => {
    expect(reminderSms(6)).toContain('Reply with 6 numbers 1-10 when');
    expect(reminderSms([{ type: 'yes-no', text: 'Walk?' }])).toContain('Reply with Y or N when');
    expect(reminderSms(MIXED)).toContain('Reply with your 4 answers in order when');
    for (const r of [reminderSms(6), reminderSms(MIXED)]) expect(segmentsOf(r)).toBe(1);
  });
});

describe('follow-ups, clarifications and help', () => {
  it('asks once for the questions a partial answer left open, with their numbers', () => {
    expect(followUpSms(MIXED, [{ questionIndex: 0, value: 8 }], [1, 2, 3])).toBe(
      [
        'Got 8. Still open:',
        '2. Did I walk? (Y/N)',
        '3. How long did I walk? (minutes walked)',
        '4. Where did I walk? (words)',
        'Reply in order in one text, e.g. Y 30 good day',
      ].join('\n'),
    );
    expect(
      followUpSms(
        MIXED,
        [
          { questionIndex: 0, value: 8 },
          { questionIndex: 1, value: 1 },
          { questionIndex: 2, value: 20 },
        ],
        [3],
      ),
    ).toBe('Got 8, Y, 20. Still open:\n4. Where did I walk? Reply in a few words.');
  });

  it.each<[string, Parameters<typeof clarificationSms>, string]>([
    [
      'names the range of an out-of-range answer',
      [[scale('Q?')], [0], { reason: 'out-of-range', questionIndex: 0, given: 11, min: 1, max: 10 }],
      'Sorry, 11 is outside 1-10. Please reply with a number from 1 to 10, e.g. 7',
    ],
    [
      'names which answer was out of range',
      [
        [scale('A?'), scale('B?'), scale('C?')],
        [0, 1, 2],
        { reason: 'out-of-range', questionIndex: 1, given: 11, min: 1, max: 10 },
      ],
      'Sorry, answer 2 (11) is outside 1-10. Please reply with 3 numbers from 1 to 10 in order, e.g. 7 8 6',
    ],
    [
      'asks for a whole number',
      [[scale('Q?')], [0], { reason: 'not-whole', questionIndex: 0, given: 7.5 }],
      'Sorry, 7.5 is not a whole number. Please reply with a number from 1 to 10, e.g. 7',
    ],
    [
      'asks again when nothing was understood',
      [MIXED, [0, 1, 2, 3], { reason: 'no-answer' }],
      "Sorry, I didn't catch that. Please reply with your 4 answers in order, e.g. 7 N 30 good day",
    ],
    [
      'says how many it counted',
      [[scale('A?'), scale('B?')], [0, 1], { reason: 'too-many', found: 3, expected: 2 }],
      "Sorry, I didn't catch that (I counted 3). Please reply with 2 numbers from 1 to 10 in order, e.g. 7 8",
    ],
  ])('%s', (_, args, body) => expect(clarificationSms(...args)).toBe(body));

  it('names the program and the coach in HELP, "your coach" when unknown', () => {
    const named = helpSms({
      programName: 'Walk more',
      coachName: 'Dana Lee',
      coachEmail: 'dana@example.com',
    });
    expect(named).toMatch(/^Walk more: coaching check-ins\. Contact Dana Lee at dana@example\.com\./);
    expect(named).toMatch(/STOP to opt out/);
    expect(helpSms({})).toMatch(/Ask your coach\./);
    expect(segmentsOf(named)).toBeLessThanOrEqual(2);
    expect(GSM7.test(helpSms({ programName: 'Coach’s “best” – daily…' }))).toBe(true);
  });

  it('keeps dates written by Intl in GSM-7 (narrow no-break space before PM)', () => {
    expect(resumedSms('Tue 6:00\u202FPM')).toBe('Welcome back! Your next check-in arrives Tue 6:00 PM.');
    expect(GSM7.test(pausedSms(2, 'Sat,\u202FNov 28'))).toBe(true);
  });
});
