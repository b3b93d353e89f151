/**
 * Properties of the reply parser over arbitrary texts and programs: it never throws, and always
 * returns answers, a follow-up or a clarification whose answers fit the questions asked.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { Question } from '../../shared/domain/program.js';
import { parseReply } from '../../shared/domain/reply.js';

const question: fc.Arbitrary<Question> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 20 }))
    .map(([min, span]) => ({ type: 'scale' as const, text: 'Scale?', min, max: min + span })),
  fc.constant({ type: 'yes-no' as const, text: 'Yes or no?' }),
  fc.record({
    type: fc.constant('number' as const),
    text: fc.constant('How many?'),
    unit: fc.constantFrom('minutes walked', 'glasses', 'km'),
  }),
  fc.constant({ type: 'text' as const, text: 'Words?' }),
);
const questions = fc.array(question, { minLength: 1, maxLength: 10 });

// What people type: digits, yes/no words, separators, numbering, units, emoji, invisible characters.
const piece = fc.oneof(
  fc.integer({ min: -5, max: 120 }).map(String),
  fc.constantFrom('y', 'Yes!', 'nope', 'seven', '7/10', '7.5', '1:', '2=', '3)', 'min', 'of 10'),
  fc.constantFrom(' ', ',', ', ', '-', '/', ';', '\n', ':', '\u200B', '７', '😀', '…', '“', 'é'),
  fc.string({ maxLength: 8 }),
);
const reply = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.array(piece, { maxLength: 30 }).map((p) => p.join('')),
);

function inRange(q: Question | undefined, value: number | undefined): boolean {
  if (!q || value === undefined) return false;
  if (q.type === 'yes-no') return value === 0 || value === 1;
  if (q.type === 'scale') return Number.isInteger(value) && value >= (q.min ?? 1) && value <= (q.max ?? 10);
  if (q.type === 'number') return Number.isFinite(value);
  return false;
}

describe('parseReply', () => {
  test.prop([reply, questions])(
    'never throws and always gives answers, a follow-up or a clarification',
    (text, qs) => {
      const parsed = parseReply(text, qs);
      expect(['answers', 'follow-up', 'clarify']).toContain(parsed.kind);
      if (parsed.kind === 'clarify') return;
      expect(parsed.answers.length).toBeGreaterThan(0);
      const indexes = parsed.answers.map((a) => a.questionIndex);
      expect(new Set(indexes).size).toBe(indexes.length);
      for (const a of parsed.answers) {
        const q = qs[a.questionIndex];
        // Text questions get text, the others a value that fits the question.
        if (q?.type === 'text') expect(a.text?.length).toBeGreaterThan(0);
        else expect(inRange(q, a.value)).toBe(true);
      }
      const answered = new Set(indexes);
      if (parsed.kind === 'answers') expect(qs.every((_, i) => answered.has(i))).toBe(true);
      else {
        expect(parsed.missing.length).toBeGreaterThan(0);
        for (const i of parsed.missing) expect(answered.has(i)).toBe(false);
      }
    },
  );

  test.prop([
    fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 10 }),
    fc.constantFrom(' ', ',', ', ', ' - '),
  ])('reads back any list of 1-10 answers to as many scale questions', (values, separator) => {
    const qs = values.map(() => ({ type: 'scale' as const, text: 'Q?' }));
    expect(parseReply(values.join(separator), qs)).toEqual({
      kind: 'answers',
      answers: values.map((value, questionIndex) => ({ questionIndex, value })),
    });
  });

  test.prop([reply, questions, fc.integer({ min: 0, max: 9 })])(
    'after a partial answer, only answers the questions still expected',
    (text, qs, from) => {
      const expected = qs.map((_, i) => i).slice(Math.min(from, qs.length - 1));
      const parsed = parseReply(text, qs, expected);
      if (parsed.kind === 'follow-up') for (const i of parsed.missing) expect(expected).toContain(i);
    },
  );
});
