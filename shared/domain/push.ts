/**
 * Coach pushes: the short personal message a coach sends a participant after reading their week,
 * optionally with a micro-exercise (one question to answer, asked again N days later). What the
 * coach may write and the templates offered; each channel renders a push its own way
 * (`channels/sms/domain/push-sms.ts`, `channels/email/domain/push-email.ts`). Pure.
 */
import * as z from 'zod';
import { QuestionSchema } from './program.js';
import { PUSH_MAX_LENGTH, unknownFieldsProblem } from './push-fields.js';

export { firstName, PUSH_MAX_LENGTH } from './push-fields.js';

// The limit holds again on each participant's filled-in text (`checkRenderedPush`).
const pushText = z
  .string()
  .trim()
  .min(1)
  .max(PUSH_MAX_LENGTH)
  .superRefine((text, ctx) => {
    const problem = unknownFieldsProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A micro-exercise: a question the participant answers, optionally asked again N days later. */
export const ExerciseSchema = z.object({
  question: QuestionSchema,
  followUpDays: z.number().int().min(1).max(14).optional(),
});
export type Exercise = z.infer<typeof ExerciseSchema>;

const isoWeek = z
  .string()
  .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/u, 'expected an ISO week such as 2026-W48');

/** Body of `POST /api/participants/{id}/pushes`. */
export const NewPushSchema = z.object({
  text: pushText,
  /** The ISO week this push answers (the one "This week" shows it against); default the current one. */
  week: isoWeek.optional(),
  /** When to send; absent: now. Never inside the participant's quiet hours: deferred to their end. */
  sendAt: z.iso.datetime({ offset: true }).optional(),
  exercise: ExerciseSchema.optional(),
});
export type NewPush = z.infer<typeof NewPushSchema>;

/** Body of `POST /api/pushes/bulk`: the fields (`PUSH_FIELDS`) are filled in per participant. */
export const BulkPushSchema = z.object({
  text: pushText,
  to: z.enum(['all', 'flagged']),
  /** The ISO week whose flags `flagged` uses, and that the pushes answer; default the current one. */
  week: isoWeek.optional(),
});
export type BulkPush = z.infer<typeof BulkPushSchema>;

/** A template the push composer offers. */
export interface PushTemplate {
  readonly id: string;
  readonly name: string;
  /** `[…]` marks what the coach fills in; `{{firstName}}` is personalised when sent. */
  readonly text: string;
  readonly hint: string;
}

/**
 * The templates offered. The first is the observation → impact → improvement-offer form: what the
 * coach saw, why it matters, and one concrete offer, in a few sentences.
 */
export const PUSH_TEMPLATES: readonly PushTemplate[] = [
  {
    id: 'observation-impact-offer',
    name: 'Observation, impact, improvement offer',
    text: 'Hi {{firstName}}, this week I noticed [observation]. That matters because [impact]. One idea for next week: [offer]. Want to try it?',
    hint: 'Say what you saw in the answers, why it matters to them, then offer one small, concrete step.',
  },
  {
    id: 'recognition',
    name: 'Recognition',
    text: 'Hi {{firstName}}, [what went well] this week stood out. Keep it going: [next small step].',
    hint: 'Name one specific thing that went well and the next small step.',
  },
  {
    id: 'check-in-after-silence',
    name: 'Check-in after silence',
    text: "Hi {{firstName}}, I haven't heard from you for a few days. No pressure: a one-number reply is plenty. Anything I can make easier?",
    hint: 'For participants flagged silent: keep it light and make replying easy.',
  },
];
