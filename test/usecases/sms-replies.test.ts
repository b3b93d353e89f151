/**
 * SMS reply cases the end-to-end file does not reach, with in-memory adapters: HELP naming the
 * coach from their profile, "YES" answering a yes/no question from someone already opted in, SKIP
 * after the prompt went out, and an email reply read by the same parser.
 */
import { describe, expect, it } from 'vitest';
import { recordEmailReply } from '../../shared/channels/email/usecases/record-email-reply.js';
import { recordSmsReply } from '../../shared/channels/sms/usecases/record-sms-reply.js';
import { replyAddress } from '../../shared/domain/answer-link.js';
import type { Participant } from '../../shared/domain/participant.js';
import { type Program, ScheduleSchema } from '../../shared/domain/program.js';
import type { Prompt } from '../../shared/domain/prompt.js';
import type { InboundMessage } from '../../shared/ports.js';
import { fixedClock, memoryAdapters, memoryEmailSender } from '../support/memory.js';

const PHONE = '+12125550123';
const KEY = 'k'.repeat(40);
const SENT = '2026-11-24T23:00:00.000Z'; // Tuesday 18:00 in New York
const PROGRAM: Program = {
  id: 'walk',
  coachId: 'coach-a',
  name: 'Walk more',
  createdAt: '2026-11-01T00:00:00.000Z',
  questions: [
    { type: 'yes-no', text: 'Did I walk today?' },
    { type: 'number', text: 'How long?', unit: 'minutes walked' },
    { type: 'text', text: 'Where?' },
  ],
  schedule: ScheduleSchema.parse({ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '18:00' }),
};

async function world(questions = PROGRAM.questions) {
  const memory = memoryAdapters();
  const clock = fixedClock('2026-11-24T23:30:00.000Z');
  memory.store.programs.set(PROGRAM.id, { ...PROGRAM, questions });
  const participant: Participant = {
    id: 'ana',
    coachId: 'coach-a',
    name: 'Ana',
    phone: PHONE,
    email: 'ana@example.com',
    timeZone: 'America/New_York',
    programId: PROGRAM.id,
    channel: 'sms',
    status: 'active',
    createdAt: '2026-11-20T12:00:00.000Z',
    nextDueAt: '2026-11-25T23:00:00.000Z',
  };
  memory.store.participants.set(participant.id, participant);
  const prompt: Prompt = {
    participantId: 'ana',
    scheduledFor: SENT,
    programId: PROGRAM.id,
    questions,
    status: 'sent',
    sentAt: SENT,
    attempts: 1,
    createdAt: SENT,
    remindAt: '2026-11-25T01:00:00.000Z',
  };
  await memory.prompts.create(prompt);
  let n = 0;
  const sms = (body: string): Promise<string> => {
    const message: InboundMessage = {
      providerMessageId: `SM${++n}`,
      channel: 'sms',
      source: 'sms-reply',
      from: PHONE,
      body,
      receivedAt: clock.now().toISOString(),
    };
    return recordSmsReply({ ...memory, clock }, message);
  };
  const answers = () => [...memory.store.answers.values()].map((a) => a.value ?? a.text);
  return { memory, clock, sms, answers, prompt };
}

describe('SMS replies', () => {
  it('HELP names the program and the coach from their profile', async () => {
    const w = await world();
    await w.memory.coaches.remember({ coachId: 'coach-a', name: 'Dana Lee', email: 'dana@example.com' });
    expect(await w.sms('HELP')).toMatch(
      /^Walk more: coaching check-ins\. Contact Dana Lee at dana@example\.com\./,
    );
  });

  it('a YES from someone already in answers the yes/no question waiting for it', async () => {
    const w = await world([PROGRAM.questions[0] ?? { type: 'yes-no', text: 'Did I walk today?' }]);
    await w.memory.contacts.setOptOut('sms', PHONE, false, '2026-11-20T12:00:00.000Z');
    expect(await w.sms('Yes')).toBe('Got it: Y. Thanks!');
    expect(w.answers()).toEqual([1]);
    // With nothing open, YES is the carrier keyword again.
    expect(await w.sms('YES')).toMatch(/signed up/);
  });

  it('SKIP after the prompt went out closes it to answers and cancels its reminder', async () => {
    const w = await world();
    expect(await w.sms('SKIP')).toBe("OK, today's check-in is skipped. See you next time!");
    const skipped = await w.memory.prompts.get(w.prompt);
    expect(skipped?.participantSkippedAt).toBeDefined();
    expect(skipped?.remindAt).toBeUndefined();
    expect(await w.sms('y 30 park')).toMatch(/no open question/);
    expect(w.answers()).toEqual([]);
    // Tomorrow's prompt is still on its way.
    expect(w.memory.store.participants.get('ana')?.nextDueAt).toBe('2026-11-25T23:00:00.000Z');
  });

  it('SKIP before the prompt goes out moves the timer to the next scheduled day', async () => {
    const w = await world();
    w.memory.store.prompts.clear();
    w.clock.set('2026-11-25T14:00:00.000Z'); // Wednesday 09:00, today's prompt at 18:00
    expect(await w.sms('skip today')).toMatch(/skipped/);
    expect(w.memory.store.participants.get('ana')?.nextDueAt).toBe('2026-11-26T23:00:00.000Z');
  });

  it('a PAUSE out of range is refused and changes nothing', async () => {
    const w = await world();
    expect(await w.sms('PAUSE 400')).toBe('Sorry, PAUSE takes 1 to 90 days, e.g. PAUSE 7.');
    expect(w.memory.store.participants.get('ana')?.status).toBe('active');
  });
});

describe('email replies', () => {
  it('are read by the same parser: every type, and a partial answer keeps what was given', async () => {
    const w = await world();
    const to = replyAddress(KEY, 'reply.example', { participantId: 'ana', scheduledFor: SENT });
    let id = 0;
    const reply = (replyText: string) =>
      recordEmailReply(
        {
          ...w.memory,
          clock: w.clock,
          linkKey: async () => KEY,
          email: memoryEmailSender(w.memory.store.sentEmail),
          rawMail: { get: async () => Buffer.from('raw'), delete: async () => {} },
          parseEmail: async () => ({
            messageId: `<m${++id}@example.com>`,
            from: 'ana@example.com',
            to: [to],
            subject: 'Re: check-in',
            replyText,
            auto: undefined,
            auth: 'pass' as const,
          }),
        },
        { bucket: 'b', key: `inbound/${id}` },
      );
    expect((await reply('yes, 30')).outcome).toBe('answers');
    expect(w.answers()).toEqual([1, 30]);
    expect((await reply('along the canal')).outcome).toBe('answers');
    expect(w.answers()).toEqual([1, 30, 'along the canal']);
  });
});
