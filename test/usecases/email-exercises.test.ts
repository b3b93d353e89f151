/**
 * A coach's push with a micro-exercise, sent by email, answered both ways an email allows: a click
 * on an answer button and a reply. The answer lands on the push, never on a check-in that happens
 * to share its instant, with in-memory adapters.
 */
import { describe, expect, it } from 'vitest';
import { confirmAnswerLink, openAnswerLink } from '../../shared/channels/email/usecases/answer-links.js';
import { composeEmail } from '../../shared/channels/email/usecases/outbound-email.js';
import { recordEmailReply } from '../../shared/channels/email/usecases/record-email-reply.js';
import type { Participant } from '../../shared/domain/participant.js';
import { DAILY_QUESTIONS, type Question } from '../../shared/domain/program.js';
import type { Prompt } from '../../shared/domain/prompt.js';
import type { ParsedEmail } from '../../shared/ports.js';
import { fixedClock, memoryAdapters, memoryEmailSender } from '../support/memory.js';

const KEY = 'k'.repeat(40);
const AT = '2026-11-24T15:00:00.000Z';
const SCALE: Question = { text: 'How calm was your morning?', type: 'scale', min: 1, max: 5 };

function world() {
  const memory = memoryAdapters();
  const clock = fixedClock('2026-11-24T15:05:00.000Z');
  const participant: Participant = {
    id: 'ana',
    coachId: 'coach-a',
    name: 'Ana Lima',
    email: 'ana@example.com',
    timeZone: 'America/New_York',
    programId: DAILY_QUESTIONS.id,
    channel: 'email',
    status: 'active',
    createdAt: '2026-11-20T12:00:00.000Z',
  };
  memory.store.participants.set(participant.id, participant);
  const deps = {
    ...memory,
    clock,
    linkKey: async () => KEY,
    publicBaseUrl: 'https://api.example',
    replyDomain: 'reply.example',
    answerLinkTtlDays: 7,
  };
  const sent = async (extra: Partial<Prompt>): Promise<Prompt> => {
    const record: Prompt = {
      participantId: participant.id,
      scheduledFor: AT,
      channel: 'email',
      programId: DAILY_QUESTIONS.id,
      questions: DAILY_QUESTIONS.questions.slice(0, 3),
      status: 'sent',
      sentAt: AT,
      attempts: 1,
      createdAt: AT,
      ...extra,
    };
    await memory.prompts.create(record);
    return record;
  };
  const push = (question: Question | undefined) =>
    sent({ kind: 'push', text: 'Try a slow breakfast.', questions: question ? [question] : [] });
  const email = (record: Prompt) =>
    composeEmail(deps, record.kind ?? 'prompt', record, participant, DAILY_QUESTIONS);
  const stored = (kind?: 'push') =>
    memory.prompts.get({ participantId: 'ana', scheduledFor: AT, ...(kind ? { kind } : {}) });
  const checkInAnswers = () => [...memory.store.answers.values()];
  const reply = (to: string, replyText: string, messageId = '<r1@example.com>') => {
    const parsed: ParsedEmail = {
      messageId,
      from: 'ana@example.com',
      to: [to],
      subject: 'Re: A note and a question from your coach',
      replyText,
      auto: undefined,
      auth: 'pass',
    };
    return recordEmailReply(
      {
        ...deps,
        rawMail: { get: async () => Buffer.from('raw'), delete: async () => {} },
        parseEmail: async () => parsed,
        email: memoryEmailSender(memory.store.sentEmail),
      },
      { bucket: 'b', key: `inbound/${messageId}` },
    );
  };
  return { deps, push, sent, email, stored, checkInAnswers, reply };
}

/** The token of the plain-text part's link for `label` ("   4: https://…/a/<token>"). */
function tokenFor(text: string, label: string): string {
  const match = new RegExp(`^ {3}${label}: https://api\\.example/a/([A-Za-z0-9_-]+)$`, 'mu').exec(text);
  if (!match?.[1]) throw new Error(`no answer link for ${label}`);
  return match[1];
}

describe('an exercise in an emailed push', () => {
  it('shows one-click buttons for a scale question, and a click records the answer on the push', async () => {
    const w = world();
    // A check-in at the very same instant must not take the push's answer.
    await w.sent({});
    const mail = await w.email(await w.push(SCALE));
    expect(mail.html.match(/aria-label="Answer \d of 5"/gu)).toHaveLength(5);
    expect(mail.text).toContain('Or reply to this email with a number from 1 to 5.');

    const token = tokenFor(mail.text, '4');
    const page = await openAnswerLink(w.deps, token);
    expect(page.statusCode).toBe(200);
    expect(page.html).toContain('How calm was your morning?');
    expect((await w.stored('push'))?.answer).toBeUndefined(); // opening records nothing

    expect((await confirmAnswerLink(w.deps, token, { confirm: '1' })).statusCode).toBe(200);
    expect((await w.stored('push'))?.answer).toEqual({ value: 4, receivedAt: '2026-11-24T15:05:00.000Z' });
    expect(w.checkInAnswers()).toEqual([]);
    expect((await w.stored())?.answeredAt).toBeUndefined();
  });

  it('offers Yes and No for a yes/no question; another click replaces the answer', async () => {
    const w = world();
    const mail = await w.email(await w.push({ text: 'Did you walk today?', type: 'yes-no' }));
    await confirmAnswerLink(w.deps, tokenFor(mail.text, 'Yes'), { confirm: '1' });
    await confirmAnswerLink(w.deps, tokenFor(mail.text, 'No'), { confirm: '1' });
    expect((await w.stored('push'))?.answer?.value).toBe(0);
  });

  it('takes a reply to the push email as the answer, and a later reply corrects it', async () => {
    const w = world();
    await w.sent({});
    const mail = await w.email(await w.push(SCALE));
    expect(await w.reply(mail.replyTo, '3')).toMatchObject({ participantId: 'ana', outcome: 'answers' });
    expect((await w.stored('push'))?.answer?.value).toBe(3);
    await w.reply(mail.replyTo, '5', '<r2@example.com>');
    expect((await w.stored('push'))?.answer?.value).toBe(5);
    expect(w.checkInAnswers()).toEqual([]);
  });

  it('answers a text exercise by reply only', async () => {
    const w = world();
    const mail = await w.email(await w.push({ text: 'What got in the way?', type: 'text' }));
    expect(mail.html).not.toContain('/a/');
    expect(mail.text).toContain('What got in the way? Reply to this email with your answer.');
    await w.reply(mail.replyTo, 'the early meeting');
    expect((await w.stored('push'))?.answer?.text).toBe('the early meeting');
  });

  it('keeps a reply to a check-in on the check-in, not on a push at the same instant', async () => {
    const w = world();
    const checkIn = await w.email(await w.sent({}));
    const pushMail = await w.email(await w.push(SCALE));
    expect(checkIn.replyTo).not.toBe(pushMail.replyTo);
    expect((await w.reply(checkIn.replyTo, '8 7 9')).outcome).toBe('answers');
    expect(w.checkInAnswers().map((a) => a.value)).toEqual([8, 7, 9]);
    expect((await w.stored('push'))?.answer).toBeUndefined();
  });
});
