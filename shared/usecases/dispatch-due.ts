/**
 * The minutely dispatcher: everything in the due index whose time has come — participants' next
 * prompts and reminders of unanswered prompts — becomes a record on the send queue, and its timer
 * moves on (to the next scheduled instant) or goes (a reminder is sent once).
 *
 * Why it is safe to run twice, concurrently or after a crash:
 * - The index holds each participant's own "next due" instant, so a run after an outage finds
 *   everything missed since (no global watermark to lose). What is still fresh goes out late;
 *   what is staler than the program's freshness window is recorded as skipped, not sent.
 * - A prompt's key is (participant, scheduled instant, kind) and is created with a condition, so
 *   a second dispatcher cannot create it again; it re-queues it only while it is still `queued`,
 *   which covers a first dispatcher that died between creating and queueing. The sender's claim
 *   makes a duplicate queue message harmless.
 * - Timers move with a condition on their old value, after the request is queued.
 */
import { withExperiments } from '../domain/experiment.js';
import { mayGoOut } from '../domain/gate.js';
import type { Participant } from '../domain/participant.js';
import type { Program } from '../domain/program.js';
import type { Prompt } from '../domain/prompt.js';
import { nextSendTime } from '../domain/schedule.js';
import { localDateOf } from '../domain/zone.js';
import { logger } from '../logger.js';
import type { Deps, DueTimer, SendRequest } from '../ports.js';

/** Counts of what one run did. */
export interface DispatchResult {
  due: number;
  queued: number;
  skipped: number;
  alreadyHandled: number;
}

/** How many timers are processed concurrently: keeps DynamoDB busy without flooding it. */
const CONCURRENCY = 32;

/** What the dispatcher uses. */
export type DispatchDeps = Pick<
  Deps,
  'timers' | 'participants' | 'programs' | 'prompts' | 'sendQueue' | 'clock'
>;

/**
 * Creates and queues every prompt and reminder due at or before now. With a `deadline` (epoch ms,
 * real time) it stops taking new timers once the deadline passes: what is left stays due and the
 * next run picks it up, instead of the function timing out halfway through a batch.
 */
export async function dispatchDue(
  deps: DispatchDeps,
  options: { deadline?: number } = {},
): Promise<DispatchResult> {
  const now = deps.clock.now();
  const result: DispatchResult = { due: 0, queued: 0, skipped: 0, alreadyHandled: 0 };
  const programs = new Map<string, Promise<Program | undefined>>();
  const programOf = (id: string) => {
    const cached = programs.get(id);
    if (cached) return cached;
    const loading = deps.programs.getById(id);
    programs.set(id, loading);
    return loading;
  };

  /** Creates the send record; returns the request to queue, if any, and how to move the timer. */
  const handle = async (
    timer: DueTimer,
  ): Promise<{ request?: SendRequest; after?: () => Promise<unknown> }> => {
    result.due++;
    if (timer.kind === 'participant') return handleParticipant(timer);
    if (timer.kind === 'push') return handlePush(timer);
    return handleReminder(timer);
  };

  const handleParticipant = async ({ participant, dueAt }: Extract<DueTimer, { kind: 'participant' }>) => {
    const program = await programOf(participant.programId);
    if (program && participant.status === 'pending') return handleOptIn(participant, program, dueAt);
    if (!program || (participant.status !== 'active' && participant.status !== 'paused')) {
      // Nothing to send to this participant: take them off the index instead of finding them again.
      return { after: () => deps.participants.update(participant.id, { nextDueAt: null }, { dueAt }) };
    }
    // The contact's opt-out and suppression are the sender's to check (it reads them fresh); here
    // the gate decides on time. A paused participant whose timer fired has reached the end of the pause.
    const decision = mayGoOut({
      purpose: 'prompt',
      channel: participant.channel,
      participant: { ...participant, status: 'active' },
      contact: undefined,
      schedule: program.schedule,
      dueAt: new Date(dueAt),
      now,
    });
    const skipReason = decision.action === 'skip' ? decision.reason : undefined;
    // Running personal experiments ride along (one short Query of the participant's partition);
    // a skipped prompt asks nothing, and a prompt after the participant's last experiment day
    // (or of someone who never had one) has none to carry, so neither needs the read.
    const questions =
      skipReason || !mayHaveExperiments(participant, dueAt)
        ? program.questions
        : withExperiments(
            program.questions,
            await deps.participants.listExperiments(participant.id),
            new Date(dueAt),
            participant.timeZone,
          );
    const prompt: Prompt = {
      participantId: participant.id,
      scheduledFor: dueAt,
      channel: participant.channel,
      programId: program.id,
      questions,
      status: skipReason ? 'skipped' : 'queued',
      ...(skipReason ? { skipReason } : {}),
      attempts: 0,
      createdAt: now.toISOString(),
    };
    const request = await createAndDecide(prompt);
    const after = new Date(Math.max(now.getTime(), Date.parse(dueAt)));
    const next = nextSendTime(program.schedule, participant.timeZone, after).toISOString();
    // A paused participant's timer was set to the first send after the pause: reaching it resumes them.
    const resume = participant.status === 'paused' ? { status: 'active' as const, pausedUntil: null } : {};
    return {
      request,
      after: () => deps.participants.update(participant.id, { ...resume, nextDueAt: next }, { dueAt }),
    };
  };

  /** A pending participant's timer is their enrolment message (SMS opt-in, email welcome), deferred out of quiet hours. */
  const handleOptIn = async (participant: Participant, program: Program, dueAt: string) => {
    const decision = mayGoOut({
      purpose: participant.channel === 'sms' ? 'opt-in' : 'welcome',
      channel: participant.channel,
      participant,
      contact: undefined,
      schedule: program.schedule,
      dueAt: new Date(dueAt),
      now,
    });
    if (decision.action === 'defer') {
      const later = decision.until.toISOString();
      return { after: () => deps.participants.update(participant.id, { nextDueAt: later }, { dueAt }) };
    }
    if (decision.action === 'skip') {
      return { after: () => deps.participants.update(participant.id, { nextDueAt: null }, { dueAt }) };
    }
    const request = await createAndDecide(enrolmentRecord(participant, dueAt, now));
    // SMS waits for YES; email needs no opt-in and starts its schedule with the welcome.
    const change =
      participant.channel === 'email'
        ? {
            status: 'active' as const,
            nextDueAt: nextSendTime(program.schedule, participant.timeZone, now).toISOString(),
          }
        : { nextDueAt: null };
    return { request, after: () => deps.participants.update(participant.id, change, { dueAt }) };
  };

  const handleReminder = async ({ prompt, dueAt }: Extract<DueTimer, { kind: 'reminder' }>) => {
    const ref = { participantId: prompt.participantId, scheduledFor: prompt.scheduledFor };
    const clear = () => deps.prompts.moveReminder(ref, null, dueAt);
    const [program, participant] = await Promise.all([
      programOf(prompt.programId),
      deps.participants.get(prompt.participantId),
    ]);
    if (!program) return { after: clear };
    const decision = mayGoOut({
      purpose: 'reminder',
      channel: prompt.channel ?? 'sms',
      participant,
      contact: undefined,
      schedule: program.schedule,
      dueAt: new Date(dueAt),
      now,
      answered: Boolean(prompt.answeredAt),
    });
    // Deferred, never sent inside quiet hours: try again when they end.
    if (decision.action === 'defer')
      return { after: () => deps.prompts.moveReminder(ref, decision.until.toISOString(), dueAt) };
    if (decision.action === 'skip') return { after: clear };
    const reminder: Prompt = {
      ...ref,
      kind: 'reminder',
      ...(prompt.channel ? { channel: prompt.channel } : {}),
      programId: prompt.programId,
      questions: prompt.questions,
      status: 'queued',
      attempts: 0,
      createdAt: now.toISOString(),
    };
    return { request: await createAndDecide(reminder), after: clear };
  };

  /**
   * A coach's push (or a report card) whose time has come: queued now, deferred to the end of quiet hours, or skipped
   * for good. The record exists since the coach wrote it; only its timer moves here. Opt-out and
   * suppression are read fresh by the sender, whose claim makes it go out exactly once.
   */
  const handlePush = async ({ prompt, dueAt }: Extract<DueTimer, { kind: 'push' }>) => {
    const kind = prompt.kind === 'report' ? ('report' as const) : ('push' as const);
    const ref = { participantId: prompt.participantId, scheduledFor: prompt.scheduledFor, kind };
    const [program, participant, original] = await Promise.all([
      programOf(prompt.programId),
      deps.participants.get(prompt.participantId),
      prompt.followUpOf ? deps.prompts.get({ ...ref, scheduledFor: prompt.followUpOf }) : undefined,
    ]);
    const decision = program
      ? mayGoOut({
          purpose: kind,
          channel: prompt.channel ?? 'sms',
          participant,
          contact: undefined,
          schedule: program.schedule,
          dueAt: new Date(dueAt),
          now,
          answered: Boolean(original?.answeredAt),
        })
      : ({ action: 'skip', reason: 'not-active' } as const);
    if (decision.action === 'defer')
      return { after: () => deps.prompts.movePush(ref, decision.until.toISOString(), dueAt) };
    if (decision.action === 'skip') {
      result.skipped++;
      return {
        after: () =>
          deps.prompts.finish(ref, 'queued', {
            status: 'skipped',
            skipReason: decision.reason,
            sendAt: null,
          }),
      };
    }
    if (prompt.status !== 'queued') return { after: () => deps.prompts.movePush(ref, null, dueAt) };
    return { request: requestFor(prompt), after: () => deps.prompts.movePush(ref, null, dueAt) };
  };

  const createAndDecide = async (record: Prompt): Promise<SendRequest | undefined> => {
    const created = await deps.prompts.create(record);
    if (record.status === 'skipped') result.skipped++;
    if (!created.created) result.alreadyHandled++;
    const queue = record.status === 'queued' && (created.created || created.existing.status === 'queued');
    if (!queue) return undefined;
    return requestFor(record);
  };

  let batch: DueTimer[] = [];
  const flush = async () => {
    const handled = await mapConcurrent(batch, handle);
    const requests = handled.flatMap((h) => (h.request ? [h.request] : []));
    await deps.sendQueue.enqueue(requests);
    result.queued += requests.length;
    await mapConcurrent(handled, async (h) => h.after?.());
    batch = [];
  };
  for await (const timer of deps.timers.listDue(now)) {
    batch.push(timer);
    if (batch.length >= CONCURRENCY * 4) {
      await flush();
      if (options.deadline !== undefined && Date.now() > options.deadline) {
        logger.warn('dispatch stopped at its time budget; the next run continues', { ...result });
        break;
      }
    }
  }
  await flush();
  if (result.due > 0) logger.info('dispatch run', { at: now.toISOString(), ...result });
  return result;
}

/** The send-queue request for a record (the default kind is left out of the message). */
export function requestFor(record: Prompt): SendRequest {
  const { participantId, scheduledFor, kind } = record;
  const channel = record.channel ?? 'sms';
  return kind && kind !== 'prompt'
    ? { participantId, scheduledFor, kind, channel }
    : { participantId, scheduledFor, channel };
}

/** The send record of what enrolment sends: the SMS opt-in request, or the email welcome. */
export function enrolmentRecord(participant: Participant, dueAt: string, now: Date): Prompt {
  return {
    participantId: participant.id,
    scheduledFor: dueAt,
    kind: participant.channel === 'sms' ? 'opt-in' : 'welcome',
    channel: participant.channel,
    programId: participant.programId,
    questions: [],
    status: 'queued',
    attempts: 0,
    createdAt: now.toISOString(),
  };
}

/** Runs `fn` over `items` with at most {@link CONCURRENCY} in flight, keeping order. */
async function mapConcurrent<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}

/** Whether a prompt due at `dueAt` may carry an experiment: its local day is on or before the marker. */
function mayHaveExperiments(participant: Participant, dueAt: string): boolean {
  const until = participant.experimentsUntil;
  return until !== undefined && localDateOf(new Date(dueAt), participant.timeZone) <= until;
}
