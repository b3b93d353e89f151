/**
 * Pushes, exercises, bulk pushes, export, erasure and import with in-memory adapters: every branch
 * a coach can reach, without the emulator (the end-to-end tier checks the DynamoDB adapters).
 */
import { describe, expect, it } from 'vitest';
import { recordSmsReply } from '../../shared/channels/sms/usecases/record-sms-reply.js';
import type { Participant } from '../../shared/domain/participant.js';
import { DAILY_QUESTIONS } from '../../shared/domain/program.js';
import { isoWeekOf } from '../../shared/domain/summary.js';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../../shared/errors.js';
import { importParticipants } from '../../shared/usecases/import.js';
import { eraseParticipant, exportParticipant, listAudit } from '../../shared/usecases/privacy.js';
import { bulkPush, createPush, listPushes } from '../../shared/usecases/pushes.js';
import { sendPrompt } from '../../shared/usecases/send-prompt.js';
import { fixedClock, memoryAdapters } from '../support/memory.js';

// Monday 2026-11-23 23:00 in New York.
const LATE = '2026-11-24T04:00:00.000Z';
const MORNING = '2026-11-24T13:00:00.000Z';

function setup(now = LATE) {
  const memory = memoryAdapters();
  const clock = fixedClock(now);
  const add = (id: string, extra: Partial<Participant> = {}) => {
    const p: Participant = {
      id,
      coachId: 'c1',
      name: `${id.toUpperCase()} Person`,
      phone: `+1212555${String(1000 + memory.store.participants.size).slice(-4)}`,
      timeZone: 'America/New_York',
      programId: DAILY_QUESTIONS.id,
      channel: 'sms',
      status: 'active',
      createdAt: '2026-11-20T12:00:00.000Z',
      ...extra,
    };
    memory.store.participants.set(id, p);
    return p;
  };
  const deps = {
    ...memory,
    clock,
    smsAllowedCountries: '*' as const,
    enrolmentsPerHour: 5,
  };
  return { memory, clock, add, deps };
}

describe('createPush', () => {
  it('defers a push written inside quiet hours to their end, with its timer', async () => {
    const { add, deps, memory } = setup();
    add('sam');
    const push = await createPush(deps, 'c1', 'sam', { text: 'Hi {{firstName}}, great week.' });
    expect(push).toMatchObject({ status: 'scheduled', sendAt: MORNING, text: 'Hi SAM, great week.' });
    expect(memory.store.queued).toHaveLength(0);
    expect(memory.store.auditEntries.map((e) => e.action)).toEqual(['push']);
  });

  it('queues a push due now at once and clears its timer', async () => {
    const { add, deps, memory } = setup(MORNING);
    add('sam');
    const push = await createPush(deps, 'c1', 'sam', { text: 'Morning note' });
    expect(push.status).toBe('queued');
    expect(memory.store.queued).toEqual([
      { participantId: 'sam', scheduledFor: MORNING, kind: 'push', channel: 'sms' },
    ]);
  });

  it('records a push to an opted-out address as skipped, never queued', async () => {
    const { add, deps, memory } = setup(MORNING);
    const pat = add('pat');
    await memory.contacts.setOptOut('sms', pat.phone ?? '', true, LATE);
    const push = await createPush(deps, 'c1', 'pat', { text: 'Hello' });
    expect(push).toMatchObject({ status: 'skipped', skipReason: 'opted-out' });
    expect(memory.store.queued).toHaveLength(0);
  });

  it('gives two pushes written at the same instant their own records', async () => {
    const { add, deps } = setup();
    add('sam');
    const a = await createPush(deps, 'c1', 'sam', { text: 'one' });
    const b = await createPush(deps, 'c1', 'sam', { text: 'two' });
    expect(a.id).not.toBe(b.id);
    expect((await listPushes(deps, 'c1', 'sam')).map((p) => p.text)).toEqual(['two', 'one']);
  });

  it("hides another coach's participant and refuses a past sendAt", async () => {
    const { add, deps } = setup();
    add('sam', { coachId: 'c2' });
    await expect(createPush(deps, 'c1', 'sam', { text: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    add('kim');
    await expect(
      createPush(deps, 'c1', 'kim', { text: 'x', sendAt: '2026-11-20T00:00:00Z' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('plans an exercise follow-up N days later, folded into the push', async () => {
    const { add, deps } = setup();
    add('sam');
    await createPush(deps, 'c1', 'sam', {
      text: 'Try one thing',
      exercise: { question: { type: 'text', text: 'What did you try?' }, followUpDays: 3 },
    });
    const [push] = await listPushes(deps, 'c1', 'sam');
    expect(push?.exercise?.question.text).toBe('What did you try?');
    expect(push?.followUp).toEqual({ sendAt: '2026-11-27T13:00:00.000Z', status: 'scheduled' });
  });
});

describe('an exercise push as the open prompt', () => {
  it('takes the reply as its answer, kept on the push, not as a check-in answer', async () => {
    const { add, deps, memory } = setup(MORNING);
    const sam = add('sam');
    await createPush(deps, 'c1', 'sam', {
      text: 'Delegate one task',
      exercise: { question: { type: 'scale', text: 'How hard was it?' } },
    });
    const outbound = {
      channel: 'sms' as const,
      send: async () => ({ providerMessageId: 'SM1' }),
    };
    const request = memory.store.queued[0];
    if (!request) throw new Error('not queued');
    expect((await sendPrompt({ ...deps, sendMaxAttempts: 3, outbound }, request)).kind).toBe('sent');

    // The SMS reply path finds the push as the open prompt and records the answer on it.
    const reply = await recordSmsReply(
      { ...deps, coaches: memory.coaches },
      {
        providerMessageId: 'SM-in-1',
        channel: 'sms',
        source: 'sms-reply',
        from: sam.phone ?? '',
        body: '3 harder than I thought',
        receivedAt: '2026-11-24T14:00:00.000Z',
      },
    );
    expect(reply).toContain('Got it');
    const [push] = await listPushes(deps, 'c1', 'sam');
    expect(push?.answer).toEqual({
      value: 3,
      text: 'harder than I thought',
      receivedAt: '2026-11-24T14:00:00.000Z',
    });
    expect(push?.status).toBe('sent');
    expect(memory.store.answers.size).toBe(0);
  });
});

describe('bulkPush', () => {
  it('sends to active participants only, personalised, counting the skipped', async () => {
    const { add, deps, memory } = setup(MORNING);
    add('ann');
    add('bob', { status: 'paused' });
    const cy = add('cy');
    await memory.contacts.setOptOut('sms', cy.phone ?? '', true, LATE);
    expect(await bulkPush(deps, 'c1', { text: 'Hi {{ firstName }}!', to: 'all' })).toMatchObject({
      queued: 1,
      skipped: 1,
      refused: 0,
    });
    const texts = [...memory.store.prompts.values()].map((p) => p.text);
    expect(texts).toEqual(expect.arrayContaining(['Hi ANN!']));
    expect(memory.store.auditEntries.at(-1)).toMatchObject({ action: 'bulk-push', count: 1 });
  });

  it('sends to the flagged only when flags are wired, and says so when not', async () => {
    const { add, deps } = setup(MORNING);
    add('ann');
    add('bob');
    await expect(bulkPush(deps, 'c1', { text: 'x', to: 'flagged' })).rejects.toBeInstanceOf(ValidationError);
    const flagged = async () => new Set(['bob']);
    expect(await bulkPush({ ...deps, flagged }, 'c1', { text: 'x', to: 'flagged' })).toMatchObject({
      queued: 1,
      skipped: 0,
      recipients: [{ participantId: 'bob', status: 'queued', segments: 1 }],
    });
  });

  it('names ISO weeks by their Thursday', () => {
    expect(isoWeekOf(new Date('2026-11-23T12:00:00Z'), 'UTC')).toBe('2026-W48');
    expect(isoWeekOf(new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
  });
});

describe('export and erasure', () => {
  it('exports answers and audits it; erasure keeps only anonymous numbers and audits it', async () => {
    const { add, deps, memory } = setup(MORNING);
    const sam = add('sam', { email: 'sam@example.com' });
    await memory.replies.recordAnswers(
      {
        providerMessageId: 'SM-a',
        channel: 'sms',
        source: 'sms-reply',
        from: sam.phone ?? '',
        body: '7 rough',
        receivedAt: MORNING,
      },
      [
        {
          participantId: 'sam',
          scheduledFor: LATE,
          questionIndex: 0,
          question: 'q',
          value: 7,
          comment: 'rough',
          channel: 'sms',
          source: 'sms-reply',
          receivedAt: MORNING,
          providerMessageId: 'SM-a',
        },
      ],
      { participantId: 'sam', outcome: 'answers' },
    );
    const exported = await exportParticipant(deps, 'c1', 'sam');
    expect(exported.answers).toEqual([expect.objectContaining({ value: 7, comment: 'rough' })]);
    expect(exported.messagesReceived).toEqual([expect.objectContaining({ body: '7 rough' })]);

    await eraseParticipant(deps, 'c1', 'sam');
    expect(memory.store.participants.has('sam')).toBe(false);
    expect(memory.store.inbound.size).toBe(0);
    expect([...memory.store.answers.values()]).toEqual([expect.not.objectContaining({ comment: 'rough' })]);
    const audit = await listAudit(deps, 'c1', { limit: 10 });
    expect(audit.items.map((e) => e.action)).toEqual(['erase', 'export']);
    await expect(eraseParticipant(deps, 'c1', 'sam')).rejects.toBeInstanceOf(NotFoundError);
  });

  it("deletes the raw emails the participant sent, and nobody else's", async () => {
    const { add, deps, memory } = setup(MORNING);
    const sam = add('sam', { email: 'sam@example.com', channel: 'email' });
    const ann = add('ann', { email: 'ann@example.com', channel: 'email' });
    for (const [who, key] of [
      [sam, 'inbound/sam-1'],
      [sam, 'inbound/sam-2'],
      [ann, 'inbound/ann-1'],
    ] as const) {
      memory.store.rawMailObjects.set(`mail/${key}`, Buffer.from('MIME'));
      await memory.replies.recordOutcome(
        {
          providerMessageId: `email:${key}`,
          channel: 'email',
          source: 'email-reply',
          from: who.email ?? '',
          body: 'rough week',
          receivedAt: MORNING,
          rawRef: `s3://mail/${key}`,
        },
        { participantId: who.id, outcome: 'unparsed' },
      );
    }
    await eraseParticipant(deps, 'c1', 'sam');
    expect([...memory.store.rawMailObjects.keys()]).toEqual(['mail/inbound/ann-1']);
  });
});

describe('importParticipants', () => {
  const row = (name: string, phone: unknown, extra: Record<string, unknown> = {}) => ({
    name,
    phone,
    timeZone: 'America/New_York',
    programId: DAILY_QUESTIONS.id,
    channel: 'sms',
    ...extra,
  });

  it('names every bad row and imports nothing', async () => {
    const { deps, memory } = setup(MORNING);
    const result = await importParticipants(deps, 'c1', [
      row('Ann', '+12125550160'),
      row('Bob', undefined),
      row('Cy', '+12125550160'),
      row('Di', '+12125550163', { programId: 'nope' }),
      row('Ed', '+12125550164', { timeZone: 'Mars/Base' }),
    ]);
    expect(result).toEqual({
      ok: false,
      error: expect.stringMatching(/^4 of 5 rows/),
      rows: [
        { row: 2, field: 'phone', error: 'is required for the sms channel' },
        { row: 3, field: 'phone', error: 'same as row 1' },
        { row: 4, field: 'programId', error: 'no such program' },
        { row: 5, field: 'timeZone', error: expect.stringContaining('IANA') },
      ],
    });
    expect(memory.store.participants.size).toBe(0);
  });

  it('enrols a good file and takes the hourly allowance for the whole file at once', async () => {
    const { deps, memory } = setup(MORNING);
    const result = await importParticipants(deps, 'c1', [
      row('Ann', '+12125550160'),
      row('Cy', '+12125550162'),
    ]);
    expect(result).toMatchObject({ ok: true, imported: 2 });
    expect(memory.store.participants.size).toBe(2);
    // Five per hour: a file of four more would cross the limit, so none of it is enrolled.
    const more = ['+12125550170', '+12125550171', '+12125550172', '+12125550173'].map((p) => row('X', p));
    await expect(importParticipants(deps, 'c1', more)).rejects.toBeInstanceOf(TooManyRequestsError);
    expect(memory.store.participants.size).toBe(2);
  });
});
