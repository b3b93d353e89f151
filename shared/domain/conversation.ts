/**
 * The conversation with a participant: what they wrote that is not an answer (kept for the coach,
 * unread until the coach marks it read) and the coach's replies. Ids, views and request bodies.
 * Pure.
 */
import * as z from 'zod';
import type { Channel } from './channel.js';
import { PUSH_MAX_LENGTH } from './push.js';

/** One message a participant wrote, as the coach reads it. */
export interface ConversationMessage {
  /** Opaque id (names the stored raw message, never the sender's address). */
  readonly id: string;
  readonly receivedAt: string;
  readonly channel: Channel;
  /** What they wrote (an email's new text, quotes and signature stripped). Plain text, never HTML. */
  readonly text: string;
  /** Read as a person needing help now (see `needs-human.ts`). */
  readonly urgent: boolean;
  /** When the coach marked it read; absent while unread. */
  readonly readAt?: string;
}

/** The opaque id of a stored raw message. */
export function messageIdOf(providerMessageId: string): string {
  return Buffer.from(providerMessageId, 'utf8').toString('base64url');
}

/** The provider message id behind an id from {@link messageIdOf}; undefined for anything else. */
export function providerMessageIdOf(id: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,700}$/u.test(id)) return undefined;
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  return decoded && messageIdOf(decoded) === id ? decoded : undefined;
}

/** Body of `POST /api/participants/{id}/messages/read`: the messages to mark read; absent: all. */
export const MarkReadSchema = z.object({
  ids: z.array(z.string().min(1).max(700)).min(1).max(100).optional(),
});
export type MarkRead = z.infer<typeof MarkReadSchema>;

/** Body of `POST /api/participants/{id}/messages`: the coach's reply, as short as a push. */
export const CoachReplySchema = z.object({
  text: z.string().trim().min(1).max(PUSH_MAX_LENGTH),
});
export type CoachReply = z.infer<typeof CoachReplySchema>;
