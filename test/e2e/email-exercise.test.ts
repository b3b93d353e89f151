/**
 * A coach's micro-exercise sent by email, end to end against the real local parts
 * (aws-ses-v2-local, the local S3 store, DynamoDB Local): the push email carries one-click answer
 * buttons, a click records the answer on the push, and a reply by email to another push records
 * its answer there; neither becomes a check-in answer.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  replyTo?: string[];
  body: { html?: string; text?: string };
}
interface PushJson {
  id: string;
  status: string;
  answer?: { value?: number; text?: string; receivedAt: string };
}

const ADA = 'ada@example.com';

let t: TestSystem;
let coach: CoachClient;
let adaId: string;

beforeAll(async () => {
  // Monday 2026-11-23, 09:00 in New York.
  t = await startTestSystem('2026-11-23T14:00:00Z');
  coach = await t.coach('coach-exercise');
  const res = await coach.post<{ id: string }>('/api/participants', {
    name: 'Ada Park',
    email: ADA,
    timeZone: 'America/New_York',
    programId: 'daily-questions',
    channel: 'email',
  });
  expect(res.status).toBe(201);
  adaId = res.json.id;
  await t.settle();
});
afterAll(async () => t?.stop());

/** The push emails Ada received whose text includes `fragment`. */
async function pushEmails(fragment: string): Promise<StoredEmail[]> {
  const res = await fetch(`${t.system.sesUrl}/store`);
  const { emails } = (await res.json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(ADA) && (e.body.text ?? '').includes(fragment));
}
/** Answer buttons of an email's HTML, by their label. */
const answerLinks = (email: StoredEmail | undefined) =>
  new Map(
    [...(email?.body.html ?? '').matchAll(/href="([^"]*\/a\/[\w-]+)"[^>]*>(\d+)<\/a>/gu)].map(
      (m) => [Number(m[2]), m[1] ?? ''] as const,
    ),
  );
const pushes = async () =>
  (await coach.get<{ pushes: PushJson[] }>(`/api/participants/${adaId}/pushes`)).json.pushes;
const checkInAnswers = async () =>
  (await coach.get<{ replies: unknown[] }>(`/api/participants/${adaId}/replies`)).json.replies;

async function push(text: string, question: string): Promise<string> {
  const res = await coach.post<PushJson>(`/api/participants/${adaId}/pushes`, {
    text,
    exercise: { question: { type: 'scale', text: question, min: 1, max: 5 } },
  });
  expect(res.status).toBe(201);
  await t.settle();
  return res.json.id;
}

describe('a micro-exercise by email', () => {
  it('is answered by clicking a button in the push email', async () => {
    const id = await push('Try a ten-minute walk after lunch.', 'How easy was the walk, 1-5?');
    const [mail] = await pushEmails('How easy was the walk');
    expect(mail?.subject).toBe('A note and a question from your coach');
    const links = answerLinks(mail);
    expect([...links.keys()]).toEqual([1, 2, 3, 4, 5]);

    const four = links.get(4) ?? '';
    const page = await fetch(four);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('How easy was the walk');
    expect((await pushes()).find((p) => p.id === id)?.answer).toBeUndefined(); // opening records nothing

    const posted = await fetch(four, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ confirm: '1' }).toString(),
    });
    expect(posted.status).toBe(200);
    expect((await pushes()).find((p) => p.id === id)?.answer).toMatchObject({ value: 4 });
    expect(await checkInAnswers()).toEqual([]);
  });

  it("is answered by replying to another push's email", async () => {
    await t.clock('2026-11-23T15:00:00Z');
    const id = await push('Close the laptop by 19:00 tonight.', 'How hard was stopping, 1-5?');
    const [mail] = await pushEmails('How hard was stopping');
    const replyTo = mail?.replyTo?.[0] ?? '';
    expect(replyTo).toMatch(/^r\+[a-z2-7]+@/u);

    const raw = await new MailComposer({
      from: `Ada Park <${ADA}>`,
      to: replyTo,
      subject: `Re: ${mail?.subject}`,
      text: '2\n\nOn Mon, 23 Nov 2026 at 10:00, Coaching wrote:\n> How hard was stopping, 1-5?\n',
    })
      .compile()
      .build();
    const res = await t.request<{ result: { outcomes: string[] } }>(
      'POST',
      '/dev/email/inbound',
      raw.toString('latin1'),
      { 'content-type': 'message/rfc822' },
    );
    expect(res.status).toBe(202);
    expect(res.json.result.outcomes).toEqual(['answers']);

    const list = await pushes();
    expect(list.find((p) => p.id === id)?.answer).toMatchObject({ value: 2 });
    // The first push keeps its own answer.
    expect(list.filter((p) => p.id !== id).map((p) => p.answer?.value)).toEqual([4]);
    expect(await checkInAnswers()).toEqual([]);
  });
});
