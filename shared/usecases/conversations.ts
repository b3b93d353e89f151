/**
 * Every word reaches the coach. What a participant writes that is not an answer — an SMS when no
 * question is open, a reply to a push, the words around an answer, an email reply with no answer
 * in it — is kept in their conversation, unread, and counted on the participant ("unread
 * messages" in the coach's week). A message that reads as a person needing help now
 * (`domain/needs-human.ts`) also flags the participant `needs-human`, emails the coach at once
 * (the same email way out as the week-close email) and is answered with the coach's name and the
 * promise that a person will read it.
 *
 * The coach reads the conversation, marks messages read and replies; a reply is a push (the one
 * send path: on the participant's channel, deferred out of quiet hours, never after a STOP or a
 * bounce, claimed and sent exactly once) shown in the conversation instead of among the pushes.
 */

import type { CoachReply, ConversationMessage, MarkRead } from '../domain/conversation.js';
import { providerMessageIdOf } from '../domain/conversation.js';
import { dashboardParticipantUrl } from '../domain/links.js';
import { needsHuman, needsHumanCoachEmail } from '../domain/needs-human.js';
import type { Participant } from '../domain/participant.js';
import { pushFieldValues } from '../domain/push-fields.js';
import { isoWeekOf } from '../domain/zone.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { logger } from '../logger.js';
import type { Deps, InboundMessage } from '../ports.js';
import { ownParticipant } from './ownership.js';
import { type PushDeps, type PushView, pushViews, schedulePush } from './pushes.js';

/** What keeping a message uses. */
export type KeepDeps = Pick<Deps, 'conversations' | 'coaches' | 'email'> & {
  /** The coach dashboard's address, ending in `/` (its CloudFront URL on AWS), for the alert's link. */
  readonly dashboardUrl: string;
};

/** What keeping a message found: whether it needs a human, and the coach's name for the answer. */
export interface Kept {
  readonly urgent: boolean;
  readonly coachName?: string;
}

/**
 * Where the coach reads a participant's conversation: their page on the dashboard (`DASHBOARD_URL`:
 * CloudFront's on AWS, where the API serves no `/app/`; the local stack's `/app/`).
 */
export const conversationUrl = (dashboardUrl: string, participantId: string) =>
  dashboardParticipantUrl(dashboardUrl, participantId);

/**
 * Keeps a stored inbound message in the participant's conversation. When it needs a human, the
 * coach is emailed at once — only by the delivery that kept it first, so a redelivery does not
 * email again. The message is kept (and the participant flagged) before the email goes out: if
 * the email fails, the flag in the dashboard still shows it, and the failure is logged.
 */
export async function keepMessage(
  deps: KeepDeps,
  message: InboundMessage,
  participant: Pick<Participant, 'id' | 'coachId' | 'name'>,
): Promise<Kept> {
  const urgent = needsHuman(message.body);
  const first = await deps.conversations.keep(message, participant.id, urgent);
  if (!urgent) return { urgent };
  const coach = await deps.coaches.get(participant.coachId);
  if (first) {
    if (!coach?.email) {
      logger.warn('needs-a-human message: the coach has no address on file', {
        participantId: participant.id,
      });
    } else {
      try {
        await deps.email.send({
          to: coach.email,
          ...needsHumanCoachEmail(participant.name, conversationUrl(deps.dashboardUrl, participant.id)),
        });
        logger.info('needs-a-human message, coach emailed', { participantId: participant.id });
      } catch (error) {
        logger.error('needs-a-human message: the coach email failed', {
          participantId: participant.id,
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
    }
  }
  return { urgent, ...(coach?.name ? { coachName: coach.name } : {}) };
}

/** One entry of the conversation timeline, newest first. */
export type TimelineEntry =
  | ({ readonly from: 'participant'; readonly at: string } & ConversationMessage)
  | ({ readonly from: 'coach'; readonly at: string } & PushView);

/** The conversation as the coach API shows it. */
export interface Conversation {
  readonly messages: TimelineEntry[];
  readonly unreadMessages: number;
  readonly needsHuman: boolean;
}

/** How many kept messages the timeline shows (the raw-message retention bounds them anyway). */
export const TIMELINE_LIMIT = 200;

const countsOf = (p: Pick<Participant, 'unreadMessages' | 'unreadUrgent'>) => ({
  unreadMessages: Math.max(0, p.unreadMessages ?? 0),
  needsHuman: (p.unreadUrgent ?? 0) > 0,
});

/** `GET /api/participants/{id}/messages`: what they wrote and the coach's replies, newest first. */
export async function listConversation(
  deps: Pick<Deps, 'participants' | 'conversations' | 'prompts'>,
  coachId: string,
  participantId: string,
): Promise<Conversation> {
  const participant = await ownParticipant(deps, coachId, participantId);
  const [written, replies] = await Promise.all([
    deps.conversations.list(participantId, TIMELINE_LIMIT),
    pushViews(deps, participantId, true),
  ]);
  const messages: TimelineEntry[] = [
    ...written.map((m) => ({ from: 'participant' as const, at: m.receivedAt, ...m })),
    ...replies.map((r) => ({ from: 'coach' as const, at: r.createdAt, ...r })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return { messages, ...countsOf(participant) };
}

/** `POST /api/participants/{id}/messages/read`: marks the given messages (or all) read. */
export async function markMessagesRead(
  deps: Pick<Deps, 'participants' | 'conversations' | 'clock'>,
  coachId: string,
  participantId: string,
  input: MarkRead,
): Promise<{ marked: number; unreadMessages: number; needsHuman: boolean }> {
  await ownParticipant(deps, coachId, participantId);
  let ids: string[] | 'all' = 'all';
  if (input.ids) {
    ids = input.ids.map((id, i) => {
      const provider = providerMessageIdOf(id);
      if (!provider) throw new ValidationError(`ids[${i}]`, 'expected a message id from GET …/messages');
      return provider;
    });
  }
  const marked = await deps.conversations.markRead(participantId, ids, deps.clock.now().toISOString());
  const after = await deps.participants.get(participantId);
  if (!after) throw new NotFoundError('participant not found');
  return { marked, ...countsOf(after) };
}

/**
 * `POST /api/participants/{id}/messages`: the coach's reply, sent as a push on the participant's
 * channel (now, or at the end of their quiet hours; skipped after a STOP or a bounce), audited.
 */
export async function replyToParticipant(
  deps: PushDeps,
  coachId: string,
  participantId: string,
  reply: CoachReply,
): Promise<PushView> {
  const participant = await ownParticipant(deps, coachId, participantId);
  const program = await deps.programs.getById(participant.programId);
  if (!program) throw new NotFoundError('program not found');
  const now = deps.clock.now();
  // Sent as written (a known {{field}} still reads naturally); a reply is not the week's push.
  const values = pushFieldValues({ name: participant.name });
  const week = isoWeekOf(now, participant.timeZone);
  const view = await schedulePush(deps, participant, program, { text: reply.text }, now, values, week, {
    coachReply: true,
  });
  await deps.audit.record({ at: now.toISOString(), action: 'reply', coachId, participantId });
  return view;
}
