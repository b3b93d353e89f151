/**
 * The minutely dispatcher: turns every participant whose next prompt is due into a prompt on the
 * send queue, then moves their timer to the next scheduled instant.
 *
 * Why it is safe to run twice, concurrently or after a crash:
 * - The due index holds each participant's own "next due" instant, so a run after an outage finds
 *   everything missed since (no global watermark to lose).
 * - A prompt's key is (participant, scheduled instant) and is created with a condition, so a
 *   second dispatcher cannot create it again; it re-queues it only while it is still `queued`,
 *   which covers a first dispatcher that died between creating and queueing. The sender's claim
 *   makes a duplicate queue message harmless.
 * - The timer moves with a condition on its old value, after the prompt is queued.
 */
import type { Deps } from '../deps.js';
import type { Program } from '../domain/program.js';
import type { Prompt, SkipReason } from '../domain/prompt.js';
import { isQuietAt, nextSendTime } from '../domain/schedule.js';
import { logger } from '../logger.js';
import type { DueParticipant, SendRequest } from '../ports.js';

/** Counts of what one run did. */
export interface DispatchResult {
  due: number;
  queued: number;
  skipped: number;
  alreadyHandled: number;
}

/** How many participants are processed concurrently: keeps DynamoDB busy without flooding it. */
const CONCURRENCY = 32;

/** Decides what to do with a due prompt right now, or nothing when it should go out. */
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

/** Creates and queues every prompt due at or before `now`. */
export async function dispatchDue(
  deps: Pick<Deps, 'participants' | 'programs' | 'prompts' | 'sendQueue' | 'clock'>,
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

  const handle = async ({ participant, dueAt }: DueParticipant): Promise<SendRequest | undefined> => {
    result.due++;
    const program = await programOf(participant.programId);
    if (!program || (participant.status !== 'active' && participant.status !== 'paused')) {
      // Nothing to send to this participant: take them off the index instead of finding them again.
      await deps.participants.update(participant.id, { nextDueAt: null }, dueAt);
      return undefined;
    }
    const due = new Date(dueAt);
    const skipReason = skipReasonFor(program, participant.timeZone, due, now);
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
    const created = await deps.prompts.create(prompt);
    if (skipReason) result.skipped++;
    const toQueue = !skipReason && (created.created || created.existing.status === 'queued');
    if (!created.created) result.alreadyHandled++;
    return toQueue ? { participantId: participant.id, scheduledFor: dueAt } : undefined;
  };

  const advance = async ({ participant, dueAt }: DueParticipant) => {
    const program = await programOf(participant.programId);
    if (!program) return;
    const after = new Date(Math.max(now.getTime(), new Date(dueAt).getTime()));
    const next = nextSendTime(program.schedule, participant.timeZone, after).toISOString();
    // A paused participant's timer was set to the first send after the pause: reaching it resumes them.
    const status = participant.status === 'paused' ? { status: 'active' as const, pausedUntil: null } : {};
    await deps.participants.update(participant.id, { ...status, nextDueAt: next }, dueAt);
  };

  let batch: DueParticipant[] = [];
  const flush = async () => {
    const requests = (await mapConcurrent(batch, handle)).filter((r): r is SendRequest => r !== undefined);
    await deps.sendQueue.enqueue(requests);
    result.queued += requests.length;
    const live = batch.filter((d) => d.participant.status === 'active' || d.participant.status === 'paused');
    await mapConcurrent(live, advance);
    batch = [];
  };
  for await (const due of deps.participants.listDue(now)) {
    batch.push(due);
    if (batch.length >= CONCURRENCY * 4) await flush();
  }
  await flush();
  if (result.due > 0) logger.info('dispatch run', { at: now.toISOString(), ...result });
  return result;
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
