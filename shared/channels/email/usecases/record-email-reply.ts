/**
 * A reply by email. SES receiving stored the raw MIME (S3 on AWS; the local store locally) before
 * this runs, so nothing is lost whatever happens here; the message is then recorded raw (its text
 * and where the MIME is), and only then understood:
 * - a message beyond the parser's limits (over 1,000 MIME parts, a header over 1 MB) is kept
 *   raw as `malformed`, never retried: it would fail the same way every time;
 * - automatic mail (out-of-office, Auto-Submitted, bounces, lists) is kept, never recorded as an
 *   answer and never answered, so no mail loop can start;
 * - a message whose SPF or DKIM verdict failed is kept aside, not recorded;
 * - the per-prompt reply address (signed) names the prompt, and the sender must be the
 *   participant; what cannot be attributed is kept, not lost;
 * - "unsubscribe" (the List-Unsubscribe mailto) opts the address out;
 * - otherwise the reply's new text (quotes and signature stripped) is read by the same parser as
 *   SMS replies: every question type, several answers, a comment; a partial answer stores what
 *   was given (the rest can follow in another reply or by link).
 * - PAUSE n, RESUME, SKIP, STOP (first line or subject) do what they do by SMS;
 * and then answered by email with the words an SMS participant gets: the confirmation with the
 * progress line, the follow-up after a partial answer, or what the command did
 * (`email-commands.ts`). Automatic and unattributed mail is never answered.
 * Words that are not (only) answers — a reply to a push, the words around an answer, a reply with
 * no answer in it — are kept in the participant's conversation for the coach (`conversations.ts`);
 * a message that needs a human is answered at once by email, with the coach's name.
 */
import { parseReplyAddress } from '../../../domain/answer-link.js';
import type { Participant } from '../../../domain/participant.js';
import { rawMailRef } from '../../../domain/raw-mail-ref.js';
import { parseReply } from '../../../domain/reply.js';
import { logger } from '../../../logger.js';
import type { Deps, InboundMessage, InboundOutcome } from '../../../ports.js';
import { receive, recordAnswers, recordOutcome } from '../../../usecases/answers.js';
import { keepMessage } from '../../../usecases/conversations.js';
import { progressLine } from '../../../usecases/progress.js';
import { followUpSms } from '../../sms/domain/messages.js';
import type { CommandDeps } from '../../sms/usecases/record-sms-reply.js';
import { needsHumanAckEmail } from '../domain/needs-human-email.js';
import { answerByEmail, emailCommand, emailCommandOf } from './email-commands.js';
import { optOutEmail } from './unsubscribe.js';

type EmailReplyDeps = Pick<
  Deps,
  | 'rawMail'
  | 'parseEmail'
  | 'linkKey'
  | 'clock'
  | 'participants'
  | 'contacts'
  | 'prompts'
  | 'replies'
  | 'metrics'
  | 'email'
  | 'conversations'
  | 'coaches'
> &
  CommandDeps & {
    /** The coach dashboard's address, for the link in a needs-a-human alert. */
    readonly dashboardUrl: string;
  };

/** Where the receipt rule stored one message, and who SES received it for. */
export interface StoredEmail {
  readonly bucket: string;
  readonly key: string;
  /** Envelope recipients, when the event carries them (they survive Bcc and forwarding). */
  readonly recipients?: readonly string[];
}

/** Handles one stored inbound email; resolves with what became of it. */
export async function recordEmailReply(deps: EmailReplyDeps, stored: StoredEmail): Promise<InboundOutcome> {
  const parsed = await deps.parseEmail(await deps.rawMail.get(stored));
  const message: InboundMessage = {
    providerMessageId: `email:${parsed.messageId}`,
    channel: 'email',
    source: 'email-reply',
    from: parsed.from,
    body: parsed.replyText.slice(0, 4000),
    receivedAt: deps.clock.now().toISOString(),
    rawRef: rawMailRef(stored),
  };
  const received = await receive(deps, message);
  if (received.status === 'duplicate') return received.outcome ?? { outcome: 'unparsed' };
  const outcome = await understand(deps, parsed, message, stored);
  logger.info('inbound email', { participantId: outcome.participantId, outcome: outcome.outcome });
  await answerByEmail(deps, parsed, [...(stored.recipients ?? []), ...parsed.to], outcome);
  return outcome;
}

async function understand(
  deps: EmailReplyDeps,
  parsed: Awaited<ReturnType<Deps['parseEmail']>>,
  message: InboundMessage,
  stored: StoredEmail,
): Promise<InboundOutcome> {
  if (parsed.malformed) return recordOutcome(deps, message, { outcome: 'malformed' });
  if (parsed.auto) return recordOutcome(deps, message, { outcome: 'auto-reply' });
  if (parsed.auth === 'fail') return recordOutcome(deps, message, { outcome: 'auth-failed' });

  const key = await deps.linkKey();
  const [replyTo, claims] = [...(stored.recipients ?? []), ...parsed.to]
    .map((address) => [address, parseReplyAddress(key, address)] as const)
    .find(([, c]) => c !== undefined) ?? [undefined, undefined];
  if (!claims) return recordOutcome(deps, message, { outcome: 'unattributed' });
  const participant = await deps.participants.get(claims.participantId);
  // Someone else replying (or forwarding) to a participant's reply address is kept, not counted,
  // and found with the participant's address when they are exported or erased.
  if (!participant?.email || participant.email !== parsed.from)
    return recordOutcome(deps, message, {
      outcome: 'unattributed',
      ...(participant?.email ? { about: participant.email } : {}),
    });
  const participantId = participant.id;
  /** Keeps the message for the coach; one that needs a human is answered by email at once. */
  const keep = async () => {
    if (!parsed.replyText.trim()) return;
    const kept = await keepMessage(deps, message, participant);
    if (kept.urgent) await acknowledgeByEmail(deps, participant, kept.coachName, replyTo);
  };

  if (/^\s*unsubscribe\b/iu.test(parsed.subject) || /^\s*unsubscribe\s*$/iu.test(parsed.replyText)) {
    await optOutEmail(deps, participant.email, message.receivedAt);
    return recordOutcome(deps, message, { participantId, outcome: 'opt-out' });
  }
  const command = emailCommandOf(parsed.subject, parsed.replyText);
  const commanded =
    command && (await emailCommand(deps, { ...participant, email: participant.email }, command, message));
  if (commanded) return commanded;
  // A reply to a report card asks nothing: it is kept for the coach like any other words.
  const prompt =
    claims.kind === 'report'
      ? undefined
      : await deps.prompts.get({
          participantId,
          scheduledFor: claims.scheduledFor,
          ...(claims.kind === 'push' ? { kind: 'push' as const } : {}),
        });
  if (!prompt) {
    await keep();
    return recordOutcome(deps, message, { participantId, outcome: 'no-prompt' });
  }

  // After a partial answer only the missing questions are expected, as in an SMS follow-up; a
  // push's one exercise answer is simply replaced by a later reply.
  const answered =
    prompt.answeredAt && prompt.kind !== 'push'
      ? new Set(await deps.prompts.answeredQuestions(prompt))
      : new Set<number>();
  const missing = prompt.questions.map((_, i) => i).filter((i) => !answered.has(i));
  const reply = parseReply(parsed.replyText, prompt.questions, missing.length ? missing : undefined);
  if (reply.kind === 'clarify') {
    // Words without usable answers: kept in the conversation for the coach to read.
    await keep();
    return recordOutcome(deps, message, {
      participantId,
      outcome: parsed.replyText.trim() ? 'comment' : 'unparsed',
    });
  }
  const comment = reply.comment;
  const confirmation =
    reply.kind === 'follow-up'
      ? followUpSms(prompt.questions, reply.answers, reply.missing)
      : await progressLine(deps, participant, prompt, reply.answers, message.receivedAt);
  if (comment) await keep();
  return recordAnswers(
    deps,
    message,
    prompt,
    reply.answers.map((a) => ({ ...a, ...(comment ? { comment } : {}) })),
    confirmation,
    participant,
  );
}

/**
 * Answers an email message that needs a human, by email, unless the address said no (unsubscribed,
 * bounced, complained). `replyTo` is the reply address they wrote to, so an answer to this finds
 * its way back.
 */
export async function acknowledgeByEmail(
  deps: Pick<Deps, 'email' | 'contacts'>,
  participant: Pick<Participant, 'id' | 'email'>,
  coachName: string | undefined,
  replyTo: string | undefined,
): Promise<void> {
  if (!participant.email) return;
  const contact = await deps.contacts.get('email', participant.email);
  if (contact?.optedOut || contact?.suppressed) return;
  try {
    await deps.email.send({
      to: participant.email,
      ...needsHumanAckEmail(coachName),
      ...(replyTo ? { replyTo } : {}),
    });
  } catch (error) {
    logger.error('needs-a-human answer email failed', {
      participantId: participant.id,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
}
