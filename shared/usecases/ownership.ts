/**
 * The one tenancy rule of the coach API: a coach only ever reaches their own participants. Another
 * coach's participant is "not found", never "forbidden", so ids cannot be probed.
 */
import type { Participant } from '../domain/participant.js';
import { NotFoundError } from '../errors.js';
import type { Deps } from '../ports.js';

/**
 * The coach's participant, as stored.
 * @throws NotFoundError when it does not exist or belongs to another coach
 */
export async function ownParticipant(
  deps: Pick<Deps, 'participants'>,
  coachId: string,
  participantId: string,
): Promise<Participant> {
  const participant = await deps.participants.get(participantId);
  if (!participant || participant.coachId !== coachId) throw new NotFoundError('participant not found');
  return participant;
}
