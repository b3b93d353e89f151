/**
 * Coaches editing participants, end to end against the real local parts: the SMS side through the
 * local Twilio gateway (the app sends with the real `twilio` SDK; inbound messages are signed by the
 * gateway as Twilio would), the email side through the local SES store. A new zone moves the next
 * question without a duplicate or a lost day; a new phone or address asks for consent again; an
 * opted-out or suppressed address stays so; bad input is a 400 naming the field and changes nothing;
 * two concurrent edits never half-apply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, type Res, startTestSystem, type TestSystem } from '../support/system.js';

interface ParticipantJson {
  id: string;
  name: string;
  status: string;
  channel: string;
  phone?: string;
  email?: string;
  timeZone: string;
  nextDueAt?: string;
  consentRestarted?: boolean;
}
interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
}

const SAM = '+12125550123';
const SAM_NEW = '+12125550199';
const STOPPED = '+12125550155';

let t: TestSystem;
let tokenA = '';
let tokenB = '';

async function token(coachId: string): Promise<string> {
  return (await t.request<{ token: string }>('POST', '/dev/token', { coachId })).json.token;
}
const as = (tok: string) => ({ authorization: `Bearer ${tok}` });
const patch = (id: string, body: unknown, tok = tokenA): Promise<Res<ParticipantJson & Json>> =>
  t.request('PATCH', `/api/participants/${id}`, body, as(tok));
const read = async (id: string, tok = tokenA) =>
  (await t.request<ParticipantJson>('GET', `/api/participants/${id}`, undefined, as(tok))).json;
const enrol = async (body: Record<string, string>, tok = tokenA) => {
  const res = await t.request<ParticipantJson>(
    'POST',
    '/api/participants',
    { programId: 'daily-questions', ...body },
    as(tok),
  );
  expect(res.status).toBe(201);
  await t.settle();
  return res.json;
};
const questionsTo = async (to: string) =>
  (await t.sms(to)).filter((m) => m.body.includes('Did I do my best'));
async function emailsTo(address: string): Promise<StoredEmail[]> {
  const res = await fetch(`${t.system.sesUrl}/store`);
  const { emails } = (await res.json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(address));
}
const checkInsTo = async (address: string) =>
  (await emailsTo(address)).filter((e) => /\/a\//u.test(e.body.html ?? ''));

beforeAll(async () => {
  // Monday 2026-11-23, 09:00 in New York, 15:00 in Berlin. Daily questions go out at 20:00 local.
  t = await startTestSystem('2026-11-23T14:00:00Z');
  tokenA = await token('coach-ana');
  tokenB = await token('coach-bo');
});
afterAll(async () => t?.stop());

describe('a coach edits an SMS participant', () => {
  let sam = '';

  it('enrols Sam in New York, who opts in', async () => {
    sam = (await enrol({ name: 'Sam', phone: SAM, timeZone: 'America/New_York', channel: 'sms' })).id;
    expect((await t.inbound(SAM, 'YES')).reply).toContain("You're in");
    expect((await read(sam)).nextDueAt).toBe('2026-11-24T01:00:00.000Z');
  });

  it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
      [{ phone: '2125550123' }, 'phone'],
      [{ email: 'not an address' }, 'email'],
      [{ name: '' }, 'name'],
      [{ channel: 'pigeon' }, 'channel'],
      [{ channel: 'email' }, 'email'], // Sam has no email address
      [{}, 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await patch(sam, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.field, JSON.stringify(body)).toBe(field);
    }
    expect(await read(sam)).toMatchObject({ name: 'Sam', phone: SAM, timeZone: 'America/New_York' });
  });

  it("another coach's participant, or none, is 404", async () => {
    expect((await patch(sam, { name: 'Mallory' }, tokenB)).status).toBe(404);
    expect((await patch('no-such-id', { name: 'X' })).status).toBe(404);
    expect((await read(sam)).name).toBe('Sam');
  });

  it('renames Sam', async () => {
    const res = await patch(sam, { name: 'Samantha' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: 'Samantha', status: 'active', consentRestarted: false });
  });

  it("moves Sam to Berlin: today's question comes at 20:00 Berlin, and New York's never", async () => {
    const res = await patch(sam, { timeZone: 'Europe/Berlin' });
    expect(res.json).toMatchObject({ timeZone: 'Europe/Berlin', nextDueAt: '2026-11-23T19:00:00.000Z' });
    await t.clock('2026-11-23T19:05:00Z');
    expect(await questionsTo(SAM)).toHaveLength(1);
    // 20:30 Monday in New York: the old time passed with nothing sent.
    await t.clock('2026-11-24T01:30:00Z');
    expect(await questionsTo(SAM)).toHaveLength(1);
  });

  it("moves Sam back to New York, where Monday's 20:00 just passed: Monday already had its question, so Tuesday's is next", async () => {
    const res = await patch(sam, { timeZone: 'America/New_York' });
    expect(res.json.nextDueAt).toBe('2026-11-25T01:00:00.000Z');
    await t.clock('2026-11-25T01:05:00Z');
    expect(await questionsTo(SAM)).toHaveLength(2);
    const prompts = await t.request<{ prompts: { kind: string; scheduledFor: string }[] }>(
      'GET',
      `/api/participants/${sam}/prompts`,
      undefined,
      as(tokenA),
    );
    const list = prompts.json.prompts;
    expect(
      list
        .filter((p) => p.kind === 'prompt')
        .map((p) => p.scheduledFor)
        .sort(),
    ).toEqual(['2026-11-23T19:00:00.000Z', '2026-11-25T01:00:00.000Z']);
  });

  it('a new phone asks for YES there, and the old number reaches nothing', async () => {
    const res = await patch(sam, { phone: SAM_NEW });
    expect(res.json).toMatchObject({ phone: SAM_NEW, status: 'pending', consentRestarted: true });
    await t.settle();
    const toNew = await t.sms(SAM_NEW);
    expect(toNew).toHaveLength(1);
    expect(toNew[0]?.body).toContain('YES');
    // The old number is no longer linked to the enrolment: its answer is nobody's.
    await t.inbound(SAM, '7 7 7 7 7 7');
    const replies = await t.request<{ replies: unknown[] }>(
      'GET',
      `/api/participants/${sam}/replies`,
      undefined,
      as(tokenA),
    );
    expect(replies.json.replies).toHaveLength(0);
    // No question to either number before YES.
    await t.clock('2026-11-26T01:05:00Z');
    expect(await questionsTo(SAM)).toHaveLength(2);
    expect(await questionsTo(SAM_NEW)).toHaveLength(0);
    expect((await t.inbound(SAM_NEW, 'YES')).reply).toContain("You're in");
    await t.clock('2026-11-27T01:05:00Z');
    expect(await questionsTo(SAM_NEW)).toHaveLength(1);
    expect(await questionsTo(SAM)).toHaveLength(2);
    expect((await read(sam)).status).toBe('active');
  });

  it('a number that said STOP stays stopped: no opt-in request, and the coach sees pending', async () => {
    // Another coach's participant on that number said STOP.
    const lee = (
      await enrol({ name: 'Lee', phone: STOPPED, timeZone: 'America/New_York', channel: 'sms' }, tokenB)
    ).id;
    await t.inbound(STOPPED, 'STOP');
    const before = (await t.sms(STOPPED)).length;
    const res = await patch(sam, { phone: STOPPED });
    expect(res.json).toMatchObject({ status: 'pending', phone: STOPPED });
    await t.clock('2026-11-28T01:05:00Z');
    expect(await t.sms(STOPPED)).toHaveLength(before);
    expect((await read(lee, tokenB)).status).toBe('opted_out');
  });

  it('two concurrent edits never half-apply: the enrolment ends linked to one number only', async () => {
    const kim = (
      await enrol({ name: 'Kim', phone: '+12125550160', timeZone: 'America/Chicago', channel: 'sms' })
    ).id;
    const phones = ['+12125550161', '+12125550162'];
    const results = await Promise.all(phones.map((phone) => patch(kim, { phone })));
    for (const r of results) expect([200, 409]).toContain(r.status);
    expect(results.some((r) => r.status === 200)).toBe(true);
    const final = (await read(kim)).phone ?? '';
    expect(phones).toContain(final);
    await t.settle();
    // Only the number it ended with is linked: YES from the other one starts nothing.
    const other = phones.find((p) => p !== final) ?? '';
    await t.inbound(other, 'YES');
    expect((await read(kim)).status).toBe('pending');
    await t.inbound(final, 'YES');
    expect((await read(kim)).status).toBe('active');
  });
});

describe('a coach edits an email participant', () => {
  let zoe = '';

  it('a new address gets a welcome (after quiet hours), and the next check-in goes there', async () => {
    zoe = (
      await enrol({ name: 'Zoe', email: 'zoe@example.com', timeZone: 'Europe/Berlin', channel: 'email' })
    ).id;
    // 02:05 in Berlin: the welcome waits for the end of quiet hours, and so does the schedule.
    const res = await patch(zoe, { email: 'zoe@new.example' });
    expect(res.json).toMatchObject({ status: 'pending', email: 'zoe@new.example', consentRestarted: true });
    await t.settle();
    expect(await emailsTo('zoe@new.example')).toHaveLength(0);
    await t.clock('2026-11-28T07:05:00Z');
    expect(await emailsTo('zoe@new.example')).toHaveLength(1);
    expect((await read(zoe)).status).toBe('active');
    const oldBefore = (await emailsTo('zoe@example.com')).length;
    // Saturday 20:00 Berlin.
    await t.clock('2026-11-28T19:05:00Z');
    expect(await checkInsTo('zoe@new.example')).toHaveLength(1);
    expect(await emailsTo('zoe@example.com')).toHaveLength(oldBefore);
  });

  it('a suppressed address stays suppressed: the coach sees bouncing and nothing is sent to it', async () => {
    const gone = 'gone@example.com';
    const bounce = await t.request('POST', '/dev/email/events', {
      eventType: 'Bounce',
      mail: { messageId: 'ses-edit-1', destination: [gone] },
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: gone }],
      },
    });
    expect(bounce.status).toBe(202);
    const res = await patch(zoe, { email: gone });
    expect(res.json.status).toBe('bouncing');
    await t.clock('2026-11-29T19:05:00Z');
    expect(await emailsTo(gone)).toHaveLength(0);
  });
});
