/**
 * One contract, two adapters: the same cases run against the in-memory adapters the use-case tests
 * use (test/support/memory.ts) and the DynamoDB adapters production runs (against DynamoDB Local).
 * A use-case test passing on memory means something only if memory behaves like DynamoDB where it
 * matters: conditional creates, one claim per record, statuses that only move forward, timers
 * found by the due index, consent that follows the order things were said in, addresses shared
 * by several enrolments, and conditional participant changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Participant } from '../../shared/domain/participant.js';
import type { Prompt } from '../../shared/domain/prompt.js';
import type {
  ContactRepository,
  ParticipantRepository,
  PromptRepository,
  TimerIndex,
} from '../../shared/ports.js';
import { memoryAdapters } from '../support/memory.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

interface Adapters {
  readonly prompts: PromptRepository;
  readonly participants: ParticipantRepository;
  readonly contacts: ContactRepository;
  readonly timers: TimerIndex;
}

let t: TestSystem;
const implementations: Record<'memory' | 'dynamodb', () => Adapters> = {
  memory: () => memoryAdapters(),
  dynamodb: () => dynamo,
};
let dynamo: Adapters;

beforeAll(async () => {
  // Starts the local system only for its table and environment: the adapters read both on load.
  t = await startTestSystem('2026-11-23T12:00:00Z');
  dynamo = (await import('../support/wiring.js')).productionDeps();
});
afterAll(async () => {
  await t?.stop();
});

let serial = 0;
/** A participant id of its own per case: the DynamoDB table is shared by the cases. */
const freshId = (label: string) => `contract-${label}-${++serial}-${Date.now().toString(36)}`;

function participant(id: string, extra: Partial<Participant> = {}): Participant {
  return {
    id,
    coachId: 'coach-contract',
    name: 'Ana',
    phone: `+1212555${String(1000 + (serial % 9000)).padStart(4, '0')}`,
    timeZone: 'America/New_York',
    programId: 'daily-questions',
    channel: 'sms',
    status: 'active',
    createdAt: '2026-11-20T12:00:00.000Z',
    ...extra,
  };
}

function prompt(participantId: string, extra: Partial<Prompt> = {}): Prompt {
  return {
    participantId,
    scheduledFor: '2026-11-23T23:00:00.000Z',
    channel: 'sms',
    programId: 'daily-questions',
    questions: [{ type: 'scale', text: 'Did I do my best to set clear goals today?' }],
    status: 'queued',
    attempts: 0,
    createdAt: '2026-11-23T23:00:00.000Z',
    ...extra,
  };
}

async function dueTimers(timers: TimerIndex, until: string, participantId: string) {
  const out: { kind: string; dueAt: string; recordKind?: string }[] = [];
  for await (const timer of timers.listDue(new Date(until))) {
    if (
      timer.kind === 'participant'
        ? timer.participant.id !== participantId
        : timer.prompt.participantId !== participantId
    )
      continue;
    out.push({
      kind: timer.kind,
      dueAt: timer.dueAt,
      ...(timer.kind === 'participant' ? {} : { recordKind: timer.prompt.kind ?? 'prompt' }),
    });
  }
  return out;
}

describe.each(['memory', 'dynamodb'] as const)('the %s adapters', (name) => {
  const adapters = () => implementations[name]();

  it('create a send record once; the second create returns the first', async () => {
    const { prompts } = adapters();
    const id = freshId('create');
    expect(await prompts.create(prompt(id))).toEqual({ created: true });
    const again = await prompts.create(prompt(id, { createdAt: '2026-11-23T23:00:05.000Z' }));
    expect(again.created).toBe(false);
    if (!again.created) expect(again.existing.createdAt).toBe('2026-11-23T23:00:00.000Z');
    // Another kind at the same instant is another record.
    expect(await prompts.create(prompt(id, { kind: 'reminder' }))).toEqual({ created: true });
  });

  it('let exactly one sender claim a record, and finish only from the status it names', async () => {
    const { prompts } = adapters();
    const id = freshId('claim');
    await prompts.create(prompt(id));
    const ref = { participantId: id, scheduledFor: '2026-11-23T23:00:00.000Z' };
    const claims = await Promise.all(
      [1, 2, 3].map(() => prompts.claim(ref, new Date('2026-11-23T23:00:10Z'))),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(claims.find(Boolean)).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await prompts.finish(ref, 'queued', { status: 'failed' })).toBe(false);
    expect(await prompts.finish(ref, 'sending', { status: 'sent', sentAt: '2026-11-23T23:00:11.000Z' })).toBe(
      true,
    );
    expect(await prompts.finish(ref, 'sending', { status: 'unknown' })).toBe(false);
    expect(await prompts.get(ref)).toMatchObject({ status: 'sent', sentAt: '2026-11-23T23:00:11.000Z' });
  });

  it('move a delivery status only forward', async () => {
    const { prompts } = adapters();
    const id = freshId('delivery');
    await prompts.create(prompt(id, { status: 'sent', sentAt: '2026-11-23T23:00:11.000Z' }));
    const ref = { participantId: id, scheduledFor: '2026-11-23T23:00:00.000Z' };
    expect(await prompts.recordDelivery(ref, 'sent', undefined, 1)).toBe(true);
    expect(await prompts.recordDelivery(ref, 'delivered', undefined, 2)).toBe(true);
    expect(await prompts.recordDelivery(ref, 'sent', undefined, 1)).toBe(false);
    expect((await prompts.get(ref))?.deliveryStatus).toBe('delivered');
  });

  it('find a timed record (a push or a report card) in the due index until its timer is cleared', async () => {
    const { prompts, timers } = adapters();
    const id = freshId('timed');
    const sendAt = '2026-11-30T17:00:00.000Z';
    for (const kind of ['push', 'report'] as const)
      await prompts.create(
        prompt(id, {
          kind,
          questions: [],
          sendAt,
          scheduledFor: `2026-11-30T0${kind === 'push' ? 4 : 5}:00:00.000Z`,
        }),
      );
    expect(await dueTimers(timers, '2026-11-30T16:59:00Z', id)).toEqual([]);
    const due = await dueTimers(timers, '2026-11-30T17:00:00Z', id);
    expect(due.map((d) => [d.kind, d.recordKind, d.dueAt]).sort()).toEqual([
      ['push', 'push', sendAt],
      ['push', 'report', sendAt],
    ]);
    const report = { participantId: id, scheduledFor: '2026-11-30T05:00:00.000Z', kind: 'report' as const };
    expect(await prompts.movePush(report, null, '2026-11-30T16:00:00.000Z')).toBe(false); // not its timer
    expect(await prompts.movePush(report, null, sendAt)).toBe(true);
    expect((await dueTimers(timers, '2026-12-01T00:00:00Z', id)).map((d) => d.recordKind)).toEqual(['push']);
  });

  it('keep consent in the order it was said, whatever order it arrives in', async () => {
    const { contacts } = adapters();
    const address = `+1646555${String(serial++).padStart(4, '0')}`;
    expect(await contacts.setOptOut('sms', address, true, '2026-11-23T10:00:00.000Z')).toBe(true);
    expect(await contacts.setOptOut('sms', address, false, '2026-11-23T09:00:00.000Z')).toBe(false);
    expect(await contacts.get('sms', address)).toMatchObject({ optedOut: true });
    expect(await contacts.setOptOut('sms', address, false, '2026-11-23T11:00:00.000Z')).toBe(true);
    expect((await contacts.get('sms', address))?.optedOut).toBeFalsy();
  });

  it('find every enrolment of an address, whoever the coach', async () => {
    const { participants } = adapters();
    const phone = `+1718555${String(serial++).padStart(4, '0')}`;
    const a = participant(freshId('addr'), { phone });
    const b = participant(freshId('addr'), { phone, coachId: 'another-coach' });
    await participants.create(a);
    await participants.create(b);
    const found = await participants.findByAddress('sms', phone);
    expect(found.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
  });

  it("read an address's state and the ids of all its enrolments in one lookup", async () => {
    const { participants, contacts } = adapters();
    const phone = `+1917555${String(serial++).padStart(4, '0')}`;
    const a = participant(freshId('lookup'), { phone });
    const b = participant(freshId('lookup'), { phone, coachId: 'another-coach' });
    await participants.create(a);
    expect(await contacts.lookup('sms', phone)).toEqual({ participantIds: [a.id] });
    await participants.create(b);
    await contacts.setOptOut('sms', phone, true, '2026-11-23T10:00:00.000Z');
    const found = await contacts.lookup('sms', phone);
    expect([...found.participantIds].sort()).toEqual([a.id, b.id].sort());
    expect(found.state).toMatchObject({ channel: 'sms', address: phone, optedOut: true });
  });

  it('page one kind of send records newest first, and give a streak only its fields', async () => {
    const { prompts } = adapters();
    const id = freshId('recent');
    const days = ['2026-11-21T23:00:00.000Z', '2026-11-22T23:00:00.000Z', '2026-11-23T23:00:00.000Z'];
    for (const day of days)
      await prompts.create(prompt(id, { scheduledFor: day, status: 'sent', answeredAt: day }));
    await prompts.create(prompt(id, { kind: 'reminder', scheduledFor: '2026-11-24T01:00:00.000Z' }));
    await prompts.create(
      prompt(id, { kind: 'push', questions: [], scheduledFor: '2026-11-23T12:00:00.000Z' }),
    );
    const first = await prompts.recent(id, 'prompt', 2);
    expect(first.map((p) => p.scheduledFor)).toEqual([days[2], days[1]]);
    expect(first[0]?.questions).toHaveLength(1);
    expect((await prompts.recent(id, 'prompt', 2, days[1])).map((p) => p.scheduledFor)).toEqual([days[0]]);
    expect((await prompts.recent(id, 'push', 5)).map((p) => p.kind)).toEqual(['push']);
    const streak = await prompts.streakRecords(id, 10);
    expect(streak).toEqual(
      [...days].reverse().map((day) => ({ scheduledFor: day, status: 'sent', answeredAt: day })),
    );
  });

  it('apply a participant change only while the status and timer it read still hold', async () => {
    const { participants } = adapters();
    const p = participant(freshId('update'), { nextDueAt: '2026-11-23T23:00:00.000Z' });
    await participants.create(p);
    expect(await participants.update(p.id, { status: 'paused' }, { status: 'pending' })).toBe(false);
    expect(
      await participants.update(
        p.id,
        { nextDueAt: '2026-11-24T23:00:00.000Z' },
        { dueAt: '2026-11-22T23:00:00.000Z' },
      ),
    ).toBe(false);
    expect(
      await participants.update(
        p.id,
        { nextDueAt: '2026-11-24T23:00:00.000Z' },
        { dueAt: p.nextDueAt ?? null },
      ),
    ).toBe(true);
    expect(await participants.update(p.id, { status: 'paused' }, { status: 'active' })).toBe(true);
    expect(await participants.get(p.id)).toMatchObject({
      status: 'paused',
      nextDueAt: '2026-11-24T23:00:00.000Z',
    });
  });
});
