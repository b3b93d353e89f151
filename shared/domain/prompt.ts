/**
 * Prompts: one scheduled delivery of a program's questions to one participant. Pure.
 */
import type { Channel } from './channel.js';
import type { Question } from './program.js';
import type { ReportCard } from './report-card.js';

/**
 * Send lifecycle. `queued` → `sending` (claimed by exactly one sender) → `sent`; or `failed`
 * (provider refused for good, or retries ran out), `unknown` (the provider may or may not have
 * sent it: never resent blindly), `skipped` (too stale, quiet hours, paused or opted out).
 */
export const PROMPT_STATUSES = ['queued', 'sending', 'sent', 'failed', 'unknown', 'skipped'] as const;
export type PromptStatus = (typeof PROMPT_STATUSES)[number];

/**
 * What a send record is: a scheduled prompt, the one gentle reminder of an unanswered prompt, the
 * SMS opt-in request sent at enrolment, the email welcome sent at enrolment, a coach's push (a
 * short personal message, optionally with a micro-exercise question), or the participant's weekly
 * report card (their own figures when their week closes). All go through the same exactly-once path.
 */
export const PROMPT_KINDS = ['prompt', 'reminder', 'opt-in', 'welcome', 'push', 'report'] as const;
export type PromptKind = (typeof PROMPT_KINDS)[number];

/** One scheduled delivery. Identified by participant, scheduled instant and kind. */
export interface Prompt {
  readonly participantId: string;
  /** ISO instant the prompt was scheduled for; its day is the day the answers count for. */
  readonly scheduledFor: string;
  /** Absent means `prompt`; a reminder shares its prompt's `scheduledFor`. */
  readonly kind?: PromptKind;
  /** The channel it goes out on, fixed when it is created; absent in records from before channels: SMS. */
  readonly channel?: Channel;
  readonly programId: string;
  /** Snapshot of the questions, so editing a program never changes what was asked. */
  readonly questions: readonly Question[];
  readonly status: PromptStatus;
  readonly attempts: number;
  readonly createdAt: string;
  readonly claimedAt?: string;
  readonly sentAt?: string;
  readonly providerMessageId?: string;
  /** Provider delivery status from status callbacks (queued, sent, delivered, undelivered, failed). */
  readonly deliveryStatus?: string;
  readonly errorCode?: string;
  readonly skipReason?: string;
  readonly answeredAt?: string;
  /** When the participant texted SKIP for it after it went out: it takes no answers, counts as no prompt. */
  readonly participantSkippedAt?: string;
  /** Whether the one clarification for an unparseable reply was already given. */
  readonly clarified?: boolean;
  /** When the reminder is due, while one is pending (the prompt is then in the due index). */
  readonly remindAt?: string;
  /** A push: the coach's message as sent (personalised). */
  readonly text?: string;
  /** A push: when it is due to go out, while it waits (it is then in the due index). */
  readonly sendAt?: string;
  /** A push's exercise: days until its follow-up. */
  readonly followUpDays?: number;
  /** A follow-up push: the `scheduledFor` of the push whose exercise it asks again. */
  readonly followUpOf?: string;
  /** A push with an exercise: the participant's answer to it. */
  readonly answer?: ExerciseAnswer;
  /** A push that is the coach's reply in the conversation (shown there, not among the pushes). */
  readonly coachReply?: boolean;
  /** A report card: the participant's figures as they stood when the week closed. */
  readonly report?: ReportCard;
}

/** Kinds whose record waits in the due index for its `sendAt` (written ahead, sent when due). */
export function isTimedKind(kind: PromptKind | undefined): kind is 'push' | 'report' {
  return kind === 'push' || kind === 'report';
}

/** The answer to a push's exercise question. */
export interface ExerciseAnswer {
  readonly value?: number;
  readonly text?: string;
  readonly receivedAt: string;
}

/** Why a due prompt was not sent. */
export type SkipReason =
  | 'stale'
  | 'quiet-hours'
  | 'paused'
  | 'opted-out'
  | 'suppressed'
  | 'no-address'
  | 'not-active'
  | 'answered';
