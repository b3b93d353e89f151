/**
 * Erasure reaches the inbound-mail bucket: the raw emails a participant sent (stored by SES
 * receiving, the local S3 store here) are deleted with the rest of their data, while another
 * participant's stay. Checked on the S3 endpoint itself, not through the API.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

interface StoredEmail {
  destination: { to: string[] };
  replyTo?: string[];
}

let t: TestSystem;
let coach: CoachClient;
const LEA = 'lea.erasable@example.com';
const MAX = 'max.stays@example.com';

beforeAll(async () => {
  t = await startTestSystem('2026-11-23T09:00:00Z'); // Monday 10:00 in Berlin
  coach = await t.coach('coach-erase-mail');
});
afterAll(async () => t?.stop());

async function enrol(name: string, email: string): Promise<string> {
  const res = await coach.post<{ id: string }>('/api/participants', {
    name,
    email,
    timeZone: 'Europe/Berlin',
    programId: 'daily-questions',
    channel: 'email',
  });
  expect(res.status).toBe(201);
  return res.json.id;
}

/** The per-prompt reply address of the latest check-in to `email`. */
async function replyAddressOf(email: string): Promise<string> {
  const { emails } = (await (await fetch(`${t.system.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  const address = emails.filter((e) => e.destination.to.includes(email) && e.replyTo).at(-1)?.replyTo?.[0];
  if (!address) throw new Error('no check-in with a reply address');
  return address;
}

/** Replies by email as a mail client would; resolves with the S3 URL of the stored raw message. */
async function replyByEmail(from: string, text: string): Promise<string> {
  const raw = await new MailComposer({
    from,
    to: await replyAddressOf(from),
    subject: 'Re: your check-in',
    text,
  })
    .compile()
    .build();
  const res = await t.request<{ stored: string; result: { outcomes: string[] } }>(
    'POST',
    '/dev/email/inbound',
    raw.toString('latin1'),
    { 'content-type': 'message/rfc822' },
  );
  expect(res.status).toBe(202);
  expect(res.json.result.outcomes).toEqual(['answers']);
  return `${t.system.s3Endpoint}/${process.env.INBOUND_MAIL_BUCKET}/${res.json.stored}`;
}

describe('erasing an email participant', () => {
  it("deletes the raw emails they sent from the inbound bucket, and nobody else's", async () => {
    const lea = await enrol('Lea Erasable', LEA);
    await enrol('Max Stays', MAX);
    await t.settle();
    await t.clock('2026-11-23T19:01:00Z'); // 20:01 in Berlin: the check-ins are out
    const leaMail = await replyByEmail(LEA, '7 8 6 9 5 8 a hard day at work');
    const maxMail = await replyByEmail(MAX, '5 5 5 5 5 5');
    expect((await fetch(leaMail)).status).toBe(200);

    // The export names where the raw message is kept.
    const exported = await coach.get<{ messagesReceived: { rawRef?: string }[] }>(
      `/api/participants/${lea}/export`,
    );
    expect(exported.json.messagesReceived.map((m) => m.rawRef)).toEqual([
      `s3://${leaMail.slice(t.system.s3Endpoint.length + 1)}`,
    ]);

    const { token } = (await t.request<{ token: string }>('POST', '/dev/token', { coachId: coach.coachId }))
      .json;
    const erased = await t.request('DELETE', `/api/participants/${lea}`, undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(erased.status).toBe(204);
    expect((await fetch(leaMail)).status).toBe(404);
    expect((await fetch(maxMail)).status).toBe(200);
  });
});
