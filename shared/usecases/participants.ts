/**
 * Coach use cases on participants: enrolment (with the SMS opt-in request), reading one
 * participant, reading their answers. A coach only ever sees their own participants: another
 * coach's participant is "not found", never "forbidden", so ids cannot be probed.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import type { NewParticipant, Participant } from '../domain/participant.js';
import type { Prompt, PromptKind } from '../domain/prompt.js';
import { firstNonQuietInstant, firstSendOnOrAfter, nextSendTime, toLocal } from '../domain/schedule.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Answer } from '../ports.js';
import { optInRecord, requestFor } from './dispatch-due.js';

/** A participant as the coach API shows it right after enrolment. */
export type EnrolledView = Participant & {
  /** `queued`: the opt-in SMS is on its way. `deferred`: it waits for the end of quiet hours. */
  optInRequest: 'queued' | 'deferred';
  optInAt: string;
};

/**
 * Enrols a participant as `pending` and asks for SMS consent; no question is sent before they
 * reply YES. The consent request goes through the same exactly-once send path as prompts (with
 * retries and dead-lettering), and never inside quiet hours: enrolled at 23:00 their time, the
 * participant gets it at the end of quiet hours.
 */
export async function enrolParticipant(
  deps: Pick<Deps, 'programs' | 'participants' | 'prompts' | 'sendQueue' | 'clock'>,
  coachId: string,
  input: NewParticipant,
): Promise<EnrolledView> {
  const program = await deps.programs.get(coachId, input.programId);
  if (!program) throw new ValidationError('programId', 'no such program');
  const now = deps.clock.now();
  const optInAt = firstNonQuietInstant(program.schedule, input.timeZone, now).toISOString();
  const participant: Participant = {
    ...input,
    id: randomUUID(),
    coachId,
    status: 'pending',
    createdAt: now.toISOString(),
    nextDueAt: optInAt,
  };
  // Stored with its opt-in timer first: if anything below fails, the dispatcher sends it anyway.
  await deps.participants.create(participant);
  if (optInAt > now.toISOString()) return { ...participant, optInRequest: 'deferred', optInAt };
  // Not quiet: queue it now rather than at the dispatcher's next minute.
  const record = optInRecord(participant, optInAt, now);
  const created = await deps.prompts.create(record);
  if (created.created) await deps.sendQueue.enqueue([requestFor(record)]);
  await deps.participants.update(participant.id, { nextDueAt: null }, optInAt);
  const { nextDueAt: _none, ...enrolled } = participant;
  return { ...enrolled, optInRequest: 'queued', optInAt };
}

/** One participant of the coach. */
export async function getParticipant(
  deps: Pick<Deps, 'participants'>,
  coachId: string,
  participantId: string,
): Promise<Participant> {
  const participant = await deps.participants.get(participantId);
  if (!participant || participant.coachId !== coachId) throw new NotFoundError('participant not found');
  return participant;
}

/** A stored answer as the coach API shows it. */
export interface AnswerView {
  readonly question: string;
  readonly questionIndex: number;
  readonly value: number;
  readonly channel: Answer['channel'];
  readonly scheduledFor: string;
  readonly receivedAt: string;
  readonly comment?: string;
}

/** The participant's answers, oldest prompt first, in question order. */
export async function listReplies(
  deps: Pick<Deps, 'participants' | 'replies'>,
  coachId: string,
  participantId: string,
): Promise<AnswerView[]> {
  await getParticipant(deps, coachId, participantId);
  const answers = await deps.replies.listAnswers(participantId);
  return answers.map((a) => ({
    question: a.question,
    questionIndex: a.questionIndex,
    value: a.value,
    channel: a.channel,
    scheduledFor: a.scheduledFor,
    receivedAt: a.receivedAt,
    ...(a.comment ? { comment: a.comment } : {}),
  }));
}

/** The coach's participants, newest enrolment last. */
export async function listParticipants(
  deps: Pick<Deps, 'participants'>,
  coachId: string,
): Promise<Participant[]> {
  return deps.participants.listForCoach(coachId);
}

/**
 * Pauses prompts until a participant-local date (YYYY-MM-DD): nothing is sent before it, and the
 * first scheduled prompt on or after it resumes the participant by itself.
 */
export async function pauseParticipant(
  deps: Pick<Deps, 'participants' | 'programs' | 'clock'>,
  coachId: string,
  participantId: string,
  until: string,
): Promise<Participant> {
  const participant = await getParticipant(deps, coachId, participantId);
  if (participant.status !== 'active' && participant.status !== 'paused') {
    throw new ConflictError('status', `a ${participant.status} participant cannot be paused`);
  }
  const today = toLocal(deps.clock.now(), participant.timeZone);
  const todayIso = `${today.year}-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`;
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
  await deps.participants.update(participantId, { status: 'paused', pausedUntil: until, nextDueAt });
  return { ...participant, status: 'paused', pausedUntil: until, nextDueAt };
}

/** Ends a pause now: the next scheduled prompt goes out as usual. */
export async function resumeParticipant(
  deps: Pick<Deps, 'participants' | 'programs' | 'clock'>,
  coachId: string,
  participantId: string,
): Promise<Participant> {
  const participant = await getParticipant(deps, coachId, participantId);
  if (participant.status !== 'paused')
    throw new ConflictError('status', `the participant is ${participant.status}, not paused`);
  const program = await deps.programs.getById(participant.programId);
  if (!program) throw new NotFoundError('program not found');
  const nextDueAt = nextSendTime(program.schedule, participant.timeZone, deps.clock.now()).toISOString();
  await deps.participants.update(participantId, { status: 'active', pausedUntil: null, nextDueAt });
  const { pausedUntil: _gone, ...rest } = participant;
  return { ...rest, status: 'active', nextDueAt };
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
> & { kind: PromptKind };

/** The participant's latest prompts and reminders, newest first. */
export async function listPrompts(
  deps: Pick<Deps, 'participants' | 'prompts'>,
  coachId: string,
  participantId: string,
): Promise<PromptView[]> {
  await getParticipant(deps, coachId, participantId);
  const prompts = await deps.prompts.list(participantId, 100);
  return prompts.map((p) => ({
    kind: p.kind ?? 'prompt',
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
