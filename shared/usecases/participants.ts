/**
 * Coach use cases on participants: enrolment (with the SMS opt-in request), reading one
 * participant, reading their answers. A coach only ever sees their own participants: another
 * coach's participant is "not found", never "forbidden", so ids cannot be probed.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.js';
import { optInRequestSms } from '../domain/messages.js';
import type { NewParticipant, Participant } from '../domain/participant.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { logger } from '../logger.js';
import { type Answer, SmsSendError } from '../ports.js';

/** A participant as the coach API shows it. */
export type ParticipantView = Participant & { optInRequest?: 'sent' | 'failed' };

/**
 * Enrols a participant as `pending` and asks for SMS consent. No question is sent before the
 * participant replies YES. If the opt-in SMS cannot be sent the participant stays enrolled and the
 * response says so, so the coach can correct the number.
 */
export async function enrolParticipant(
  deps: Pick<Deps, 'programs' | 'participants' | 'sms' | 'clock'>,
  coachId: string,
  input: NewParticipant,
): Promise<ParticipantView> {
  const program = await deps.programs.get(coachId, input.programId);
  if (!program) throw new ValidationError('programId', 'no such program');
  const participant: Participant = {
    ...input,
    id: randomUUID(),
    coachId,
    status: 'pending',
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.participants.create(participant);
  try {
    await deps.sms.send({ to: participant.phone, body: optInRequestSms(undefined) });
    return { ...participant, optInRequest: 'sent' };
  } catch (error) {
    const kind = error instanceof SmsSendError ? error.kind : 'unexpected';
    logger.warn('opt-in request not sent', { participantId: participant.id, kind });
    return { ...participant, optInRequest: 'failed' };
  }
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
