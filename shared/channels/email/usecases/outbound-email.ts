/**
 * The email way out: a send record becomes a check-in (subject, HTML and plain text) with one-click
 * answer links, a per-prompt reply address and RFC 8058 one-click unsubscribe, rendered by
 * `domain/email-messages.ts`, signed with the link key, and sent through the email port.
 */
import {
  replyAddress,
  signAnswerToken,
  signCheckInToken,
  signUnsubscribeToken,
} from '../../../domain/answer-link.js';
import { historyUrl } from '../../../domain/history-link.js';
import { answerPageUrl, checkInPageUrl, unsubscribePageUrl } from '../../../domain/links.js';
import type { Participant } from '../../../domain/participant.js';
import type { Program } from '../../../domain/program.js';
import type { Prompt, PromptKind } from '../../../domain/prompt.js';
import { type Deps, SendError } from '../../../ports.js';
import type { ChannelOutbound } from '../../../usecases/send-prompt.js';
import {
  answerValues,
  checkInEmail,
  type EmailContent,
  listUnsubscribeHeaders,
  reminderEmail,
  welcomeEmail,
} from '../domain/email-messages.js';
import { pushEmail } from '../domain/push-email.js';
import { reportCardEmail } from '../domain/report-card-email.js';

/** What the email way out needs. */
export type EmailOutboundDeps = Pick<
  Deps,
  'email' | 'publicBaseUrl' | 'linkKey' | 'replyDomain' | 'answerLinkTtlDays' | 'clock'
>;

const WEEKDAY_NAMES = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** "every day at 20:00 (Europe/Berlin)", "Mon, Wed, Fri at 07:30 (America/New_York)". */
export function scheduleSummary(program: Program, timeZone: string): string {
  const { days, time } = program.schedule;
  const when =
    days.length === 7
      ? 'every day'
      : days.join(',') === 'mon,tue,wed,thu,fri'
        ? 'every weekday'
        : days.map((d) => WEEKDAY_NAMES[d]).join(', ');
  return `${when} at ${time} (${timeZone})`;
}

/** The unsubscribe URL of a participant's address; it never expires. */
export function unsubscribeUrl(publicBaseUrl: string, key: string, participant: Participant): string {
  const token = signUnsubscribeToken(key, {
    participantId: participant.id,
    address: participant.email ?? '',
  });
  return unsubscribePageUrl(publicBaseUrl, token);
}

/** Renders one send record as an email, with its links signed. */
export async function composeEmail(
  deps: Omit<EmailOutboundDeps, 'email'>,
  kind: PromptKind,
  record: Prompt,
  participant: Participant,
  program: Program,
): Promise<EmailContent & { replyTo: string; headers: Record<string, string> }> {
  const key = await deps.linkKey();
  const unsubscribe = unsubscribeUrl(deps.publicBaseUrl, key, participant);
  // A reminder's answers count for its prompt, which shares its instant; a push takes its own.
  const answersTo = kind === 'push' ? 'push' : 'prompt';
  // A reply to a report card is kept for the coach: its address says so.
  const replyTo = replyAddress(key, deps.replyDomain, {
    participantId: participant.id,
    scheduledFor: record.scheduledFor,
    kind: kind === 'report' ? 'report' : answersTo,
  });
  // The mailto fallback reaches the reply handler, which treats a message saying "unsubscribe" as one.
  const headers = {
    ...listUnsubscribeHeaders(unsubscribe),
    'List-Unsubscribe': `<${unsubscribe}>, <mailto:${replyTo}?subject=unsubscribe>`,
  };
  if (kind === 'report') {
    if (!record.report) throw new SendError('permanent', 'report card without figures', 'no-report');
    const content = reportCardEmail(record.report, {
      participantName: participant.name,
      programName: program.name,
      ...(participant.coachName ? { coachName: participant.coachName } : {}),
      historyUrl: historyUrl(deps.publicBaseUrl, key, participant.id, deps.clock.now()),
      unsubscribeUrl: unsubscribe,
    });
    return { ...content, replyTo, headers };
  }
  const expiresAt = new Date(deps.clock.now().getTime() + deps.answerLinkTtlDays * 86_400_000);
  const links = record.questions.map((question, questionIndex) =>
    Object.fromEntries(
      answerValues(question).map((value) => [
        value,
        answerPageUrl(
          deps.publicBaseUrl,
          signAnswerToken(key, {
            participantId: participant.id,
            scheduledFor: record.scheduledFor,
            kind: answersTo,
            questionIndex,
            value,
            expiresAt,
          }),
        ),
      ]),
    ),
  );
  if (kind === 'push') {
    const content = pushEmail({
      text: record.text ?? '',
      question: record.questions[0],
      programName: program.name,
      unsubscribeUrl: unsubscribe,
      ...(links[0] ? { links: links[0] } : {}),
    });
    return { ...content, replyTo, headers };
  }
  const common = {
    participantName: participant.name,
    programName: program.name,
    unsubscribeUrl: unsubscribe,
  };
  if (kind === 'welcome' || kind === 'opt-in') {
    return {
      ...welcomeEmail({ ...common, scheduleSummary: scheduleSummary(program, participant.timeZone) }),
      replyTo,
      headers,
    };
  }
  const checkInUrl = checkInPageUrl(
    deps.publicBaseUrl,
    signCheckInToken(key, { participantId: participant.id, scheduledFor: record.scheduledFor, expiresAt }),
  );
  const input = { ...common, questions: record.questions, links, checkInUrl };
  return { ...(kind === 'reminder' ? reminderEmail(input) : checkInEmail(input)), replyTo, headers };
}

/** Sends records as email through the email port. */
export function emailOutbound(deps: EmailOutboundDeps): ChannelOutbound {
  return {
    channel: 'email',
    async send({ kind, record, participant, program }) {
      if (!participant.email)
        throw new SendError('permanent', 'participant has no email address', 'no-address');
      const email = await composeEmail(deps, kind, record, participant, program);
      return deps.email.send({ to: participant.email, ...email });
    },
  };
}
