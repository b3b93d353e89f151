/**
 * Program changes and delivery status with in-memory adapters: the branches the end-to-end tier
 * cannot time, such as a dispatcher moving a timer between the read and the write.
 */
import { describe, expect, it } from 'vitest';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import { recordSmsStatus } from '../../shared/channels/sms/usecases/record-sms-status.js';
import type { Participant } from '../../shared/domain/participant.js';
import { WEEKDAYS } from '../../shared/domain/program.js';
import type { ParticipantRepository } from '../../shared/ports.js';
import { createProgram, updateProgram } from '../../shared/usecases/programs.js';
import { fixedClock, memoryAdapters } from '../support/memory.js';

const schedule = (time: string) => ({
  days: [...WEEKDAYS],
  time,
  quietHours: { start: '21:00', end: '08:00' },
  freshnessMinutes: 180,
  replyWindowHours: 24,
});
const question = [{ type: 'scale' as const, text: 'Did I set a goal today?' }];

async function setup() {
  const memory = memoryAdapters();
  // Monday 2026-11-23, 07:00 in New York.
  const clock = fixedClock('2026-11-23T12:00:00.000Z');
  const program = await createProgram({ programs: memory.programs, clock, smsPolicy }, 'c1', {
    name: 'P',
    questions: question,
    schedule: schedule('18:00'),
  });
  const participant: Participant = {
    id: 'p1',
    coachId: 'c1',
    name: 'Sam',
    phone: '+12125550123',
    timeZone: 'America/New_York',
    programId: program.id,
    channel: 'sms',
    status: 'active',
    createdAt: '2026-11-20T12:00:00.000Z',
    nextDueAt: '2026-11-23T23:00:00.000Z',
  };
  memory.store.participants.set(participant.id, participant);
  return { memory, clock, program };
}

describe('changing a program', () => {
  it("moves each participant's next due time to the new schedule", async () => {
    const { memory, clock, program } = await setup();
    const res = await updateProgram(
      { programs: memory.programs, participants: memory.participants, clock, smsPolicy },
      'c1',
      program.id,
      { name: 'P', questions: question, schedule: schedule('19:30') },
    );
    expect(res.rescheduled).toBe(1);
    expect(memory.store.participants.get('p1')?.nextDueAt).toBe('2026-11-24T00:30:00.000Z');
  });

  it('never overwrites a timer a dispatcher moved meanwhile: it reads it again and retries', async () => {
    const { memory, clock, program } = await setup();
    const writes: (string | null | undefined)[] = [];
    // The dispatcher's move has to land between this use case's read and its write, which only a
    // wrapper can place there.
    let raced = false;
    const participants: ParticipantRepository = {
      ...memory.participants,
      async update(id, change, expected) {
        if (!raced) {
          raced = true;
          await memory.participants.update(id, { nextDueAt: '2026-11-24T23:00:00.000Z' });
        }
        writes.push(expected?.dueAt);
        return memory.participants.update(id, change, expected);
      },
    };
    await updateProgram({ programs: memory.programs, participants, clock, smsPolicy }, 'c1', program.id, {
      name: 'P',
      questions: question,
      schedule: schedule('19:30'),
    });
    expect(writes).toEqual(['2026-11-23T23:00:00.000Z', '2026-11-24T23:00:00.000Z']);
    expect(memory.store.participants.get('p1')?.nextDueAt).toBe('2026-11-24T00:30:00.000Z');
  });

  it('leaves a pending participant’s opt-in timer alone', async () => {
    const { memory, clock, program } = await setup();
    memory.store.participants.set('p1', {
      ...(memory.store.participants.get('p1') as Participant),
      status: 'pending',
      nextDueAt: '2026-11-23T13:00:00.000Z',
    });
    const res = await updateProgram(
      { programs: memory.programs, participants: memory.participants, clock, smsPolicy },
      'c1',
      program.id,
      { name: 'P', questions: question, schedule: schedule('19:30') },
    );
    expect(res.rescheduled).toBe(0);
    expect(memory.store.participants.get('p1')?.nextDueAt).toBe('2026-11-23T13:00:00.000Z');
  });
});

describe('delivery status', () => {
  const ref = { participantId: 'p1', scheduledFor: '2026-11-23T23:00:00.000Z' };

  async function sentPrompt() {
    const { memory, clock, program } = await setup();
    await memory.prompts.create({
      ...ref,
      programId: program.id,
      questions: question,
      status: 'sent',
      attempts: 1,
      createdAt: ref.scheduledFor,
    });
    const deps = { ...memory, clock };
    const status = (status: string, errorCode?: string) =>
      recordSmsStatus(deps, { ...ref, status, ...(errorCode ? { errorCode } : {}) });
    return { memory, status };
  }

  it('writes nothing for intermediate statuses', async () => {
    const { memory, status } = await sentPrompt();
    for (const s of ['queued', 'sending', 'sent']) expect(await status(s)).toEqual({ recorded: false });
    expect((await memory.prompts.get(ref))?.deliveryStatus).toBeUndefined();
  });

  it('keeps the first final status and counts it once', async () => {
    const { memory, status } = await sentPrompt();
    expect(await status('delivered')).toEqual({ recorded: true });
    expect(await status('delivered')).toEqual({ recorded: false });
    expect(await status('undelivered', '30003')).toEqual({ recorded: false });
    expect((await memory.prompts.get(ref))?.deliveryStatus).toBe('delivered');
    expect(memory.store.metrics).toEqual(['Delivered']);
  });

  it('records a carrier STOP (21610) on the number once', async () => {
    const { memory, status } = await sentPrompt();
    await status('failed', '21610');
    expect(memory.store.contacts.get('sms#+12125550123')?.optedOut).toBe(true);
    expect(memory.store.participants.get('p1')?.nextDueAt).toBeUndefined();
    expect(await status('failed', '21610')).toEqual({ recorded: false });
    expect(memory.store.metrics).toEqual(['Undelivered']);
  });
});
