/**
 * Coaches editing participants, with in-memory adapters: the branches the end-to-end tier cannot
 * time (a dispatcher moving the timer between the read and the write, a concurrent edit) and the
 * consent rules for every kind of address.
 */
import { describe, expect, it } from 'vitest';
import type { Participant } from '../../shared/domain/participant.js';
import { DAILY_QUESTIONS } from '../../shared/domain/program.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { editParticipant } from '../../shared/usecases/edit-participant.js';
import { fixedClock, memoryAdapters } from '../support/memory.js';

// Tuesday 2026-11-24, 09:00 in New York (15:00 in Berlin). Daily questions at 20:00 local.
const NOW = '2026-11-24T14:00:00.000Z';
const NY_TONIGHT = '2026-11-25T01:00:00.000Z';

function setup(now = NOW) {
  const memory = memoryAdapters();
  const clock = fixedClock(now);
  const add = (extra: Partial<Participant> = {}) => {
    const p: Participant = {
      id: 'sam',
      coachId: 'c1',
      name: 'Sam',
      phone: '+12125550123',
      timeZone: 'America/New_York',
      programId: DAILY_QUESTIONS.id,
      channel: 'sms',
      status: 'active',
      createdAt: '2026-11-20T12:00:00.000Z',
      consentAt: '2026-11-20T12:05:00.000Z',
      nextDueAt: NY_TONIGHT,
      ...extra,
    };
    memory.store.participants.set(p.id, p);
    return p;
  };
  const deps = { ...memory, clock, smsAllowedCountries: '*' as const };
  return { memory, clock, add, deps };
}

describe('editing a participant', () => {
  it('changes the name and nothing else', async () => {
    const { add, deps, memory } = setup();
    add();
    const res = await editParticipant(deps, 'c1', 'sam', { name: 'Samantha' });
    expect(res).toMatchObject({ name: 'Samantha', status: 'active', consentRestarted: false });
    expect(memory.store.participants.get('sam')?.nextDueAt).toBe(NY_TONIGHT);
    expect(memory.store.queued).toHaveLength(0);
  });

  it("another coach's participant is not found, and stays as it was", async () => {
    const { add, deps, memory } = setup();
    add();
    await expect(editParticipant(deps, 'c2', 'sam', { name: 'X' })).rejects.toBeInstanceOf(NotFoundError);
    expect(memory.store.participants.get('sam')?.name).toBe('Sam');
  });

  it('a new zone moves the next prompt to 20:00 there, today', async () => {
    const { add, deps, memory } = setup();
    add();
    await editParticipant(deps, 'c1', 'sam', { timeZone: 'Europe/Berlin' });
    expect(memory.store.participants.get('sam')).toMatchObject({
      timeZone: 'Europe/Berlin',
      nextDueAt: '2026-11-24T19:00:00.000Z',
    });
  });

  it('a new zone never brings a second prompt on a day that already had one', async () => {
    // Berlin's Tuesday prompt went out at 19:00Z; at 20:00Z the coach moves Sam to New York,
    // where it is still Tuesday afternoon and 20:00 is ahead.
    const { add, deps, memory } = setup('2026-11-24T20:00:00.000Z');
    add({ timeZone: 'Europe/Berlin', nextDueAt: '2026-11-25T19:00:00.000Z' });
    memory.store.prompts.set('x', {
      participantId: 'sam',
      scheduledFor: '2026-11-24T19:00:00.000Z',
      channel: 'sms',
      programId: DAILY_QUESTIONS.id,
      questions: DAILY_QUESTIONS.questions,
      status: 'sent',
      attempts: 1,
      createdAt: '2026-11-24T19:00:00.000Z',
    });
    await editParticipant(deps, 'c1', 'sam', { timeZone: 'America/New_York' });
    expect(memory.store.participants.get('sam')?.nextDueAt).toBe('2026-11-26T01:00:00.000Z');
  });

  it('a paused participant resumes on the same local date, in the new zone', async () => {
    const { add, deps, memory } = setup();
    add({ status: 'paused', pausedUntil: '2026-11-27', nextDueAt: '2026-11-28T01:00:00.000Z' });
    await editParticipant(deps, 'c1', 'sam', { timeZone: 'Europe/Berlin' });
    expect(memory.store.participants.get('sam')).toMatchObject({
      status: 'paused',
      nextDueAt: '2026-11-27T19:00:00.000Z',
    });
  });

  it('a timer already due is left to the dispatcher, which sends it as scheduled', async () => {
    const { add, deps, memory } = setup();
    add({ nextDueAt: '2026-11-24T13:59:00.000Z' });
    await editParticipant(deps, 'c1', 'sam', { timeZone: 'Europe/Berlin' });
    expect(memory.store.participants.get('sam')).toMatchObject({
      timeZone: 'Europe/Berlin',
      nextDueAt: '2026-11-24T13:59:00.000Z',
    });
  });

  it('a new phone restarts consent there: pending, and a new opt-in request queued', async () => {
    const { add, deps, memory } = setup();
    add();
    const res = await editParticipant(deps, 'c1', 'sam', { phone: '+12125550199' });
    expect(res).toMatchObject({ phone: '+12125550199', status: 'pending', consentRestarted: true });
    expect(res.consentAt).toBeUndefined();
    expect(memory.store.queued).toEqual([
      { participantId: 'sam', scheduledFor: NOW, kind: 'opt-in', channel: 'sms' },
    ]);
    // No timer until YES.
    expect(memory.store.participants.get('sam')?.nextDueAt).toBeUndefined();
  });

  it('a new phone that said STOP before stays stopped: nothing sent, and the coach sees pending', async () => {
    const { add, deps, memory } = setup();
    add();
    await memory.contacts.setOptOut('sms', '+12125550199', true, '2026-11-23T10:00:00.000Z');
    const res = await editParticipant(deps, 'c1', 'sam', { phone: '+12125550199' });
    expect(res.status).toBe('pending');
    expect(memory.store.queued).toHaveLength(0);
    expect(memory.store.contacts.get('sms#+12125550199')?.optedOut).toBe(true);
  });

  it('a suppressed new email stays suppressed and gets nothing', async () => {
    const { add, deps, memory } = setup();
    add({ channel: 'email', email: 'sam@example.com', phone: undefined });
    await memory.contacts.suppress('email', 'new@example.com', 'hard-bounce');
    const res = await editParticipant(deps, 'c1', 'sam', { email: 'new@example.com' });
    expect(res.status).toBe('bouncing');
    expect(memory.store.queued).toHaveLength(0);
    expect(memory.store.contacts.get('email#new@example.com')?.suppressed).toBe('hard-bounce');
  });

  it('a new email gets a welcome and the schedule carries on', async () => {
    const { add, deps, memory } = setup();
    add({ channel: 'email', email: 'sam@example.com', phone: undefined });
    const res = await editParticipant(deps, 'c1', 'sam', { email: 'sam@new.example' });
    expect(res).toMatchObject({ status: 'active', consentRestarted: true, nextDueAt: NY_TONIGHT });
    expect(memory.store.queued).toEqual([
      { participantId: 'sam', scheduledFor: NOW, kind: 'welcome', channel: 'email' },
    ]);
  });

  it('switching to SMS asks for YES even when the phone was on file', async () => {
    const { add, deps, memory } = setup();
    add({ channel: 'email', email: 'sam@example.com' });
    const res = await editParticipant(deps, 'c1', 'sam', { channel: 'sms' });
    expect(res).toMatchObject({ channel: 'sms', status: 'pending', consentRestarted: true });
    expect(memory.store.queued.map((r) => r.kind)).toEqual(['opt-in']);
  });

  it('a new phone on an email participant needs no consent yet', async () => {
    const { add, deps, memory } = setup();
    add({ channel: 'email', email: 'sam@example.com' });
    const res = await editParticipant(deps, 'c1', 'sam', { phone: '+12125550199' });
    expect(res).toMatchObject({ status: 'active', consentRestarted: false });
    expect(memory.store.queued).toHaveLength(0);
  });

  it('refuses a channel without its address, naming the field, and changes nothing', async () => {
    const { add, deps, memory } = setup();
    add();
    await expect(editParticipant(deps, 'c1', 'sam', { channel: 'email' })).rejects.toMatchObject({
      field: 'email',
    });
    await expect(editParticipant(deps, 'c1', 'sam', { phone: '+19005550123' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(memory.store.participants.get('sam')).toMatchObject({ channel: 'sms', phone: '+12125550123' });
  });

  it('recomputes when the dispatcher moved the timer between the read and the write', async () => {
    const { add, deps, memory } = setup();
    add();
    const edit = deps.participants.edit.bind(deps.participants);
    let raced = false;
    const racing = {
      ...deps,
      participants: {
        ...deps.participants,
        async edit(read: Participant, change: Parameters<typeof edit>[1]) {
          if (!raced) {
            raced = true;
            // The dispatcher moves the timer first (as if tonight's prompt had just been handled).
            await deps.participants.update('sam', { nextDueAt: '2026-11-26T01:00:00.000Z' });
          }
          return edit(read, change);
        },
      },
    };
    await editParticipant(racing, 'c1', 'sam', { timeZone: 'Europe/Berlin' });
    expect(memory.store.participants.get('sam')).toMatchObject({
      timeZone: 'Europe/Berlin',
      nextDueAt: '2026-11-24T19:00:00.000Z',
    });
  });

  it('answers 409 when another edit landed first, and does not half-apply', async () => {
    const { add, deps, memory } = setup();
    add();
    const edit = deps.participants.edit.bind(deps.participants);
    const racing = {
      ...deps,
      participants: {
        ...deps.participants,
        async edit(read: Participant, change: Parameters<typeof edit>[1]) {
          await edit(read, { phone: '+12125550177', status: 'pending' });
          return edit(read, change);
        },
      },
    };
    await expect(
      editParticipant(racing, 'c1', 'sam', { name: 'Samantha', timeZone: 'Europe/Berlin' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(memory.store.participants.get('sam')).toMatchObject({
      name: 'Sam',
      timeZone: 'America/New_York',
      phone: '+12125550177',
    });
  });
});
