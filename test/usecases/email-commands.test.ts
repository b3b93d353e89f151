/**
 * Email replies answered as SMS ones, with in-memory adapters: commands in the first line or the
 * subject do what they do by SMS and are answered with the same words by email; recorded answers
 * get the SMS confirmation with the progress line; nothing answers a redelivery or a bounced address.
 */
import { describe, expect, it } from 'vitest';
import { emailCommandOf } from '../../shared/channels/email/usecases/email-commands.js';
import { recordEmailReply } from '../../shared/channels/email/usecases/record-email-reply.js';
import { OPT_OUT_CONFIRMED_SMS } from '../../shared/channels/sms/domain/messages.js';
import { replyAddress } from '../../shared/domain/answer-link.js';
import { DAILY_QUESTIONS } from '../../shared/domain/program.js';
import type { ParsedEmail } from '../../shared/ports.js';
import { fixedClock, memoryAdapters, memoryEmailSender } from '../support/memory.js';

const KEY = 'k'.repeat(40);
const SENT = '2026-11-24T01:00:00.000Z';
const ANA = 'ana@example.com';

function world() {
  const memory = memoryAdapters();
  const clock = fixedClock('2026-11-24T01:30:00.000Z');
  memory.store.participants.set('ana', {
    id: 'ana',
    coachId: 'coach-a',
    name: 'Ana',
    email: ANA,
    timeZone: 'America/New_York',
    programId: DAILY_QUESTIONS.id,
    channel: 'email',
    status: 'active',
    createdAt: '2026-11-20T12:00:00.000Z',
    nextDueAt: '2026-11-25T01:00:00.000Z',
  });
  void memory.prompts.create({
    participantId: 'ana',
    scheduledFor: SENT,
    programId: DAILY_QUESTIONS.id,
    questions: DAILY_QUESTIONS.questions.slice(0, 3),
    status: 'sent',
    sentAt: SENT,
    attempts: 1,
    createdAt: SENT,
  });
  const to = replyAddress(KEY, 'reply.example', { participantId: 'ana', scheduledFor: SENT });
  let n = 0;
  const reply = (over: Partial<ParsedEmail>, messageId = `<m${++n}@example.com>`) =>
    recordEmailReply(
      {
        ...memory,
        clock,
        linkKey: async () => KEY,
        email: memoryEmailSender(memory.store.sentEmail),
        rawMail: { get: async () => Buffer.from('raw'), delete: async () => {} },
        parseEmail: async () => ({
          messageId,
          from: ANA,
          to: [to],
          subject: 'Re: Daily questions: 3 quick questions',
          replyText: '',
          auto: undefined,
          auth: 'pass',
          ...over,
        }),
      },
      { bucket: 'b', key: `inbound/${messageId}` },
    );
  return { memory, reply, to, sent: memory.store.sentEmail };
}

describe('commands in an email reply', () => {
  it.each([
    ['PAUSE 7', '', { kind: 'pause', days: 7 }],
    ['pause 7 days\nback soon', 'Re: anything', { kind: 'pause', days: 7 }],
    ['', 'Re: RESUME', { kind: 'resume' }],
    ['Skip', 'Re: x', { kind: 'skip' }],
    ['', 'AW: Re[2]: STOP', { kind: 'opt-out', word: 'STOP' }],
    ['8 7 9', 'Re: STOP', { kind: 'opt-out', word: 'STOP' }],
    ['8 7 9', 'Re: your check-in', undefined],
  ])('first line %j, subject %j', (text, subject, expected) => {
    expect(emailCommandOf(subject, text)).toEqual(expected);
  });

  it('PAUSE 7 pauses and is answered by email with the SMS words, in the same thread', async () => {
    const w = world();
    expect((await w.reply({ replyText: 'PAUSE 7' })).outcome).toBe('pause');
    expect(w.memory.store.participants.get('ana')?.status).toBe('paused');
    const [sent] = w.sent;
    expect(sent?.to).toBe(ANA);
    expect(sent?.subject).toBe('Re: Daily questions: 3 quick questions');
    expect(sent?.text).toMatch(
      /^Paused for 7 days\. Check-ins resume .+\. Reply RESUME to restart sooner\.\n$/u,
    );
    expect(sent?.replyTo).toBe(w.to);
    expect(sent?.headers).toMatchObject({
      'In-Reply-To': '<m1@example.com>',
      'Auto-Submitted': 'auto-replied',
    });
    expect((await w.reply({ subject: 'Re: resume' })).outcome).toBe('resume');
    expect(w.memory.store.participants.get('ana')?.status).toBe('active');
    expect(w.sent[1]?.text).toMatch(/^Welcome back! Your next check-in arrives /u);
  });

  it('answers are confirmed with the progress line; a redelivery gets nothing more', async () => {
    const w = world();
    expect((await w.reply({ replyText: '8 7 9' }, '<same@example.com>')).outcome).toBe('answers');
    expect(w.sent.map((m) => m.text)).toEqual(['Got it: 8, 7, 9. Thanks!\n']);
    await w.reply({ replyText: '8 7 9' }, '<same@example.com>');
    expect(w.sent).toHaveLength(1);
  });

  it('STOP opts the address out with the SMS confirmation; nothing answers it afterwards', async () => {
    const w = world();
    expect((await w.reply({ replyText: 'STOP' })).outcome).toBe('opt-out');
    expect(w.sent.map((m) => m.text)).toEqual([`${OPT_OUT_CONFIRMED_SMS}\n`]);
    expect(w.memory.store.participants.get('ana')?.nextDueAt).toBeUndefined();
    await w.reply({ replyText: 'PAUSE 7' });
    expect(w.sent).toHaveLength(1);
  });

  it('sends nothing to an address that bounced', async () => {
    const w = world();
    await w.memory.contacts.suppress('email', ANA, 'hard-bounce');
    await w.reply({ replyText: 'SKIP' });
    expect(w.sent).toEqual([]);
  });
});
