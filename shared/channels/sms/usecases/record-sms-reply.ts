/**
 * An inbound SMS: stored raw first (idempotent on the provider's message id), then understood —
 * carrier keywords, consent, PAUSE/RESUME/SKIP, or answers to the newest unanswered prompt inside
 * its reply window among the sender's enrolments — and answered.
 *
 * Consent belongs to the phone number: a STOP stops everything this sender sends to the number
 * (every coach, every program), START or YES restores it; the change is recorded on the number,
 * conditional on time, so messages take effect in the order they arrived and nothing a coach does
 * can undo them. A redelivered message gets the reply it got the first time and changes nothing;
 * one that arrives while the first delivery is still being handled gets no reply at all.
 */

import type { Participant } from '../../../domain/participant.js';
import { DEFAULT_REPLY_WINDOW_HOURS, type Program } from '../../../domain/program.js';
import type { Prompt, PromptKind } from '../../../domain/prompt.js';
import { commandOf, MAX_PAUSE_DAYS, type ParsedAnswer, parseReply } from '../../../domain/reply.js';
import { firstNonQuietInstant, firstSendOnOrAfter, nextSendTime, toLocal } from '../../../domain/schedule.js';
import { addDays, formatDate } from '../../../domain/zone.js';
import { logger } from '../../../logger.js';
import type { Deps, InboundMessage, InboundOutcome, SummaryOwner } from '../../../ports.js';
import { receive, recordAnswers, recordOutcome } from '../../../usecases/answers.js';
import { type Kept, keepMessage } from '../../../usecases/conversations.js';
import { FIRST_PAGE, STREAK_HISTORY, type StreakHistory, streakAfter } from '../../../usecases/progress.js';
import { alsoInvitedSms, type Inviter, invitationSms, joinedSms } from '../domain/invitation.js';
import {
  answersConfirmedSms,
  clarificationSms,
  followUpSms,
  helpSms,
  NOT_PAUSED_SMS,
  NOTED_SMS,
  NOTHING_OPEN_SMS,
  NOTHING_TO_SKIP_SMS,
  OPT_OUT_CONFIRMED_SMS,
  optInConfirmedSms,
  pausedSms,
  pauseRangeSms,
  resumedSms,
  SKIPPED_SMS,
} from '../domain/messages.js';
import { needsHumanSms } from '../domain/needs-human-sms.js';

type ReplyDeps = Pick<
  Deps,
  | 'participants'
  | 'contacts'
  | 'programs'
  | 'prompts'
  | 'replies'
  | 'coaches'
  | 'clock'
  | 'metrics'
  | 'conversations'
  | 'email'
> & {
  /** The coach dashboard's address, for the link in a needs-a-human alert. */
  readonly dashboardUrl: string;
};

/** Exercise pushes read first: a coach sends a few a week; older ones only while inside the window. */
const PUSH_PAGE = 5;

/** Handles one inbound SMS; resolves with the text to answer with (empty for none). */
export async function recordSmsReply(deps: ReplyDeps, message: InboundMessage): Promise<string> {
  // The sender is read while the raw message is stored (one round trip, not two); nothing is
  // decided before the store succeeded. Unused (and its failure ignored) for a duplicate.
  const lookup = deps.contacts.lookup('sms', message.from);
  lookup.catch(() => undefined);
  const received = await receive(deps, message);
  if (received.status === 'duplicate') return received.outcome?.responseText ?? '';
  const sender = received.waited ? deps.contacts.lookup('sms', message.from) : lookup;
  const outcome = await understand(deps, message, await sender);
  logger.info('inbound sms', { participantId: outcome.participantId, outcome: outcome.outcome });
  return outcome.responseText ?? '';
}

/** The sender as `contacts.lookup` finds them: the number's state and its enrolments. */
type Sender = Awaited<ReturnType<ReplyDeps['contacts']['lookup']>>;

async function understand(deps: ReplyDeps, message: InboundMessage, sender: Sender): Promise<InboundOutcome> {
  const command = commandOf(message.body);
  // Most messages are answers: their enrolments' newest sends are read beside the enrolments.
  const [found, sends] = await Promise.all([
    Promise.all(sender.participantIds.map((id) => deps.participants.get(id))),
    command ? undefined : Promise.all(sender.participantIds.map((id) => firstSends(deps, id))),
  ]);
  const enrolments = found.filter((p): p is Participant => p !== undefined);
  const first = sends && new Map(sender.participantIds.map((id, i) => [id, sends[i]]));
  if (enrolments.length === 0) return recordOutcome(deps, message, { outcome: 'unknown-sender' });
  // A keyword concerns the number, not one enrolment: attributed only when there is one.
  const only = enrolments.length === 1 ? { participantId: enrolments[0]?.id } : {};

  if (command?.kind === 'opt-out') {
    const applied = await deps.contacts.setOptOut('sms', message.from, true, message.receivedAt);
    // Timers go too, so nothing is even dispatched; the gate would refuse it anyway.
    if (applied)
      await Promise.all(enrolments.map((p) => deps.participants.update(p.id, { nextDueAt: null })));
    return recordOutcome(deps, message, {
      ...only,
      outcome: 'opt-out',
      // A STOP older than a START already handled changes nothing, and says nothing.
      ...(applied ? { responseText: OPT_OUT_CONFIRMED_SMS } : {}),
    });
  }
  if (command?.kind === 'help')
    return recordOutcome(deps, message, {
      ...only,
      outcome: 'help',
      responseText: await help(deps, enrolments),
    });

  const contact = sender.state;
  if (command?.kind === 'opt-in') {
    // "YES" while an unanswered yes/no question waits for one answers it, even when another
    // coach's invitation is pending: a YES to one coach is never consent to another. The answer's
    // confirmation names the waiting invitation, which takes a YES of its own.
    const answering = command.word === 'YES' && !contact?.optedOut && (await openTarget(deps, enrolments));
    if (
      answering &&
      !answering.complete &&
      answering.prompt.questions[answering.expected[0] ?? -1]?.type === 'yes-no'
    ) {
      const waiting = newest((await invitationsOf(deps, enrolments)).filter((i) => i.state === 'sent'));
      return answer(deps, message, answering, waiting && alsoInvitedSms(await inviterOf(deps, waiting)));
    }
    return recordOutcome(deps, message, { ...only, ...(await optIn(deps, enrolments, message)) });
  }

  // Silence after STOP: nothing is sent to an opted-out number, not even a clarification. What they
  // wrote still reaches the coach (and a message that needs a human still alerts them).
  if (contact?.optedOut) {
    const writer = await conversant(deps, enrolments);
    if (writer) await keepMessage(deps, message, writer);
    return recordOutcome(deps, message, {
      ...(writer ? { participantId: writer.id } : only),
      outcome: 'unparsed',
    });
  }
  if (enrolments.every((p) => p.status === 'pending')) {
    // The invitation again, naming who asks: the one the person saw last, else the newest.
    const invitations = await invitationsOf(deps, enrolments);
    const shown = newest(invitations.filter((i) => i.state === 'sent')) ?? newest(invitations);
    return recordOutcome(deps, message, {
      ...only,
      outcome: 'unparsed',
      ...(shown ? { responseText: invitationSms(await inviterOf(deps, shown)) } : {}),
    });
  }
  if (command?.kind === 'pause')
    return recordOutcome(deps, message, { ...only, ...(await pause(deps, enrolments, command.days)) });
  if (command?.kind === 'resume')
    return recordOutcome(deps, message, { ...only, ...(await resume(deps, enrolments)) });
  if (command?.kind === 'skip')
    return recordOutcome(deps, message, { ...only, ...(await skip(deps, enrolments)) });

  const target = await openTarget(deps, enrolments, first);
  // Stored with its outcome and acknowledged: a reply to nothing is kept for the coach, never lost.
  if (!target) {
    const writer = await conversant(deps, enrolments);
    if (!writer)
      return recordOutcome(deps, message, { outcome: 'no-prompt', responseText: NOTHING_OPEN_SMS });
    const kept = await keepMessage(deps, message, writer);
    return recordOutcome(deps, message, {
      participantId: writer.id,
      outcome: 'no-prompt',
      responseText: answerFor(kept, NOTHING_OPEN_SMS),
    });
  }
  return answer(deps, message, target);
}

/** What the commands (HELP, YES/START, PAUSE, RESUME, SKIP) need; email replies use them too. */
export type CommandDeps = Pick<
  Deps,
  'participants' | 'contacts' | 'programs' | 'prompts' | 'coaches' | 'clock'
>;

/** The SMS answer to a kept message: the "a person will read it" answer when it needs a human. */
const answerFor = (kept: Kept | undefined, otherwise: string) =>
  kept?.urgent ? needsHumanSms(kept.coachName) : otherwise;

/**
 * Whose conversation a message outside any prompt belongs to: the number's only enrolment, or
 * (several coaches enrolled it) the running one that was last sent something, so it reaches the
 * coach the person most likely answers.
 */
async function conversant(
  deps: ReplyDeps,
  enrolments: readonly Participant[],
): Promise<Participant | undefined> {
  const running = enrolments.filter((p) => p.status === 'active' || p.status === 'paused');
  const pool = running.length > 0 ? running : enrolments.filter((p) => p.status !== 'pending');
  if (pool.length <= 1) return pool[0];
  const latest = await Promise.all(
    pool.map(async (p) => ({ p, at: (await deps.prompts.latestSent(p.id))?.sentAt ?? '' })),
  );
  return latest.sort((a, b) => b.at.localeCompare(a.at))[0]?.p;
}

/** HELP names the program and how to reach the coach of the enrolment it most likely concerns. */
export async function help(
  deps: Pick<CommandDeps, 'programs' | 'coaches'>,
  enrolments: readonly Participant[],
): Promise<string> {
  const participant =
    enrolments.find((p) => p.status === 'active') ??
    enrolments.find((p) => p.status === 'paused') ??
    enrolments[0];
  if (!participant) return helpSms({});
  const [program, coach] = await Promise.all([
    deps.programs.getById(participant.programId),
    deps.coaches.get(participant.coachId),
  ]);
  return helpSms({
    ...(program ? { programName: program.name } : {}),
    ...(coach?.name ? { coachName: coach.name } : {}),
    ...(coach?.email ? { coachEmail: coach.email } : {}),
  });
}

/**
 * Where a pending enrolment's invitation stands. `sent`: the person has it (they may answer it).
 * `on-its-way`: queued, or deferred out of quiet hours. `held`: never sent, because the number had
 * opted out when the coach enrolled it (or before it went out).
 */
interface Invitation {
  readonly participant: Participant;
  readonly state: 'sent' | 'on-its-way' | 'held';
  readonly sentAt?: string;
}

/** The invitations of the number's pending enrolments. */
async function invitationsOf(deps: CommandDeps, enrolments: readonly Participant[]): Promise<Invitation[]> {
  return Promise.all(
    enrolments
      .filter((p) => p.status === 'pending')
      .map(async (participant): Promise<Invitation> => {
        const [record] = await deps.prompts.recent(participant.id, 'opt-in', 1);
        if (record && (record.status === 'sent' || record.status === 'unknown'))
          return { participant, state: 'sent', sentAt: record.sentAt ?? record.scheduledFor };
        const coming = participant.nextDueAt || record?.status === 'queued' || record?.status === 'sending';
        return { participant, state: coming ? 'on-its-way' : 'held' };
      }),
  );
}

/** The invitation sent last (else enrolled last): the one a YES most plausibly answers. */
function newest(invitations: readonly Invitation[]): Invitation | undefined {
  return [...invitations].sort(
    (a, b) =>
      (b.sentAt ?? '').localeCompare(a.sentAt ?? '') ||
      b.participant.createdAt.localeCompare(a.participant.createdAt),
  )[0];
}

/** Who an invitation is from, as its SMS named them. */
async function inviterOf(deps: CommandDeps, invitation: Invitation): Promise<Inviter> {
  const program = await deps.programs.getById(invitation.participant.programId);
  return {
    ...(invitation.participant.coachName ? { coachName: invitation.participant.coachName } : {}),
    programName: program?.name ?? 'coaching',
  };
}

/**
 * YES / START: the number opts in. Enrolments that were running before a STOP resume. Of the
 * invitations waiting, exactly one is accepted — the one the person got last (or, when none has
 * reached them yet, the newest on its way) — and the reply names it; another one they have stays
 * pending and the reply says so: each coach's invitation takes its own YES. Invitations never
 * sent because the number had opted out go out now, naming who asks, instead of starting unseen.
 */
export async function optIn(
  deps: CommandDeps,
  enrolments: readonly Participant[],
  message: InboundMessage,
): Promise<Omit<InboundOutcome, 'participantId'>> {
  const applied = await deps.contacts.setOptOut(message.channel, message.from, false, message.receivedAt);
  if (!applied) return { outcome: 'opt-in' }; // a later STOP already won
  const now = deps.clock.now();
  const invitations = await invitationsOf(deps, enrolments);
  const sent = invitations.filter((i) => i.state === 'sent');
  const accepted = newest(sent) ?? newest(invitations.filter((i) => i.state === 'on-its-way'));
  const withProgram = await withPrograms(deps, enrolments);
  const started = await Promise.all(
    withProgram.map(async ({ participant, program }) => {
      const next = nextSendTime(program.schedule, participant.timeZone, now);
      if (participant.id === accepted?.participant.id) {
        // Conditional on `pending`: a coach action on the same participant cannot be overwritten.
        const ok = await deps.participants.update(
          participant.id,
          { status: 'active', consentAt: message.receivedAt, nextDueAt: next.toISOString() },
          { status: 'pending' },
        );
        return ok ? { participant, program, next } : undefined;
      }
      if (invitations.some((i) => i.participant.id === participant.id && i.state === 'held')) {
        const at = firstNonQuietInstant(program.schedule, participant.timeZone, now).toISOString();
        await deps.participants.update(participant.id, { nextDueAt: at }, { dueAt: null, status: 'pending' });
        return undefined;
      }
      // Back after a STOP: their schedule resumes where it stood.
      if ((participant.status === 'active' || participant.status === 'paused') && !participant.nextDueAt) {
        const ok = await deps.participants.update(
          participant.id,
          { nextDueAt: next.toISOString() },
          { dueAt: null },
        );
        return ok ? { participant, program, next } : undefined;
      }
      return undefined;
    }),
  );
  const joined = started.find((s) => s?.participant.id === accepted?.participant.id);
  const other = newest(sent.filter((i) => i.participant.id !== accepted?.participant.id));
  const more = other ? ` ${alsoInvitedSms(await inviterOf(deps, other))}` : '';
  if (joined && accepted) {
    const when = timeText(joined.next, joined.participant.timeZone);
    return { outcome: 'opt-in', responseText: `${joinedSms(await inviterOf(deps, accepted), when)}${more}` };
  }
  const first = started.filter((s) => s !== undefined).sort((a, b) => a.next.getTime() - b.next.getTime())[0];
  if (!first) return { outcome: 'opt-in', responseText: `You're signed up. Reply STOP to opt out.${more}` };
  return {
    outcome: 'opt-in',
    responseText: `${optInConfirmedSms(timeText(first.next, first.participant.timeZone))}${more}`,
  };
}

/** What a free reply is attributed to: a prompt and the questions it still expects. */
interface Target {
  readonly participant: Participant;
  readonly prompt: Prompt;
  /** Question indexes still to be answered, in order. */
  readonly expected: readonly number[];
  /** Every question already has an answer: the reply corrects them or comments on them. */
  readonly complete: boolean;
  /** The participant's newest prompts as read, for the streak. */
  readonly history: StreakHistory;
}

const sentAtOf = (p: Prompt) => p.sentAt ?? p.scheduledFor;
/** A scheduled prompt, or a push that asked a micro-exercise, that went out and was not skipped. */
const isOpenPrompt = (p: Prompt) =>
  ((p.kind ?? 'prompt') === 'prompt' || (p.kind === 'push' && p.questions.length > 0)) &&
  (p.status === 'sent' || p.status === 'unknown') &&
  !p.participantSkippedAt;

/** A participant's newest prompts and pushes, as first read for a reply (one page of each). */
interface Sends {
  readonly prompts: readonly Prompt[];
  readonly pushes: readonly Prompt[];
}

async function firstSends(deps: Pick<ReplyDeps, 'prompts'>, participantId: string): Promise<Sends> {
  const [prompts, pushes] = await Promise.all([
    deps.prompts.recent(participantId, 'prompt', FIRST_PAGE),
    deps.prompts.recent(participantId, 'push', PUSH_PAGE),
  ]);
  return { prompts, pushes };
}

/**
 * One kind of send records from its first page, read further back (a page at a time, at most
 * {@link STREAK_HISTORY}) while the oldest read went out inside the reply window: older ones may too.
 */
async function throughWindow(
  deps: Pick<ReplyDeps, 'prompts'>,
  participantId: string,
  kind: PromptKind,
  first: readonly Prompt[],
  pageSize: number,
  inWindow: (p: Prompt) => boolean,
): Promise<{ records: Prompt[]; more: boolean }> {
  const records = [...first];
  let more = first.length === pageSize;
  for (let oldest = records.at(-1); more && oldest && inWindow(oldest) && records.length < STREAK_HISTORY; ) {
    const page = await deps.prompts.recent(participantId, kind, pageSize, oldest.scheduledFor);
    records.push(...page);
    more = page.length === pageSize;
    oldest = page.at(-1);
  }
  return { records, more: more && records.length < STREAK_HISTORY };
}

/**
 * The prompt a free reply belongs to: among the number's active or paused enrolments, the newest
 * prompt sent inside its program's reply window that still lacks answers (wholly or partly), so a
 * late reply to yesterday's prompt counts for yesterday while today's has not gone out. When every
 * prompt in the window is answered, the newest one (the reply corrects or comments on it).
 * `first` holds the enrolments' newest sends when they were read already.
 */
async function openTarget(
  deps: ReplyDeps,
  enrolments: readonly Participant[],
  first?: ReadonlyMap<string, Sends | undefined>,
): Promise<Target | undefined> {
  const now = deps.clock.now().getTime();
  const candidates = (
    await Promise.all(
      enrolments
        .filter((p) => p.status === 'active' || p.status === 'paused')
        .map(async (participant) => {
          const [sends, program] = await Promise.all([
            first?.get(participant.id) ?? firstSends(deps, participant.id),
            deps.programs.getById(participant.programId),
          ]);
          const windowMs = (program?.schedule.replyWindowHours ?? DEFAULT_REPLY_WINDOW_HOURS) * 3_600_000;
          const inWindow = (p: Prompt) => now - Date.parse(sentAtOf(p)) <= windowMs;
          const [prompts, pushes] = await Promise.all([
            throughWindow(deps, participant.id, 'prompt', sends.prompts, FIRST_PAGE, inWindow),
            throughWindow(deps, participant.id, 'push', sends.pushes, PUSH_PAGE, inWindow),
          ]);
          return [...prompts.records, ...pushes.records]
            .filter((p) => isOpenPrompt(p) && inWindow(p))
            .map((prompt) => ({ participant, prompt, history: prompts }));
        }),
    )
  )
    .flat()
    .sort((a, b) => sentAtOf(b.prompt).localeCompare(sentAtOf(a.prompt)));
  for (const c of candidates) {
    const all = c.prompt.questions.map((_, i) => i);
    if (!c.prompt.answeredAt) return { ...c, expected: all, complete: false };
    const answered = new Set(await deps.prompts.answeredQuestions(c.prompt));
    const missing = all.filter((i) => !answered.has(i));
    if (missing.length > 0) return { ...c, expected: missing, complete: false };
  }
  const newest = candidates[0];
  return newest && { ...newest, expected: newest.prompt.questions.map((_, i) => i), complete: true };
}

/** A reply to a prompt: answers, a partial answer and its follow-up, or one clarification. */
async function answer(
  deps: ReplyDeps,
  message: InboundMessage,
  target: Target,
  /** Added to the confirmation once every question is answered (an invitation still waiting). */
  hint?: string,
): Promise<InboundOutcome> {
  const { prompt, expected } = target;
  const participantId = prompt.participantId;
  const parsed = parseReply(message.body, prompt.questions, expected);

  // Words that are not (only) answers reach the coach's conversation.
  const kept =
    parsed.kind === 'clarify' || target.complete || parsed.comment
      ? await keepMessage(deps, message, target.participant)
      : undefined;
  if (target.complete && parsed.kind !== 'answers') {
    // Words after everything was answered: kept for the coach to read.
    return recordOutcome(deps, message, {
      participantId,
      outcome: 'comment',
      responseText: answerFor(kept, NOTED_SMS),
    });
  }
  if (parsed.kind === 'clarify' && kept?.urgent) {
    // Someone asking for help gets a person, not "please reply with a number".
    return recordOutcome(deps, message, {
      participantId,
      outcome: 'comment',
      responseText: answerFor(kept, ''),
    });
  }
  if (parsed.kind === 'clarify') {
    // One clarification per prompt, even when two replies are handled at the same moment.
    const first = !prompt.clarified && (await deps.prompts.markClarified(prompt));
    return recordOutcome(deps, message, {
      participantId,
      outcome: 'unparsed',
      ...(first ? { responseText: clarificationSms(prompt.questions, expected, parsed.problem) } : {}),
    });
  }
  if (parsed.kind === 'follow-up') {
    // What was given is stored; the prompt stays open for the rest, asked for once.
    const text = answerFor(kept, followUpSms(prompt.questions, parsed.answers, parsed.missing));
    return storeAnswers(deps, message, prompt, parsed.answers, parsed.comment, text, target.participant);
  }
  const streak = await streakAfter(deps, target.participant, prompt, message.receivedAt, target.history);
  const confirmed = answersConfirmedSms(prompt.questions, parsed.answers, streak);
  const text = answerFor(kept, hint ? `${confirmed} ${hint}` : confirmed);
  return storeAnswers(deps, message, prompt, parsed.answers, parsed.comment, text, target.participant);
}

/**
 * Stores parsed answers of a prompt with the message's outcome through the one answer-recording
 * use case: numbers (scale, yes = 1 / no = 0, number) as `value`, free text as `text`, the
 * comment with each. Used by SMS and email replies.
 */
export async function storeAnswers(
  deps: Pick<Deps, 'replies' | 'metrics' | 'prompts'>,
  message: InboundMessage,
  prompt: Pick<Prompt, 'participantId' | 'scheduledFor' | 'questions' | 'kind'>,
  answers: readonly ParsedAnswer[],
  comment: string | undefined,
  responseText?: string,
  owner?: SummaryOwner,
): Promise<InboundOutcome> {
  return recordAnswers(
    deps,
    message,
    prompt,
    answers.map((a) => ({ ...a, ...(comment ? { comment } : {}) })),
    responseText,
    owner,
  );
}

const dayText = (instant: Date, zone: string) =>
  instant.toLocaleString('en-US', { timeZone: zone, weekday: 'short', month: 'short', day: 'numeric' });
const timeText = (instant: Date, zone: string) =>
  instant.toLocaleString('en-US', { timeZone: zone, weekday: 'short', hour: 'numeric', minute: '2-digit' });

/** Programs of enrolments, read once each. */
async function withPrograms(
  deps: Pick<CommandDeps, 'programs'>,
  enrolments: readonly Participant[],
): Promise<{ participant: Participant; program: Program }[]> {
  const found = await Promise.all(
    enrolments.map(async (participant) => {
      const program = await deps.programs.getById(participant.programId);
      return program ? { participant, program } : undefined;
    }),
  );
  return found.filter((f) => f !== undefined);
}

/**
 * PAUSE n: no prompts for n days (today included) on any of the number's enrolments; the first
 * scheduled prompt after that resumes them by itself. The same conditional status change as the
 * coach's pause: written only if the status read still holds.
 */
export async function pause(
  deps: CommandDeps,
  enrolments: readonly Participant[],
  days: number,
): Promise<Omit<InboundOutcome, 'participantId'>> {
  if (days < 1 || days > MAX_PAUSE_DAYS)
    return { outcome: 'pause', responseText: pauseRangeSms(MAX_PAUSE_DAYS) };
  const now = deps.clock.now();
  const eligible = enrolments.filter((p) => p.status === 'active' || p.status === 'paused');
  const paused = await Promise.all(
    (await withPrograms(deps, eligible)).map(async ({ participant, program }) => {
      const until = addDays(toLocal(now, participant.timeZone), days);
      const resumeAt = firstSendOnOrAfter(program.schedule, participant.timeZone, until);
      const ok = await deps.participants.update(
        participant.id,
        { status: 'paused', pausedUntil: formatDate(until), nextDueAt: resumeAt.toISOString() },
        { status: participant.status },
      );
      return ok ? { participant, resumeAt } : undefined;
    }),
  );
  const first = paused
    .filter((p) => p !== undefined)
    .sort((a, b) => a.resumeAt.getTime() - b.resumeAt.getTime())[0];
  if (!first) return { outcome: 'pause', responseText: NOTHING_OPEN_SMS };
  return {
    outcome: 'pause',
    responseText: pausedSms(days, dayText(first.resumeAt, first.participant.timeZone)),
  };
}

/** RESUME: a paused enrolment gets its next scheduled prompt as usual. */
export async function resume(
  deps: CommandDeps,
  enrolments: readonly Participant[],
): Promise<Omit<InboundOutcome, 'participantId'>> {
  const now = deps.clock.now();
  const resumed = await Promise.all(
    (
      await withPrograms(
        deps,
        enrolments.filter((p) => p.status === 'paused'),
      )
    ).map(async ({ participant, program }) => {
      const next = nextSendTime(program.schedule, participant.timeZone, now);
      const ok = await deps.participants.update(
        participant.id,
        { status: 'active', pausedUntil: null, nextDueAt: next.toISOString() },
        { status: 'paused' },
      );
      return ok ? { participant, next } : undefined;
    }),
  );
  const first = resumed.filter((p) => p !== undefined).sort((a, b) => a.next.getTime() - b.next.getTime())[0];
  if (!first) return { outcome: 'resume', responseText: NOT_PAUSED_SMS };
  return { outcome: 'resume', responseText: resumedSms(timeText(first.next, first.participant.timeZone)) };
}

/**
 * SKIP: today's prompt (participant-local) is not asked, or, when it already went out unanswered,
 * takes no answers and sends no reminder. A skipped day neither extends nor breaks the streak.
 */
export async function skip(
  deps: CommandDeps,
  enrolments: readonly Participant[],
): Promise<Omit<InboundOutcome, 'participantId'>> {
  const now = deps.clock.now();
  const active = enrolments.filter((p) => p.status === 'active');
  const skipped = await Promise.all(
    (await withPrograms(deps, active)).map(async ({ participant, program }) => {
      const today = formatDate(toLocal(now, participant.timeZone));
      const onToday = (iso: string) => formatDate(toLocal(new Date(iso), participant.timeZone)) === today;
      const recent = await Promise.all([
        deps.prompts.recent(participant.id, 'prompt', 10),
        deps.prompts.recent(participant.id, 'push', 10),
      ]);
      const sentToday = recent
        .flat()
        .sort((a, b) => b.scheduledFor.localeCompare(a.scheduledFor))
        .find((p) => isOpenPrompt(p) && onToday(p.scheduledFor));
      if (sentToday)
        return !sentToday.answeredAt && (await deps.prompts.markSkipped(sentToday, now.toISOString()));
      const due = participant.nextDueAt;
      if (!due || !onToday(due)) return false;
      // Conditional on the timer read: a dispatcher that took it first wins, and SKIP says nothing was left.
      const next = nextSendTime(program.schedule, participant.timeZone, new Date(due));
      return deps.participants.update(participant.id, { nextDueAt: next.toISOString() }, { dueAt: due });
    }),
  );
  return { outcome: 'skip', responseText: skipped.some(Boolean) ? SKIPPED_SMS : NOTHING_TO_SKIP_SMS };
}
