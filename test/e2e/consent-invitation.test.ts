/**
 * A "Yes" means consent to the one who asked, end to end against the local Twilio gateway (the
 * app sends with the real `twilio` SDK; replies arrive as signed webhooks): the invitation names
 * the coach and the program in one GSM-7 segment; while a yes/no question is open, "Yes" answers
 * it and leaves another coach's invitation pending, saying so; each invitation takes its own YES,
 * the one the person got last first.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

let t: TestSystem;
let ana: CoachClient;
let ben: CoachClient;

beforeAll(async () => {
  t = await startTestSystem('2026-11-23T15:00:00Z'); // Monday 10:00 in New York
  ana = await t.coach('coach-ana', { name: 'Ana Ruiz' });
  ben = await t.coach('coach-ben', { name: 'Ben Li' });
});
afterAll(async () => t?.stop());

async function program(coach: CoachClient, name: string, time: string): Promise<string> {
  const res = await coach.post<{ id: string }>('/api/programs', {
    name,
    questions: [{ type: 'yes-no', text: 'Did I take a real break today?' }],
    schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time },
  });
  expect(res.status).toBe(201);
  return res.json.id;
}

async function enrol(coach: CoachClient, phone: string, programId: string): Promise<string> {
  const res = await coach.post<{ id: string }>('/api/participants', {
    name: 'Pat',
    phone,
    channel: 'sms',
    timeZone: 'America/New_York',
    programId,
  });
  expect(res.status).toBe(201);
  await t.settle();
  return res.json.id;
}

const statusOf = async (coach: CoachClient, id: string) =>
  (await coach.get<{ status: string }>(`/api/participants/${id}`)).json.status;
const lastSms = async (phone: string) => (await t.sms(phone)).at(-1)?.body ?? '';

describe('the invitation', () => {
  it('names the coach and the program, in one GSM-7 segment', async () => {
    const phone = '+12125550191';
    await enrol(ana, phone, await program(ana, 'Focus', '18:00'));
    const invitation = await lastSms(phone);
    expect(invitation).toMatch(
      /^Ana Ruiz \(Focus program\) invites you to daily questions by SMS\. Reply YES to join, STOP to opt out\./u,
    );
    const segments = new SegmentedMessage(invitation);
    expect(segments.encodingName).toBe('GSM-7');
    expect(segments.segmentsCount).toBe(1);
  });

  it('says "Your coach" when the coach has no name, and drops accents GSM-7 lacks', async () => {
    const phone = '+12125550192';
    const zoe = await t.coach('coach-zoe', { name: 'Zoë Ünal' });
    const nameless = await t.coach('coach-nameless');
    await enrol(zoe, phone, await program(zoe, 'Énergie', '18:00'));
    expect(await lastSms(phone)).toMatch(/^Zoe Ünal \(Énergie program\) invites you/u);
    expect(new SegmentedMessage(await lastSms(phone)).encodingName).toBe('GSM-7');
    await enrol(nameless, '+12125550193', 'daily-questions');
    expect(await lastSms('+12125550193')).toMatch(/^Your coach \(Daily questions program\) invites you/u);
  });
});

describe('a YES while a yes/no question is open', () => {
  const PHONE = '+12125550194';
  let anaPat: string;
  let benPat: string;

  it('answers the question and leaves the other coach’s invitation pending, naming it', async () => {
    anaPat = await enrol(ana, PHONE, await program(ana, 'Focus', '18:00'));
    expect((await t.inbound(PHONE, 'YES')).reply).toMatch(/^You're in with Ana Ruiz \(Focus program\)\./u);
    expect(await statusOf(ana, anaPat)).toBe('active');

    benPat = await enrol(ben, PHONE, await program(ben, 'Sleep', '19:00'));
    expect(await lastSms(PHONE)).toMatch(/^Ben Li \(Sleep program\) invites you/u);
    await t.clock('2026-11-23T23:01:00Z'); // 18:01: Ana's yes/no question is out
    expect(await lastSms(PHONE)).toMatch(/real break/u);

    const { reply } = await t.inbound(PHONE, 'Yes');
    expect(reply).toMatch(/^Got it/u);
    expect(reply).toContain('Ben Li (Sleep program) also invited you: reply YES to join.');
    expect(await statusOf(ben, benPat)).toBe('pending');
    const answers = (await ana.get<{ replies: { value?: number }[] }>(`/api/participants/${anaPat}/replies`))
      .json.replies;
    expect(answers.map((a) => a.value)).toEqual([1]);
  });

  it('a YES of its own then accepts that invitation', async () => {
    const { reply } = await t.inbound(PHONE, 'YES');
    expect(reply).toMatch(/^You're in with Ben Li \(Sleep program\)\./u);
    expect(await statusOf(ben, benPat)).toBe('active');
    await t.clock('2026-11-24T00:01:00Z'); // 19:01: Ben's first question goes out
    expect(await lastSms(PHONE)).toMatch(/real break/u);
  });
});

describe('two invitations waiting', () => {
  it('each takes its own YES, the one the person got last first', async () => {
    const phone = '+12125550195';
    const fromAna = await enrol(ana, phone, await program(ana, 'Calm', '18:00'));
    await t.clock('2026-11-24T15:00:00Z'); // the next morning, the second invitation
    const fromBen = await enrol(ben, phone, await program(ben, 'Steps', '19:00'));
    expect(await lastSms(phone)).toMatch(/^Ben Li \(Steps program\) invites you/u);

    const first = await t.inbound(phone, 'YES');
    expect(first.reply).toMatch(/^You're in with Ben Li \(Steps program\)\./u);
    expect(first.reply).toContain('Ana Ruiz (Calm program) also invited you: reply YES to join.');
    expect(await statusOf(ben, fromBen)).toBe('active');
    expect(await statusOf(ana, fromAna)).toBe('pending');

    const second = await t.inbound(phone, 'YES');
    expect(second.reply).toMatch(/^You're in with Ana Ruiz \(Calm program\)\./u);
    expect(await statusOf(ana, fromAna)).toBe('active');
  });

  it('a message that is not YES repeats the invitation the person got last', async () => {
    const phone = '+12125550196';
    await enrol(ana, phone, await program(ana, 'Breathe', '18:00'));
    const { reply } = await t.inbound(phone, 'who is this?');
    expect(reply).toMatch(/^Ana Ruiz \(Breathe program\) invites you/u);
  });
});
