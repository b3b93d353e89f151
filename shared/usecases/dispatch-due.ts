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
import type { Deps } from '../deps.js';
import type { Participant } from '../domain/participant.js';
import type { Program } from '../domain/program.js';
import type { Prompt, SkipReason } from '../domain/prompt.js';
import { firstNonQuietInstant, isQuietAt, nextSendTime } from '../domain/schedule.js';
import { logger } from '../logger.js';
import type { DueTimer, SendRequest } from '../ports.js';

/** Counts of what one run did. */
export interface DispatchResult {
  due: number;
  queued: number;
  skipped: number;
  alreadyHandled: number;
}

/** How many timers are processed concurrently: keeps DynamoDB busy without flooding it. */
const CONCURRENCY = 32;

/** Why a prompt due at `dueAt` should not go out at `now`, if it should not. */
export function skipReasonFor(
  program: Program,
  zone: string,
  dueAt: Date,
  now: Date,
): SkipReason | undefined {
  if (now.getTime() - dueAt.getTime() > program.schedule.freshnessMinutes * 60_000) return 'stale';
  if (isQuietAt(program.schedule, zone, now)) return 'quiet-hours';
  return undefined;
}

type DispatchDeps = Pick<Deps, 'timers' | 'participants' | 'programs' | 'prompts' | 'sendQueue' | 'clock'>;

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
    return handleReminder(timer);
  };

  const handleParticipant = async ({ participant, dueAt }: Extract<DueTimer, { kind: 'participant' }>) => {
    const program = await programOf(participant.programId);
    if (program && participant.status === 'pending') return handleOptIn(participant, program, dueAt);
    if (!program || (participant.status !== 'active' && participant.status !== 'paused')) {
      // Nothing to send to this participant: take them off the index instead of finding them again.
      return { after: () => deps.participants.update(participant.id, { nextDueAt: null }, dueAt) };
    }
    const skipReason = skipReasonFor(program, participant.timeZone, new Date(dueAt), now);
    const prompt: Prompt = {
      participantId: participant.id,
      scheduledFor: dueAt,
      programId: program.id,
      questions: program.questions,
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
      after: () => deps.participants.update(participant.id, { ...resume, nextDueAt: next }, dueAt),
    };
  };

  /** A pending participant's timer is their opt-in request, deferred out of quiet hours. */
  const handleOptIn = async (participant: Participant, program: Program, dueAt: string) => {
    if (isQuietAt(program.schedule, participant.timeZone, now)) {
      const later = firstNonQuietInstant(program.schedule, participant.timeZone, now).toISOString();
      return { after: () => deps.participants.update(participant.id, { nextDueAt: later }, dueAt) };
    }
    const request = await createAndDecide(optInRecord(participant, dueAt, now));
    return { request, after: () => deps.participants.update(participant.id, { nextDueAt: null }, dueAt) };
  };

  const handleReminder = async ({ prompt, dueAt }: Extract<DueTimer, { kind: 'reminder' }>) => {
    const ref = { participantId: prompt.participantId, scheduledFor: prompt.scheduledFor };
    const clear = () => deps.prompts.moveReminder(ref, null, dueAt);
    const [program, participant] = await Promise.all([
      programOf(prompt.programId),
      deps.participants.get(prompt.participantId),
    ]);
    if (prompt.answeredAt || !program || participant?.status !== 'active') return { after: clear };
    if (now.getTime() - Date.parse(dueAt) > program.schedule.freshnessMinutes * 60_000)
      return { after: clear };
    if (isQuietAt(program.schedule, participant.timeZone, now)) {
      // Deferred, never sent inside quiet hours: try again when they end.
      const later = firstNonQuietInstant(program.schedule, participant.timeZone, now).toISOString();
      return { after: () => deps.prompts.moveReminder(ref, later, dueAt) };
    }
    const reminder: Prompt = {
      ...ref,
      kind: 'reminder',
      programId: prompt.programId,
      questions: prompt.questions,
      status: 'queued',
      attempts: 0,
      createdAt: now.toISOString(),
    };
    return { request: await createAndDecide(reminder), after: clear };
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
  return kind && kind !== 'prompt' ? { participantId, scheduledFor, kind } : { participantId, scheduledFor };
}

/** The send record of a participant's SMS opt-in request. */
export function optInRecord(participant: Participant, dueAt: string, now: Date): Prompt {
  return {
    participantId: participant.id,
    scheduledFor: dueAt,
    kind: 'opt-in',
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
