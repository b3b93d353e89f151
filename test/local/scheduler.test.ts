/**
 * The local scheduler runs every job from the catalogue's schedule triggers, each at its own
 * time; only a job whose trigger names an idle hint skips the runs before its next work.
 */
import { describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../../infra/functions.js';
import { invokerOf, type LambdaHandler } from '../../infra/local/lambda.js';
import { createScheduler } from '../../infra/local/scheduler.js';

const start = new Date('2026-03-05T10:00:00Z').getTime();
const MINUTE = 60_000;

function setup(dueAt: Date | undefined | Error) {
  let now = start;
  const runs: { name: string; time: string }[] = [];
  const catalogue: FunctionSpec[] = [
    {
      name: 'hinted',
      description: 't',
      triggers: [{ kind: 'schedule', everyMinutes: 1, idleUntil: 'due-index' }],
    },
    { name: 'hourly', description: 't', triggers: [{ kind: 'schedule', everyMinutes: 60 }] },
  ];
  // Each job records the scheduled time EventBridge would put in its event.
  const handlers = new Map<string, LambdaHandler>(
    catalogue.map((spec) => [
      spec.name,
      async (event) => {
        runs.push({ name: spec.name, time: (event as { time: string }).time });
      },
    ]),
  );
  const scheduler = createScheduler({
    catalogue,
    invoke: invokerOf(handlers),
    clock: {
      now: () => new Date(now),
      advanceTo: (instant) => {
        now = Math.max(now, instant.getTime());
      },
    },
    probes: {
      'due-index': async () => {
        if (dueAt instanceof Error) throw dueAt;
        return dueAt;
      },
    },
    work: { nextDueAt: () => undefined, runDue: async () => undefined, settle: async () => undefined },
  });
  return { scheduler, runs };
}

describe('local scheduler', () => {
  it('runs an unhinted job every period, each at its own time', async () => {
    const { scheduler, runs } = setup(undefined);
    const end = await scheduler.runUntil(start + 3 * 60 * MINUTE + 30 * MINUTE);
    expect(end.toISOString()).toBe('2026-03-05T13:30:00.000Z');
    expect(runs.filter((r) => r.name === 'hourly').map((r) => r.time)).toEqual([
      '2026-03-05T11:00:00.000Z',
      '2026-03-05T12:00:00.000Z',
      '2026-03-05T13:00:00.000Z',
    ]);
    // No work in the due index: the hinted job never ran.
    expect(runs.filter((r) => r.name === 'hinted')).toEqual([]);
  });

  it('skips the idle minutes of a hinted job and runs it at its due minute', async () => {
    const { scheduler, runs } = setup(new Date('2026-03-05T10:42:30Z'));
    await scheduler.runUntil(start + 45 * MINUTE);
    const hinted = runs.filter((r) => r.name === 'hinted').map((r) => r.time);
    // Due 10:42:30 → the run of 10:43 picks it up; the work is still "due" afterwards in this
    // test (the probe is fixed), so it keeps running each minute until the target.
    expect(hinted).toEqual([
      '2026-03-05T10:43:00.000Z',
      '2026-03-05T10:44:00.000Z',
      '2026-03-05T10:45:00.000Z',
    ]);
  });

  it('a probe that fails (the table unreachable) runs the job each minute instead of failing the clock move', async () => {
    const { scheduler, runs } = setup(new Error('connect ECONNREFUSED'));
    const end = await scheduler.runUntil(start + 2 * MINUTE);
    expect(end.toISOString()).toBe('2026-03-05T10:02:00.000Z');
    expect(runs.filter((r) => r.name === 'hinted').map((r) => r.time)).toEqual([
      '2026-03-05T10:01:00.000Z',
      '2026-03-05T10:02:00.000Z',
    ]);
  });

  it('a disabled job does not run; re-enabled, it resumes from the next minute', async () => {
    const { scheduler, runs } = setup(undefined);
    scheduler.setJobEnabled('hourly', false);
    await scheduler.runUntil(start + 2 * 60 * MINUTE);
    expect(runs).toEqual([]);
    scheduler.setJobEnabled('hourly', true);
    await scheduler.runUntil(start + 3 * 60 * MINUTE);
    expect(runs.map((r) => r.time)).toEqual(['2026-03-05T13:00:00.000Z']);
    expect(() => scheduler.setJobEnabled('nope', true)).toThrow(/no scheduled job nope/);
  });
});
