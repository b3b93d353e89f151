/**
 * The sending gate through the send use case, with in-memory adapters: what goes out, on which
 * channel, and what is held back (quiet hours, pause, opt-out, suppression, freshness), with the
 * reason the coach will read in the prompt history.
 */
import { describe, expect, it } from 'vitest';
import { refusedSms } from '../../shared/channels/sms/usecases/outbound-sms.js';
import type { Channel } from '../../shared/domain/channel.js';
import { mayGoOut } from '../../shared/domain/gate.js';
import type { Participant } from '../../shared/domain/participant.js';
import { DAILY_QUESTIONS } from '../../shared/domain/program.js';
import type { Prompt, PromptKind } from '../../shared/domain/prompt.js';
import { SendError } from '../../shared/ports.js';
import { type ChannelOutbound, sendPrompt } from '../../shared/usecases/send-prompt.js';
import { fixedClock, memoryAdapters } from '../support/memory.js';

// 20:00 in New York on Monday 2026-11-23 is 01:00Z on the 24th.
const DUE = '2026-11-24T01:00:00.000Z';

function setup(channel: Channel, overrides: Partial<Participant> = {}, failWith?: SendError) {
  const memory = memoryAdapters();
  const clock = fixedClock('2026-11-24T01:00:30.000Z');
  const participant: Participant = {
    id: 'p1',
    coachId: 'c1',
    name: 'Sam',
    phone: '+12125550123',
    email: 'sam@example.com',
    timeZone: 'America/New_York',
    programId: DAILY_QUESTIONS.id,
    channel,
    status: 'active',
    createdAt: '2026-11-20T12:00:00.000Z',
    ...overrides,
  };
  memory.store.participants.set(participant.id, participant);
  const sent: { channel: Channel; kind: PromptKind }[] = [];
  const outbound: ChannelOutbound = {
    channel,
    // The SMS channel's own reading of a refusal (a STOP the carrier holds); only Twilio is faked.
    ...(channel === 'sms' ? { refused: refusedSms } : {}),
    async send({ kind }) {
      if (failWith) throw failWith;
      sent.push({ channel, kind });
      return { providerMessageId: `M${sent.length}` };
    },
  };
  const deps = { ...memory, clock, sendMaxAttempts: 3, outbound };
  const queue = async (kind: PromptKind = 'prompt', extra: Partial<Prompt> = {}) => {
    const record: Prompt = {
      participantId: participant.id,
      scheduledFor: DUE,
      channel,
      programId: DAILY_QUESTIONS.id,
      questions: DAILY_QUESTIONS.questions,
      status: 'queued',
      attempts: 0,
      createdAt: DUE,
      ...(kind === 'prompt' ? {} : { kind }),
      ...extra,
    };
    await memory.prompts.create(record);
    return {
      participantId: participant.id,
      scheduledFor: DUE,
      channel,
      ...(kind === 'prompt' ? {} : { kind }),
    };
  };
  const recordOf = (kind: PromptKind = 'prompt') =>
    memory.prompts.get({
      participantId: participant.id,
      scheduledFor: DUE,
      ...(kind === 'prompt' ? {} : { kind }),
    });
  return { memory, clock, deps, sent, queue, recordOf };
}

describe.each(['sms', 'email'] as const)('the sending gate on %s', (channel) => {
  it('sends a due prompt once, on its channel', async () => {
    const t = setup(channel);
    const request = await t.queue();
    expect(await sendPrompt(t.deps, request)).toEqual({ kind: 'sent' });
    expect(await sendPrompt(t.deps, request)).toEqual({ kind: 'duplicate' });
    expect(t.sent).toEqual([{ channel, kind: 'prompt' }]);
    expect((await t.recordOf())?.status).toBe('sent');
  });

  it('holds back a prompt caught up inside quiet hours (21:00-08:00 local)', async () => {
    const t = setup(channel);
    const request = await t.queue();
    t.clock.set('2026-11-24T02:30:00.000Z'); // 21:30 in New York, within the 3 h freshness window
    expect(await sendPrompt(t.deps, request)).toEqual({ kind: 'skipped' });
    expect(await t.recordOf()).toMatchObject({ status: 'skipped', skipReason: 'quiet-hours' });
    expect(t.sent).toEqual([]);
  });

  it('holds back a prompt older than the freshness window', async () => {
    const t = setup(channel, { timeZone: 'America/Los_Angeles' });
    const request = await t.queue();
    t.clock.set('2026-11-24T04:30:00.000Z'); // 3.5 h late, 20:30 in Los Angeles: not quiet, but stale
    await sendPrompt(t.deps, request);
    expect(await t.recordOf()).toMatchObject({ status: 'skipped', skipReason: 'stale' });
    expect(t.sent).toEqual([]);
  });

  it('sends nothing to a paused participant', async () => {
    const t = setup(channel, { status: 'paused', pausedUntil: '2026-12-01' });
    await sendPrompt(t.deps, await t.queue());
    expect(await t.recordOf()).toMatchObject({ status: 'skipped', skipReason: 'paused' });
    expect(t.sent).toEqual([]);
  });

  it('sends nothing, not even a reminder or an opt-in request, to an address that opted out', async () => {
    const t = setup(channel);
    const address = channel === 'sms' ? '+12125550123' : 'sam@example.com';
    await t.memory.contacts.setOptOut(channel, address, true, '2026-11-23T10:00:00.000Z');
    await sendPrompt(t.deps, await t.queue());
    expect(await t.recordOf()).toMatchObject({ status: 'skipped', skipReason: 'opted-out' });
    await sendPrompt(t.deps, await t.queue('reminder'));
    expect(await t.recordOf('reminder')).toMatchObject({ status: 'skipped', skipReason: 'opted-out' });
    expect(t.sent).toEqual([]);
  });

  it('skips the reminder of a prompt that was answered meanwhile', async () => {
    const t = setup(channel);
    await t.queue('prompt', { status: 'sent', answeredAt: '2026-11-24T01:00:10.000Z' });
    await sendPrompt(t.deps, await t.queue('reminder'));
    expect(await t.recordOf('reminder')).toMatchObject({ status: 'skipped', skipReason: 'answered' });
  });

  it('retries what the provider refused for now, and never resends what may have gone out', async () => {
    const retry = setup(channel, {}, new SendError('retryable', 'busy', '503', 120));
    const outcome = await sendPrompt(retry.deps, await retry.queue());
    expect(outcome).toEqual({ kind: 'retry', delaySeconds: 120 });
    expect(await retry.recordOf()).toMatchObject({ status: 'queued', attempts: 1 });

    const ambiguous = setup(channel, {}, new SendError('ambiguous', 'gateway timeout', '504'));
    expect(await sendPrompt(ambiguous.deps, await ambiguous.queue())).toEqual({ kind: 'unknown' });
    expect(await ambiguous.recordOf()).toMatchObject({ status: 'unknown', errorCode: '504' });

    const permanent = setup(channel, {}, new SendError('permanent', 'invalid', '21211'));
    expect(await sendPrompt(permanent.deps, await permanent.queue())).toEqual({ kind: 'failed' });
    expect(permanent.memory.store.deadLettered.map((d) => d.reason)).toEqual(['permanent:21211']);
  });
});

describe('email only', () => {
  it('sends nothing to an address that bounced or complained', async () => {
    const t = setup('email');
    await t.memory.contacts.suppress('email', 'sam@example.com', 'hard-bounce');
    await sendPrompt(t.deps, await t.queue());
    expect(await t.recordOf()).toMatchObject({ status: 'skipped', skipReason: 'suppressed' });
    expect(t.sent).toEqual([]);
  });

  it('a record on the wrong channel is not sent by this sender but dead-lettered', async () => {
    const t = setup('email');
    await t.memory.prompts.create({
      participantId: 'p1',
      scheduledFor: DUE,
      channel: 'sms',
      programId: DAILY_QUESTIONS.id,
      questions: DAILY_QUESTIONS.questions,
      status: 'queued',
      attempts: 0,
      createdAt: DUE,
    });
    expect(await sendPrompt(t.deps, { participantId: 'p1', scheduledFor: DUE, channel: 'sms' })).toEqual({
      kind: 'failed',
    });
    expect(t.sent).toEqual([]);
  });
});

describe('mayGoOut', () => {
  const base = {
    channel: 'sms' as const,
    participant: { status: 'active' as const, timeZone: 'Europe/Berlin', phone: '+4915112345678' },
    contact: undefined,
    schedule: DAILY_QUESTIONS.schedule,
    dueAt: new Date('2026-11-23T19:00:00Z'), // 20:00 in Berlin
  };
  it.each([
    ['a prompt on time', 'prompt', '2026-11-23T19:00:30Z', { action: 'send' }],
    ['a prompt in quiet hours', 'prompt', '2026-11-23T20:30:00Z', { action: 'skip', reason: 'quiet-hours' }],
    [
      'a reminder in quiet hours',
      'reminder',
      '2026-11-23T20:30:00Z',
      { action: 'defer', reason: 'quiet-hours' },
    ],
    [
      'a coach push in quiet hours',
      'push',
      '2026-11-23T22:00:00Z',
      { action: 'defer', reason: 'quiet-hours' },
    ],
  ] as const)('%s', (_name, purpose, now, expected) => {
    const decision = mayGoOut({ ...base, purpose, now: new Date(now) });
    expect(decision).toMatchObject(expected);
    // Deferred until quiet hours end: 08:00 in Berlin the next morning.
    if (decision.action === 'defer') expect(decision.until.toISOString()).toBe('2026-11-24T07:00:00.000Z');
  });

  it('lets a STOP win over everything a coach set', () => {
    for (const status of ['active', 'paused', 'pending'] as const) {
      for (const purpose of ['prompt', 'reminder', 'opt-in', 'welcome', 'push'] as const) {
        const decision = mayGoOut({
          ...base,
          purpose,
          participant: { ...base.participant, status },
          contact: { channel: 'sms', address: '+4915112345678', optedOut: true },
          now: new Date('2026-11-23T19:00:30Z'),
        });
        expect(decision, `${status} ${purpose}`).toEqual({ action: 'skip', reason: 'opted-out' });
      }
    }
  });

  it('sends nothing to a participant without an address on the channel', () => {
    expect(
      mayGoOut({ ...base, purpose: 'prompt', channel: 'email', now: new Date('2026-11-23T19:00:30Z') }),
    ).toEqual({ action: 'skip', reason: 'no-address' });
  });
});

describe('SMS only', () => {
  it('a send Twilio refuses with 21610 (STOP held by the carrier) fails, and opts the number out so nothing more is tried', async () => {
    const t = setup(
      'sms',
      { nextDueAt: '2026-11-25T01:00:00.000Z' },
      new SendError('permanent', 'unsubscribed', '21610'),
    );
    expect(await sendPrompt(t.deps, await t.queue())).toEqual({ kind: 'failed' });
    expect(await t.recordOf()).toMatchObject({ status: 'failed', errorCode: '21610' });
    expect((await t.memory.contacts.get('sms', '+12125550123'))?.optedOut).toBe(true);
    expect(t.memory.store.participants.get('p1')?.nextDueAt).toBeUndefined();
  });
});
