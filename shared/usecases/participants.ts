/**
 * Coach use cases on participants: enrolment (with the SMS opt-in request), reading one
 * participant, reading their answers. A coach only ever sees their own participants: another
 * coach's participant is "not found", never "forbidden", so ids cannot be probed.
 */

import { createHash, randomUUID } from 'node:crypto';
import type { ContactState } from '../domain/channel.js';
import {
  addressOf,
  type NewParticipant,
  type Participant,
  type ParticipantViewStatus,
  viewStatus,
} from '../domain/participant.js';
import { smsNumberProblem } from '../domain/phone.js';
import type { Program } from '../domain/program.js';
import type { Prompt, PromptKind } from '../domain/prompt.js';
import { firstNonQuietInstant, firstSendOnOrAfter, nextSendTime } from '../domain/schedule.js';
import { localDateOf } from '../domain/zone.js';
import { ConflictError, NotFoundError, TooManyRequestsError, ValidationError } from '../errors.js';
import type { Answer, Deps, Page } from '../ports.js';
import { enrolmentRecord, requestFor } from './dispatch-due.js';
import { restoreErasedConsent } from './erased-consent.js';
import { ownParticipant } from './ownership.js';

/**
 * A participant as the coach API shows it: the status reflects what their address said (STOP,
 * bounces); the dispatcher's `experimentsUntil` bookkeeping is not shown.
 */
export type ParticipantView = Omit<Participant, 'status' | 'experimentsUntil'> & {
  status: ParticipantViewStatus;
};

/** A participant as the coach API shows it right after enrolment. */
export type EnrolledView = ParticipantView & {
  /**
   * SMS: the opt-in request; email: the welcome. `queued`: on its way (or, for an address that
   * opted out earlier, held until the person opts back in — deliberately indistinguishable).
   * `deferred`: it waits for the end of quiet hours.
   */
  optInRequest: 'queued' | 'deferred';
  optInAt?: string;
};

/**
 * Enrols a participant. By SMS they are `pending` and asked for consent first: no question is sent
 * before they reply YES. By email they need no opt-in; they get a short welcome that says what
 * will arrive, when, and how to stop. Either message goes through the same exactly-once send path
 * as prompts and never inside quiet hours: enrolled at 23:00 their time, the participant gets it
 * when quiet hours end. Any number of coaches may enrol the same address, and nothing in the
 * answer reveals whether another did.
 */
export async function enrolParticipant(
  deps: EnrolDeps,
  coachId: string,
  input: NewParticipant,
  coachName?: string,
): Promise<EnrolledView> {
  if (input.phone) {
    // Premium-rate, shared-cost, satellite and not-enabled countries: the numbers SMS pumping uses.
    const problem = smsNumberProblem(input.phone, deps.smsAllowedCountries);
    if (problem) throw new ValidationError('phone', problem);
  }
  const program = await deps.programs.get(coachId, input.programId);
  if (!program) throw new ValidationError('programId', 'no such program');
  const now = deps.clock.now();
  const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  if (!(await deps.rateLimiter.take(`enrol#${coachId}`, hour.toISOString(), deps.enrolmentsPerHour))) {
    const retryAfter = Math.ceil((hour.getTime() + 3_600_000 - now.getTime()) / 1000);
    throw new TooManyRequestsError(
      `at most ${deps.enrolmentsPerHour} enrolments per hour; try again in ${Math.ceil(retryAfter / 60)} minutes`,
      retryAfter,
    );
  }
  if (!(await takeInvitation(deps, input, now))) {
    const day = invitationDay(now);
    const retryAfter = Math.ceil((day.getTime() + 86_400_000 - now.getTime()) / 1000);
    throw new TooManyRequestsError(
      `phone: this number has had ${invitationLimit(deps)} invitations today (from any coach); invite it again tomorrow`,
      retryAfter,
    );
  }
  const prepared = await prepareEnrolment(deps, program, coachId, input, now, coachName);
  // Stored with its timer first: if anything below fails, the dispatcher sends it anyway.
  await deps.participants.create(prepared.participant);
  return prepared.start();
}

/** What enrolling uses. */
export type EnrolDeps = Pick<
  Deps,
  | 'programs'
  | 'participants'
  | 'contacts'
  | 'prompts'
  | 'sendQueue'
  | 'clock'
  | 'rateLimiter'
  | 'smsAllowedCountries'
  | 'enrolmentsPerHour'
  | 'erasedContacts'
  | 'addressKey'
> & {
  /** Invitations (SMS opt-in requests) one number may get per day, from all coaches together. */
  readonly invitationsPerNumberPerDay?: number;
};

/** Default of `INVITATIONS_PER_NUMBER_PER_DAY`. */
export const DEFAULT_INVITATIONS_PER_NUMBER_PER_DAY = 3;

const invitationLimit = (deps: Pick<EnrolDeps, 'invitationsPerNumberPerDay'>) =>
  deps.invitationsPerNumberPerDay ?? DEFAULT_INVITATIONS_PER_NUMBER_PER_DAY;

/** The UTC day an invitation counts in. */
export function invitationDay(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000);
}

/** The counter of a number's invitations, whoever the coach: keyed by a hash, so erasure leaves no number. */
export const invitationKey = (phone: string) =>
  `invite#sms#${createHash('sha256').update(phone).digest('base64url')}`;

/**
 * Counts an SMS enrolment's invitation against its number's daily allowance (a conditional
 * counter on the address, shared by all coaches); false when the number had them all today.
 * Counted for a number that opted out too, so the answer does not tell a coach it did.
 */
export async function takeInvitation(
  deps: Pick<EnrolDeps, 'rateLimiter' | 'invitationsPerNumberPerDay'>,
  input: Pick<NewParticipant, 'channel' | 'phone'>,
  now: Date,
): Promise<boolean> {
  if (input.channel !== 'sms' || !input.phone) return true;
  return deps.rateLimiter.take(
    invitationKey(input.phone),
    invitationDay(now).toISOString(),
    invitationLimit(deps),
  );
}

/** A participant ready to store, and what starts their enrolment once stored. */
export interface PreparedEnrolment {
  readonly participant: Participant;
  /** Queues the opt-in request or welcome (after the participant is stored). */
  start(): Promise<EnrolledView>;
}

/**
 * The participant record of an enrolment, with its timer, and the step that starts it. Stored
 * apart from starting so an import stores every row (all or none) before anyone is messaged.
 */
export async function prepareEnrolment(
  deps: Pick<Deps, 'contacts' | 'prompts' | 'sendQueue' | 'participants' | 'erasedContacts' | 'addressKey'>,
  program: Pick<Program, 'schedule'>,
  coachId: string,
  input: NewParticipant,
  now: Date,
  coachName?: string,
): Promise<PreparedEnrolment> {
  const nowIso = now.toISOString();
  const address = addressOf(input, input.channel) ?? '';
  // An erased participant's "no" comes back with their address, whoever enrols it.
  await restoreErasedConsent(deps, input.channel, address);
  const contact = await deps.contacts.get(input.channel, address);
  const base = {
    ...input,
    id: randomUUID(),
    coachId,
    createdAt: nowIso,
    ...(input.channel === 'email' ? { consentAt: nowIso } : {}),
    // The invitation names who asks; the name is the coach's as they enrolled (their token's).
    ...(coachName ? { coachName } : {}),
  };
  // An address that said STOP (or bounced) before, perhaps to another coach, takes the very same
  // path below — the same requests, the same answer — so neither the response nor its timing
  // tells this coach. It stays `pending`: nothing goes out until the person opts back in (the
  // sending gate skips its opt-in request or welcome, reading consent fresh), and START or YES
  // starts the enrolment like any other waiting for consent.
  const held = Boolean(contact?.optedOut || contact?.suppressed);
  const sendAt = firstNonQuietInstant(program.schedule, input.timeZone, now).toISOString();
  const deferred = sendAt > nowIso;
  // Email starts at once unless its welcome must wait; SMS waits for YES.
  const startsNow = input.channel === 'email' && !deferred && !held;
  const participant: Participant = {
    ...base,
    status: startsNow ? 'active' : 'pending',
    nextDueAt: startsNow ? nextSendTime(program.schedule, input.timeZone, now).toISOString() : sendAt,
  };
  const start = async (): Promise<EnrolledView> => {
    if (deferred) return { ...participant, optInRequest: 'deferred', optInAt: sendAt };
    await sendEnrolmentMessage(deps, participant, sendAt, now);
    if (startsNow) return { ...participant, optInRequest: 'queued', optInAt: sendAt };
    const { nextDueAt: _none, ...enrolled } = participant;
    return { ...enrolled, optInRequest: 'queued', optInAt: sendAt };
  };
  return { participant, start };
}

/**
 * Queues the SMS opt-in request or the email welcome now rather than at the dispatcher's next
 * minute, for a participant stored with its timer at `sendAt` (if anything here fails, the
 * dispatcher sends it anyway). An SMS participant then has no timer until they reply YES.
 */
export async function sendEnrolmentMessage(
  deps: Pick<Deps, 'participants' | 'prompts' | 'sendQueue'>,
  participant: Participant,
  sendAt: string,
  now: Date,
): Promise<void> {
  const record = enrolmentRecord(participant, sendAt, now);
  const created = await deps.prompts.create(record);
  if (created.created) await deps.sendQueue.enqueue([requestFor(record)]);
  if (participant.channel === 'sms')
    await deps.participants.update(participant.id, { nextDueAt: null }, { dueAt: sendAt });
}

/** The state of the address a participant is reached at, if anything was ever recorded for it. */
export async function contactOf(
  deps: Pick<Deps, 'contacts'>,
  participant: Participant,
): Promise<ContactState | undefined> {
  const address = addressOf(participant, participant.channel);
  return address ? deps.contacts.get(participant.channel, address) : undefined;
}

/** A stored participant as the coach API shows it. */
export function view(participant: Participant, contact: ContactState | undefined): ParticipantView {
  // experimentsUntil is the dispatcher's bookkeeping, not something the coach set.
  const { experimentsUntil: _marker, ...shown } = participant;
  return { ...shown, status: viewStatus(participant, contact) };
}

/** One participant of the coach. */
export async function getParticipant(
  deps: Pick<Deps, 'participants' | 'contacts'>,
  coachId: string,
  participantId: string,
): Promise<ParticipantView> {
  const participant = await ownParticipant(deps, coachId, participantId);
  return view(participant, await contactOf(deps, participant));
}

/** A stored answer as the coach API shows it. */
export interface AnswerView {
  readonly question: string;
  readonly questionIndex: number;
  readonly value?: number;
  readonly text?: string;
  readonly experimentId?: string;
  readonly channel: Answer['channel'];
  readonly source: Answer['source'];
  readonly scheduledFor: string;
  readonly receivedAt: string;
  readonly comment?: string;
}

/** The participant's answers, oldest prompt first, in question order, a page at a time. */
export async function listReplies(
  deps: Pick<Deps, 'participants' | 'replies'>,
  coachId: string,
  participantId: string,
  page: { limit: number; cursor?: string } = { limit: 200 },
): Promise<Page<AnswerView>> {
  await ownParticipant(deps, coachId, participantId);
  const { items, cursor } = await deps.replies.listAnswers(participantId, page);
  const answers = items.map((a) => ({
    question: a.question,
    questionIndex: a.questionIndex,
    ...(a.value !== undefined ? { value: a.value } : {}),
    ...(a.text !== undefined ? { text: a.text } : {}),
    ...(a.experimentId ? { experimentId: a.experimentId } : {}),
    channel: a.channel,
    source: a.source ?? 'sms-reply',
    scheduledFor: a.scheduledFor,
    receivedAt: a.receivedAt,
    ...(a.comment ? { comment: a.comment } : {}),
  }));
  return cursor ? { items: answers, cursor } : { items: answers };
}

/** The coach's participants, a page at a time. */
export async function listParticipants(
  deps: Pick<Deps, 'participants' | 'contacts'>,
  coachId: string,
  page: { limit: number; cursor?: string } = { limit: 200 },
): Promise<Page<ParticipantView>> {
  const { items, cursor, stateless } = await deps.participants.listForCoach(coachId, page);
  const views = await Promise.all(
    items.map(async (p) => view(p, stateless?.has(p.id) ? undefined : await contactOf(deps, p))),
  );
  return cursor ? { items: views, cursor } : { items: views };
}

/**
 * A coach's status change, written only if the participant still has the status it was read
 * with: a STOP, a YES or another coach action that landed first wins, and this one answers 409.
 */
async function changeStatus(
  deps: Pick<Deps, 'participants' | 'contacts'>,
  participant: Participant,
  change: Parameters<Deps['participants']['update']>[1],
): Promise<ParticipantView> {
  const contact = await contactOf(deps, participant);
  const shown = viewStatus(participant, contact);
  if (shown === 'opted_out' || shown === 'bouncing')
    throw new ConflictError('status', `the participant is ${shown.replace('_', ' ')}`);
  const applied = await deps.participants.update(participant.id, change, { status: participant.status });
  if (!applied)
    throw new ConflictError('status', 'the participant changed meanwhile; read it again and retry');
  const updated = { ...participant, ...change } as Record<string, unknown>;
  for (const [k, v] of Object.entries(updated)) if (v === null) delete updated[k];
  return view(updated as unknown as Participant, contact);
}

/**
 * Pauses prompts until a participant-local date (YYYY-MM-DD): nothing is sent before it, and the
 * first scheduled prompt on or after it resumes the participant by itself.
 */
export async function pauseParticipant(
  deps: Pick<Deps, 'participants' | 'contacts' | 'programs' | 'clock'>,
  coachId: string,
  participantId: string,
  until: string,
): Promise<ParticipantView> {
  const participant = await ownParticipant(deps, coachId, participantId);
  if (participant.status !== 'active' && participant.status !== 'paused') {
    throw new ConflictError('status', `a ${participant.status} participant cannot be paused`);
  }
  const todayIso = localDateOf(deps.clock.now(), participant.timeZone);
  if (until <= todayIso)
    throw new ValidationError('until', `must be after today (${todayIso} for the participant)`);
  const program = await deps.programs.getById(participant.programId);
  if (!program) throw new NotFoundError('program not found');
  const [year, month, day] = until.split('-').map(Number) as [number, number, number];
  const nextDueAt = firstSendOnOrAfter(program.schedule, participant.timeZone, {
    year,
    month,
    day,
  }).toISOString();
  return changeStatus(deps, participant, { status: 'paused', pausedUntil: until, nextDueAt });
}

/** Ends a pause now: the next scheduled prompt goes out as usual. */
export async function resumeParticipant(
  deps: Pick<Deps, 'participants' | 'contacts' | 'programs' | 'clock'>,
  coachId: string,
  participantId: string,
): Promise<ParticipantView> {
  const participant = await ownParticipant(deps, coachId, participantId);
  if (participant.status !== 'paused')
    throw new ConflictError('status', `the participant is ${participant.status}, not paused`);
  const program = await deps.programs.getById(participant.programId);
  if (!program) throw new NotFoundError('program not found');
  const nextDueAt = nextSendTime(program.schedule, participant.timeZone, deps.clock.now()).toISOString();
  return changeStatus(deps, participant, { status: 'active', pausedUntil: null, nextDueAt });
}

/** A prompt or reminder as the coach API shows it: what was sent when, and what became of it. */
export type PromptView = Pick<
  Prompt,
  | 'scheduledFor'
  | 'status'
  | 'sentAt'
  | 'skipReason'
  | 'errorCode'
  | 'deliveryStatus'
  | 'answeredAt'
  | 'attempts'
> & { kind: PromptKind; channel: Prompt['channel'] };

/** The participant's latest prompts and reminders, newest first. */
export async function listPrompts(
  deps: Pick<Deps, 'participants' | 'prompts'>,
  coachId: string,
  participantId: string,
): Promise<PromptView[]> {
  await ownParticipant(deps, coachId, participantId);
  const prompts = await deps.prompts.list(participantId, 100);
  return prompts.map((p) => ({
    kind: p.kind ?? 'prompt',
    channel: p.channel ?? 'sms',
    scheduledFor: p.scheduledFor,
    status: p.status,
    attempts: p.attempts,
    ...(p.sentAt ? { sentAt: p.sentAt } : {}),
    ...(p.skipReason ? { skipReason: p.skipReason } : {}),
    ...(p.errorCode ? { errorCode: p.errorCode } : {}),
    ...(p.deliveryStatus ? { deliveryStatus: p.deliveryStatus } : {}),
    ...(p.answeredAt ? { answeredAt: p.answeredAt } : {}),
  }));
}
