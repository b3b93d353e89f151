/**
 * The local clock and EventBridge: every `schedule` trigger of the catalogue is a job that runs
 * each period of the local clock. Moving the clock runs, in order and each at its own time, every
 * job and queue delivery due on the way, so the outcome is as if the clock had ticked through.
 * A job whose trigger says where its work shows (`idleUntil`) skips the runs before that, so a
 * jump of months stays fast; other jobs run every period.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import type { FunctionSpec, Trigger } from '../functions.js';
import type { Invoke } from './lambda.js';

/** The hints a schedule trigger may name. */
export type IdleHint = NonNullable<Extract<Trigger, { kind: 'schedule' }>['idleUntil']>;

/** The earliest instant at which a job may have work; undefined: none at all. */
export type IdleProbe = () => Promise<Date | undefined>;

/** Work between job runs that the scheduler waits for: queue deliveries, mostly. */
export interface PendingWork {
  /** When the next piece of work becomes due (epoch ms); undefined when there is none. */
  nextDueAt(): number | undefined;
  /** Does all the work due now. */
  runDue(): Promise<void>;
  /** Waits for background work started by the runs (e.g. the SMS gateway's status callbacks). */
  settle(): Promise<void>;
}

/** What the scheduler needs from its surroundings. */
export interface SchedulerOptions {
  catalogue: readonly FunctionSpec[];
  invoke: Invoke;
  clock: { now(): Date; advanceTo(instant: Date): void };
  probes: Record<IdleHint, IdleProbe>;
  work: PendingWork;
}

/** The local scheduler. */
export interface Scheduler {
  /** Moves the clock to `target`, running everything due up to it; resolves with the new time. */
  runUntil(target: number): Promise<Date>;
  /** Stops or restarts a job, as an outage of its schedule would. Throws for an unknown job. */
  setJobEnabled(name: string, enabled: boolean): void;
  /** Waits for a clock move in progress to finish. */
  quiesce(): Promise<void>;
}

const MINUTE = 60_000;
const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;

interface Job {
  readonly spec: FunctionSpec;
  readonly periodMs: number;
  readonly probe: IdleProbe | undefined;
  lastTick: number;
  enabled: boolean;
}

/** Serialises work that must not interleave (clock moves, scheduled runs). */
function mutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Builds the scheduler over the catalogue's `schedule` triggers. */
export function createScheduler({ catalogue, invoke, clock, probes, work }: SchedulerOptions): Scheduler {
  const start = floorMinute(clock.now().getTime());
  const jobs: Job[] = catalogue.flatMap((spec) =>
    spec.triggers.flatMap((t) =>
      t.kind === 'schedule'
        ? [
            {
              spec,
              periodMs: t.everyMinutes * MINUTE,
              probe: t.idleUntil ? probes[t.idleUntil] : undefined,
              lastTick: start,
              enabled: true,
            },
          ]
        : [],
    ),
  );

  const nextRunOf = async (job: Job): Promise<number | undefined> => {
    if (!job.enabled) return undefined;
    const nextTick = job.lastTick + job.periodMs;
    if (!job.probe) return nextTick;
    // A probe that cannot tell (the table unreachable for a moment) must not stop the clock: the
    // job runs as EventBridge would run it, and fails or succeeds by itself.
    const work = await job.probe().catch(() => new Date(nextTick));
    if (work === undefined) return undefined;
    return Math.max(nextTick, Math.ceil(work.getTime() / job.periodMs) * job.periodMs);
  };

  const runJob = async (job: Job, tick: number) => {
    job.lastTick = tick;
    const event: ScheduledEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: new Date(tick).toISOString(),
      region: 'local',
      resources: [`arn:aws:events:local:000000000000:rule/nanocoach-${job.spec.name}`],
      detail: {},
    };
    try {
      await invoke(job.spec, event);
    } catch (error) {
      // EventBridge would record the failure and fire again next period; so does this.
      process.stderr.write(`scheduled ${job.spec.name} failed: ${(error as Error).message}\n`);
    }
  };

  const exclusive = mutex();
  const runUntil = (target: number) =>
    exclusive(async () => {
      for (let guard = 0; guard < 1_000_000; guard++) {
        const runs = await Promise.all(jobs.map(async (job) => ({ job, at: await nextRunOf(job) })));
        const workAt = work.nextDueAt();
        const times = [...runs.map((r) => r.at), workAt].filter((t): t is number => t !== undefined);
        const next = Math.min(...times);
        if (times.length === 0 || next > target) break;
        clock.advanceTo(new Date(next));
        const now = clock.now().getTime();
        for (const { job, at } of runs) if (at !== undefined && at <= now) await runJob(job, floorMinute(at));
        await work.runDue();
      }
      clock.advanceTo(new Date(target));
      for (const job of jobs) if (job.lastTick + job.periodMs <= target) job.lastTick = floorMinute(target);
      await work.settle();
      return clock.now();
    });

  return {
    runUntil,
    setJobEnabled(name, enabled) {
      const job = jobs.find((j) => j.spec.name === name);
      if (!job) throw new Error(`no scheduled job ${name}`);
      // Back from an outage, the schedule fires again from the next minute on.
      if (enabled && !job.enabled) job.lastTick = floorMinute(clock.now().getTime());
      job.enabled = enabled;
    },
    quiesce: () => exclusive(async () => undefined),
  };
}
