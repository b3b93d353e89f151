/**
 * Personal experiments in the dispatcher with in-memory adapters: the experiment's question rides
 * along from its start date to its end date, and the experiments are read only for participants
 * who may have one running (most have none, and the read would be one Query per prompt).
 */
import { describe, expect, it } from 'vitest';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import type { Participant } from '../../shared/domain/participant.js';
import { WEEKDAYS } from '../../shared/domain/program.js';
import { dispatchDue } from '../../shared/usecases/dispatch-due.js';
import { startExperiment } from '../../shared/usecases/experiments.js';
import { createProgram } from '../../shared/usecases/programs.js';
import { fixedClock, memoryAdapters } from '../support/memory.js';

const EXPERIMENT = 'Did I pause before answering in meetings today?';

async function setup() {
  const memory = memoryAdapters();
  // Monday 2026-11-23, 07:00 in New York.
  const clock = fixedClock('2026-11-23T12:00:00.000Z');
  const program = await createProgram({ programs: memory.programs, clock, smsPolicy }, 'c1', {
    name: 'Evenings',
    questions: [{ type: 'scale', text: 'Did I do my best to be present today?' }],
    schedule: {
      days: [...WEEKDAYS],
      time: '18:00',
      quietHours: { start: '21:00', end: '08:00' },
      freshnessMinutes: 180,
      replyWindowHours: 24,
    },
  });
  const enrol = (id: string, phone: string): Participant => ({
    id,
    coachId: 'c1',
    name: id,
    phone,
    timeZone: 'America/New_York',
    programId: program.id,
    channel: 'sms',
    status: 'active',
    createdAt: '2026-11-20T12:00:00.000Z',
    nextDueAt: '2026-11-23T23:00:00.000Z',
  });
  for (const p of [enrol('sam', '+12125550123'), enrol('eve', '+12125550124')])
    memory.store.participants.set(p.id, p);
  // Who the dispatcher read experiments for: the real in-memory read, counted.
  const lookups: string[] = [];
  const participants = {
    ...memory.participants,
    listExperiments: (id: string) => {
      lookups.push(id);
      return memory.participants.listExperiments(id);
    },
  };
  const dispatchDeps = { ...memory, participants, clock };
  /** Dispatches each evening's prompt from Monday 23 November for `days` days. */
  const runEvenings = async (days: number) => {
    for (let day = 0; day < days; day++) {
      clock.set(new Date(Date.parse('2026-11-23T23:00:00.000Z') + day * 86_400_000).toISOString());
      await dispatchDue(dispatchDeps);
    }
  };
  /** The local dates of Eve's prompts that carried the experiment. */
  const carried = () =>
    [...memory.store.prompts.values()]
      .filter((p) => p.participantId === 'eve' && p.questions.some((q) => q.text === EXPERIMENT))
      .map((p) => p.scheduledFor.slice(0, 10))
      .sort();
  return { memory, clock, lookups, runEvenings, carried };
}

describe('experiments in the dispatcher', () => {
  it('never reads experiments for a participant who has none', async () => {
    const { memory, lookups, runEvenings } = await setup();
    await runEvenings(3);
    const samPrompts = [...memory.store.prompts.values()].filter((p) => p.participantId === 'sam');
    expect(samPrompts).toHaveLength(3);
    expect(lookups).toEqual([]);
  });

  it('asks the experiment from its start date to its end date, and stops reading after it', async () => {
    const { memory, clock, lookups, runEvenings, carried } = await setup();
    // Tuesday 24 to Monday 30 November (one week), started on Monday morning.
    await startExperiment(
      { participants: memory.participants, programs: memory.programs, clock, smsPolicy },
      'c1',
      'eve',
      { question: { type: 'yes-no', text: EXPERIMENT }, startDate: '2026-11-24', weeks: 1 },
    );
    // Monday 23 November to Wednesday 2 December.
    await runEvenings(10);
    // Prompts at 18:00 in New York are 23:00Z the same day.
    expect(carried()).toEqual([
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
    ]);
    // Read for Eve up to the experiment's last day only; never for Sam.
    expect(lookups).toEqual(Array(8).fill('eve'));
  });

  it('keeps the latest end date when a shorter experiment is added after a longer one', async () => {
    const { memory, clock } = await setup();
    const deps = { participants: memory.participants, programs: memory.programs, clock, smsPolicy };
    await startExperiment(deps, 'c1', 'eve', {
      question: { type: 'yes-no', text: EXPERIMENT },
      startDate: '2026-11-23',
      weeks: 3,
    });
    await startExperiment(deps, 'c1', 'eve', {
      question: { type: 'yes-no', text: 'Did I take a walk?' },
      startDate: '2026-11-23',
      weeks: 1,
    });
    expect(memory.store.participants.get('eve')?.experimentsUntil).toBe('2026-12-13');
  });
});
