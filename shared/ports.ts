/**
 * Ports: what the use cases need from the outside world, and {@link Deps}, the set of them a use
 * case picks from. Adapters in `shared/adapters/` implement them for DynamoDB, SQS and the like, and each channel's
 * own (`shared/channels/<channel>/adapters/`) for its provider (Twilio, SES);
 * each handler wires only the adapters its use case picks. Tests pass the real adapters against
 * the local stack, or in-memory ones (`test/support/memory.ts`) for the use-case tier.
 */

import type { Channel, ContactState, SmsCost } from './domain/channel.js';
import type { ConversationMessage } from './domain/conversation.js';
import type { ErasedContact } from './domain/erased-contact.js';
import type { Experiment } from './domain/experiment.js';
import type { Participant, ParticipantStatus } from './domain/participant.js';
import type { AllowedCountries } from './domain/phone.js';
import type { Program, Question } from './domain/program.js';
import type { ExerciseAnswer, Prompt, PromptKind } from './domain/prompt.js';
import type { StreakRecord } from './domain/streak.js';
import type { SummaryRecord, WeekPushMark } from './domain/summary.js';

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
  | 'WelcomesSent'
  | 'PushesSent'
  | 'ReportCardsSent'
  | 'Delivered'
  | 'Undelivered'
  | 'RepliesReceived'
  | 'AnswersRecorded'
  | 'EmailBounces'
  | 'EmailComplaints';

/** Counters for dashboards and alarms. */
export interface MetricsSink {
  count(name: MetricName, value?: number): void;
}

/** How a provider call failed, which decides what happens next. */
export type SendFailureKind =
  /** Definitely not accepted (429, 503, connection refused before sending): safe to retry later. */
  | 'retryable'
  /** Definitely not sent and never will be (invalid number, unsubscribed recipient). */
  | 'permanent'
  /** The request may have been accepted (timeout after it left, 500/502/504). Never retry blindly. */
  | 'ambiguous';

/** A failed provider call on any channel, classified. */
export class SendError extends Error {
  override readonly name = 'SendError';
  constructor(
    readonly kind: SendFailureKind,
    message: string,
    readonly code?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** What a sender returns: the provider's id of the accepted message. */
export interface SendReceipt {
  readonly providerMessageId: string;
}

/** One SMS to send. */
export interface OutboundSms {
  readonly to: string;
  readonly text: string;
  /** Where the provider posts delivery status. */
  readonly statusCallbackUrl?: string;
}

/** One email to send (SES v2 simple content: multipart/alternative HTML and plain text). */
export interface OutboundEmail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Per-prompt reply address, so a reply finds its prompt. */
  readonly replyTo?: string;
  /** Extra headers such as `List-Unsubscribe` and `List-Unsubscribe-Post`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Outbound SMS; throws {@link SendError}. */
export interface SmsSender {
  send(message: OutboundSms): Promise<SendReceipt>;
}

/** Outbound email; throws {@link SendError}. */
export interface EmailSender {
  send(message: OutboundEmail): Promise<SendReceipt>;
}

/** Names one send record (a prompt, its reminder, an opt-in request, a welcome). */
export interface PromptRef {
  readonly participantId: string;
  readonly scheduledFor: string;
  /** Absent means `prompt`. */
  readonly kind?: PromptKind;
}

/** A request to send one record, as carried by a send queue (one queue per channel). */
export interface SendRequest extends PromptRef {
  /** Absent in messages queued before channels existed: SMS. */
  readonly channel?: Channel;
}

/** The send queues between the dispatcher and the senders; routes each request by its channel. */
export interface SendQueue {
  enqueue(requests: readonly SendRequest[]): Promise<void>;
  /** Parks a request on its channel's dead-letter queue, where operators are alarmed. */
  deadLetter(request: SendRequest, reason: string): Promise<void>;
}

/** A program as stored: what happened to it after it was created. */
export type StoredProgram = Program & {
  /** When the coach last changed it. */
  readonly updatedAt?: string;
  /** When the coach archived it: it takes no new enrolments; its participants keep running. */
  readonly archivedAt?: string;
};

/** Programs of coaches (built-in ones come from the domain). */
export interface ProgramRepository {
  create(program: Program): Promise<void>;
  get(coachId: string, programId: string): Promise<StoredProgram | undefined>;
  listForCoach(coachId: string): Promise<StoredProgram[]>;
  /** Any program by id, whoever owns it, read strongly consistently; for sending and replies. */
  getById(programId: string): Promise<StoredProgram | undefined>;
  /**
   * Replaces a coach program's name, questions and schedule, if it is the coach's and not
   * archived; false otherwise.
   */
  update(
    program: Pick<Program, 'id' | 'name' | 'questions' | 'schedule' | 'reportCard'> & {
      coachId: string;
      updatedAt: string;
    },
  ): Promise<boolean>;
  /** Archives a coach program (the first `at` stays); false if it is not the coach's. */
  archive(coachId: string, programId: string, at: string): Promise<boolean>;
}

/** Something due at a time, as read from the due index. */
export type DueTimer =
  /** The participant's next scheduled prompt, or their deferred opt-in request. */
  | { readonly kind: 'participant'; readonly participant: Participant; readonly dueAt: string }
  /** The reminder of an unanswered prompt. */
  | { readonly kind: 'reminder'; readonly prompt: Prompt; readonly dueAt: string }
  /**
   * A message written ahead waiting for its send time (or for the end of quiet hours): a coach's
   * push or a report card (`prompt.kind` tells which).
   */
  | { readonly kind: 'push'; readonly prompt: Prompt; readonly dueAt: string };

/** The due index: everything scheduled, found by time without scanning. */
export interface TimerIndex {
  /** Timers at or before `until`, earliest first within each shard. */
  listDue(until: Date): AsyncIterable<DueTimer>;
  /** The earliest timer in the index, if any; lets the local clock skip idle minutes. */
  earliestDue(): Promise<Date | undefined>;
}

/** Fields of a participant that change after enrolment; `null` removes one. */
export interface ParticipantChange {
  readonly status?: ParticipantStatus;
  /** Moves the participant to another program (the coach's own or a built-in one). */
  readonly programId?: string;
  readonly nextDueAt?: string | null;
  readonly consentAt?: string;
  readonly pausedUntil?: string | null;
}

/**
 * A coach's edit of a participant's profile and what follows from it (status and consent when the
 * address they are reached at changes; the timer when their zone does). `null` removes a field.
 */
export interface ParticipantProfileChange extends Omit<ParticipantChange, 'consentAt'> {
  readonly name?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly timeZone?: string;
  readonly channel?: Channel;
  readonly consentAt?: string | null;
  readonly addressSince?: string;
}

/** Conditions on the stored participant under which a change applies. */
export interface ParticipantExpectation {
  /** The `nextDueAt` it must still have (`null`: none): another dispatcher did not move it first. */
  readonly dueAt?: string | null;
  /** The status it must still have: a status change never overwrites one it did not read. */
  readonly status?: ParticipantStatus;
}

/**
 * A page of a listing and the cursor of the next one. A page of participants may also carry
 * `stateless`: ids of listed participants none of whose addresses can hold a contact state that
 * changes what the coach sees (no STOP, unsubscribe, bounce or complaint touched them since
 * enrolment, see `adapters/dynamodb/contacts.ts`), so a listing need not read their states. An id
 * left out (or no set at all) only means "read it".
 */
export interface Page<T> {
  readonly items: T[];
  readonly cursor?: string;
}

/** Participants (enrolments), their links to contact addresses and their scheduling timer. */
export interface ParticipantRepository {
  /** Stores a new participant and links it to its contact address(es). */
  create(participant: Participant): Promise<void>;
  /**
   * Stores many new participants, all or none: each write is conditional on its program not being
   * archived, and if one fails, whatever was written is removed again before it throws.
   * @throws ConflictError on `programId` when a program was archived meanwhile
   */
  createAll(participants: readonly Participant[]): Promise<void>;
  get(participantId: string): Promise<Participant | undefined>;
  listForCoach(
    coachId: string,
    page?: { limit: number; cursor?: string },
  ): Promise<Page<Participant> & { readonly stateless?: ReadonlySet<string> }>;
  /** Every enrolment using an address on a channel, whoever its coach. */
  findByAddress(channel: Channel, address: string): Promise<Participant[]>;
  /** Applies a change if the stored participant meets `expected`; false when it does not. */
  update(
    participantId: string,
    change: ParticipantChange,
    expected?: ParticipantExpectation,
  ): Promise<boolean>;
  /**
   * Applies a coach's profile edit in one transaction with the address links it moves, only if
   * the stored participant still has every value it had in `read` (so two concurrent edits never
   * half-apply); false when it changed meanwhile.
   */
  edit(read: Participant, change: ParticipantProfileChange): Promise<boolean>;
  /**
   * The coach's participants on one program (a program's participants are always its coach's:
   * built-in programs are never edited). Eventually consistent.
   */
  listForProgram(coachId: string, programId: string): Promise<Participant[]>;
  /**
   * Stores a personal experiment of a participant and raises the participant's `experimentsUntil`
   * to its end date (never lowers it).
   */
  addExperiment(experiment: Experiment): Promise<void>;
  /** The participant's experiments, past, running and upcoming, read strongly consistently. */
  listExperiments(participantId: string): Promise<Experiment[]>;
  /** Ends an experiment at `at` unless it was already ended; false if missing or already ended. */
  endExperiment(participantId: string, experimentId: string, at: string): Promise<boolean>;
}

/** Per-address state: consent and suppression, shared by every enrolment using the address. */
export interface ContactRepository {
  get(channel: Channel, address: string): Promise<ContactState | undefined>;
  /**
   * An inbound message's sender in one strongly consistent read: the address's state and the ids
   * of every enrolment using it (as {@link ParticipantRepository.findByAddress} finds them).
   */
  lookup(channel: Channel, address: string): Promise<{ state?: ContactState; participantIds: string[] }>;
  /**
   * Records an opt-out (true) or opt-in (false) said at `at`, unless a later one is already
   * recorded (messages take effect in the order they were received). False when it was older.
   */
  setOptOut(channel: Channel, address: string, optedOut: boolean, at: string): Promise<boolean>;
  /** Email: suppresses the address for good (hard bounce, complaint). */
  suppress(channel: Channel, address: string, reason: NonNullable<ContactState['suppressed']>): Promise<void>;
  /** Email: counts a soft bounce; returns the new count. */
  countSoftBounce(channel: Channel, address: string): Promise<number>;
}

/**
 * What erasure keeps of erased addresses' consent, by keyed hash ({@link ErasedContact}); read when
 * an address is enrolled again, so a "no" outlives the data of the person who said it.
 */
export interface ErasedContactRepository {
  get(digest: string): Promise<ErasedContact | undefined>;
  /** Keeps `kept` for the digest, or forgets it (undefined: the address had opted back in). */
  set(digest: string, kept: ErasedContact | undefined): Promise<void>;
}

/** Outcome of creating a prompt: created now, or the one that already existed. */
export type CreatePromptResult =
  | { readonly created: true }
  | { readonly created: false; readonly existing: Prompt };

/**
 * Fields a send-lifecycle transition may set; `remindAt: null` clears the reminder timer, `sendAt:
 * null` a push's timer.
 */
export type PromptChange = Partial<
  Pick<Prompt, 'status' | 'sentAt' | 'providerMessageId' | 'errorCode' | 'skipReason' | 'attempts'>
> & { readonly remindAt?: string | null; readonly sendAt?: string | null };

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
   * `sending` → sent ({@link finish}) and, in the same write where the store can, the prompt's
   * mark in its participant-week ({@link SummaryRepository.markSent}) once that week is open.
   * `marked: false` leaves the mark to the caller (the week's first send, or a lost race).
   */
  finishSent(
    ref: PromptRef,
    change: PromptChange,
    participant: Pick<Participant, 'id' | 'coachId' | 'timeZone' | 'programId'>,
    prompt: Pick<Prompt, 'scheduledFor' | 'questions'>,
  ): Promise<{ finished: boolean; marked: boolean }>;
  /**
   * Moves or clears (null) the reminder timer of a prompt, if it is still `expected` and the
   * prompt is unanswered. Returns false otherwise.
   */
  moveReminder(ref: PromptRef, remindAt: string | null, expected: string): Promise<boolean>;
  /**
   * Records a provider delivery status. With `rank`, only forward: the write applies only if the
   * stored status has a lower rank (a repeated or out-of-order callback changes nothing). False
   * when nothing was written.
   */
  recordDelivery(ref: PromptRef, deliveryStatus: string, errorCode?: string, rank?: number): Promise<boolean>;
  /** The most recent prompt that went out, for attributing a reply. */
  latestSent(participantId: string): Promise<Prompt | undefined>;
  /** Marks that the one clarification was given; false if it already was (concurrent replies). */
  markClarified(ref: PromptRef): Promise<boolean>;
  /** The participant's prompts and reminders, newest first, at most `limit`. */
  list(participantId: string, limit: number): Promise<Prompt[]>;
  /**
   * One kind of the participant's send records, newest first, at most `limit`; with `before` (a
   * `scheduledFor` read earlier) only older ones: a page, where {@link list} reads every kind.
   */
  recent(participantId: string, kind: PromptKind, limit: number, before?: string): Promise<Prompt[]>;
  /**
   * The participant's scheduled prompts as a streak counts them (no question snapshots, no
   * texts), newest first, at most `limit`, only older than `before` when given.
   */
  streakRecords(participantId: string, limit: number, before?: string): Promise<StreakRecord[]>;
  /** Indexes of the questions of a prompt that have an answer (a partial answer leaves some out). */
  answeredQuestions(ref: PromptRef): Promise<number[]>;
  /**
   * The participant said SKIP to a prompt that already went out: it takes no more answers and its
   * reminder is cancelled. False when it was answered meanwhile (or is gone).
   */
  markSkipped(ref: PromptRef, at: string): Promise<boolean>;
  /**
   * Moves (to a later `sendAt`) or clears (null) the timer of a queued push, if its timer is still
   * `expected`. Returns false otherwise (another dispatcher moved it, or it was sent).
   */
  movePush(ref: PromptRef, sendAt: string | null, expected: string): Promise<boolean>;
  /** The participant's pushes (follow-ups included), newest first, at most `limit`. */
  listPushes(participantId: string, limit: number): Promise<Prompt[]>;
  /**
   * Stores the answer to a push's exercise on the push, marks it answered and the message
   * processed, all or nothing. A later answer replaces the earlier one.
   */
  recordExerciseAnswer(
    message: InboundMessage,
    ref: PromptRef,
    answer: ExerciseAnswer,
    outcome: InboundOutcome,
  ): Promise<void>;
}

/** Where an answer came from. */
export const ANSWER_SOURCES = ['sms-reply', 'email-reply', 'answer-link', 'dashboard'] as const;
export type AnswerSource = (typeof ANSWER_SOURCES)[number];

/**
 * One inbound input, kept raw before anything else: an SMS, an email (its text after quoted
 * history is stripped; the raw MIME stays in the inbound bucket under `rawRef`), or a click on an
 * answer link. `providerMessageId` makes it idempotent: a redelivery is recognised.
 */
export interface InboundMessage {
  readonly providerMessageId: string;
  readonly channel: Channel;
  readonly source: AnswerSource;
  /** Phone number or email address of the sender (never logged). */
  readonly from: string;
  readonly body: string;
  readonly receivedAt: string;
  /** Where the raw original is kept when it is too large for the table (email MIME in S3). */
  readonly rawRef?: string;
}

/** What was done with an inbound message, stored with it so a redelivery gets the same answer. */
export interface InboundOutcome {
  readonly participantId?: string;
  readonly outcome:
    | 'answers'
    | 'opt-in'
    | 'opt-out'
    | 'help'
    | 'pause'
    | 'resume'
    | 'skip'
    | 'unparsed'
    | 'comment'
    | 'unknown-sender'
    | 'no-prompt'
    | 'auto-reply'
    | 'auth-failed'
    | 'malformed'
    | 'unattributed';
  readonly responseText?: string;
  /**
   * For a message no enrolment took that concerns an address other than its sender's (a reply to
   * a participant's reply address from another mailbox): that address, so the participant's
   * export and erasure find it. Not stored with the outcome.
   */
  readonly about?: string;
}

/** One stored answer; a later answer to the same question of the same prompt replaces it. */
export interface Answer {
  readonly participantId: string;
  readonly scheduledFor: string;
  readonly questionIndex: number;
  readonly question: string;
  /** Scale value, 1/0 for yes/no, or the number; absent for a free-text answer. */
  readonly value?: number;
  /** A free-text answer. */
  readonly text?: string;
  /** Set when the question was a personal experiment's. */
  readonly experimentId?: string;
  readonly channel: Channel;
  readonly source: AnswerSource;
  readonly receivedAt: string;
  readonly providerMessageId: string;
  readonly comment?: string;
}

/** Raw inbound messages and the answers parsed from them. */
export interface ReplyRepository {
  /**
   * Stores the raw message unless already stored. A duplicate within 30 s of the first delivery
   * returns no outcome (the first delivery answers; nothing may answer twice); a later one — the
   * provider retrying after its timeout — returns the earlier outcome, or takes the message over
   * when its first handler died without one. `inFlight`: it has no outcome yet and its first
   * handler's lease still runs (that handler is at work, or failed moments ago).
   */
  storeRaw(
    message: InboundMessage,
  ): Promise<{ duplicate: false } | { duplicate: true; outcome?: InboundOutcome; inFlight?: boolean }>;
  /**
   * Stores the answers, marks the prompt answered and the message processed, all or nothing.
   * `owner` (the participant the caller already holds) keys the weekly summary; without it the
   * adapter reads it.
   */
  recordAnswers(
    message: InboundMessage,
    answers: readonly Answer[],
    outcome: InboundOutcome,
    owner?: SummaryOwner,
  ): Promise<void>;
  /** Marks the message processed with its outcome (no answers). */
  recordOutcome(message: InboundMessage, outcome: InboundOutcome): Promise<void>;
  listAnswers(participantId: string, page?: { limit: number; cursor?: string }): Promise<Page<Answer>>;
}

/** What the system knows about a coach: from their Cognito user on AWS, from `/dev/token` locally. */
export interface CoachProfile {
  readonly coachId: string;
  readonly email?: string;
  readonly name?: string;
}

/** Coach profiles, refreshed from the identity token's claims as coaches use the API. */
export interface CoachRepository {
  get(coachId: string): Promise<CoachProfile | undefined>;
  /** Stores the profile if it differs from the stored one (cheap to call on every request). */
  remember(profile: CoachProfile): Promise<void>;
}

/** Raw inbound email as SES receiving stored it (S3 on AWS, the local S3-compatible store locally). */
export interface RawMailStore {
  get(ref: { bucket: string; key: string }): Promise<Buffer>;
  /** Removes a stored message (erasure); resolves as well when it is already gone. */
  delete(ref: { bucket: string; key: string }): Promise<void>;
}

/** What the system needs from a raw inbound email (see `channels/email/adapters/parse-inbound.ts`). */
export interface ParsedEmail {
  /** The Message-ID, or a hash of the raw message when it has none. */
  readonly messageId: string;
  /** The sender's address, lower-cased; '' when the message names none or several. */
  readonly from: string;
  /** Every recipient address, lower-cased. */
  readonly to: readonly string[];
  readonly subject: string;
  /** The new text only: quoted history and signature removed. */
  readonly replyText: string;
  /** Set for automatic mail: out-of-office, Auto-Submitted, bounces, lists. */
  readonly auto: string | undefined;
  /** The receiving server's SPF/DKIM verdict; `unknown` when there is none (local mode). */
  readonly auth: 'pass' | 'fail' | 'unknown';
  /** Beyond the parser's limits (MIME parts, header size): nothing else was read from it. */
  readonly malformed?: true;
}

/** Fixed-window counters: how often something may happen per key and window. */
export interface RateLimiter {
  /**
   * Counts one occurrence for `key` in the window starting at `windowStart` (ISO instant); false,
   * counting nothing, when `limit` occurrences were already counted in it.
   */
  take(key: string, windowStart: string, limit: number): Promise<boolean>;
  /**
   * Counts `count` occurrences at once, all or none: false, counting nothing, when they would
   * exceed `limit` (an import reserves its whole batch before enrolling anyone).
   */
  takeMany(key: string, windowStart: string, limit: number, count: number): Promise<boolean>;
  /** Uncounts `count` occurrences taken earlier (an import that was refused gives its allowance back). */
  release(key: string, windowStart: string, count: number): Promise<void>;
}

/** A response as the idempotency store keeps it, replayed byte for byte. */
export interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What holds an idempotency key: nothing yet (now this request), a request at work, or its response. */
export type IdempotencyClaim =
  | { readonly state: 'claimed' }
  | { readonly state: 'pending'; readonly requestHash: string }
  | { readonly state: 'done'; readonly requestHash: string; readonly response: StoredResponse };

/**
 * `Idempotency-Key` records of the coach API, per coach (`scope`): the first request with a key
 * claims it with a conditional write; the others read what holds it.
 */
export interface IdempotencyStore {
  /** Claims the key for a request (or takes over a claim whose lease ran out, or an expired key). */
  claim(
    scope: string,
    key: string,
    requestHash: string,
    now: Date,
    leaseMs: number,
  ): Promise<IdempotencyClaim>;
  /** Stores the response of the claiming request; kept until `expiresAt`. */
  complete(scope: string, key: string, response: StoredResponse, expiresAt: Date): Promise<void>;
  /** Gives the key up (the request failed in a way a retry may fix). */
  release(scope: string, key: string): Promise<void>;
}

/** What the audit trail records: the coach actions on participants' data and messages. */
export const AUDIT_ACTIONS = [
  'export',
  'erase',
  'annotate',
  'push',
  'bulk-push',
  'import',
  'import-refused',
  'reply',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One audit entry. */
export interface AuditEntry {
  readonly at: string;
  readonly action: AuditAction;
  readonly coachId: string;
  readonly participantId?: string;
  /** A count for batch actions (bulk push, import). */
  readonly count?: number;
}

/** The coaches' audit trails, newest first. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  list(coachId: string, page: { limit: number; cursor?: string }): Promise<Page<AuditEntry>>;
}

/** Everything stored about one participant, table attributes removed. */
export interface ParticipantRecords {
  /** Every item of the participant's own partition: profile, prompts, pushes, answers, summaries… */
  readonly items: readonly Record<string, unknown>[];
  /**
   * Raw inbound messages attributed to the participant, and those never attributed to anyone that
   * came from (or concern) one of their addresses.
   */
  readonly inbound: readonly Record<string, unknown>[];
  /** The consent and suppression state of the participant's addresses. */
  readonly contacts: readonly ContactState[];
}

/** Reading and erasing everything stored about a participant (data-subject rights). */
export interface ParticipantDataStore {
  collect(participant: Participant): Promise<ParticipantRecords>;
  /**
   * Removes the participant's personal data and raw messages; numeric answers and summary
   * counters stay, stripped of free text and of any link to the person. Safe to run again.
   */
  erase(participant: Participant): Promise<{ readonly deleted: number; readonly kept: number }>;
}

/** A coach's week: open until its close time, then closed once, with one email to the coach. */
export interface CoachWeek {
  readonly coachId: string;
  readonly week: string;
  /** When the week has ended (plus grace) for every participant it was opened for. */
  readonly closeAt: string;
}

/** Who a weekly summary belongs to: its participant, their coach, zone and program. */
export type SummaryOwner = Pick<Participant, 'id' | 'coachId' | 'timeZone'> & { readonly programId?: string };

/**
 * Weekly summaries: one record per participant-week, kept up to date by the send path
 * ({@link SummaryRepository.markSent}) and by {@link ReplyRepository.recordAnswers} (same
 * transaction as the answers), read as a coach's week in one paginated query.
 */
export interface SummaryRepository {
  /**
   * Marks a prompt sent in its participant-week, describes its questions, and keeps the coach's
   * week open until it ends in the participant's zone. Idempotent.
   */
  markSent(
    participant: Pick<Participant, 'id' | 'coachId' | 'timeZone' | 'programId'>,
    prompt: Pick<Prompt, 'scheduledFor' | 'questions'>,
    sentAt: string,
  ): Promise<void>;
  get(participantId: string, week: string): Promise<SummaryRecord | undefined>;
  /** A participant's records from `fromWeek` to `toWeek`, both included, oldest first. */
  listForParticipant(participantId: string, fromWeek: string, toWeek: string): Promise<SummaryRecord[]>;
  /** Every record of a coach's participants from `fromWeek` to `toWeek`: one paginated query. */
  listForCoach(coachId: string, fromWeek: string, toWeek: string): Promise<SummaryRecord[]>;
  /** Sets (or with '' removes) the coach's private note on a participant-week. */
  annotate(
    participant: Pick<Participant, 'id' | 'coachId' | 'timeZone' | 'programId'>,
    week: string,
    text: string,
  ): Promise<void>;
  /** Remembers on a participant-week the push the coach wrote for it ("This week" shows its status). */
  notePush(
    participant: Pick<Participant, 'id' | 'coachId' | 'timeZone' | 'programId'>,
    week: string,
    push: WeekPushMark,
  ): Promise<void>;
  /** Open coach-weeks whose close time is at or before `now`. */
  dueWeeks(now: Date): Promise<CoachWeek[]>;
  /** Closes a coach-week; false when it was already closed (its email must not go out twice). */
  closeWeek(coachId: string, week: string, at: string): Promise<boolean>;
  /** Coaches with summaries in a week (the admin's cohort report). */
  coachesOfWeek(week: string): Promise<string[]>;
  /** States of many addresses at once (the week listing reads them in batches, not one by one). */
  contactStates(addresses: readonly { channel: Channel; address: string }[]): Promise<ContactState[]>;
}

/**
 * The conversation: inbound messages kept for the coach (the raw message itself, so the raw-message
 * retention, export and erasure cover it) and the participant's unread counters.
 */
export interface ConversationRepository {
  /**
   * Puts a stored inbound message in the participant's conversation, unread, and counts it on the
   * participant, once: false when it was already kept (a redelivery) or the participant is gone.
   */
  keep(message: InboundMessage, participantId: string, urgent: boolean): Promise<boolean>;
  /** The participant's kept messages, newest first, at most `limit`. */
  list(participantId: string, limit: number): Promise<ConversationMessage[]>;
  /**
   * Marks the participant's messages read (these provider message ids, or every unread one) and
   * lowers the counters by exactly what it marked; resolves with how many it marked.
   */
  markRead(participantId: string, providerMessageIds: readonly string[] | 'all', at: string): Promise<number>;
}

/**
 * What the SMS channel's limits and prices mean for the core: a program's prompt must fit, a push is
 * checked and counted as the SMS would carry it, and coaches see the prompt's cost. Implemented by
 * the SMS channel (`channels/sms/domain/sms-policy.ts`) and wired by the handlers, so the core never
 * imports a channel; a new channel with limits of its own gets a policy of its own.
 */
export interface SmsPolicy {
  /** Twilio refuses longer bodies outright. */
  readonly maxBodyCharacters: number;
  /** The prompt SMS asking these questions, as Twilio bills it. */
  promptCost(questions: readonly Question[]): SmsCost;
  /** Why the prompt SMS asking these questions would be too long or too costly, or undefined. */
  promptProblem(questions: readonly Question[]): string | undefined;
  /** A push (the coach's text, then the exercise question if any) exactly as its SMS is sent. */
  pushCost(text: string, question: Question | undefined): SmsCost;
}

/**
 * Everything a use case may need. A use case takes `Pick<Deps, …>` of what it uses, and a handler
 * wires exactly that, so each function bundles and configures only its own adapters.
 */
export interface Deps {
  readonly clock: Clock;
  readonly programs: ProgramRepository;
  readonly participants: ParticipantRepository;
  readonly contacts: ContactRepository;
  readonly coaches: CoachRepository;
  readonly summaries: SummaryRepository;
  readonly timers: TimerIndex;
  readonly prompts: PromptRepository;
  readonly replies: ReplyRepository;
  readonly sms: SmsSender;
  /** The SMS channel's limits and costs (see {@link SmsPolicy}). */
  readonly smsPolicy: SmsPolicy;
  readonly email: EmailSender;
  readonly sendQueue: SendQueue;
  readonly metrics: MetricsSink;
  /** Base URL of the public HTTP API (no trailing slash): callbacks, answer and unsubscribe links. */
  readonly publicBaseUrl: string;
  /** Attempts at a retryable provider error before a send is dead-lettered. */
  readonly sendMaxAttempts: number;
  /** The key that signs answer and unsubscribe links (from Secrets Manager on AWS). */
  readonly linkKey: () => Promise<string>;
  /** Domain of per-prompt reply addresses (`r+<token>@domain`). */
  readonly replyDomain: string;
  /** How long an answer link stays valid after its email is sent. */
  readonly answerLinkTtlDays: number;
  readonly rawMail: RawMailStore;
  /** Turns raw MIME into what the reply handler needs (mailparser and email-reply-parser). */
  readonly parseEmail: (raw: Buffer) => Promise<ParsedEmail>;
  readonly rateLimiter: RateLimiter;
  /** Which countries' numbers may be enrolled for SMS (`SMS_ALLOWED_COUNTRIES`). */
  readonly smsAllowedCountries: AllowedCountries;
  /** Enrolments one coach may make per hour: a stolen coach login cannot pump SMS to thousands. */
  readonly enrolmentsPerHour: number;
  readonly audit: AuditLog;
  readonly participantData: ParticipantDataStore;
  readonly erasedContacts: ErasedContactRepository;
  /** The key of the keyed hash naming erased addresses (from Secrets Manager on AWS). */
  readonly addressKey: () => Promise<string>;
  readonly conversations: ConversationRepository;
}
