/**
 * How far back a reply reads, end to end against the real local parts: a reply reads its
 * participant's newest send records a page at a time (not the whole history), so a streak longer
 * than the first page and an exercise push buried under later coach messages must still be found.
 * The history is written straight into the table (twenty days through the clock would only be slow).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAILY_QUESTIONS, type Question } from '../../shared/domain/program.js';
import type { Prompt } from '../../shared/domain/prompt.js';
import { startTestSystem, type TestSystem } from '../support/system.js';
import type { productionDeps } from '../support/wiring.js';

const NOW = '2026-11-23T23:30:00Z'; // Monday 18:30 in New York
const TODAY = '2026-11-23T23:00:00.000Z';
const dayBefore = (days: number) => new Date(Date.parse(TODAY) - days * 86_400_000).toISOString();

let t: TestSystem;
let deps: ReturnType<typeof productionDeps>;

beforeAll(async () => {
  t = await startTestSystem(NOW);
  deps = (await import('../support/wiring.js')).productionDeps();
});
afterAll(async () => t?.stop());

async function participant(id: string, channel: 'sms' | 'email', phone: string) {
  await deps.participants.create({
    id,
    coachId: 'coach-history',
    name: id,
    ...(channel === 'sms' ? { phone } : { email: `${id}@example.com` }),
    timeZone: 'America/New_York',
    programId: DAILY_QUESTIONS.id,
    channel,
    status: 'active',
    createdAt: '2026-10-01T12:00:00.000Z',
    consentAt: '2026-10-01T12:00:00.000Z',
  });
}

async function sent(participantId: string, scheduledFor: string, extra: Partial<Prompt> = {}) {
  await deps.prompts.create({
    participantId,
    scheduledFor,
    channel: 'sms',
    programId: DAILY_QUESTIONS.id,
    questions: DAILY_QUESTIONS.questions,
    status: 'sent',
    sentAt: scheduledFor,
    attempts: 1,
    createdAt: scheduledFor,
    ...extra,
  });
}

/** Twenty answered days before today, and today's prompt still open. */
async function twentyDays(participantId: string) {
  for (let day = 20; day >= 1; day--)
    await sent(participantId, dayBefore(day), { answeredAt: dayBefore(day) });
  await sent(participantId, TODAY);
}

describe('the streak', () => {
  it('counts an SMS answer onto a streak longer than the first page read', async () => {
    await participant('long-sms', 'sms', '+12125550901');
    await twentyDays('long-sms');
    expect((await t.inbound('+12125550901', '7 8 6 9 5 8')).reply).toBe(
      'Got it: 7, 8, 6, 9, 5, 8. 21 days in a row.',
    );
  });

  it('shows the whole streak after an answer-link click', async () => {
    await participant('long-mail', 'email', '');
    await twentyDays('long-mail');
    const { signAnswerToken } = await import('../../shared/domain/answer-link.js');
    const token = signAnswerToken(process.env.LINK_SIGNING_KEY ?? '', {
      participantId: 'long-mail',
      scheduledFor: TODAY,
      questionIndex: 0,
      value: 7,
      expiresAt: new Date('2026-11-30T23:00:00Z'),
    });
    const res = await fetch(`${t.url}/a/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'confirm=1',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('21 days in a row.');
  });
});

describe('what a reply answers', () => {
  it("answers an exercise push sent before more of the coach's messages than the first page holds", async () => {
    await participant('pushed', 'sms', '+12125550902');
    const exercise = DAILY_QUESTIONS.questions[0] as Question;
    const push = (at: string, questions: Question[]) =>
      sent('pushed', at, { kind: 'push', questions, text: 'Try this', sendAt: at });
    await push('2026-11-23T22:00:00.000Z', [exercise]);
    // Six later messages from the coach (pushes without a question): the first page holds five.
    for (let minute = 10; minute <= 35; minute += 5) await push(`2026-11-23T22:${minute}:00.000Z`, []);
    expect((await t.inbound('+12125550902', '7')).status).toBe(200);
    const answered = await deps.prompts.get({
      participantId: 'pushed',
      scheduledFor: '2026-11-23T22:00:00.000Z',
      kind: 'push',
    });
    expect(answered?.answer).toMatchObject({ value: 7 });
  });
});
