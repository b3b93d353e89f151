/**
 * The SMS way out: a send record becomes GSM-7 text (see `domain/messages.ts`), sent to the
 * participant's number with a status callback that names the record in its (signed) query string.
 */
import { historyUrl } from '../../../domain/history-link.js';
import { smsStatusCallbackUrl } from '../../../domain/links.js';
import type { Participant } from '../../../domain/participant.js';
import type { Program } from '../../../domain/program.js';
import type { Prompt, PromptKind } from '../../../domain/prompt.js';
import { type Deps, SendError } from '../../../ports.js';
import type { ChannelOutbound } from '../../../usecases/send-prompt.js';
import { invitationSms } from '../domain/invitation.js';
import { promptSms, reminderSms } from '../domain/messages.js';
import { pushSms } from '../domain/push-sms.js';
import { reportCardSms } from '../domain/report-card-sms.js';
import { recordCarrierOptOut, UNSUBSCRIBED } from './record-sms-status.js';

/**
 * The text of a send record; the opt-in request names the participant's coach and program, a
 * report card ends in `history`, the participant's history link.
 */
export function smsText(
  kind: PromptKind,
  record: Prompt,
  participant: Participant,
  program: Program,
  history = '',
): string {
  switch (kind) {
    case 'opt-in':
      return invitationSms({
        ...(participant.coachName ? { coachName: participant.coachName } : {}),
        programName: program.name,
      });
    case 'reminder':
      return reminderSms(record.questions.length);
    case 'prompt':
      return promptSms(record.questions);
    case 'welcome':
      // Welcomes are the email channel's enrolment message; SMS asks for consent instead.
      throw new SendError('permanent', 'no SMS welcome exists', 'no-sms-welcome');
    case 'push':
      return pushSms(record.text ?? '', record.questions[0]);
    case 'report':
      if (!record.report) throw new SendError('permanent', 'report card without figures', 'no-report');
      return reportCardSms(record.report, history);
  }
}

/**
 * What a refused SMS says about the number: Twilio refuses at once (400, 21610) a number that
 * texted STOP to the carrier, which is then opted out as if it had told us.
 */
export const refusedSms: NonNullable<ChannelOutbound['refused']> = async (deps, participant, error) => {
  if (error.code === UNSUBSCRIBED) await recordCarrierOptOut(deps, participant);
};

/** Sends records as SMS through the SMS port. */
export function smsOutbound(
  deps: Pick<Deps, 'sms' | 'publicBaseUrl' | 'linkKey' | 'clock'>,
): ChannelOutbound {
  return {
    channel: 'sms',
    refused: refusedSms,
    async send({ kind, record, participant, program }) {
      if (!participant.phone)
        throw new SendError('permanent', 'participant has no phone number', 'no-address');
      // Only a report card carries a link; nothing else needs the signing key.
      const history =
        kind === 'report'
          ? historyUrl(deps.publicBaseUrl, await deps.linkKey(), participant.id, deps.clock.now())
          : '';
      return deps.sms.send({
        to: participant.phone,
        text: smsText(kind, record, participant, program, history),
        statusCallbackUrl: smsStatusCallbackUrl(deps.publicBaseUrl, {
          participantId: record.participantId,
          scheduledFor: record.scheduledFor,
          ...(record.kind ? { kind: record.kind } : {}),
        }),
      });
    },
  };
}
