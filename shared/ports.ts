/**
 * Ports: what the use cases need from the outside world. Adapters in `shared/adapters/` implement
 * them for DynamoDB, Twilio and SQS; tests pass the real adapters against the local stack, or a
 * fake where no real part can produce the case.
 */

import type { Participant, ParticipantStatus } from './domain/participant.js';
import type { Program } from './domain/program.js';
import type { Prompt, PromptKind } from './domain/prompt.js';

/** The current instant. Local mode's clock can be moved forward; AWS's is the system clock. */
export interface Clock {
  now(): Date;
}

/** Names of the product's counters. */
export type MetricName =
  | 'PromptsSent'
  | 'PromptsFailed'
  | 'PromptsUnknown'
  | 'PromptsSkipped'
  | 'RemindersSent'
  | 'OptInRequestsSent'
  | 'Delivered'
  | 'Undelivered'
  | 'RepliesReceived'
  | 'AnswersRecorded';

/** Counters for dashboards and alarms. */
export interface MetricsSink {
  count(name: MetricName, value?: number): void;
}

/** How a provider call failed, which decides what happens next. */
export type SendFailureKind =
  /** Definitely not sent (429, 5xx, connection refused): safe to retry later. */
  | 'retryable'
  /** Definitely not sent and never will be (invalid number, unsubscribed recipient). */
  | 'permanent'
  /** The request left and no answer came back: it may have been sent. Never retry blindly. */
  | 'ambiguous';

/** A failed provider call, classified. */
export class SmsSendError extends Error {
  override readonly name = 'SmsSendError';
  constructor(
    readonly kind: SendFailureKind,
    message: string,
    readonly code?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Outbound SMS. */
export interface SmsSender {
  /** Sends one SMS; resolves with the provider's message id or throws {@link SmsSendError}. */
  send(message: {
    to: string;
    body: string;
    statusCallbackUrl?: string;
  }): Promise<{ providerMessageId: string }>;
}

/** Names one prompt (or the reminder of one); also what the send queue carries. */
export interface PromptRef {
  readonly participantId: string;
  readonly scheduledFor: string;
  /** Absent means `prompt`. */
  readonly kind?: PromptKind;
}

/** A request to send one prompt or reminder, as carried by the send queue. */
export type SendRequest = PromptRef;

/** The queue between the dispatcher and the senders. */
export interface SendQueue {
  enqueue(requests: readonly SendRequest[]): Promise<void>;
  /** Parks a request on the dead-letter queue, where operators are alarmed. */
  deadLetter(request: SendRequest, reason: string): Promise<void>;
}

/** Programs of coaches (built-in ones come from the domain). */
export interface ProgramRepository {
  create(program: Program): Promise<void>;
  get(coachId: string, programId: string): Promise<Program | undefined>;
  listForCoach(coachId: string): Promise<Program[]>;
  /** Any program by id, whoever owns it; for the dispatcher and sender. */
  getById(programId: string): Promise<Program | undefined>;
}

/** Something due at a time, as read from the due index. */
export type DueTimer =
  /** The participant's next scheduled prompt, or their deferred SMS opt-in request. */
  | { readonly kind: 'participant'; readonly participant: Participant; readonly dueAt: string }
  /** The reminder of an unanswered prompt. */
  | { readonly kind: 'reminder'; readonly prompt: Prompt; readonly dueAt: string };

/** The due index: everything scheduled, found by time without scanning. */
export interface TimerIndex {
  /** Timers at or before `until`, earliest first within each shard. */
  listDue(until: Date): AsyncIterable<DueTimer>;
  /** The earliest timer in the index, if any; lets the local clock skip idle minutes. */
  earliestDue(): Promise<Date | undefined>;
}

/** Participants, their phone-number claims and their scheduling timer. */
export interface ParticipantRepository {
  /** Stores a new participant; throws ConflictError when the phone number is already enrolled. */
  create(participant: Participant): Promise<void>;
  get(participantId: string): Promise<Participant | undefined>;
  listForCoach(coachId: string): Promise<Participant[]>;
  findByPhone(phone: string): Promise<Participant | undefined>;
  /**
   * Sets status and the next due time in one conditional write; `nextDueAt` undefined removes the
   * participant from the due index. Returns false when `expectedDueAt` no longer matches (another
   * dispatcher moved it first).
   */
  update(
    participantId: string,
    change: {
      status?: ParticipantStatus;
      nextDueAt?: string | null;
      consentAt?: string;
      pausedUntil?: string | null;
    },
    expectedDueAt?: string | null,
  ): Promise<boolean>;
}

/** Outcome of creating a prompt: created now, or the one that already existed. */
export type CreatePromptResult =
  | { readonly created: true }
  | { readonly created: false; readonly existing: Prompt };

/** Fields a send-lifecycle transition may set; `remindAt: null` clears the reminder timer. */
export type PromptChange = Partial<
  Pick<Prompt, 'status' | 'sentAt' | 'providerMessageId' | 'errorCode' | 'skipReason' | 'attempts'>
> & { readonly remindAt?: string | null };

/** Prompts (and reminders) and their send lifecycle; every transition is a conditional write. */
export interface PromptRepository {
  /** Creates the prompt unless one exists for the same participant, instant and kind. */
  create(prompt: Prompt): Promise<CreatePromptResult>;
  get(ref: PromptRef): Promise<Prompt | undefined>;
  /** queued → sending. Returns the claimed prompt, or undefined if someone else holds it. */
  claim(ref: PromptRef, at: Date): Promise<Prompt | undefined>;
  /** Moves a prompt from status `from` to a final or retry state; false if it was not in `from`. */
  finish(ref: PromptRef, from: 'sending' | 'queued', change: PromptChange): Promise<boolean>;
  /**
   * Moves or clears (null) the reminder timer of a prompt, if it is still `expected` and the
   * prompt is unanswered. Returns false otherwise.
   */
  moveReminder(ref: PromptRef, remindAt: string | null, expected: string): Promise<boolean>;
  recordDelivery(ref: PromptRef, deliveryStatus: string, errorCode?: string): Promise<void>;
  /** The most recent prompt that went out, for attributing a reply. */
  latestSent(participantId: string): Promise<Prompt | undefined>;
  markClarified(ref: PromptRef): Promise<void>;
  /** The participant's prompts and reminders, newest first, at most `limit`. */
  list(participantId: string, limit: number): Promise<Prompt[]>;
}

/** A raw inbound message as received from a provider. */
export interface InboundMessage {
  readonly providerMessageId: string;
  readonly channel: 'sms';
  readonly from: string;
  readonly body: string;
  readonly receivedAt: string;
}

/** What was done with an inbound message, stored with it so a redelivery gets the same answer. */
export interface InboundOutcome {
  readonly participantId?: string;
  readonly outcome:
    | 'answers'
    | 'opt-in'
    | 'opt-out'
    | 'help'
    | 'unparsed'
    | 'comment'
    | 'unknown-sender'
    | 'no-prompt';
  readonly responseText?: string;
}

/** One stored answer. */
export interface Answer {
  readonly participantId: string;
  readonly scheduledFor: string;
  readonly questionIndex: number;
  readonly question: string;
  readonly value: number;
  readonly channel: 'sms';
  readonly receivedAt: string;
  readonly providerMessageId: string;
  readonly comment?: string;
}

/** Raw inbound messages and the answers parsed from them. */
export interface ReplyRepository {
  /** Stores the raw message unless already stored; returns the earlier outcome for a redelivery. */
  storeRaw(
    message: InboundMessage,
  ): Promise<{ duplicate: false } | { duplicate: true; outcome?: InboundOutcome }>;
  /** Stores the answers, marks the prompt answered and the message processed, all or nothing. */
  recordAnswers(message: InboundMessage, answers: readonly Answer[], outcome: InboundOutcome): Promise<void>;
  /** Marks the message processed with its outcome (no answers). */
  recordOutcome(message: InboundMessage, outcome: InboundOutcome): Promise<void>;
  listAnswers(participantId: string): Promise<Answer[]>;
}
