/**
 * Email check-ins end to end against the real local parts (aws-ses-v2-local, the local S3 store,
 * DynamoDB Local): one check-in at local send time with answer links and both unsubscribe headers;
 * clicks that record, replace and never double count; mail scanners and tampered links that record
 * nothing; replies written by real mail composers; one-click unsubscribe; hard bounces.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  replyTo?: string[];
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}
interface Reply {
  question: string;
  value?: number;
  source: string;
  comment?: string;
}

let t: TestSystem;
let coach: CoachClient;
let zoeId: string;
const ZOE = 'zoe@example.com';

beforeAll(async () => {
  // Monday 2026-11-23, 10:00 in Berlin.
  t = await startTestSystem('2026-11-23T09:00:00Z');
  coach = await t.coach('coach-mail');
});
afterAll(async () => t?.stop());

async function emailsTo(address: string): Promise<StoredEmail[]> {
  const res = await fetch(`${t.system.sesUrl}/store`);
  const { emails } = (await res.json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(address));
}
const checkInsTo = async (address: string) =>
  (await emailsTo(address)).filter((e) => /\/a\//u.test(e.body.html ?? ''));
const replies = async (id: string) =>
  (await coach.get<{ replies: Reply[] }>(`/api/participants/${id}/replies`)).json.replies;
/** Every link of an email's HTML. */
const linksOf = (email: StoredEmail | undefined) =>
  [...(email?.body.html ?? '').matchAll(/href="([^"]+)"/gu)].map((m) =>
    (m[1] ?? '').replaceAll('&amp;', '&'),
  );
/** Answer links of the first question, by value. */
const answerLinks = (email: StoredEmail | undefined) => {
  const out = new Map<number, string>();
  for (const m of (email?.body.html ?? '').matchAll(/href="([^"]*\/a\/[\w-]+)"[^>]*>(\d+)<\/a>/gu)) {
    const value = Number(m[2]);
    if (m[1] && !out.has(value)) out.set(value, m[1]);
  }
  return out;
};
const post = (url: string, form: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });

describe('email check-ins', () => {
  it('welcomes an email participant and sends one check-in at their local send time', async () => {
    const program = await coach.post<{ id: string }>('/api/programs', {
      name: 'Evening two',
      questions: [
        { type: 'scale', text: 'Did I do my best to set clear goals today?' },
        { type: 'scale', text: 'Did I do my best to be fully engaged today?' },
      ],
      schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '19:00' },
    });
    const res = await coach.post<{ id: string; status: string }>('/api/participants', {
      name: 'Zoe',
      email: ZOE,
      timeZone: 'Europe/Berlin',
      programId: program.json.id,
      channel: 'email',
    });
    expect(res.status).toBe(201);
    expect(res.json.status).toBe('active');
    zoeId = res.json.id;
    await t.settle();
    const welcome = await emailsTo(ZOE);
    expect(welcome).toHaveLength(1);
    expect(welcome[0]?.body.text).toMatch(/19:00/u);
    expect(await checkInsTo(ZOE)).toHaveLength(0);

    await t.clock('2026-11-23T17:59:00Z'); // 18:59 in Berlin: not yet
    expect(await checkInsTo(ZOE)).toHaveLength(0);
    await t.clock('2026-11-23T18:01:00Z'); // 19:01
    const checkIns = await checkInsTo(ZOE);
    expect(checkIns).toHaveLength(1);
    const [checkIn] = checkIns;
    expect(checkIn?.body.text).toContain('/a/');
    expect(answerLinks(checkIn).size).toBe(10);
    const headers = Object.fromEntries((checkIn?.headers ?? []).map((h) => [h.name.toLowerCase(), h.value]));
    expect(headers['list-unsubscribe']).toMatch(/^<https?:\/\/[^>]+\/u\/[\w-]+>, <mailto:r\+/u);
    expect(headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(checkIn?.replyTo?.[0]).toMatch(/^r\+[a-z0-9]+@reply\./u);
  });

  it('records nothing when a mail scanner fetches every link of the message', async () => {
    const [checkIn] = await checkInsTo(ZOE);
    const links = linksOf(checkIn);
    expect(links.length).toBeGreaterThan(20);
    for (const link of links) await fetch(link, { redirect: 'manual' });
    expect(await replies(zoeId)).toEqual([]);
  });

  it('a click records the answer; another value replaces it; clicking again counts once', async () => {
    const links = answerLinks((await checkInsTo(ZOE))[0]);
    const seven = links.get(7) ?? '';
    const page = await (await fetch(seven)).text();
    expect(page).toContain('<form'); // the page posts the answer by itself in a browser
    expect((await post(seven, { confirm: '1' })).status).toBe(200);
    expect((await replies(zoeId)).map((r) => [r.value, r.source])).toEqual([[7, 'answer-link']]);
    await post(links.get(4) ?? '', { confirm: '1' });
    await post(links.get(4) ?? '', { confirm: '1' });
    expect((await replies(zoeId)).map((r) => r.value)).toEqual([4]);
  });

  it('a tampered link shows a clear page and records nothing', async () => {
    const link = answerLinks((await checkInsTo(ZOE))[0]).get(9) ?? '';
    const tampered = `${link.slice(0, -3)}${link.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const res = await post(tampered, { confirm: '1' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("doesn't work");
    expect((await replies(zoeId)).map((r) => r.value)).toEqual([4]);
  });
});

describe('replies by email', () => {
  async function deliver(options: ConstructorParameters<typeof MailComposer>[0]) {
    const raw = await new MailComposer(options).compile().build();
    return t.request<{ result: { outcomes: string[] } }>(
      'POST',
      '/dev/email/inbound',
      raw.toString('latin1'),
      {
        'content-type': 'message/rfc822',
      },
    );
  }
  const replyTo = async () => (await checkInsTo(ZOE)).at(-1)?.replyTo?.[0] ?? '';

  it('records the numbers of a Gmail-style reply, quoted history and signature stripped', async () => {
    await t.clock('2026-11-24T18:01:00Z'); // Tuesday's check-in
    const res = await deliver({
      from: `Zoe <${ZOE}>`,
      to: await replyTo(),
      subject: 'Re: your check-in',
      text: '8 9 good day\n\n--\nZoe\n\nOn Tue, 24 Nov 2026 at 19:00, Coaching <checkins@nanocoach.localhost> wrote:\n> Did I do my best to set clear goals today?\n> 1 2 3 4 5 6 7 8 9 10\n',
    });
    expect(res.status).toBe(202);
    expect(res.json.result.outcomes).toEqual(['answers']);
    const tuesday = (await replies(zoeId)).filter((r) => r.source === 'email-reply');
    expect(tuesday.map((r) => [r.value, r.comment])).toEqual([
      [8, 'good day'],
      [9, 'good day'],
    ]);
  });

  it('keeps an out-of-office reply and a failed DKIM verdict aside, answering neither', async () => {
    const before = (await replies(zoeId)).length;
    const sent = (await emailsTo(ZOE)).length;
    const auto = await deliver({
      from: ZOE,
      to: await replyTo(),
      subject: 'Automatic reply: your check-in',
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'I am out of the office until 1 December.',
    });
    expect(auto.json.result.outcomes).toEqual(['auto-reply']);
    const forged = await deliver({
      from: ZOE,
      to: await replyTo(),
      subject: 'Re: your check-in',
      headers: { 'Authentication-Results': 'amazonses.com; spf=pass; dkim=fail header.i=@example.com' },
      text: '1 1',
    });
    expect(forged.json.result.outcomes).toEqual(['auth-failed']);
    expect(await replies(zoeId)).toHaveLength(before);
    expect(await emailsTo(ZOE)).toHaveLength(sent); // no mail loop
  });
});

describe('stopping email', () => {
  it('a one-click unsubscribe POST answers 200 and no check-in follows', async () => {
    const [checkIn] = await checkInsTo(ZOE);
    const header = checkIn?.headers?.find((h) => h.name.toLowerCase() === 'list-unsubscribe')?.value ?? '';
    const url = /<(https?:[^>]+)>/u.exec(header)?.[1] ?? '';
    // What a mailbox provider sends for RFC 8058 one-click unsubscribe.
    const res = await post(url, { 'List-Unsubscribe': 'One-Click' });
    expect(res.status).toBe(200);
    expect((await coach.get<{ status: string }>(`/api/participants/${zoeId}`)).json.status).toBe('opted_out');
    const before = (await checkInsTo(ZOE)).length;
    await t.clock('2026-11-27T18:30:00Z');
    expect(await checkInsTo(ZOE)).toHaveLength(before);
  });

  it('a hard bounce suppresses the address: the coach sees bouncing and nothing more is sent', async () => {
    const address = 'max@example.com';
    const res = await coach.post<{ id: string }>('/api/participants', {
      name: 'Max',
      email: address,
      timeZone: 'Europe/Berlin',
      programId: 'daily-questions',
      channel: 'email',
    });
    await t.settle();
    const bounce = await t.request('POST', '/dev/email/events', {
      eventType: 'Bounce',
      mail: { messageId: 'ses-1', destination: [address] },
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: address }],
      },
    });
    expect(bounce.status).toBe(202);
    expect((await coach.get<{ status: string }>(`/api/participants/${res.json.id}`)).json.status).toBe(
      'bouncing',
    );
    const before = (await emailsTo(address)).length;
    await t.clock('2026-11-28T20:00:00Z');
    expect(await emailsTo(address)).toHaveLength(before);
  });
});
