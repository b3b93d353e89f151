/**
 * Every word reaches the coach, with in-memory adapters: what is kept, what flags "needs a human"
 * (and emails the coach once), what the participant is answered, marking read, replying, and the
 * export and erasure of kept messages.
 */
import { describe, expect, it } from 'vitest';
import { recordEmailReply } from '../../shared/channels/email/usecases/record-email-reply.js';
import { NOTHING_OPEN_SMS } from '../../shared/channels/sms/domain/messages.js';
import { recordSmsReply } from '../../shared/channels/sms/usecases/record-sms-reply.js';
import { replyAddress } from '../../shared/domain/answer-link.js';
import { messageIdOf } from '../../shared/domain/conversation.js';
import type { Participant } from '../../shared/domain/participant.js';
import { type Program, ScheduleSchema } from '../../shared/domain/program.js';
import type { Prompt } from '../../shared/domain/prompt.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { InboundMessage } from '../../shared/ports.js';
import {
  listConversation,
  markMessagesRead,
  replyToParticipant,
} from '../../shared/usecases/conversations.js';
import { eraseParticipant, exportParticipant } from '../../shared/usecases/privacy.js';
import { listPushes } from '../../shared/usecases/pushes.js';
import { listWeekSummaries } from '../../shared/usecases/summaries.js';
import { fixedClock, memoryAdapters } from '../support/memory.js';

const PHONE = '+12125550123';
const KEY = 'k'.repeat(40);
const SENT = '2026-11-24T23:00:00.000Z'; // Tuesday 18:00 in New York
const COACH = 'coach-a';
const PROGRAM: Program = {
  id: 'focus',
  coachId: COACH,
  name: 'Focus',
  createdAt: '2026-11-01T00:00:00.000Z',
  questions: [{ type: 'scale', text: 'Did I do my best to focus today?', min: 1, max: 10 }],
  schedule: ScheduleSchema.parse({ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '18:00' }),
};

async function world(options: { prompt?: boolean; channel?: 'sms' | 'email' } = {}) {
  const memory = memoryAdapters();
  const clock = fixedClock('2026-11-24T23:30:00.000Z');
  const deps = { ...memory, clock, linkKey: async () => KEY, publicBaseUrl: 'https://coach.example' };
  memory.store.programs.set(PROGRAM.id, PROGRAM);
  await memory.coaches.remember({ coachId: COACH, name: 'Ana Ruiz', email: 'ana@coach.example' });
  const participant: Participant = {
    id: 'sam',
    coachId: COACH,
    name: 'Sam',
    phone: PHONE,
    email: 'sam@example.com',
    timeZone: 'America/New_York',
    programId: PROGRAM.id,
    channel: options.channel ?? 'sms',
    status: 'active',
    createdAt: '2026-11-20T12:00:00.000Z',
  };
  memory.store.participants.set(participant.id, participant);
  await memory.contacts.setOptOut('sms', PHONE, false, '2026-11-20T12:00:00.000Z');
  if (options.prompt) {
    const prompt: Prompt = {
      participantId: 'sam',
      scheduledFor: SENT,
      programId: PROGRAM.id,
      questions: PROGRAM.questions,
      status: 'sent',
      sentAt: SENT,
      attempts: 1,
      createdAt: SENT,
    };
    await memory.prompts.create(prompt);
  }
  let n = 0;
  const sms = (body: string, id = `SM${++n}`): Promise<string> => {
    const message: InboundMessage = {
      providerMessageId: id,
      channel: 'sms',
      source: 'sms-reply',
      from: PHONE,
      body,
      receivedAt: clock.now().toISOString(),
    };
    return recordSmsReply(deps, message);
  };
  const email = async (text: string, kind: 'prompt' | 'push' = 'prompt', scheduledFor = SENT) => {
    const to = replyAddress(KEY, 'reply.example', { participantId: 'sam', scheduledFor, kind });
    const key = `mail-${++n}`;
    memory.store.rawMailObjects.set(`inbound/${key}`, Buffer.from(text));
    const parsed = {
      messageId: `<m${n}@example.com>`,
      from: 'sam@example.com',
      to: [to],
      subject: 'Re: your check-in',
      replyText: text,
      auto: undefined,
      auth: 'pass' as const,
    };
    return recordEmailReply({ ...deps, parseEmail: async () => parsed }, { bucket: 'inbound', key });
  };
  const coachMail = () => memory.store.sentEmail.filter((m) => m.to === 'ana@coach.example');
  const unread = () => memory.store.participants.get('sam')?.unreadMessages ?? 0;
  return { memory, clock, deps, sms, email, coachMail, unread };
}

describe('what a participant writes that is not an answer', () => {
  it('an SMS when no question is open reaches the conversation, unread, and the week counts it', async () => {
    const w = await world();
    expect(await w.sms('Running late on the report, will catch up tomorrow')).toBe(NOTHING_OPEN_SMS);
    const conversation = await listConversation(w.deps, COACH, 'sam');
    expect(conversation.messages).toMatchObject([
      { from: 'participant', text: 'Running late on the report, will catch up tomorrow', urgent: false },
    ]);
    expect(conversation.messages[0]).not.toHaveProperty('readAt');
    expect(conversation).toMatchObject({ unreadMessages: 1, needsHuman: false });
    const { summaries } = await listWeekSummaries(w.deps, COACH);
    expect(summaries[0]).toMatchObject({ participantId: 'sam', unreadMessages: 1 });
    expect(summaries[0]?.flags).not.toContain('needs-human');
    expect(w.coachMail()).toEqual([]);
  });

  it('the words around an SMS answer are kept; a bare answer is not', async () => {
    const w = await world({ prompt: true });
    await w.sms('7');
    expect(w.unread()).toBe(0);
    await w.sms('8 my manager quit today');
    expect(w.unread()).toBe(1);
    const { messages } = await listConversation(w.deps, COACH, 'sam');
    expect(messages.map((m) => m.from === 'participant' && m.text)).toEqual(['8 my manager quit today']);
  });

  it('HELP alone stays the carrier keyword: its compliant reply, nothing kept', async () => {
    const w = await world();
    expect(await w.sms('HELP')).toMatch(/^Focus: coaching check-ins\. Contact Ana Ruiz/u);
    expect(w.unread()).toBe(0);
    expect(w.coachMail()).toEqual([]);
  });
});

describe('a message that needs a human', () => {
  it('flags the participant first, emails the coach once and answers with the coach name', async () => {
    const w = await world();
    // Another participant, flagged only by silence-free figures, sorts after.
    w.memory.store.participants.set('abe', {
      ...(w.memory.store.participants.get('sam') as Participant),
      id: 'abe',
      name: 'Abe',
      phone: '+12125550999',
    });
    const reply = await w.sms('please help me, I cannot cope', 'SM-urgent');
    expect(reply).toBe(
      'Thank you for telling us. Ana Ruiz, your coach, has been told and a person will read your message soon.',
    );
    expect(w.coachMail()).toHaveLength(1);
    expect(w.coachMail()[0]).toMatchObject({ subject: 'Sam may need a human now' });
    expect(w.coachMail()[0]?.text).toContain('https://coach.example/app/#/p/sam');
    expect(w.coachMail()[0]?.text).not.toContain('cannot cope');

    // The provider retrying after its timeout gets the same answer; the coach is not emailed again.
    w.clock.set('2026-11-24T23:31:00.000Z');
    expect(await w.sms('please help me, I cannot cope', 'SM-urgent')).toBe(reply);
    expect(w.coachMail()).toHaveLength(1);
    expect(w.unread()).toBe(1);

    const { summaries } = await listWeekSummaries(w.deps, COACH);
    expect(summaries.map((s) => s.participantId)).toEqual(['sam', 'abe']);
    expect(summaries[0]?.flags[0]).toBe('needs-human');
  });

  it('while a question is open gets a person, not a clarification, and records no answer', async () => {
    const w = await world({ prompt: true });
    expect(await w.sms('I need to talk')).toMatch(/a person will read your message/u);
    expect(w.memory.store.answers.size).toBe(0);
    expect(w.coachMail()).toHaveLength(1);
    // The clarification is still there for a later unreadable answer.
    expect(await w.sms('dunno')).toMatch(/a number from 1 to 10/u);
  });

  it('after STOP still reaches the coach, and sends nothing to the number', async () => {
    const w = await world();
    await w.memory.contacts.setOptOut('sms', PHONE, true, '2026-11-24T23:00:00.000Z');
    expect(await w.sms('help me')).toBe('');
    expect(w.coachMail()).toHaveLength(1);
    expect(w.unread()).toBe(1);
  });

  it('by email is answered by email on the address they wrote to, and the coach is emailed', async () => {
    const w = await world({ prompt: true, channel: 'email' });
    await w.email('I am in crisis and need to talk to someone');
    expect(w.coachMail()).toHaveLength(1);
    const ack = w.memory.store.sentEmail.filter((m) => m.to === 'sam@example.com');
    expect(ack).toHaveLength(1);
    expect(ack[0]?.text).toContain('Ana Ruiz, your coach,');
    expect(ack[0]?.replyTo).toMatch(/@reply\.example$/u);
    expect(w.unread()).toBe(1);
  });
});

describe('email replies', () => {
  it('keep a reply with no answer and the words around an answer', async () => {
    const w = await world({ prompt: true, channel: 'email' });
    await w.email('Sorry, travelling this week');
    w.clock.set('2026-11-24T23:40:00.000Z');
    await w.email('6 - the offsite ate my day');
    const { messages } = await listConversation(w.deps, COACH, 'sam');
    expect(messages.map((m) => (m.from === 'participant' ? m.text : ''))).toEqual([
      '6 - the offsite ate my day',
      'Sorry, travelling this week',
    ]);
    expect([...w.memory.store.answers.values()].map((a) => a.value)).toEqual([6]);
    // The answer is confirmed by email as an SMS one is by SMS; the words asking nothing of
    // anyone get no "a person will read it" answer.
    expect(w.memory.store.sentEmail.map((m) => m.subject)).toEqual(['Re: your check-in']);
    expect(w.memory.store.sentEmail[0]?.text).toMatch(/^Got it: 6\/10/u);
  });

  it('keep a reply to a push', async () => {
    const w = await world({ channel: 'email' });
    const push = await replyToParticipant(w.deps, COACH, 'sam', { text: 'How did the talk go?' });
    await w.email('It went well, thank you!', 'push', push.id);
    const { messages } = await listConversation(w.deps, COACH, 'sam');
    expect(messages.find((m) => m.from === 'participant')).toMatchObject({
      text: 'It went well, thank you!',
    });
  });
});

describe('the coach reads and replies', () => {
  it('marks one message read, then all; the flag goes with the urgent one', async () => {
    const w = await world();
    await w.sms('help me');
    w.clock.set('2026-11-24T23:35:00.000Z');
    await w.sms('also, can we move Thursday?');
    const { messages } = await listConversation(w.deps, COACH, 'sam');
    const urgent = messages.find((m) => m.from === 'participant' && m.urgent);
    expect(await markMessagesRead(w.deps, COACH, 'sam', { ids: [urgent?.id ?? ''] })).toEqual({
      marked: 1,
      unreadMessages: 1,
      needsHuman: false,
    });
    // Marking it again changes nothing.
    expect(await markMessagesRead(w.deps, COACH, 'sam', { ids: [urgent?.id ?? ''] })).toMatchObject({
      marked: 0,
      unreadMessages: 1,
    });
    expect(await markMessagesRead(w.deps, COACH, 'sam', {})).toEqual({
      marked: 1,
      unreadMessages: 0,
      needsHuman: false,
    });
    const after = await listConversation(w.deps, COACH, 'sam');
    expect(
      after.messages.every((m) => m.from === 'participant' && m.readAt === '2026-11-24T23:35:00.000Z'),
    ).toBe(true);
  });

  it('refuses an id that is not a message id, and another coach', async () => {
    const w = await world();
    await w.sms('hello');
    await expect(markMessagesRead(w.deps, COACH, 'sam', { ids: ['not an id!'] })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(markMessagesRead(w.deps, 'coach-b', 'sam', {})).rejects.toBeInstanceOf(NotFoundError);
    await expect(listConversation(w.deps, 'coach-b', 'sam')).rejects.toBeInstanceOf(NotFoundError);
    await expect(replyToParticipant(w.deps, 'coach-b', 'sam', { text: 'hi' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // An id of someone else's message marks nothing of theirs.
    expect(await markMessagesRead(w.deps, COACH, 'sam', { ids: [messageIdOf('SM-other')] })).toMatchObject({
      marked: 0,
      unreadMessages: 1,
    });
    expect(w.unread()).toBe(1);
  });

  it('replies as a push: now, in the conversation and not among the pushes, audited', async () => {
    const w = await world();
    await w.sms('can we talk?');
    w.clock.set('2026-11-24T23:40:00.000Z');
    const reply = await replyToParticipant(w.deps, COACH, 'sam', { text: 'Of course. Tomorrow 10:00?' });
    expect(reply).toMatchObject({ status: 'queued', channel: 'sms', text: 'Of course. Tomorrow 10:00?' });
    expect(w.memory.store.queued).toHaveLength(1);
    const { messages } = await listConversation(w.deps, COACH, 'sam');
    expect(messages.map((m) => m.from)).toEqual(['coach', 'participant']);
    expect(await listPushes(w.deps, COACH, 'sam')).toEqual([]);
    expect(w.memory.store.auditEntries.map((e) => e.action)).toEqual(['reply']);
  });

  it('defers a reply out of quiet hours and never sends one after STOP', async () => {
    const w = await world();
    w.clock.set('2026-11-25T03:00:00.000Z'); // 22:00 in New York
    const deferred = await replyToParticipant(w.deps, COACH, 'sam', { text: 'Saw your note.' });
    expect(deferred).toMatchObject({ status: 'scheduled', sendAt: '2026-11-25T13:00:00.000Z' });
    expect(w.memory.store.queued).toEqual([]);
    await w.memory.contacts.setOptOut('sms', PHONE, true, '2026-11-25T03:01:00.000Z');
    const skipped = await replyToParticipant(w.deps, COACH, 'sam', { text: 'Are you there?' });
    expect(skipped).toMatchObject({ status: 'skipped', skipReason: 'opted-out' });
  });
});

describe('privacy', () => {
  it('exports and erases the kept messages with the participant', async () => {
    const w = await world();
    await w.sms('my private worry');
    const exported = await exportParticipant(w.deps, COACH, 'sam');
    expect(exported.messagesReceived).toEqual([expect.objectContaining({ body: 'my private worry' })]);
    await eraseParticipant(w.deps, COACH, 'sam');
    expect([...w.memory.store.inbound.values()].map((m) => m.body)).not.toContain('my private worry');
  });
});
