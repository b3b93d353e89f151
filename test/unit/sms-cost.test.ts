/**
 * What a prompt costs, as Twilio bills it: the coach sees these numbers before saving a program.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { promptSms } from '../../shared/channels/sms/domain/messages.js';
import { programSmsCost, smsCost } from '../../shared/channels/sms/domain/sms-cost.js';
import { DAILY_QUESTIONS, type Question } from '../../shared/domain/program.js';

const scale = (text: string): Question => ({ text, type: 'scale' });

describe('smsCost', () => {
  it.each([
    ['a confirmation', 'Got it: 7/10. Thanks!', 'GSM-7', 1, 21, []],
    ['160 GSM-7 characters', 'a'.repeat(160), 'GSM-7', 1, 160, []],
    ['161 GSM-7 characters', 'a'.repeat(161), 'GSM-7', 2, 161, []],
    ['612 GSM-7 characters', 'a'.repeat(612), 'GSM-7', 4, 612, []],
    ['80 euro signs (two septets each)', '€'.repeat(80), 'GSM-7', 1, 80, []],
    ['81 euro signs', '€'.repeat(81), 'GSM-7', 2, 81, []],
    ['a lower-case c cedilla', 'ça va? 7', 'UCS-2', 1, 8, ['ç']],
    ['a repeated emoji, listed once', 'Great day 😀😀', 'UCS-2', 1, 12, ['😀']],
    ['74 characters with a curly apostrophe', `Today’s focus ${'a'.repeat(60)}`, 'UCS-2', 2, 74, ['’']],
  ] as const)('%s → %s, %i segment(s), %i characters', (_, text, encoding, segments, characters, nonGsm) => {
    expect(smsCost(text)).toEqual({ encoding, segments, characters, nonGsmCharacters: [...nonGsm] });
  });
});

describe('programSmsCost', () => {
  const programs: Array<[string, Question[]]> = [
    ['the six daily questions', [...DAILY_QUESTIONS.questions]],
    ['one question', [scale('How focused was I today?')]],
    ['two unrelated questions', [scale('How focused was I today?'), scale('Did I exercise?')]],
    ['ten long questions', Array.from({ length: 10 }, (_, i) => scale(`${i} ${'x'.repeat(150)}`))],
    ['a question with an emoji', [scale('How was today 😀?')]],
  ];

  it.each(programs)('%s: the segment count is the calculator’s for the text promptSms sends', (_, qs) => {
    const sent = promptSms(qs);
    const twilio = new SegmentedMessage(sent);
    const cost = programSmsCost(qs);
    expect(cost.segments).toBe(twilio.segmentsCount);
    expect(cost.encoding).toBe(twilio.encodingName);
    expect(cost.characters).toBe([...sent].length);
  });

  it('prices the six daily questions at two GSM-7 segments', () => {
    expect(programSmsCost(DAILY_QUESTIONS.questions)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
  });

  it('a coach’s typographic quotes go out as GSM-7 once toGsm has normalised them', () => {
    const typed = 'Did I do my best to be “present” – today’s focus…?';
    expect(smsCost(typed)).toMatchObject({ encoding: 'UCS-2', nonGsmCharacters: ['“', '”', '–', '’', '…'] });
    expect(programSmsCost([scale(typed)])).toEqual({
      encoding: 'GSM-7',
      segments: 1,
      characters: promptSms([scale(typed)]).length,
      nonGsmCharacters: [],
    });
  });

  it('reports characters that cannot be normalised', () => {
    expect(programSmsCost([scale('Ai-je été patient aujourd’hui ? ç')])).toMatchObject({
      encoding: 'UCS-2',
      nonGsmCharacters: ['ç'],
    });
  });
});
