/**
 * Schemas of what arrives from outside over queues and provider webhooks.
 */
import * as z from 'zod';
import { CHANNELS } from '../domain/channel.js';
import { PROMPT_KINDS } from '../domain/prompt.js';

/** A send-queue message. */
export const SendRequestSchema = z.object({
  participantId: z.string().min(1),
  scheduledFor: z.iso.datetime(),
  kind: z.enum(PROMPT_KINDS).optional(),
  channel: z.enum(CHANNELS).optional(),
});

/** The fields of Twilio's inbound-message webhook that we use. */
export const InboundSmsSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/u, 'expected a Twilio message SID'),
  From: z.string().min(1),
  Body: z.string().max(1600),
});

/** The fields of Twilio's status callback that we use. */
export const SmsStatusSchema = z.object({
  MessageSid: z.string().min(1),
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().optional(),
});

/** The prompt key carried in a status callback URL. */
export const StatusQuerySchema = z.object({
  p: z.string().min(1),
  s: z.iso.datetime(),
  k: z.enum(PROMPT_KINDS).optional(),
});

/** One SES event as SES publishes it (configuration-set event destination). */
export const SesEventSchema = z.object({
  eventType: z.string().min(1),
  mail: z.object({ messageId: z.string().optional() }).optional(),
  bounce: z
    .object({
      bounceType: z.string(),
      bouncedRecipients: z.array(z.object({ emailAddress: z.string().min(3) })),
    })
    .optional(),
  complaint: z
    .object({ complainedRecipients: z.array(z.object({ emailAddress: z.string().min(3) })) })
    .optional(),
});
