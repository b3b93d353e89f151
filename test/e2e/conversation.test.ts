/**
 * Every word reaches the coach, end to end against the real local parts (the local Twilio gateway
 * signing inbound SMS, aws-ses-v2-local, DynamoDB Local): an SMS outside any prompt and an email
 * reply with no answer reach the participant's conversation and the week's unread count; "help me"
 * flags the participant needs-a-human (first in the week), emails the coach once and is answered
 * with the coach's name; the coach marks messages read and replies on the participant's channel,
 * deferred out of quiet hours, never after STOP; erasure takes the messages with it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

const SAM = '+12125550160';
const PAT = '+12125550161';
const ZOE = 'zoe.conversation@example.com';
const COACH_EMAIL = 'ana.ruiz@coach.example';

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  replyTo?: string[];
  body: { html?: string; text?: string };
}
interface Entry {
  from: 'participant' | 'coach';
  id: string;
  at: string;
  text: string;
  urgent?: boolean;
  readAt?: string;
  status?: string;
  sendAt?: string;
  skipReason?: string;
}
interface ConversationJson {
  messages: Entry[];
  unreadMessages: number;
  needsHuman: boolean;
}
interface WeekJson {
  summaries: { participantId: string; flags: string[]; unreadMessages: number }[];
}

let t: TestSystem;
let coach: CoachClient;
const ids: Record<string, string> = {};

async function emailsTo(address: string): Promise<StoredEmail[]> {
  const res = await fetch(`${t.system.sesUrl}/store`);
  const { emails } = (await res.json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(address));
}
const conversation = async (id: string) =>
  (await coach.get<ConversationJson>(`/api/participants/${id}/messages`)).json;
const week = async () => (await coach.get<WeekJson>('/api/summaries')).json.summaries;

async function enrolSms(name: string, phone: string): Promise<string> {
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
  // Monday 2026-11-23, 09:00 in New York: no check-in open until 20:00.
  t = await startTestSystem('2026-11-23T14:00:00Z');
  coach = await t.coach('coach-conversation', { email: COACH_EMAIL, name: 'Ana Ruiz' });
  ids.sam = await enrolSms('Sam Lee', SAM);
  ids.pat = await enrolSms('Pat Kim', PAT);
});
afterAll(async () => t?.stop());

describe('what a participant texts outside a check-in', () => {
  it('reaches the conversation as text, unread, and the week counts it', async () => {
    const res = await t.inbound(SAM, 'Running late on the <b>report</b>, will catch up tomorrow');
    expect(res.status).toBe(200);
    expect(res.reply).toMatch(/no open question/u);
    const c = await conversation(ids.sam ?? '');
    expect(c.unreadMessages).toBe(1);
    expect(c.needsHuman).toBe(false);
    expect(c.messages).toHaveLength(1);
    expect(c.messages[0]).toMatchObject({
      from: 'participant',
      text: 'Running late on the <b>report</b>, will catch up tomorrow',
      urgent: false,
    });
    expect(c.messages[0]?.readAt).toBeUndefined();
    const sam = (await week()).find((s) => s.participantId === ids.sam);
    expect(sam).toMatchObject({ unreadMessages: 1 });
  });

  it('HELP alone keeps the carrier HELP reply and reaches no conversation', async () => {
    const res = await t.inbound(PAT, 'HELP');
    expect(res.reply).toMatch(/Contact Ana Ruiz at ana\.ruiz@coach\.example/u);
    expect((await conversation(ids.pat ?? '')).unreadMessages).toBe(0);
  });
});

describe('a message that needs a human', () => {
  it('answers with the coach name, emails the coach once and flags the participant first', async () => {
    const before = (await emailsTo(COACH_EMAIL)).length;
    const res = await t.inbound(PAT, 'help me, I cannot go on like this');
    expect(res.reply).toBe(
      'Thank you for telling us. Ana Ruiz, your coach, has been told and a person will read your message soon.',
    );
    // The answer reached the phone as an SMS, as Twilio delivers TwiML replies.
    expect((await t.sms(PAT)).at(-1)?.body).toBe(res.reply);
    const alerts = (await emailsTo(COACH_EMAIL)).slice(before);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.subject).toBe('Pat Kim may need a human now');
    expect(alerts[0]?.body.text).toContain(`/app/#/p/${ids.pat}`);
    expect(alerts[0]?.body.text).not.toContain('cannot go on');

    const summaries = await week();
    expect(summaries[0]).toMatchObject({ participantId: ids.pat, unreadMessages: 1 });
    expect(summaries[0]?.flags[0]).toBe('needs-human');
    expect(summaries.find((s) => s.participantId === ids.sam)?.flags).not.toContain('needs-human');
  });

  it('clears when the coach marks it read', async () => {
    const c = await conversation(ids.pat ?? '');
    const urgent = c.messages.find((m) => m.urgent);
    expect(urgent).toBeDefined();
    const res = await coach.post<{ marked: number; unreadMessages: number; needsHuman: boolean }>(
      `/api/participants/${ids.pat}/messages/read`,
      { ids: [urgent?.id] },
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ marked: 1, unreadMessages: 0, needsHuman: false });
    expect((await week()).find((s) => s.participantId === ids.pat)?.flags).not.toContain('needs-human');
    expect((await conversation(ids.pat ?? '')).messages[0]?.readAt).toBeDefined();
  });

  it('refuses a bad id with a 400 naming it, and another coach gets 404', async () => {
    const bad = await coach.post<{ field: string }>(`/api/participants/${ids.sam}/messages/read`, {
      ids: ['not an id!'],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('ids[0]');
    expect((await conversation(ids.sam ?? '')).unreadMessages).toBe(1);
    const other = await t.coach('coach-other');
    expect((await other.get(`/api/participants/${ids.sam}/messages`)).status).toBe(404);
    expect((await other.post(`/api/participants/${ids.sam}/messages/read`, {})).status).toBe(404);
    expect((await other.post(`/api/participants/${ids.sam}/messages`, { text: 'hi' })).status).toBe(404);
  });
});

describe('the coach replies', () => {
  it('by SMS at once in the day, shown in the conversation, not among the pushes', async () => {
    await t.clock('2026-11-23T15:00:00Z'); // 10:00 in New York
    const res = await coach.post<Entry>(`/api/participants/${ids.sam}/messages`, {
      text: 'No problem, Sam. Tomorrow is fine.',
    });
    expect(res.status).toBe(201);
    await t.settle();
    const sent = (await t.sms(SAM)).filter((m) => m.body.includes('Tomorrow is fine'));
    expect(sent).toHaveLength(1);
    const c = await conversation(ids.sam ?? '');
    expect(c.messages.map((m) => m.from)).toEqual(['coach', 'participant']);
    expect(c.messages[0]).toMatchObject({ status: 'sent', text: 'No problem, Sam. Tomorrow is fine.' });
    const pushes = await coach.get<{ pushes: unknown[] }>(`/api/participants/${ids.sam}/pushes`);
    expect(pushes.json.pushes).toEqual([]);
    // Settling again sends nothing more: exactly once.
    await t.clock('2026-11-23T15:05:00Z');
    expect((await t.sms(SAM)).filter((m) => m.body.includes('Tomorrow is fine'))).toHaveLength(1);
  });

  it('written at 23:00 their time goes out when quiet hours end', async () => {
    await t.clock('2026-11-24T04:00:00Z'); // Monday 23:00 in New York
    const res = await coach.post<Entry>(`/api/participants/${ids.sam}/messages`, { text: 'Sleep well.' });
    expect(res.json).toMatchObject({ status: 'scheduled', sendAt: '2026-11-24T13:00:00.000Z' });
    await t.clock('2026-11-24T12:59:00Z');
    expect((await t.sms(SAM)).filter((m) => m.body.includes('Sleep well'))).toHaveLength(0);
    await t.clock('2026-11-24T13:01:00Z');
    expect((await t.sms(SAM)).filter((m) => m.body.includes('Sleep well'))).toHaveLength(1);
  });

  it('is never sent after STOP, and says so', async () => {
    await t.inbound(PAT, 'STOP');
    const res = await coach.post<Entry>(`/api/participants/${ids.pat}/messages`, { text: 'Are you OK?' });
    expect(res.json).toMatchObject({ status: 'skipped', skipReason: 'opted-out' });
    await t.clock('2026-11-24T14:00:00Z');
    expect((await t.sms(PAT)).filter((m) => m.body.includes('Are you OK'))).toHaveLength(0);
  });

  it('refuses an empty or oversized reply with a 400 naming text', async () => {
    for (const text of ['  ', 'x'.repeat(321)]) {
      const res = await coach.post<{ field: string }>(`/api/participants/${ids.sam}/messages`, { text });
      expect(res.status).toBe(400);
      expect(res.json.field).toBe('text');
    }
  });
});

describe('by email', () => {
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

  it('a reply to a coach reply with no answer in it is kept; "help me" is answered by email', async () => {
    const enrolled = await coach.post<{ id: string }>('/api/participants', {
      name: 'Zoe',
      email: ZOE,
      timeZone: 'America/New_York',
      programId: 'daily-questions',
      channel: 'email',
    });
    ids.zoe = enrolled.json.id;
    await t.settle();
    await coach.post(`/api/participants/${ids.zoe}/messages`, {
      text: 'Welcome, Zoe! Any questions, just reply.',
    });
    await t.settle();
    const note = (await emailsTo(ZOE)).find((e) => e.subject === 'A note from your coach');
    const replyTo = note?.replyTo?.[0] ?? '';
    expect(replyTo).toMatch(/^r\+/u);

    const plain = await deliver({
      from: `Zoe <${ZOE}>`,
      to: replyTo,
      subject: 'Re: A note from your coach',
      text: 'Thanks! Looking forward to it.\n\nOn Tue, Coaching wrote:\n> Welcome, Zoe!\n',
    });
    expect(plain.status).toBe(202);
    const before = (await emailsTo(ZOE)).length;
    const alertsBefore = (await emailsTo(COACH_EMAIL)).length;
    await deliver({
      from: `Zoe <${ZOE}>`,
      to: replyTo,
      subject: 'Re: A note from your coach',
      text: 'Honestly I need to talk to someone.\n',
    });
    const c = await conversation(ids.zoe ?? '');
    expect(c.messages.filter((m) => m.from === 'participant').map((m) => m.text)).toEqual([
      'Honestly I need to talk to someone.',
      'Thanks! Looking forward to it.',
    ]);
    expect(c).toMatchObject({ unreadMessages: 2, needsHuman: true });
    const answered = (await emailsTo(ZOE)).slice(before);
    expect(answered).toHaveLength(1);
    expect(answered[0]?.body.text).toContain('Ana Ruiz, your coach, has been told');
    expect((await emailsTo(COACH_EMAIL)).slice(alertsBefore).map((e) => e.subject)).toEqual([
      'Zoe may need a human now',
    ]);
  });
});

describe('privacy', () => {
  /** Every item of this test's table: a test may scan; the product never does. */
  async function allItems(): Promise<Record<string, unknown>[]> {
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: t.system.dynamoEndpoint, region: 'us-east-1' }),
    );
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({ TableName: process.env.TABLE_NAME ?? '', ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
  const SAID = 'Running late on the <b>report</b>, will catch up tomorrow';

  it('kept messages carry the raw-message retention TTL', async () => {
    const kept = (await allItems()).filter((i) => i.body === SAID);
    expect(kept).toHaveLength(1);
    expect(kept[0]?.conversation).toBe('message');
    const receivedAt = Date.parse(String(kept[0]?.receivedAt));
    expect(kept[0]?.expiresAt).toBe(Math.floor(receivedAt / 1000) + 90 * 86_400);
  });

  it('the export carries the messages and erasure removes them', async () => {
    const exported = await coach.get<{ messagesReceived: { body: string }[] }>(
      `/api/participants/${ids.sam}/export`,
    );
    expect(exported.json.messagesReceived.map((m) => m.body)).toContain(SAID);
    const { json } = await t.request<{ token: string }>('POST', '/dev/token', {
      coachId: 'coach-conversation',
    });
    const erased = await t.request('DELETE', `/api/participants/${ids.sam}`, undefined, {
      authorization: `Bearer ${json.token}`,
    });
    expect(erased.status).toBe(204);
    expect((await allItems()).filter((i) => i.body === SAID)).toEqual([]);
  });
});
