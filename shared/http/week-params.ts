/** Query and body schemas of the coach's-week routes, shared by their handlers and the OpenAPI document. */
import * as z from 'zod';
import { WeekSchema } from '../domain/summary.js';

/** `?week=` of the week listings and the CSV export (default: the current week). */
export const WeekQuerySchema = z.object({ week: WeekSchema.optional() });

/** `?weeks=` of a participant's history. */
export const HistoryQuerySchema = z.object({
  weeks: z.coerce.number().int().min(1).max(52).default(8),
});

/** `?week=&programId=` of the cohort report. */
export const CohortQuerySchema = z.object({
  week: WeekSchema.optional(),
  programId: z.string().trim().min(1).max(64),
});

/** Body of `PUT /api/participants/{id}/summaries/{week}/annotation` ('' removes the note). */
export const AnnotationSchema = z.object({ text: z.string().trim().max(2000) });
