/**
 * Email participants served as SMS ones, end to end against the real local parts (aws-ses-v2-local,
 * the local S3 store, DynamoDB Local) with replies built by a real mail composer: answers by reply
 * are confirmed by email with the SMS progress line, and PAUSE 7, RESUME, SKIP and STOP (first
 * line or subject) do what they do by SMS, answered with the same words.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPT_OUT_CONFIRMED_SMS } from '../../shared/channels/sms/domain/messages.js';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  replyTo?: string[];
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}

let t: TestSystem;
let coach: CoachClient;
let zoeId = '';
const ZOE = 'zoe@example.com';

async function emailsTo(address: string): Promise<StoredEmail[]> {
  const { emails } = (await (await fetch(`${t.system.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(address));
}
const checkIns = async () => (await emailsTo(ZOE)).filter((e) => /\/c\//u.test(e.body.html ?? ''));
const answers = async () => (await emailsTo(ZOE)).filter((e) => e.subject.startsWith('Re: '));
const status = async () => (await coach.get<{ status: string }>(`/api/participants/${zoeId}`)).json.status;

/** Zoe replies to her latest check-in, as her mail client would send it. */
async function reply(subject: string, text: string) {
  const to = (await checkIns()).at(-1)?.replyTo?.[0] ?? '';
  const raw = await new MailComposer({ from: `Zoe <${ZOE}>`, to, subject, text }).compile().build();
  const res = await t.request<{ result: { outcomes: string[] } }>(
    'POST',
    '/dev/email/inbound',
    raw.toString('latin1'),
    {
      'content-type': 'message/rfc822',
    },
  );
  expect(res.status).toBe(202);
  return res.json.result.outcomes;
}

beforeAll(async () => {
  // Monday 2026-11-23, 10:00 in Berlin.
  t = await startTestSystem('2026-11-23T09:00:00Z');
  coach = await t.coach('coach-mail-commands');
  const program = await coach.post<{ id: string }>('/api/programs', {
    name: 'Evening two',
    questions: [
      { type: 'scale', text: 'Did I do my best to set clear goals today?' },
      { type: 'scale', text: 'Did I do my best to be fully engaged today?' },
    ],
    schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '19:00' },
  });
  const res = await coach.post<{ id: string }>('/api/participants', {
    name: 'Zoe',
    email: ZOE,
    timeZone: 'Europe/Berlin',
    programId: program.json.id,
    channel: 'email',
  });
  zoeId = res.json.id;
  await t.settle();
  await t.clock('2026-11-23T18:01:00Z'); // Monday 19:01: the check-in is out
}, 120_000);
afterAll(async () => t?.stop());

describe('an email participant', () => {
  it('gets the check-in page link, and a confirmation with the progress line for each reply', async () => {
    expect(await checkIns()).toHaveLength(1);
    expect((await checkIns())[0]?.body.text).toMatch(
      /Answer all 2 questions on one page: http\S+\/c\/[\w-]+/u,
    );
    expect(
      await reply('Re: Evening two: 2 quick questions', '7 8 good day\n\nOn Mon, Zoe wrote:\n> 1 2 3'),
    ).toEqual(['answers']);
    const [first] = await answers();
    expect(first?.subject).toBe('Re: Evening two: 2 quick questions');
    expect(first?.body.text?.trim()).toBe('Got it: 7, 8. Thanks!');
    expect(first?.replyTo?.[0]).toMatch(/^r\+[a-z2-7]+@/u);

    await t.clock('2026-11-24T18:01:00Z'); // Tuesday's check-in
    await reply('Re: Evening two: 2 quick questions', '8 9');
    expect((await answers()).at(-1)?.body.text?.trim()).toBe('Got it: 8, 9. 2 days in a row.');
  });

  it('PAUSE 7 in the subject pauses her check-ins, answered as by SMS; RESUME in the text resumes', async () => {
    expect(await reply('PAUSE 7', '')).toEqual(['pause']);
    expect(await status()).toBe('paused');
    expect((await answers()).at(-1)?.body.text).toMatch(
      /^Paused for 7 days\. Check-ins resume Tue, Dec 1\. Reply RESUME to restart sooner\./u,
    );
    const before = (await checkIns()).length;
    await t.clock('2026-11-25T18:30:00Z'); // Wednesday: no check-in
    expect(await checkIns()).toHaveLength(before);

    expect(await reply('Re: Evening two: 2 quick questions', 'Resume\n\nZoe')).toEqual(['resume']);
    expect(await status()).toBe('active');
    expect((await answers()).at(-1)?.body.text).toMatch(
      /^Welcome back! Your next check-in arrives Thu 7:00 PM\./u,
    );
  });

  it('SKIP skips today’s check-in; STOP opts her out with the SMS confirmation and nothing follows', async () => {
    await t.clock('2026-11-26T08:00:00Z'); // Thursday morning
    expect(await reply('Re: Evening two', 'skip')).toEqual(['skip']);
    expect((await answers()).at(-1)?.body.text?.trim()).toBe(
      "OK, today's check-in is skipped. See you next time!",
    );
    const before = (await checkIns()).length;
    await t.clock('2026-11-26T18:30:00Z');
    expect(await checkIns()).toHaveLength(before);

    expect(await reply('Re: Evening two', 'STOP')).toEqual(['opt-out']);
    expect(await status()).toBe('opted_out');
    expect((await answers()).at(-1)?.body.text?.trim()).toBe(OPT_OUT_CONFIRMED_SMS);
    const sent = (await emailsTo(ZOE)).length;
    await t.clock('2026-11-28T18:30:00Z');
    await reply('Re: Evening two', '9 9');
    expect(await emailsTo(ZOE)).toHaveLength(sent); // no check-in, no confirmation
  });
});
