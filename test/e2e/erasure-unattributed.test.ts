/**
 * Export and erasure find what no enrolment took, end to end against the real local parts: an SMS
 * from a number before it was enrolled and one while no question is open, an out-of-office reply,
 * a reply whose DKIM failed, a reply to the participant's reply address from another mailbox —
 * each is in the participant's export, and after erasure neither the table (read directly) nor
 * the inbound bucket (the local S3 store) holds any of it. Another participant's messages stay.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableScanner } from '../support/scan.js';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

interface StoredEmail {
  destination: { to: string[] };
  replyTo?: string[];
}
interface Exported {
  messagesReceived: { body?: string; rawRef?: string; outcome?: { outcome: string } }[];
}

const SAM = '+12125550181';
const KAI = '+12125550182';
const EVE = 'eve.unattributed@example.com';
const EVE_WORK = 'eve.at.work@example.org';

let t: TestSystem;
let coach: CoachClient;
let token: string;
let allItems: () => Promise<Record<string, unknown>[]>;
const ids: Record<string, string> = {};
/** S3 URLs of the raw emails SES receiving stored for Eve. */
const eveMail: string[] = [];

beforeAll(async () => {
  t = await startTestSystem('2026-11-23T15:00:00Z'); // Monday 10:00 in New York
  allItems = tableScanner(t);
  coach = await t.coach('coach-unattributed');
  token = (await t.request<{ token: string }>('POST', '/dev/token', { coachId: 'coach-unattributed' })).json
    .token;
});
afterAll(async () => t?.stop());

async function enrol(name: string, address: { phone: string } | { email: string }): Promise<string> {
  const res = await coach.post<{ id: string }>('/api/participants', {
    name,
    ...address,
    channel: 'phone' in address ? 'sms' : 'email',
    timeZone: 'America/New_York',
    programId: 'daily-questions',
  });
  expect(res.status).toBe(201);
  await t.settle();
  return res.json.id;
}

/** Delivers a raw email as SES receiving would; resolves with its outcome and its S3 URL. */
async function mail(options: ConstructorParameters<typeof MailComposer>[0]) {
  const raw = await new MailComposer(options).compile().build();
  const res = await t.request<{ stored: string; result: { outcomes: string[] } }>(
    'POST',
    '/dev/email/inbound',
    raw.toString('latin1'),
    { 'content-type': 'message/rfc822' },
  );
  expect(res.status).toBe(202);
  return {
    outcome: res.json.result.outcomes[0],
    url: `${t.system.s3Endpoint}/${process.env.INBOUND_MAIL_BUCKET}/${res.json.stored}`,
  };
}

async function replyAddressOf(email: string): Promise<string> {
  const { emails } = (await (await fetch(`${t.system.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  const address = emails.filter((e) => e.destination.to.includes(email) && e.replyTo).at(-1)?.replyTo?.[0];
  if (!address) throw new Error('no check-in with a reply address');
  return address;
}

const exported = async (id: string) =>
  (await coach.get<Exported>(`/api/participants/${id}/export`)).json.messagesReceived;
const erase = async (id: string) =>
  expect(
    (await t.request('DELETE', `/api/participants/${id}`, undefined, { authorization: `Bearer ${token}` }))
      .status,
  ).toBe(204);
const itemsMentioning = async (text: string) =>
  (await allItems()).filter((i) => JSON.stringify(i).includes(text));

describe('SMS no enrolment took', () => {
  it('are exported with the participant and erased with them', async () => {
    // Before anyone enrolled the number, and later while no question is open.
    expect((await t.inbound(SAM, 'is this the coaching line?')).status).toBe(200);
    ids.sam = await enrol('Sam', { phone: SAM });
    ids.kai = await enrol('Kai', { phone: KAI });
    await t.inbound(SAM, 'YES');
    await t.inbound(KAI, 'YES');
    const { reply } = await t.inbound(SAM, 'running late today, sorry');
    expect(reply).not.toMatch(/^Got it/u);
    await t.inbound(KAI, 'kai says hello');

    const bodies = (await exported(ids.sam ?? '')).map((m) => m.body);
    expect(bodies).toEqual(
      expect.arrayContaining(['is this the coaching line?', 'YES', 'running late today, sorry']),
    );
    expect(bodies).not.toContain('kai says hello');

    await erase(ids.sam ?? '');
    expect(await itemsMentioning(SAM)).toEqual([]);
    expect(await itemsMentioning('is this the coaching line?')).toEqual([]);
    expect(await itemsMentioning('running late today')).toEqual([]);
    // Another participant's unattributed message is theirs, not erased with Sam.
    expect(await itemsMentioning('kai says hello')).toHaveLength(1);
  });
});

describe('emails no enrolment took', () => {
  it('are exported with the participant, and erased from the table and the inbound bucket', async () => {
    ids.eve = await enrol('Eve', { email: EVE });
    await t.clock('2026-11-24T01:01:00Z'); // 20:01 in New York: the check-in is out
    const to = await replyAddressOf(EVE);

    const outOfOffice = await mail({
      from: EVE,
      to,
      subject: 'Automatic reply: your check-in',
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'I am out of the office until Monday.',
    });
    const dkimFailed = await mail({
      from: EVE,
      to,
      subject: 'Re: your check-in',
      headers: { 'Authentication-Results': 'amazonses.com; spf=pass; dkim=fail header.i=@example.com' },
      text: '3 3 3 3 3 3 forged or not',
    });
    const otherMailbox = await mail({
      from: EVE_WORK,
      to,
      subject: 'Re: your check-in',
      text: '8 8 8 8 8 8 from my work account',
    });
    const answered = await mail({ from: EVE, to, subject: 'Re: your check-in', text: '7 7 7 7 7 7' });
    expect([outOfOffice, dkimFailed, otherMailbox, answered].map((m) => m.outcome)).toEqual([
      'auto-reply',
      'auth-failed',
      'unattributed',
      'answers',
    ]);
    eveMail.push(...[outOfOffice, dkimFailed, otherMailbox, answered].map((m) => m.url));

    const received = await exported(ids.eve ?? '');
    expect(received.map((m) => m.outcome?.outcome).sort()).toEqual(
      ['answers', 'auth-failed', 'auto-reply', 'unattributed'].sort(),
    );
    expect(received.map((m) => m.body)).toEqual(
      expect.arrayContaining(['I am out of the office until Monday.', '8 8 8 8 8 8 from my work account']),
    );
    for (const url of eveMail) expect((await fetch(url)).status).toBe(200);

    await erase(ids.eve ?? '');
    for (const url of eveMail) expect((await fetch(url)).status).toBe(404);
    expect(await itemsMentioning(EVE)).toEqual([]);
    expect(await itemsMentioning(EVE_WORK)).toEqual([]);
    expect(await itemsMentioning('out of the office')).toEqual([]);
    expect(await itemsMentioning('forged or not')).toEqual([]);
  });
});
