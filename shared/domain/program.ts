/**
 * Programs: a set of micro-questions and the schedule they are asked on. Pure domain, no I/O.
 */
import * as z from 'zod';
import { isInsideWindow, type LocalTime, LocalTimeSchema, parseLocalTime } from './local-time.js';

/** Days of the week, in ISO order (Monday = 1). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One micro-question. Only the 1–10 scale exists so far; yes/no, number and text come later. */
export const QuestionSchema = z.object({
  text: z.string().trim().min(3).max(160),
  type: z.literal('scale'),
});
export type Question = z.infer<typeof QuestionSchema>;

/** Default quiet hours, participant-local: nothing is ever sent inside them. */
export const DEFAULT_QUIET_HOURS = { start: '21:00', end: '08:00' } as const;

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
  })
  .superRefine((s, ctx) => {
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

/** Body of `POST /api/programs`. */
export const NewProgramSchema = z.object({
  name: z.string().trim().min(1).max(80),
  questions: z.array(QuestionSchema).min(1).max(10),
  schedule: ScheduleSchema,
});
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
