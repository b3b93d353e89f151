/**
 * Email participants served as SMS ones: `PAUSE 7`, `RESUME`, `SKIP`, `STOP` (and HELP, and
 * START after a STOP) in an email reply's first line or subject do exactly what they do by SMS,
 * through the same use cases, and are answered with the same words, by email. Every answer an
 * email reply records is confirmed the same way ("Got it: 7, 8, 6. 5 days in a row.").
 *
 * Like an SMS keyword, a command concerns the address, not one enrolment: it applies to every
 * enrolment using it. The answer goes out once: only after the outcome is stored, and never for a
 * redelivered message (a lost confirmation is better than a second one).
 */
import { parseReplyAddress } from '../../../domain/answer-link.js';
import type { Participant } from '../../../domain/participant.js';
import { type Command, commandOf } from '../../../domain/reply.js';
import { logger } from '../../../logger.js';
import type { Deps, InboundMessage, InboundOutcome, ParsedEmail } from '../../../ports.js';
import { recordOutcome } from '../../../usecases/answers.js';
import { OPT_OUT_CONFIRMED_SMS } from '../../sms/domain/messages.js';
import { type CommandDeps, help, optIn, pause, resume, skip } from '../../sms/usecases/record-sms-reply.js';
import { replyEmail, withoutReplyPrefix } from '../domain/email-messages.js';
import { optOutEmail } from './unsubscribe.js';

/**
 * The command an email reply carries in its first line of new text, or else in its subject
 * (without `Re:`), read exactly as an SMS is ({@link commandOf}).
 */
export function emailCommandOf(subject: string, replyText: string): Command | undefined {
  const firstLine = replyText.split(/\r?\n/u).find((line) => line.trim()) ?? '';
  return commandOf(firstLine) ?? commandOf(withoutReplyPrefix(subject));
}

/**
 * Carries out a command from an email reply of `participant` and records the message's outcome,
 * with the text an SMS would have been answered with. Undefined when the words are not a command
 * here: "Yes" is an answer (to a yes/no question) unless the address had opted out.
 */
export async function emailCommand(
  deps: CommandDeps & Pick<Deps, 'replies'>,
  participant: Participant & { email: string },
  command: Command,
  message: InboundMessage,
): Promise<InboundOutcome | undefined> {
  const participantId = participant.id;
  const record = (outcome: Omit<InboundOutcome, 'participantId'>) =>
    recordOutcome(deps, message, { participantId, ...outcome });
  if (command.kind === 'opt-out') {
    const applied = await optOutEmail(deps, participant.email, message.receivedAt);
    return record({ outcome: 'opt-out', ...(applied ? { responseText: OPT_OUT_CONFIRMED_SMS } : {}) });
  }
  const enrolments = await deps.participants.findByAddress('email', participant.email);
  if (command.kind === 'opt-in') {
    const contact = await deps.contacts.get('email', participant.email);
    if (!contact?.optedOut) return undefined;
    return record(await optIn(deps, enrolments, message));
  }
  if (command.kind === 'help') return record({ outcome: 'help', responseText: await help(deps, enrolments) });
  if (command.kind === 'pause') return record(await pause(deps, enrolments, command.days));
  if (command.kind === 'resume') return record(await resume(deps, enrolments));
  return record(await skip(deps, enrolments));
}

/**
 * Answers an email reply by email with its outcome's text: `Re:` the participant's subject, in
 * the same thread (In-Reply-To), from the same reply address (so a further reply finds the same
 * prompt), marked `Auto-Submitted` so that an out-of-office never answers it. Nothing goes to an
 * address that bounced or complained, and after an opt-out only its own confirmation. A failure
 * to send is logged and counted, never retried: the reply itself is stored and handled.
 */
export async function answerByEmail(
  deps: Pick<Deps, 'email' | 'contacts' | 'linkKey'>,
  parsed: ParsedEmail,
  recipients: readonly string[],
  outcome: InboundOutcome,
): Promise<void> {
  const text = outcome.responseText;
  if (!text) return;
  const contact = await deps.contacts.get('email', parsed.from);
  if (contact?.suppressed) return;
  if (contact?.optedOut && outcome.outcome !== 'opt-out') return;
  const key = await deps.linkKey();
  const replyTo = recipients.find((address) => parseReplyAddress(key, address) !== undefined);
  const headers: Record<string, string> = { 'Auto-Submitted': 'auto-replied' };
  if (/^<[^<>\s]{1,250}>$/u.test(parsed.messageId)) {
    headers['In-Reply-To'] = parsed.messageId;
    headers.References = parsed.messageId;
  }
  try {
    await deps.email.send({
      to: parsed.from,
      ...replyEmail({ subject: parsed.subject, text }),
      ...(replyTo ? { replyTo } : {}),
      headers,
    });
  } catch (error) {
    logger.warn('email reply not sent', {
      participantId: outcome.participantId,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
}
