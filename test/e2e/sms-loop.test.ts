/**
 * The daily SMS loop end to end, against the real local parts: a coach enrols a participant, the
 * participant opts in, gets the question at their local send time, replies, and the coach reads
 * the answers. Also what must never happen: forged webhooks, bad bodies, other coaches' data,
 * phone numbers in logs.
 */
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAILY_QUESTIONS } from '../../shared/domain/program.js';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

const PHONE = '+12125550123';
// The six daily questions, on a custom weekday program rather than the built-in daily one.
const SIX = DAILY_QUESTIONS.questions;

interface ParticipantJson {
  id: string;
  status: string;
  consentAt?: string;
}
interface RepliesJson {
  replies: { question: string; value: number; channel: string; receivedAt: string; comment?: string }[];
}

let t: TestSystem;
let coach: CoachClient;
let participantId: string;
let programId: string;
const logged: string[] = [];
const originalWrite = process.stdout.write.bind(process.stdout);

/** Question SMS to a number (opt-in and confirmations excluded). */
const questionsTo = async (to: string) =>
  (await t.sms(to)).filter((m) => m.body.includes('Did I do my best'));

beforeAll(async () => {
  // Record everything the functions log, to check no phone number ever appears in it.
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    logged.push(String(chunk));
    return originalWrite(chunk, ...rest);
  }) as typeof process.stdout.write;
  // Monday 2026-11-23 09:00 in New York.
  t = await startTestSystem('2026-11-23T14:00:00Z');
  coach = await t.coach('coach-ana');
});

afterAll(async () => {
  process.stdout.write = originalWrite;
  await t?.stop();
});

describe('the daily SMS question loop', () => {
  it('creates a weekday program at 18:00', async () => {
    const res = await coach.post<{ id: string }>('/api/programs', {
      name: 'Six daily questions, weekdays',
      questions: SIX,
      schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '18:00' },
    });
    expect(res.status).toBe(201);
    programId = res.json.id;
    const list = await coach.get<{ programs: { id: string }[] }>('/api/programs');
    expect(list.json.programs.map((p) => p.id)).toEqual(
      expect.arrayContaining([programId, 'daily-questions']),
    );
  });

  it('enrols a participant as pending and asks for SMS consent, nothing else', async () => {
    const res = await coach.post<ParticipantJson>('/api/participants', {
      name: 'Ana',
      phone: PHONE,
      timeZone: 'America/New_York',
      programId,
      channel: 'sms',
    });
    expect(res.status).toBe(201);
    expect(res.json.status).toBe('pending');
    participantId = res.json.id;
    await t.settle();
    const sms = await t.sms(PHONE);
    expect(sms).toHaveLength(1);
    expect(sms[0]?.body).toMatch(/Reply YES/);
    // Before consent, the send time passing sends nothing.
  });

  it('records consent on YES and activates the participant', async () => {
    const { reply } = await t.inbound(PHONE, 'yes');
    expect(reply).toMatch(/You're in/);
    const res = await coach.get<ParticipantJson>(`/api/participants/${participantId}`);
    expect(res.json.status).toBe('active');
    // Consent is stamped with the (local) clock at the moment YES arrived.
    const consentAt = Date.parse(res.json.consentAt ?? '');
    expect(consentAt).toBeGreaterThanOrEqual(Date.parse('2026-11-23T14:00:00Z'));
    expect(consentAt).toBeLessThan(Date.parse('2026-11-23T14:01:00Z'));
  });

  it('sends nothing before the local send time', async () => {
    await t.clock('2026-11-23T22:59:00Z');
    expect(await questionsTo(PHONE)).toHaveLength(0);
  });

  it('sends exactly one question SMS at 18:00 New York time, numbered, asking for the answers in order', async () => {
    await t.clock('2026-11-23T23:00:30Z');
    const questions = await questionsTo(PHONE);
    expect(questions).toHaveLength(1);
    expect(questions[0]?.body).toMatch(/^Did I do my best to\.\.\. today\?\n1 set clear goals\n/);
    expect(questions[0]?.body).toContain('\n6 be fully engaged\n');
    expect(questions[0]?.body).toMatch(/Reply 6 numbers 1-10 in order/);
  });

  it('stores the six answers of "7 8 6 9 5 8" and confirms them', async () => {
    const { reply } = await t.inbound(PHONE, '7 8 6 9 5 8');
    expect(reply).toBe('Got it: 7, 8, 6, 9, 5, 8. Thanks!');
    const res = await coach.get<RepliesJson>(`/api/participants/${participantId}/replies`);
    expect(res.status).toBe(200);
    expect(res.json.replies.map((r) => r.value)).toEqual([7, 8, 6, 9, 5, 8]);
    expect(res.json.replies[0]).toMatchObject({
      question: 'Did I do my best to set clear goals today?',
      channel: 'sms',
    });
    expect(Date.parse(res.json.replies[0]?.receivedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse('2026-11-23T23:00:30Z'),
    );
  });

  it('never sends the same question twice as the clock moves on', async () => {
    await t.clock('2026-11-23T23:05:00Z');
    expect(await questionsTo(PHONE)).toHaveLength(1);
  });

  it('holds the opt-in request of someone enrolled during their quiet hours until those end', async () => {
    // 18:05 in New York is 00:05 in Berlin: inside the default 21:00–08:00 quiet hours there.
    const berlin = '+4915112345678';
    const res = await coach.post<{ optInRequest: string; optInAt: string }>('/api/participants', {
      name: 'Lena',
      phone: berlin,
      timeZone: 'Europe/Berlin',
      programId: 'daily-questions',
      channel: 'sms',
    });
    expect(res.json).toMatchObject({ optInRequest: 'deferred', optInAt: '2026-11-24T07:00:00.000Z' });
    await t.settle();
    expect(await t.sms(berlin)).toHaveLength(0);
    await t.clock('2026-11-24T06:59:00Z');
    expect(await t.sms(berlin)).toHaveLength(0);
    await t.clock('2026-11-24T07:00:30Z'); // 08:00 in Berlin
    const sms = await t.sms(berlin);
    expect(sms).toHaveLength(1);
    expect(sms[0]?.body).toMatch(/Reply YES/);
  });

  it('sends the next one on Tuesday and none on the weekend', async () => {
    await t.clock('2026-11-24T23:00:30Z');
    expect(await questionsTo(PHONE)).toHaveLength(2);
    // Wed, Thu, Fri at 18:00 local; Sat and Sun nothing.
    await t.clock('2026-11-30T22:00:00Z');
    expect(await questionsTo(PHONE)).toHaveLength(5);
  });

  it('asks once for clarification of an unparseable reply, then stays quiet', async () => {
    // Monday's question: a reply belongs to a prompt sent within its reply window (24 h by default).
    await t.clock('2026-11-30T23:00:30Z');
    expect(await questionsTo(PHONE)).toHaveLength(6);
    const first = await t.inbound(PHONE, 'great day!');
    expect(first.reply).toMatch(/6 numbers from 1 to 10/);
    const second = await t.inbound(PHONE, 'really great');
    expect(second.reply).toBe('');
    const fixed = await t.inbound(PHONE, '8,8,7,9,6,8 good week');
    expect(fixed.reply).toBe('Got it: 8, 8, 7, 9, 6, 8. Thanks!');
    const res = await coach.get<RepliesJson>(`/api/participants/${participantId}/replies`);
    expect(res.json.replies.slice(-6).map((r) => r.comment)).toEqual(Array(6).fill('good week'));
  });

  it('stops on STOP: confirmation, then no more questions until START', async () => {
    const stop = await t.inbound(PHONE, 'STOP');
    expect(stop.reply).toMatch(/unsubscribed/);
    await t.clock('2026-12-02T00:00:00Z'); // Tuesday's send time passes
    expect(await questionsTo(PHONE)).toHaveLength(6);
    const start = await t.inbound(PHONE, 'START');
    expect(start.reply).toMatch(/You're in/);
    await t.clock('2026-12-02T23:01:00Z');
    expect(await questionsTo(PHONE)).toHaveLength(7);
  });
});

describe('webhook security and idempotency', () => {
  const webhook = '/webhooks/twilio/sms';
  const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const params = (sid: string, body: string) => ({
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: 'AC00000000000000000000000000000000',
    From: PHONE,
    To: '+15005550006',
    Body: body,
    NumMedia: '0',
  });

  it('rejects a forged signature with 403 and stores nothing', async () => {
    const before = await coach.get<RepliesJson>(`/api/participants/${participantId}/replies`);
    const res = await t.request('POST', webhook, form(params(`SM${'f'.repeat(32)}`, 'STOP')), {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': 'bm90IGEgcmVhbCBzaWduYXR1cmU=',
    });
    expect(res.status).toBe(403);
    const unsigned = await t.request('POST', webhook, form(params(`SM${'e'.repeat(32)}`, '1 1 1 1 1 1')), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(unsigned.status).toBe(403);
    const participant = await coach.get<ParticipantJson>(`/api/participants/${participantId}`);
    expect(participant.json.status).toBe('active');
    const after = await coach.get<RepliesJson>(`/api/participants/${participantId}/replies`);
    expect(after.json.replies).toEqual(before.json.replies);
  });

  it('answers a redelivered message (same MessageSid) once, and again only after the provider timed out; stores it once', async () => {
    const before = await coach.get<RepliesJson>(`/api/participants/${participantId}/replies`);
    const p = params(`SM${'a'.repeat(32)}`, '5 5 5 5 5 5');
    const signature = getExpectedTwilioSignature('local-twilio-auth-token', `${t.url}${webhook}`, p);
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature };
    const first = await t.request('POST', webhook, form(p), headers);
    const second = await t.request('POST', webhook, form(p), headers);
    expect(first.status).toBe(200);
    expect(String(first.json)).toContain('Got it: 5, 5, 5, 5, 5, 5');
    // At once: a racing duplicate; the first delivery answers, this one says nothing.
    expect(second.status).toBe(200);
    expect(String(second.json)).not.toContain('<Message>');
    // Half a minute later: Twilio retrying after its 15 s timeout never got the first answer.
    const { json } = await t.request<{ now: string }>('GET', '/dev/clock');
    await t.clock(new Date(Date.parse(json.now) + 31_000).toISOString());
    const retry = await t.request('POST', webhook, form(p), headers);
    expect(retry.json).toEqual(first.json);
    const res = await coach.get<RepliesJson>(`/api/participants/${participantId}/replies`);
    expect(res.json.replies).toHaveLength(before.json.replies.length + 6);
    expect(res.json.replies.slice(-6).map((r) => r.value)).toEqual([5, 5, 5, 5, 5, 5]);
  });

  it('rejects a signed but malformed webhook with 400 naming the field', async () => {
    const p = { ...params('not-a-sid', 'hi') };
    const signature = getExpectedTwilioSignature('local-twilio-auth-token', `${t.url}${webhook}`, p);
    const res = await t.request<{ field: string }>('POST', webhook, form(p), {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
    });
    expect(res.status).toBe(400);
    expect(res.json.field).toBe('MessageSid');
  });
});

describe('the coach API refuses bad input and other coaches', () => {
  const valid = {
    name: 'Bo',
    phone: '+12125550199',
    timeZone: 'Europe/Berlin',
    programId: 'daily-questions',
    channel: 'sms',
  };

  it.each([
    [{ ...valid, phone: '2125550199' }, 'phone'],
    [{ ...valid, phone: '+1212' }, 'phone'],
    [{ ...valid, timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ ...valid, timeZone: undefined }, 'timeZone'],
    [{ ...valid, programId: 'no-such-program' }, 'programId'],
    [{ ...valid, channel: 'pigeon' }, 'channel'],
    [{ ...valid, name: '' }, 'name'],
  ])('enrolment body %j → 400 naming %s', async (body, field) => {
    const res = await coach.post<{ field: string; error: string }>('/api/participants', body);
    expect(res.status).toBe(400);
    expect(res.json.field).toBe(field);
    expect(res.json.error).toContain(field);
  });

  it('rejects malformed JSON with 400 naming the body', async () => {
    const res = await coach.post<{ field: string }>('/api/participants', '{"name": ');
    expect(res.status).toBe(400);
    expect(res.json.field).toBe('body');
  });

  it('rejects a program whose send time is inside quiet hours, naming the window', async () => {
    const res = await coach.post<{ field: string; error: string }>('/api/programs', {
      name: 'Night owls',
      questions: SIX.slice(0, 1),
      schedule: { days: ['mon'], time: '22:30' },
    });
    expect(res.status).toBe(400);
    expect(res.json.field).toBe('schedule.time');
    expect(res.json.error).toContain('21:00–08:00');
  });

  it('requires a token (401)', async () => {
    expect((await t.request('GET', `/api/participants/${participantId}`)).status).toBe(401);
    expect(
      (await t.request('GET', '/api/programs', undefined, { authorization: 'Bearer forged.token' })).status,
    ).toBe(401);
  });

  it("hides another coach's participant (404) and their programs", async () => {
    const other = await t.coach('coach-bo');
    expect((await other.get(`/api/participants/${participantId}`)).status).toBe(404);
    expect((await other.get(`/api/participants/${participantId}/replies`)).status).toBe(404);
    const programs = await other.get<{ programs: { id: string }[] }>('/api/programs');
    expect(programs.json.programs.map((p) => p.id)).not.toContain(programId);
    const enrol = await other.post<{ field: string }>('/api/participants', { ...valid, programId });
    expect(enrol.status).toBe(400);
    expect(enrol.json.field).toBe('programId');
  });

  it('serves an OpenAPI document generated from the schemas', async () => {
    const res = await t.request<{
      openapi: string;
      components: { schemas: Record<string, { required?: string[]; properties?: object }> };
    }>('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    // The contact each channel needs (phone for sms, email for email) is checked per channel.
    expect(res.json.components.schemas.NewParticipant?.required).toEqual(
      expect.arrayContaining(['name', 'timeZone', 'programId', 'channel']),
    );
    expect(Object.keys(res.json.components.schemas.NewParticipant?.properties ?? {})).toEqual(
      expect.arrayContaining(['phone', 'email']),
    );
  });
});

describe('personal data', () => {
  it('never writes a phone number to the logs', () => {
    const text = logged.join('');
    expect(text).toContain('"participantId"'); // the functions did log, with ids
    expect(text).not.toContain('2125550123');
    expect(text).not.toContain('2125550199');
  });
});
