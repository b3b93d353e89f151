/**
 * Programs a coach cannot save: prompts that would cost a fortune on every send, and quiet hours
 * that would let questions arrive in the middle of the night.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { promptSms } from '../../shared/channels/sms/domain/messages.js';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import {
  DAILY_QUESTIONS,
  newProgramSchema,
  type Question,
  ScheduleSchema,
} from '../../shared/domain/program.js';

// As the create and update handlers parse: the shape and the SMS channel's prompt limit.
const NewProgramSchema = newProgramSchema(smsPolicy.promptProblem);
const scale = (text: string): Question => ({ text, type: 'scale' });
const schedule = { days: ['mon', 'wed', 'fri'], time: '20:00' };
const program = (questions: Question[], sched: Record<string, unknown> = schedule) =>
  NewProgramSchema.safeParse({ name: 'Focus', questions, schedule: sched });
const issuesOf = (result: ReturnType<typeof program>) =>
  (result.error?.issues ?? []).map((i) => ({ path: i.path.join('.'), message: i.message }));

describe('prompt size', () => {
  it('accepts the built-in six daily questions', () => {
    const { id: _id, coachId: _coach, createdAt: _at, ...daily } = DAILY_QUESTIONS;
    expect(NewProgramSchema.safeParse(daily).success).toBe(true);
  });

  it('refuses ten 160-character questions with the size, on questions', () => {
    const questions = Array.from({ length: 10 }, (_, i) => scale(`${i} ${'x'.repeat(158)}`));
    const sent = new SegmentedMessage(promptSms(questions));
    expect(issuesOf(program(questions))).toEqual([
      {
        path: 'questions',
        message: `the prompt would be ${sent.segmentsCount} SMS segments (${[...promptSms(questions)].length} characters, GSM-7); at most 3`,
      },
    ]);
    expect(sent.segmentsCount).toBeGreaterThan(3);
  });

  // Questions of 60 characters: the prompt crosses three segments somewhere between 1 and 10.
  const sixty = (n: number) => Array.from({ length: n }, (_, i) => scale(`Q${i} ${'y'.repeat(56)}?`));
  it.each(Array.from({ length: 10 }, (_, i) => i + 1))(
    '%i sixty-character questions are accepted exactly when Twilio bills at most 3 segments',
    (n) => {
      const segments = new SegmentedMessage(promptSms(sixty(n))).segmentsCount;
      expect(program(sixty(n)).success).toBe(segments <= 3);
    },
  );

  it('draws the line between three and four segments: six such questions fit, seven do not', () => {
    expect(program(sixty(6)).success).toBe(true);
    expect(issuesOf(program(sixty(7)))[0]?.message).toMatch(/^the prompt would be 4 SMS segments/);
  });

  it('names the characters that forced UCS-2 when they make the prompt too long', () => {
    const questions = Array.from({ length: 4 }, (_, i) =>
      scale(`${i} Ai-je été patient ç ${'z'.repeat(40)}`),
    );
    const [issue] = issuesOf(program(questions));
    expect(issue?.path).toBe('questions');
    expect(issue?.message).toMatch(
      /^the prompt would be \d+ SMS segments \(\d+ characters, UCS-2 because of "ç"\); at most 3$/,
    );
  });

  it('does not count typographic quotes against the coach: they are sent as GSM-7', () => {
    const typed = Array.from({ length: 3 }, (_, i) =>
      scale(`${i} Did I do my best to be “present” – today’s focus… ${'w'.repeat(60)}`),
    );
    expect(new SegmentedMessage(typed.map((q) => q.text).join('\n')).encodingName).toBe('UCS-2');
    expect(program(typed).success).toBe(true);
  });
});

describe('quiet hours', () => {
  it.each([
    ['21:00', '08:00', '20:00'], // the default
    ['23:00', '07:00', '07:00'], // a 07:00 morning question
    ['22:00', '06:00', '06:30'],
    ['20:00', '06:00', '12:00'],
    ['23:00', '07:00', '19:00'],
  ])('%s–%s with a question at %s is accepted', (start, end, time) => {
    expect(
      program([...DAILY_QUESTIONS.questions], { ...schedule, time, quietHours: { start, end } }).success,
    ).toBe(true);
  });

  it.each([
    ['00:00', '00:00', 'is empty'],
    ['23:00', '06:00', 'is 7 h'],
    ['23:30', '06:45', 'is 7 h 15 min'],
    ['12:00', '14:00', 'is 2 h'],
    ['23:30', '07:30', 'leaves part of 23:00–06:00 open'],
    ['01:00', '09:00', 'leaves part of 23:00–06:00 open'],
    ['20:00', '05:00', 'leaves part of 23:00–06:00 open'],
  ])('%s–%s is refused on schedule.quietHours: %s', (start, end, why) => {
    expect(
      issuesOf(
        program([...DAILY_QUESTIONS.questions], { ...schedule, time: '12:30', quietHours: { start, end } }),
      ),
    ).toEqual([
      {
        path: 'schedule.quietHours',
        message: `quiet hours must be at least 8 hours long and cover 23:00–06:00 participant-local; ${start}–${end} ${why}`,
      },
    ]);
  });

  it('still refuses a send time inside valid quiet hours', () => {
    const result = ScheduleSchema.safeParse({
      days: ['mon'],
      time: '06:30',
      quietHours: { start: '23:00', end: '07:00' },
    });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['time']);
  });

  it('the built-in program keeps the default window', () => {
    expect(DAILY_QUESTIONS.schedule.quietHours).toEqual({ start: '21:00', end: '08:00' });
  });
});
