/**
 * Coach pushes: a short personal message to one participant (or, in bulk, to all or the flagged
 * ones), optionally with a micro-exercise question and a follow-up N days later.
 *
 * A push is a send record (`Prompt` of kind `push`) stored when the coach writes it, with a timer in
 * the due index at its send time moved out of the participant's quiet hours. The dispatcher queues
 * it when the timer fires (deferring it again if quiet hours began meanwhile) and the one send path
 * claims and sends it exactly once, asking the one sending gate again with the address's consent
 * read fresh: a STOP or a bounce that arrives before the push goes out wins.
 */

import type { Channel } from '../domain/channel.js';
import { mayGoOut } from '../domain/gate.js';
import { addressOf, type Participant } from '../domain/participant.js';
import type { Program, Question } from '../domain/program.js';
import type { ExerciseAnswer, Prompt, PromptStatus } from '../domain/prompt.js';
import { type BulkPush, type NewPush, PUSH_TEMPLATES, type PushTemplate } from '../domain/push.js';
import {
  checkRenderedPush,
  fillPushFields,
  type PushFieldValues,
  pushFieldValues,
  weekAverageOf,
} from '../domain/push-fields.js';
import { firstNonQuietInstant } from '../domain/schedule.js';
import { isoWeekOf, type WeekSummary } from '../domain/summary.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Deps } from '../ports.js';
import { requestFor } from './dispatch-due.js';
import { ownParticipant } from './ownership.js';

/** A push's status as the coach sees it: `scheduled` while it waits for its time. */
export type PushStatus = Exclude<PromptStatus, 'sending'> | 'scheduled';

/** A push as the coach API shows it. */
export interface PushView {
  readonly id: string;
  readonly participantId: string;
  readonly text: string;
  readonly channel: Channel;
  /** When it goes (or went) out: its timer while scheduled, then the time it was sent. */
  readonly sendAt: string;
  readonly status: PushStatus;
  readonly skipReason?: string;
  readonly exercise?: { readonly question: Question; readonly followUpDays?: number };
  readonly answer?: ExerciseAnswer;
  /** The exercise's follow-up, when one was asked for. */
  readonly followUp?: { readonly sendAt: string; readonly status: PushStatus; readonly skipReason?: string };
  readonly createdAt: string;
}

/** A coach's week as "This week" shows it: where `{{streak}}` and `{{weekAverage}}` come from. */
export type WeekLookup = (coachId: string, week: string) => Promise<readonly WeekSummary[]>;

/** What creating pushes uses; `weeks` fills the summary fields, `summaries` marks the week's push. */
export type PushDeps = Pick<
  Deps,
  'participants' | 'contacts' | 'programs' | 'prompts' | 'sendQueue' | 'clock' | 'audit' | 'smsPolicy'
> & {
  readonly weeks?: WeekLookup;
  readonly summaries?: Pick<Deps['summaries'], 'notePush'>;
};

/** Who is pushing: the coach's display name fills `{{coachName}}`. */
export interface Pusher {
  readonly coachId: string;
  readonly coachName?: string | undefined;
}

const SUMMARY_FIELDS = /\{\{\s*(streak|weekAverage)\s*\}\}/iu;

/** The coach's week by participant, read only when the text uses a field that needs it. */
async function summariesFor(
  deps: PushDeps,
  coachId: string,
  week: string,
  text: string,
): Promise<ReadonlyMap<string, WeekSummary>> {
  if (!SUMMARY_FIELDS.test(text) || !deps.weeks) return new Map();
  return new Map((await deps.weeks(coachId, week)).map((s) => [s.participantId, s]));
}

function valuesFor(
  participant: Participant,
  summary: WeekSummary | undefined,
  pusher: Pusher,
): PushFieldValues {
  return pushFieldValues({
    name: participant.name,
    streak: summary?.streak,
    weekAverage: weekAverageOf(summary?.questions),
    coachName: pusher.coachName,
  });
}

/** Text of the follow-up message that asks an exercise's question again. */
export const FOLLOW_UP_TEXT = 'A quick follow-up from your coach:';

/** Longest a push may be scheduled ahead. */
const MAX_AHEAD_MS = 366 * 86_400_000;

function statusOf(p: Prompt): PushStatus {
  if (p.status === 'queued') return p.sendAt ? 'scheduled' : 'queued';
  if (p.status === 'sending') return 'queued';
  return p.status;
}

function viewOf(push: Prompt, followUp: Prompt | undefined): PushView {
  const question = push.questions[0];
  const answer = push.answer ?? followUp?.answer;
  return {
    id: push.scheduledFor,
    participantId: push.participantId,
    text: push.text ?? '',
    channel: push.channel ?? 'sms',
    sendAt: push.sentAt ?? push.sendAt ?? push.scheduledFor,
    status: statusOf(push),
    ...(push.skipReason ? { skipReason: push.skipReason } : {}),
    ...(question
      ? { exercise: { question, ...(push.followUpDays ? { followUpDays: push.followUpDays } : {}) } }
      : {}),
    ...(answer ? { answer } : {}),
    ...(followUp
      ? {
          followUp: {
            sendAt: followUp.sentAt ?? followUp.sendAt ?? followUp.scheduledFor,
            status: statusOf(followUp),
            ...(followUp.skipReason ? { skipReason: followUp.skipReason } : {}),
          },
        }
      : {}),
    createdAt: push.createdAt,
  };
}

/** Stores a push record, a millisecond later if one exists at the same instant (two pushes at once). */
async function createUnique(deps: Pick<Deps, 'prompts'>, record: Prompt): Promise<Prompt> {
  let candidate = record;
  for (let attempt = 0; attempt < 20; attempt++) {
    if ((await deps.prompts.create(candidate)).created) return candidate;
    const scheduledFor = new Date(Date.parse(candidate.scheduledFor) + 1).toISOString();
    candidate = { ...candidate, scheduledFor };
  }
  throw new Error('no free instant for the push');
}

/**
 * Creates one push to a participant the caller has already checked belongs to the coach. The
 * gate is asked now, with the address's state: what can never go out (opted out, suppressed, not
 * yet consented) is recorded as skipped at once, so the coach sees why.
 */
export async function schedulePush(
  deps: PushDeps,
  participant: Participant,
  program: Program,
  input: NewPush,
  now: Date,
  values: PushFieldValues,
  week: string,
  extra: Pick<Prompt, 'coachReply'> = {},
): Promise<PushView> {
  // The limits hold on what this participant gets, not on the template: checked before any write.
  const question = input.exercise?.question;
  const text = fillPushFields(input.text, values);
  const sms = participant.channel === 'sms' ? deps.smsPolicy : undefined;
  const check = checkRenderedPush(
    text,
    sms && { cost: sms.pushCost(text, question), maxBodyCharacters: sms.maxBodyCharacters },
  );
  if (!check.ok) throw new ValidationError('text', check.error);
  const requested = input.sendAt ? new Date(input.sendAt) : now;
  const at = requested < now ? now : requested;
  const address = addressOf(participant, participant.channel);
  const contact = address ? await deps.contacts.get(participant.channel, address) : undefined;
  const decision = mayGoOut({
    purpose: 'push',
    channel: participant.channel,
    participant,
    contact,
    schedule: program.schedule,
    dueAt: at,
    now: at,
  });
  const sendAt = decision.action === 'defer' ? decision.until : at;
  const record: Prompt = {
    participantId: participant.id,
    scheduledFor: at.toISOString(),
    kind: 'push',
    channel: participant.channel,
    programId: program.id,
    questions: question ? [question] : [],
    text,
    attempts: 0,
    createdAt: now.toISOString(),
    ...(decision.action === 'skip'
      ? { status: 'skipped' as const, skipReason: decision.reason }
      : { status: 'queued' as const, sendAt: sendAt.toISOString() }),
    ...(input.exercise?.followUpDays ? { followUpDays: input.exercise.followUpDays } : {}),
    ...extra,
  };
  const stored = await createUnique(deps, record);
  // A reply in the conversation is not the week's push: "This week" keeps asking for one.
  if (!extra.coachReply)
    await deps.summaries?.notePush(participant, week, {
      sendAt: stored.sendAt ?? stored.scheduledFor,
      ...(stored.status === 'skipped' ? { skipped: true } : {}),
    });
  let push = stored;
  if (push.status === 'queued' && push.sendAt && push.sendAt <= now.toISOString()) {
    // Due now: queued at once rather than at the dispatcher's next minute. Stored with its timer
    // first, so if queueing fails the dispatcher still sends it; the sender's claim dedupes.
    await deps.sendQueue.enqueue([requestFor(push)]);
    await deps.prompts.movePush({ ...push, kind: 'push' }, null, push.sendAt);
    const { sendAt: _timer, ...queued } = stored;
    push = queued;
  }
  let followUp: Prompt | undefined;
  if (question && input.exercise?.followUpDays && push.status === 'queued') {
    const later = new Date(sendAt.getTime() + input.exercise.followUpDays * 86_400_000);
    const followAt = firstNonQuietInstant(program.schedule, participant.timeZone, later).toISOString();
    followUp = await createUnique(deps, {
      ...push,
      scheduledFor: followAt,
      sendAt: followAt,
      text: FOLLOW_UP_TEXT,
      followUpOf: push.scheduledFor,
    });
  }
  return viewOf(push, followUp);
}

/**
 * `POST /api/participants/{id}/pushes`: a push to one of the coach's participants, sent on their
 * channel at `sendAt` (default now), never inside their quiet hours, never after a STOP.
 */
export async function createPush(
  deps: PushDeps,
  pusher: Pusher | string,
  participantId: string,
  input: NewPush,
): Promise<PushView> {
  const by = typeof pusher === 'string' ? { coachId: pusher } : pusher;
  const { coachId } = by;
  const now = deps.clock.now();
  if (input.sendAt) {
    const at = Date.parse(input.sendAt);
    if (at < now.getTime() - 60_000) throw new ValidationError('sendAt', 'must not be in the past');
    if (at > now.getTime() + MAX_AHEAD_MS) throw new ValidationError('sendAt', 'must be within a year');
  }
  const participant = await ownParticipant(deps, coachId, participantId);
  const program = await deps.programs.getById(participant.programId);
  if (!program) throw new NotFoundError('program not found');
  const week = input.week ?? isoWeekOf(now, participant.timeZone);
  const summary = (await summariesFor(deps, coachId, week, input.text)).get(participant.id);
  const view = await schedulePush(
    deps,
    participant,
    program,
    input,
    now,
    valuesFor(participant, summary, by),
    week,
  );
  await deps.audit.record({ at: now.toISOString(), action: 'push', coachId, participantId });
  return view;
}

/**
 * `GET /api/participants/{id}/pushes`: the participant's pushes, newest first, follow-ups folded in
 * (the coach's conversation replies are in the conversation instead).
 */
export async function listPushes(
  deps: Pick<Deps, 'participants' | 'prompts'>,
  coachId: string,
  participantId: string,
): Promise<PushView[]> {
  await ownParticipant(deps, coachId, participantId);
  return pushViews(deps, participantId, false);
}

/** A participant's pushes (or only the coach's conversation replies), newest first, as views. */
export async function pushViews(
  deps: Pick<Deps, 'prompts'>,
  participantId: string,
  replies: boolean,
): Promise<PushView[]> {
  const records = await deps.prompts.listPushes(participantId, 200);
  const followUps = new Map(records.flatMap((p) => (p.followUpOf ? [[p.followUpOf, p] as const] : [])));
  return records
    .filter((p) => !p.followUpOf && Boolean(p.coachReply) === replies)
    .sort((a, b) => b.scheduledFor.localeCompare(a.scheduledFor))
    .map((p) => viewOf(p, followUps.get(p.scheduledFor)));
}

/** Which of a coach's participants carry attention flags in a week (the weekly summaries know). */
export type FlaggedLookup = (coachId: string, week: string) => Promise<ReadonlySet<string>>;

/** One recipient of a bulk push: what became of their push, and its size as they get it. */
export interface BulkRecipient {
  readonly participantId: string;
  readonly name: string;
  /** `refused`: their filled-in text breaks a limit (`error` says which); nothing was stored. */
  readonly status: PushStatus | 'refused';
  /** SMS segments of their push as sent (0 by email). */
  readonly segments: number;
  readonly skipReason?: string;
  readonly error?: string;
}

/** What a bulk push did, in counts and per recipient. */
export interface BulkPushResult {
  readonly queued: number;
  readonly skipped: number;
  readonly refused: number;
  readonly recipients: BulkRecipient[];
}

/**
 * `POST /api/pushes/bulk`: the same message, its fields filled in per participant, to all of the
 * coach's active participants or the flagged ones; each goes out at the participant's own next
 * hour outside quiet hours. Counts what was queued, what the gate skipped (opted out, bouncing) and
 * what was refused because that participant's filled-in text breaks a limit; the others still go.
 */
export async function bulkPush(
  deps: PushDeps & { readonly flagged?: FlaggedLookup },
  pusher: Pusher | string,
  input: BulkPush,
): Promise<BulkPushResult> {
  const by = typeof pusher === 'string' ? { coachId: pusher } : pusher;
  const { coachId } = by;
  const now = deps.clock.now();
  const week = input.week ?? isoWeekOf(now, 'UTC');
  const summaries = await summariesFor(deps, coachId, week, input.text);
  let flagged: ReadonlySet<string> | undefined;
  if (input.to === 'flagged') {
    if (deps.flagged) flagged = await deps.flagged(coachId, week);
    else if (deps.weeks) {
      const listed = summaries.size ? [...summaries.values()] : await deps.weeks(coachId, week);
      flagged = new Set(listed.filter((s) => s.flags.length > 0).map((s) => s.participantId));
    } else throw new ValidationError('to', 'flags are not available on this deployment');
  }
  const recipients: Participant[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.participants.listForCoach(coachId, { limit: 200, ...(cursor ? { cursor } : {}) });
    recipients.push(...page.items.filter((p) => p.status === 'active' && (!flagged || flagged.has(p.id))));
    cursor = page.cursor;
  } while (cursor);

  const programs = new Map<string, Promise<Program | undefined>>();
  const programOf = (id: string) => {
    let loading = programs.get(id);
    if (!loading) {
      loading = deps.programs.getById(id);
      programs.set(id, loading);
    }
    return loading;
  };
  const counts = { queued: 0, skipped: 0, refused: 0 };
  const outcomes = new Map<string, BulkRecipient>();
  for (let i = 0; i < recipients.length; i += 16) {
    await Promise.all(
      recipients.slice(i, i + 16).map(async (participant) => {
        const base = { participantId: participant.id, name: participant.name };
        const program = await programOf(participant.programId);
        if (!program) {
          counts.skipped++;
          outcomes.set(participant.id, { ...base, status: 'skipped', segments: 0, skipReason: 'no-program' });
          return;
        }
        const values = valuesFor(participant, summaries.get(participant.id), by);
        try {
          const view = await schedulePush(
            deps,
            participant,
            program,
            { text: input.text },
            now,
            values,
            week,
          );
          counts[view.status === 'skipped' ? 'skipped' : 'queued']++;
          outcomes.set(participant.id, {
            ...base,
            status: view.status,
            segments: view.channel === 'sms' ? deps.smsPolicy.pushCost(view.text, undefined).segments : 0,
            ...(view.skipReason ? { skipReason: view.skipReason } : {}),
          });
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          counts.refused++;
          const text = fillPushFields(input.text, values);
          outcomes.set(participant.id, {
            ...base,
            status: 'refused',
            segments: participant.channel === 'sms' ? deps.smsPolicy.pushCost(text, undefined).segments : 0,
            error: error.message,
          });
        }
      }),
    );
  }
  await deps.audit.record({ at: now.toISOString(), action: 'bulk-push', coachId, count: counts.queued });
  // In the order the coach's list has them, not the order the sends finished.
  const ordered = recipients.flatMap((p) => {
    const outcome = outcomes.get(p.id);
    return outcome ? [outcome] : [];
  });
  return { ...counts, recipients: ordered };
}

/** `GET /api/push-templates`: the forms the composer offers. */
export function listPushTemplates(): readonly PushTemplate[] {
  return PUSH_TEMPLATES;
}
