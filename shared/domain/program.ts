/**
 * Programs: a set of micro-questions and the schedule they are asked on. Pure domain, no I/O.
 */
import * as z from 'zod';
import { isInsideWindow, type LocalTime, LocalTimeSchema, parseLocalTime } from './local-time.js';

/** Days of the week, in ISO order (Monday = 1). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const questionText = z.string().trim().min(3).max(160);

/**
 * One micro-question, of one of four types:
 * - `scale`: a whole number from `min` to `max` (default 1–10; e.g. 1–5, 0–10);
 * - `yes-no`: stored as 1 (yes) or 0 (no);
 * - `number`: any number, with an optional unit ("minutes walked") and optional bounds;
 * - `text`: free text.
 * An experiment's question carries the experiment's id, so its answers are kept apart.
 */
export const QuestionSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('scale'),
      text: questionText,
      min: z.number().int().min(0).max(100).optional(),
      max: z.number().int().min(1).max(100).optional(),
    }),
    z.object({ type: z.literal('yes-no'), text: questionText }),
    z.object({
      type: z.literal('number'),
      text: questionText,
      unit: z.string().trim().min(1).max(24).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
    }),
    z.object({ type: z.literal('text'), text: questionText }),
  ])
  .superRefine((q, ctx) => {
    if (
      (q.type === 'scale' || q.type === 'number') &&
      q.min !== undefined &&
      q.max !== undefined &&
      q.min >= q.max
    )
      ctx.addIssue({ code: 'custom', path: ['max'], message: `must be greater than min (${q.min})` });
  });
export type Question = z.infer<typeof QuestionSchema> & {
  /** Set on the question of a personal experiment riding along in a prompt. */
  readonly experimentId?: string;
};

/** The range of a scale question (default 1–10). */
export function scaleRange(question: Question): { min: number; max: number } {
  return question.type === 'scale'
    ? { min: question.min ?? 1, max: question.max ?? 10 }
    : { min: 1, max: 10 };
}

/** How long after it went out a prompt still takes replies, unless the program says otherwise. */
export const DEFAULT_REPLY_WINDOW_HOURS = 24;

/** Default quiet hours, participant-local: nothing is ever sent inside them. */
export const DEFAULT_QUIET_HOURS = { start: '21:00', end: '08:00' } as const;

/**
 * What every quiet-hours window must cover, participant-local, and its shortest length: a coach may
 * move the window (a 07:00 morning question is fine) but cannot configure the night away.
 */
export const QUIET_HOURS_RULE = { covers: { start: '23:00', end: '06:00' }, minHours: 8 } as const;

const DAY = 24 * 60;

/** Why a quiet-hours window breaks {@link QUIET_HOURS_RULE}, or undefined when it keeps it. */
export function quietHoursProblem(start: string, end: string): string | undefined {
  const from = parseLocalTime(start);
  // start = end is an empty window (see isInsideWindow), not a whole day.
  const length = (parseLocalTime(end) - from + DAY) % DAY;
  const night = parseLocalTime(QUIET_HOURS_RULE.covers.start);
  const nightLength = (parseLocalTime(QUIET_HOURS_RULE.covers.end) - night + DAY) % DAY;
  const nightOffset = (night - from + DAY) % DAY;
  const longEnough = length >= QUIET_HOURS_RULE.minHours * 60;
  if (longEnough && nightOffset + nightLength <= length) return undefined;
  const { covers, minHours } = QUIET_HOURS_RULE;
  const rule = `quiet hours must be at least ${minHours} hours long and cover ${covers.start}–${covers.end} participant-local`;
  const found = longEnough
    ? `${start}–${end} leaves part of ${covers.start}–${covers.end} open`
    : `${start}–${end} is ${length ? formatDuration(length) : 'empty'}`;
  return `${rule}; ${found}`;
}

function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** When a program asks its questions, in each participant's own time zone. */
export const ScheduleSchema = z
  .object({
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1)
      .transform((days) => WEEKDAYS.filter((d) => days.includes(d))),
    time: LocalTimeSchema,
    quietHours: z
      .object({ start: LocalTimeSchema, end: LocalTimeSchema })
      .default({ ...DEFAULT_QUIET_HOURS }),
    /** A prompt missed by an outage is still sent this long after its time; later it is skipped. */
    freshnessMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(180),
    /** One reminder this many hours after an unanswered prompt; absent = no reminder. */
    reminderAfterHours: z.number().int().min(1).max(12).optional(),
    /**
     * A reply belongs to the newest unanswered prompt sent at most this many hours before it, so a
     * late reply still counts for its day; older prompts no longer take answers.
     */
    replyWindowHours: z
      .number()
      .int()
      .min(1)
      .max(7 * 24)
      .default(DEFAULT_REPLY_WINDOW_HOURS),
  })
  .superRefine((s, ctx) => {
    const quiet = quietHoursProblem(s.quietHours.start, s.quietHours.end);
    if (quiet) {
      ctx.addIssue({ code: 'custom', path: ['quietHours'], message: quiet });
      return;
    }
    if (
      isInsideWindow(
        parseLocalTime(s.time),
        parseLocalTime(s.quietHours.start),
        parseLocalTime(s.quietHours.end),
      )
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['time'],
        message: `${s.time} falls inside quiet hours ${s.quietHours.start}–${s.quietHours.end} (participant-local); pick a time outside them`,
      });
    }
  });
export type Schedule = z.infer<typeof ScheduleSchema>;

const ProgramQuestionsSchema = z.array(QuestionSchema).min(1).max(10);

/**
 * Body of `POST /api/programs` and `PUT /api/programs/{id}`, its shape only: the OpenAPI document
 * and the dashboard's types read it. Handlers parse with {@link newProgramSchema}, which adds the
 * SMS channel's prompt limit.
 */
export const NewProgramSchema = z.object({
  name: z.string().trim().min(1).max(80),
  questions: ProgramQuestionsSchema,
  schedule: ScheduleSchema,
  /**
   * Whether participants get their weekly report card (their own figures, this week beside last)
   * when their week closes. Absent means yes: the coach switches it off.
   */
  reportCard: z.boolean().optional(),
});

/**
 * {@link NewProgramSchema} with the prompt limit of the SMS channel (`SmsPolicy.promptProblem`,
 * injected so the core never imports a channel): a program whose prompt would not fit is refused,
 * naming `questions`.
 */
export function newProgramSchema(promptProblem: (questions: readonly Question[]) => string | undefined) {
  return NewProgramSchema.extend({
    questions: ProgramQuestionsSchema.superRefine((questions, ctx) => {
      const problem = promptProblem(questions);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  });
}
export type NewProgram = z.infer<typeof NewProgramSchema>;

/** A stored program. Built-in programs have no coach. */
export interface Program extends NewProgram {
  readonly id: string;
  readonly coachId: string | null;
  readonly createdAt: string;
}

/** Quiet-hours window of a schedule as parsed local times. */
export function quietWindow(schedule: Schedule): { start: LocalTime; end: LocalTime } {
  return { start: parseLocalTime(schedule.quietHours.start), end: parseLocalTime(schedule.quietHours.end) };
}

/** Marshall Goldsmith's six daily questions: every day at 20:00 participant-local. */
export const DAILY_QUESTIONS: Program = {
  id: 'daily-questions',
  coachId: null,
  name: 'Daily questions',
  createdAt: '2026-01-01T00:00:00.000Z',
  questions: [
    'set clear goals',
    'make progress toward my goals',
    'find meaning',
    'be happy',
    'build positive relationships',
    'be fully engaged',
  ].map((goal) => ({ text: `Did I do my best to ${goal} today?`, type: 'scale' as const })),
  schedule: ScheduleSchema.parse({ days: [...WEEKDAYS], time: '20:00' }),
};

/** Programs every coach can use without creating them. */
export const BUILT_IN_PROGRAMS: readonly Program[] = [DAILY_QUESTIONS];
