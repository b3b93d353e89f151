/**
 * Personal experiments: one participant, one extra question asked with their prompts between two
 * participant-local dates, and the observation → impact → improvement the coach agreed with them.
 * Pure domain, no I/O.
 */

import * as z from 'zod';
import { type Question, QuestionSchema } from './program.js';
import { localDateOf } from './zone.js';

const noteField = z.string().trim().min(1).max(280);

/** The agreement an experiment comes from, each part optional. */
export const ExperimentNoteSchema = z.object({
  observation: noteField.optional(),
  impact: noteField.optional(),
  improvement: noteField.optional(),
});

/** Body of `POST /api/participants/{id}/experiments`: an end date or a number of weeks. */
export const NewExperimentSchema = z
  .object({
    question: QuestionSchema,
    /** First participant-local day the question is asked (YYYY-MM-DD). */
    startDate: z.iso.date('expected a date as YYYY-MM-DD'),
    /** Last participant-local day it is asked, inclusive. */
    endDate: z.iso.date('expected a date as YYYY-MM-DD').optional(),
    /** Instead of `endDate`: how many weeks from `startDate`. */
    weeks: z.number().int().min(1).max(26).optional(),
    note: ExperimentNoteSchema.optional(),
  })
  .superRefine((e, ctx) => {
    if ((e.endDate === undefined) === (e.weeks === undefined))
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'give either endDate or weeks' });
    if (e.endDate !== undefined && e.endDate < e.startDate)
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: `must be on or after ${e.startDate}` });
  });
export type NewExperiment = z.infer<typeof NewExperimentSchema>;

/** A stored experiment. */
export interface Experiment {
  readonly id: string;
  readonly participantId: string;
  readonly coachId: string;
  readonly question: z.infer<typeof QuestionSchema>;
  readonly startDate: string;
  /** Last participant-local day, inclusive. */
  readonly endDate: string;
  readonly note?: z.infer<typeof ExperimentNoteSchema>;
  readonly createdAt: string;
  /** When the coach ended it early; no prompt scheduled at or after this instant carries it. */
  readonly endedAt?: string;
}

/** Where an experiment stands at an instant, in the participant's zone. */
export type ExperimentStatus = 'upcoming' | 'active' | 'ended';

/** The last day of an experiment given as a number of weeks: start + 7 × weeks − 1 day. */
export function endDateOf(input: Pick<NewExperiment, 'startDate' | 'endDate' | 'weeks'>): string {
  if (input.endDate !== undefined) return input.endDate;
  const [y, m, d] = input.startDate.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y, m - 1, d + 7 * (input.weeks ?? 1) - 1));
  return end.toISOString().slice(0, 10);
}

/** Where `experiment` stands at `instant` for a participant in `zone`. */
export function experimentStatus(experiment: Experiment, instant: Date, zone: string): ExperimentStatus {
  if (experiment.endedAt !== undefined && instant.getTime() >= Date.parse(experiment.endedAt)) return 'ended';
  const day = localDateOf(instant, zone);
  if (day < experiment.startDate) return 'upcoming';
  return day > experiment.endDate ? 'ended' : 'active';
}

/**
 * A prompt's questions: the program's, then the question of each experiment active on the
 * prompt's local day, marked with its experiment's id so its answers are kept apart.
 */
export function withExperiments(
  questions: readonly Question[],
  experiments: readonly Experiment[],
  scheduledFor: Date,
  zone: string,
): Question[] {
  const riding = experiments
    .filter((e) => experimentStatus(e, scheduledFor, zone) === 'active')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((e) => ({ ...e.question, experimentId: e.id }));
  return [...questions, ...riding];
}
