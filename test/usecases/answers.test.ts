/**
 * Recording answers from any source, with in-memory adapters: SMS replies, answer links and email
 * replies all go through one use case, each idempotent per source message, attributed to the right
 * prompt, with the raw input and its source kept.
 */
import { describe, expect, it } from 'vitest';
import { confirmAnswerLink, openAnswerLink } from '../../shared/channels/email/usecases/answer-links.js';
import { recordEmailReply } from '../../shared/channels/email/usecases/record-email-reply.js';
import { recordSmsReply } from '../../shared/channels/sms/usecases/record-sms-reply.js';
import { signAnswerToken } from '../../shared/domain/answer-link.js';
import type { Participant } from '../../shared/domain/participant.js';
import { DAILY_QUESTIONS } from '../../shared/domain/program.js';
import type { Prompt } from '../../shared/domain/prompt.js';
import { RetryLaterError } from '../../shared/errors.js';
import type { InboundMessage, ParsedEmail } from '../../shared/ports.js';
import { fixedClock, memoryAdapters, memoryEmailSender } from '../support/memory.js';

const KEY = 'k'.repeat(40);
/** What pressing the Confirm button of an answer page sends. */
const CONFIRM = { confirm: '1' };
const PHONE = '+12125550123';
const THREE = DAILY_QUESTIONS.questions.slice(0, 3);

function world() {
  const memory = memoryAdapters();
  const clock = fixedClock('2026-11-24T01:30:00.000Z');
  const enrol = (id: string, coachId: string, extra: Partial<Participant> = {}) => {
    const p: Participant = {
      id,
      coachId,
      name: id,
      phone: PHONE,
      email: `${id}@example.com`,
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
  const sent = async (
    participantId: string,
    scheduledFor: string,
    sentAt: string,
    extra: Partial<Prompt> = {},
  ) => {
    const prompt: Prompt = {
      participantId,
      scheduledFor,
      programId: DAILY_QUESTIONS.id,
      questions: THREE,
      status: 'sent',
      sentAt,
      attempts: 1,
      createdAt: scheduledFor,
      ...extra,
    };
    await memory.prompts.create(prompt);
    return prompt;
  };
  const sms = (sid: string, body: string): InboundMessage => ({
    providerMessageId: sid,
    channel: 'sms',
    source: 'sms-reply',
    from: PHONE,
    body,
    receivedAt: clock.now().toISOString(),
  });
  const deps = {
    ...memory,
    clock,
    linkKey: async () => KEY,
    publicBaseUrl: 'https://api.example',
  };
  const answersOf = (participantId: string) =>
    [...memory.store.answers.values()].filter((a) => a.participantId === participantId);
  return { memory, clock, enrol, sent, sms, deps, answersOf };
}

describe('answers by SMS', () => {
  it('go to the newest open prompt among every enrolment of the number, and a redelivery changes nothing', async () => {
    const w = world();
    w.enrol('ana', 'coach-a');
    w.enrol('bo', 'coach-b');
    await w.sent('ana', '2026-11-23T23:00:00.000Z', '2026-11-23T23:00:05.000Z');
    await w.sent('bo', '2026-11-24T01:00:00.000Z', '2026-11-24T01:00:05.000Z');
    const reply = await recordSmsReply(w.deps, w.sms('SM1', '7 8 6'));
    expect(reply).toBe('Got it: 7, 8, 6. Thanks!');
    expect(w.answersOf('bo').map((a) => [a.value, a.source, a.channel])).toEqual([
      [7, 'sms-reply', 'sms'],
      [8, 'sms-reply', 'sms'],
      [6, 'sms-reply', 'sms'],
    ]);
    expect(w.answersOf('ana')).toEqual([]);
    // A duplicate at once (parallel deliveries) gets no second reply; a retry after the
    // provider's timeout gets the same one; the answers are stored once either way.
    expect(await recordSmsReply(w.deps, w.sms('SM1', '7 8 6'))).toBe('');
    w.clock.set('2026-11-24T01:30:31.000Z');
    expect(await recordSmsReply(w.deps, w.sms('SM1', '7 8 6'))).toBe(reply);
    expect(w.answersOf('bo')).toHaveLength(3);
    expect(w.memory.store.inbound.get('SM1')?.body).toBe('7 8 6'); // the raw text is kept
  });

  it('a reply whose first handler failed after storing it is not acknowledged empty: 503 at once, handled by the later retry', async () => {
    const w = world();
    w.enrol('bo', 'coach-b');
    await w.sent('bo', '2026-11-24T01:00:00.000Z', '2026-11-24T01:00:05.000Z');
    // The first delivery stored the raw message, then failed (its 5xx made the provider retry).
    await w.memory.replies.storeRaw(w.sms('SM9', '7 8 6'));
    // The retry at once waits for an outcome that never comes, and asks to be delivered again.
    await expect(recordSmsReply(w.deps, w.sms('SM9', '7 8 6'))).rejects.toBeInstanceOf(RetryLaterError);
    expect(w.answersOf('bo')).toEqual([]);
    w.clock.set('2026-11-24T01:30:31.000Z');
    expect(await recordSmsReply(w.deps, w.sms('SM9', '7 8 6'))).toBe('Got it: 7, 8, 6. Thanks!');
    expect(w.answersOf('bo').map((a) => a.value)).toEqual([7, 8, 6]);
  });

  it('a STOP stops the number for every coach, and a START older than it changes nothing', async () => {
    const w = world();
    w.enrol('ana', 'coach-a', { nextDueAt: '2026-11-25T01:00:00.000Z' });
    w.enrol('bo', 'coach-b', { nextDueAt: '2026-11-25T01:00:00.000Z' });
    const stop = { ...w.sms('SM2', 'STOP'), receivedAt: '2026-11-24T01:30:02.000Z' };
    const lateStart = { ...w.sms('SM3', 'START'), receivedAt: '2026-11-24T01:30:01.000Z' };
    expect(await recordSmsReply(w.deps, stop)).toMatch(/unsubscribed/);
    expect(await recordSmsReply(w.deps, lateStart)).toBe('');
    expect((await w.memory.contacts.get('sms', PHONE))?.optedOut).toBe(true);
    expect(w.memory.store.participants.get('ana')?.nextDueAt).toBeUndefined();
    expect(w.memory.store.participants.get('bo')?.nextDueAt).toBeUndefined();
  });

  it('gives one clarification per prompt', async () => {
    const w = world();
    w.enrol('ana', 'coach-a');
    await w.sent('ana', '2026-11-24T01:00:00.000Z', '2026-11-24T01:00:05.000Z');
    expect(await recordSmsReply(w.deps, w.sms('SM4', 'great day'))).toMatch(/didn't catch that/);
    expect(await recordSmsReply(w.deps, w.sms('SM5', 'really great'))).toBe('');
  });
});

describe('answers by link', () => {
  const link = (value: number, expiresAt = '2026-12-01T00:00:00.000Z', questionIndex = 0) =>
    signAnswerToken(KEY, {
      participantId: 'ana',
      scheduledFor: '2026-11-24T01:00:00.000Z',
      questionIndex,
      value,
      expiresAt,
    });

  it('a GET (what link scanners do) records nothing; the POST records; a second click counts once', async () => {
    const w = world();
    w.enrol('ana', 'coach-a', { channel: 'email' });
    await w.sent('ana', '2026-11-24T01:00:00.000Z', '2026-11-24T01:00:05.000Z');
    const opened = await openAnswerLink(w.deps, link(7));
    expect(opened.statusCode).toBe(200);
    expect(w.answersOf('ana')).toEqual([]);
    expect((await confirmAnswerLink(w.deps, link(7), CONFIRM)).statusCode).toBe(200);
    expect((await confirmAnswerLink(w.deps, link(7), CONFIRM)).statusCode).toBe(200);
    expect(w.answersOf('ana').map((a) => [a.questionIndex, a.value, a.source])).toEqual([
      [0, 7, 'answer-link'],
    ]);
  });

  it('another value for the same question replaces the answer; a comment is added to it', async () => {
    const w = world();
    w.enrol('ana', 'coach-a', { channel: 'email' });
    await w.sent('ana', '2026-11-24T01:00:00.000Z', '2026-11-24T01:00:05.000Z');
    await confirmAnswerLink(w.deps, link(7), CONFIRM);
    await confirmAnswerLink(w.deps, link(4), CONFIRM);
    await confirmAnswerLink(w.deps, link(4), { ...CONFIRM, comment: 'long day' });
    expect(w.answersOf('ana').map((a) => [a.value, a.comment])).toEqual([[4, 'long day']]);
  });

  it('records only when the Confirm button was pressed; a bad value is a 400 naming it', async () => {
    const w = world();
    w.enrol('ana', 'coach-a', { channel: 'email' });
    await w.sent('ana', '2026-11-24T01:00:00.000Z', '2026-11-24T01:00:05.000Z');
    const opened = await openAnswerLink(w.deps, link(7));
    expect(opened.html).toMatch(/value="7" checked/u);
    const unpressed = await confirmAnswerLink(w.deps, link(7), { value: '7' });
    expect(unpressed.statusCode).toBe(400);
    expect(unpressed.html).toContain('confirm: press Confirm');
    const outOfRange = await confirmAnswerLink(w.deps, link(7), { ...CONFIRM, value: '11' });
    expect(outOfRange.statusCode).toBe(400);
    expect(outOfRange.html).toContain('value: expected one of the answers shown');
    expect(w.answersOf('ana')).toEqual([]);
    // Another answer picked on the page is the one recorded, with the progress line SMS gets.
    const done = await confirmAnswerLink(w.deps, link(7), { ...CONFIRM, value: '9' });
    expect(done.html).toContain('Got it: 9/10. Thanks!');
    expect(done.html).toMatch(/href="https:\/\/api\.example\/c\/[\w-]+"/u);
    expect(w.answersOf('ana').map((a) => a.value)).toEqual([9]);
  });

  it('a tampered or expired link records nothing and says why', async () => {
    const w = world();
    w.enrol('ana', 'coach-a', { channel: 'email' });
    await w.sent('ana', '2026-11-24T01:00:00.000Z', '2026-11-24T01:00:05.000Z');
    const token = link(7);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await confirmAnswerLink(w.deps, tampered, CONFIRM)).statusCode).toBe(403);
    const expired = await confirmAnswerLink(w.deps, link(7, '2026-11-24T00:00:00.000Z'), CONFIRM);
    expect(expired.statusCode).toBe(410);
    expect(expired.html).toContain('expired');
    expect(w.answersOf('ana')).toEqual([]);
  });
});

describe('answers by email reply', () => {
  const parsed = (over: Partial<ParsedEmail>): ParsedEmail => ({
    messageId: '<m1@example.com>',
    from: 'ana@example.com',
    to: [],
    subject: 'Re: your check-in',
    replyText: '8 7 9',
    auto: undefined,
    auth: 'pass',
    ...over,
  });
  async function reply(over: Partial<ParsedEmail>) {
    const w = world();
    w.enrol('ana', 'coach-a', { channel: 'email' });
    await w.sent('ana', '2026-11-24T01:00:00.000Z', '2026-11-24T01:00:05.000Z');
    const { replyAddress } = await import('../../shared/domain/answer-link.js');
    const to = replyAddress(KEY, 'reply.example', {
      participantId: 'ana',
      scheduledFor: '2026-11-24T01:00:00.000Z',
    });
    const deps = {
      ...w.deps,
      rawMail: { get: async () => Buffer.from('raw'), delete: async () => {} },
      parseEmail: async () => parsed({ to: [to], ...over }),
      email: memoryEmailSender(w.memory.store.sentEmail),
    };
    const outcome = await recordEmailReply(deps, { bucket: 'b', key: 'inbound/1' });
    return { outcome, answers: w.answersOf('ana'), inbound: [...w.memory.store.inbound.values()] };
  }

  it('records the numbers of a reply from the participant, with the raw message kept', async () => {
    const { outcome, answers, inbound } = await reply({});
    expect(outcome.outcome).toBe('answers');
    expect(answers.map((a) => [a.value, a.source, a.channel])).toEqual([
      [8, 'email-reply', 'email'],
      [7, 'email-reply', 'email'],
      [9, 'email-reply', 'email'],
    ]);
    expect(inbound[0]?.rawRef).toBe('s3://b/inbound/1');
  });

  it.each([
    ['an out-of-office reply', { auto: 'out-of-office' }, 'auto-reply'],
    ['a failed DKIM/SPF verdict', { auth: 'fail' as const }, 'auth-failed'],
    ['someone other than the participant', { from: 'mallory@example.com' }, 'unattributed'],
  ])('keeps %s aside without recording answers', async (_name, over, expected) => {
    const { outcome, answers, inbound } = await reply(over);
    expect(outcome.outcome).toBe(expected);
    expect(answers).toEqual([]);
    expect(inbound).toHaveLength(1); // kept, not lost
  });
});
