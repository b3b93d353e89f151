/**
 * What an attacker or a careless coach tries, against the real local parts: a STOP racing a
 * coach's pause and resume, two coaches enrolling one number, a provider delivering one message
 * twenty times at once, programs and numbers that would run up the bill, and malformed edges.
 */
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoachClient, type Json, startTestSystem, type TestSystem } from '../support/system.js';

let t: TestSystem;
let ana: CoachClient;
let bo: CoachClient;

// Monday 2026-11-23, 09:00 in New York.
beforeAll(async () => {
  t = await startTestSystem('2026-11-23T14:00:00Z');
  ana = await t.coach('coach-ana');
  bo = await t.coach('coach-bo');
});
afterAll(async () => t?.stop());

const QUESTION = { text: 'Did I do my best to set clear goals today?', type: 'scale' };

async function program(coach: CoachClient, time: string): Promise<string> {
  const res = await coach.post<{ id: string }>('/api/programs', {
    name: `At ${time}`,
    questions: [QUESTION],
    schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time },
  });
  expect(res.status).toBe(201);
  return res.json.id;
}

async function enrol(coach: CoachClient, phone: string, programId: string) {
  return coach.post<Json & { id: string; status: string }>('/api/participants', {
    name: 'Sam',
    phone,
    timeZone: 'America/New_York',
    programId,
    channel: 'sms',
  });
}

/** Question SMS to a number (not opt-in requests, confirmations or clarifications). */
const questionsTo = async (phone: string) =>
  (await t.sms(phone)).filter((m) => m.body.includes('clear goals'));

describe('STOP always wins', () => {
  it('a participant racing STOP against the coach pausing and resuming always ends opted out, and is sent nothing more', async () => {
    const phone = '+12125550140';
    const enrolled = await enrol(ana, phone, await program(ana, '18:00'));
    await t.settle();
    await t.inbound(phone, 'YES');
    const id = enrolled.json.id;
    const coachStatuses = new Set<number>();
    for (let round = 0; round < 200; round++) {
      if (round > 0) await t.inbound(phone, 'START');
      // Every interleaving the event loop and DynamoDB Local produce, shuffled each round.
      const moves: (() => Promise<unknown>)[] = [
        () => t.inbound(phone, 'STOP'),
        async () =>
          coachStatuses.add(
            (await ana.post(`/api/participants/${id}/pause`, { until: '2026-11-30' })).status,
          ),
        async () => coachStatuses.add((await ana.post(`/api/participants/${id}/resume`, {})).status),
      ];
      moves.sort(() => Math.random() - 0.5);
      await Promise.all(
        moves.map((move, i) => new Promise((r) => setTimeout(r, i * (round % 3))).then(move)),
      );
      const seen = await ana.get<{ status: string }>(`/api/participants/${id}`);
      expect(seen.json.status, `round ${round}`).toBe('opted_out');
    }
    // A coach action that lost the race answers 409 and changed nothing; nothing ever failed.
    expect([...coachStatuses].every((s) => s === 200 || s === 409)).toBe(true);
    expect(coachStatuses.has(409)).toBe(true);

    const before = (await t.sms(phone)).length;
    await t.clock('2026-11-26T04:00:00Z'); // three 18:00 send times later
    expect((await t.sms(phone)).length).toBe(before);
    expect(await questionsTo(phone)).toHaveLength(0);
  });
});

describe('consent belongs to the number, not to one coach', () => {
  const phone = '+12125550150';
  let anaId: string;
  let boId: string;

  it('two coaches enrol the same number: both get 201 with the same response shape', async () => {
    const a = await enrol(ana, phone, await program(ana, '08:00'));
    const b = await enrol(bo, phone, await program(bo, '08:30'));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(Object.keys(b.json).sort()).toEqual(Object.keys(a.json).sort());
    expect([a.json.status, b.json.status]).toEqual(['pending', 'pending']);
    anaId = a.json.id;
    boId = b.json.id;
    await t.settle();
    // A YES is consent to one invitation (issue 14 #4): the reply names the other, which takes its own.
    const statuses = async () => [
      (await ana.get<{ status: string }>(`/api/participants/${anaId}`)).json.status,
      (await bo.get<{ status: string }>(`/api/participants/${boId}`)).json.status,
    ];
    const first = await t.inbound(phone, 'YES');
    // (The other invitation is named when it already reached the person; here it may still wait
    // for the end of quiet hours.)
    expect(first.reply).toMatch(/^You're in with /u);
    expect((await statuses()).sort()).toEqual(['active', 'pending']);
    expect((await t.inbound(phone, 'YES')).reply).toMatch(/^You're in with /u);
    expect(await statuses()).toEqual(['active', 'active']);
  });

  it('neither coach can see or probe the other enrolment', async () => {
    const anaList = await ana.get<{ participants: { id: string }[] }>('/api/participants');
    expect(anaList.json.participants.map((p) => p.id)).not.toContain(boId);
    expect((await ana.get(`/api/participants/${boId}`)).status).toBe(404);
    expect((await bo.get(`/api/participants/${anaId}/replies`)).status).toBe(404);
  });

  it('answers reach the prompt they answer, whichever coach sent it', async () => {
    await t.clock('2026-11-26T13:00:30Z'); // Thursday 08:00:30 New York: Ana's question
    expect(await questionsTo(phone)).toHaveLength(1);
    expect((await t.inbound(phone, '7')).reply).toContain('Got it');
    await t.clock('2026-11-26T13:30:30Z'); // 08:30:30: Bo's question
    expect((await t.inbound(phone, '4')).reply).toContain('Got it');
    const values = async (coach: CoachClient, id: string) =>
      (await coach.get<{ replies: { value: number }[] }>(`/api/participants/${id}/replies`)).json.replies.map(
        (r) => r.value,
      );
    expect(await values(ana, anaId)).toEqual([7]);
    expect(await values(bo, boId)).toEqual([4]);
  });

  it('twenty parallel deliveries of one signed message make exactly one reply', async () => {
    const webhook = '/webhooks/twilio/sms';
    const params = {
      MessageSid: `SM${'b'.repeat(32)}`,
      AccountSid: 'AC00000000000000000000000000000000',
      From: phone,
      To: '+15005550006',
      Body: '9',
    };
    const signature = getExpectedTwilioSignature('local-twilio-auth-token', `${t.url}${webhook}`, params);
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.request<string>('POST', webhook, new URLSearchParams(params).toString(), headers),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(responses.filter((r) => String(r.json).includes('<Message>'))).toHaveLength(1);
  });

  it('gives one clarification however many unreadable replies arrive at once', async () => {
    await t.clock('2026-11-27T13:30:30Z'); // Friday: both questions out, Bo's the newest
    const replies = await Promise.all(
      ['no idea', 'hmm', 'what?', 'later', 'ok'].map((body) => t.inbound(phone, body)),
    );
    expect(replies.filter((r) => r.reply.includes("didn't catch that"))).toHaveLength(1);
  });

  it('one STOP stops both coaches, and only START brings them back', async () => {
    expect((await t.inbound(phone, 'STOP')).reply).toContain('unsubscribed');
    expect((await ana.get<{ status: string }>(`/api/participants/${anaId}`)).json.status).toBe('opted_out');
    expect((await bo.get<{ status: string }>(`/api/participants/${boId}`)).json.status).toBe('opted_out');
    const before = await questionsTo(phone);
    await t.clock('2026-11-28T14:00:00Z');
    expect(await questionsTo(phone)).toEqual(before);
  });

  it('a third coach enrolling the opted-out number learns nothing: pending like anyone, and nothing is sent', async () => {
    const other = await t.coach('coach-cy');
    const before = (await t.sms(phone)).length;
    const res = await enrol(other, phone, await program(other, '09:00'));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: 'pending', optInRequest: 'queued' });
    await t.settle();
    expect((await t.sms(phone)).length).toBe(before);
  });
});

describe('sends that cannot run away', () => {
  it('refuses a program whose prompt would be too long, with its size', async () => {
    const res = await ana.post<{ field: string; error: string }>('/api/programs', {
      name: 'Essay',
      questions: Array.from({ length: 10 }, (_, i) => ({ text: `${i} ${'x'.repeat(157)}`, type: 'scale' })),
      schedule: { days: ['mon'], time: '18:00' },
    });
    expect(res.status).toBe(400);
    expect(res.json.field).toBe('questions');
    expect(res.json.error).toMatch(/\d+ SMS segments/);
  });

  it('refuses quiet hours that leave the night open', async () => {
    const res = await ana.post<{ field: string }>('/api/programs', {
      name: 'No quiet',
      questions: [QUESTION],
      schedule: { days: ['mon'], time: '18:00', quietHours: { start: '00:00', end: '00:00' } },
    });
    expect(res.status).toBe(400);
    expect(res.json.field).toBe('schedule.quietHours');
  });

  it('refuses a premium-rate number', async () => {
    const res = await enrol(ana, '+19005550123', 'daily-questions');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ field: 'phone', error: expect.stringContaining('premium-rate') });
  });
});

describe('edges', () => {
  it('answers 400, never 500, for ids too long or badly encoded', async () => {
    expect((await ana.get(`/api/participants/${'a'.repeat(65)}`)).status).toBe(400);
    expect((await ana.get('/api/participants/%E0%A4%A')).status).toBe(400);
  });

  it('says what was expected for a present field of the wrong type', async () => {
    const res = await ana.post<{ field: string; error: string }>('/api/programs', {
      name: 'Wrong',
      questions: 5,
      schedule: { days: ['mon'], time: '18:00' },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ field: 'questions', error: expect.stringContaining('expected array') });
  });

  it('refuses a webhook with a repeated form key', async () => {
    const body = 'MessageSid=SMxx&From=%2B12125550150&Body=7&Body=STOP';
    const res = await t.request('POST', '/webhooks/twilio/sms', body, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': 'irrelevant',
    });
    expect(res.status).toBe(400);
  });

  it('pages listings with limit and cursor', async () => {
    const first = await ana.get<{ participants: { id: string }[]; cursor?: string }>(
      '/api/participants?limit=1',
    );
    expect(first.json.participants).toHaveLength(1);
    expect(first.json.cursor).toEqual(expect.any(String));
    const second = await ana.get<{ participants: { id: string }[] }>(
      `/api/participants?limit=1&cursor=${encodeURIComponent(first.json.cursor ?? '')}`,
    );
    expect(second.json.participants[0]?.id).not.toBe(first.json.participants[0]?.id);
    expect((await ana.get('/api/participants?limit=0')).status).toBe(400);
    expect((await ana.get('/api/participants?cursor=not-ours')).status).toBe(400);
  });
});
