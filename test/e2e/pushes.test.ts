/**
 * Coach pushes end to end, against the real local parts: a push written late at night reaches the
 * participant when their quiet hours end, exactly once; an opted-out participant gets nothing; a
 * micro-exercise's SMS reply is recorded against its push, not as a check-in answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

const SAM = '+12125550140';
const PAT = '+12125550141';
const NOTE = 'Hi {{firstName}}, your focus scores rose all week. Keep protecting that first hour.';

interface PushJson {
  id: string;
  text: string;
  status: string;
  sendAt: string;
  skipReason?: string;
  answer?: { value?: number; text?: string; receivedAt: string };
  exercise?: { question: { text: string } };
}

let t: TestSystem;
let coach: CoachClient;
const ids: Record<string, string> = {};

const pushSms = async (to: string, fragment: string) =>
  (await t.sms(to)).filter((m) => m.body.includes(fragment));

async function enrol(name: string, phone: string): Promise<string> {
  const res = await coach.post<{ id: string }>('/api/participants', {
    name,
    phone,
    timeZone: 'America/New_York',
    programId: 'daily-questions',
    channel: 'sms',
  });
  expect(res.status).toBe(201);
  await t.settle();
  await t.inbound(phone, 'YES');
  return res.json.id;
}

beforeAll(async () => {
  // Monday 2026-11-23, 09:00 in New York.
  t = await startTestSystem('2026-11-23T14:00:00Z');
  coach = await t.coach('coach-pushes');
  ids.sam = await enrol('Sam Lee', SAM);
  ids.pat = await enrol('Pat Kim', PAT);
  expect((await t.inbound(PAT, 'STOP')).reply).toMatch(/unsubscribed/);
});

afterAll(async () => {
  await t?.stop();
});

describe('a push written at 23:00 participant time', () => {
  it('is scheduled for the end of quiet hours, personalised', async () => {
    await t.clock('2026-11-24T04:00:00Z'); // Monday 23:00 in New York
    const res = await coach.post<PushJson>(`/api/participants/${ids.sam}/pushes`, { text: NOTE });
    expect(res.status).toBe(201);
    expect(res.json.status).toBe('scheduled');
    expect(res.json.text).toMatch(/^Hi Sam, your focus/);
    expect(res.json.sendAt).toBe('2026-11-24T13:00:00.000Z'); // 08:00 in New York
  });

  it('is skipped at once for an opted-out participant, and never sent', async () => {
    const res = await coach.post<PushJson>(`/api/participants/${ids.pat}/pushes`, { text: NOTE });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: 'skipped', skipReason: 'opted-out' });
  });

  it('is not sent during the night', async () => {
    await t.clock('2026-11-24T12:59:00Z');
    expect(await pushSms(SAM, 'focus scores')).toHaveLength(0);
  });

  it('goes out once when quiet hours end, and stays sent once', async () => {
    await t.clock('2026-11-24T13:00:30Z');
    const sent = await pushSms(SAM, 'focus scores');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toBe('Hi Sam, your focus scores rose all week. Keep protecting that first hour.');
    await t.clock('2026-11-24T13:20:00Z');
    expect(await pushSms(SAM, 'focus scores')).toHaveLength(1);
    expect(await pushSms(PAT, 'focus scores')).toHaveLength(0);
    const list = await coach.get<{ pushes: PushJson[] }>(`/api/participants/${ids.sam}/pushes`);
    expect(list.json.pushes.map((p) => p.status)).toEqual(['sent']);
  });

  it('is not visible to another coach', async () => {
    const other = await t.coach('coach-other');
    expect((await other.get(`/api/participants/${ids.sam}/pushes`)).status).toBe(404);
    expect((await other.post(`/api/participants/${ids.sam}/pushes`, { text: 'hello there' })).status).toBe(
      404,
    );
  });

  it('refuses a text over 320 characters', async () => {
    const res = await coach.post(`/api/participants/${ids.sam}/pushes`, { text: 'x'.repeat(321) });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ field: 'text' });
  });
});

describe('a micro-exercise', () => {
  it('asks its question with the push, and the SMS reply is recorded against it', async () => {
    const res = await coach.post<PushJson>(`/api/participants/${ids.sam}/pushes`, {
      text: 'Try handing one task to your team today.',
      exercise: { question: { type: 'scale', text: 'How hard was letting go, 1-10?' } },
    });
    expect(res.status).toBe(201);
    await t.settle();
    const sent = await pushSms(SAM, 'letting go');
    expect(sent.map((m) => m.body)).toEqual([
      'Try handing one task to your team today.\nHow hard was letting go, 1-10? Reply 1-10.',
    ]);

    const { reply } = await t.inbound(SAM, '4');
    expect(reply).toBe('Got it: 4/10. Thanks!');
    const list = await coach.get<{ pushes: PushJson[] }>(`/api/participants/${ids.sam}/pushes`);
    const exercise = list.json.pushes.find((p) => p.id === res.json.id);
    expect(exercise?.answer).toMatchObject({ value: 4 });
    // Not a check-in answer: the weekly numbers stay the check-ins' own.
    const replies = await coach.get<{ replies: unknown[] }>(`/api/participants/${ids.sam}/replies`);
    expect(replies.json.replies).toHaveLength(0);
  });
});

describe('a bulk push', () => {
  it('reaches every active participant with their first name, and counts the opted-out as skipped', async () => {
    const res = await coach.post<{ queued: number; skipped: number }>('/api/pushes/bulk', {
      text: 'Well done this week, {{firstName}}!',
      to: 'all',
    });
    expect(res.status).toBe(202);
    // Pat is still `active` as enrolled, but their number said STOP: the gate skips them.
    expect(res.json).toMatchObject({ queued: 1, skipped: 1, refused: 0 });
    await t.settle();
    expect((await pushSms(SAM, 'Well done')).map((m) => m.body)).toEqual(['Well done this week, Sam!']);
    expect(await pushSms(PAT, 'Well done')).toHaveLength(0);
  });

  it('lists the push templates, the observation-impact-offer form first', async () => {
    const res = await coach.get<{ templates: { id: string; text: string }[] }>('/api/push-templates');
    expect(res.status).toBe(200);
    expect(res.json.templates[0]?.id).toBe('observation-impact-offer');
  });
});
