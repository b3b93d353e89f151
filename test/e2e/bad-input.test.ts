/**
 * Bad input gets a clear 4xx, never a 500 or a stall, against the real local parts: listing
 * cursors edited by hand, inbound mail built to exhaust the parser (thousands of MIME parts, deep
 * nesting, a 1 MB header, a 30 MB body), a message with two `From` headers, and a coach enrolling
 * a number that said STOP to someone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

interface StoredEmail {
  destination: { to: string[] };
  replyTo?: string[];
  body: { html?: string };
}

let t: TestSystem;
let coach: CoachClient;
let zoeId: string;
let replyTo: string;
const ZOE = 'zoe.bad-input@example.com';

beforeAll(async () => {
  // Monday 2026-11-23, 10:00 in Berlin.
  t = await startTestSystem('2026-11-23T09:00:00Z');
  coach = await t.coach('coach-bad-input');
  const program = await coach.post<{ id: string }>('/api/programs', {
    name: 'Evening two',
    questions: [
      { type: 'scale', text: 'Did I do my best to set clear goals today?' },
      { type: 'scale', text: 'Did I do my best to be fully engaged today?' },
    ],
    schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '19:00' },
  });
  const zoe = await coach.post<{ id: string }>('/api/participants', {
    name: 'Zoe',
    email: ZOE,
    timeZone: 'Europe/Berlin',
    programId: program.json.id,
    channel: 'email',
  });
  zoeId = zoe.json.id;
  await t.clock('2026-11-23T18:01:00Z'); // Monday's check-in
  const { emails } = (await (await fetch(`${t.system.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  replyTo =
    emails.filter((e) => e.destination.to.includes(ZOE) && /\/a\//u.test(e.body.html ?? '')).at(-1)
      ?.replyTo?.[0] ?? '';
  expect(replyTo).toMatch(/^r\+/u);
}, 120_000);
afterAll(async () => t?.stop());

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('listing cursors', () => {
  it('answers 400 naming `cursor` to every cursor edited by hand, and still pages with its own', async () => {
    for (let i = 0; i < 2; i++) {
      await coach.post('/api/participants', {
        name: `P${i}`,
        email: `p${i}.bad-input@example.com`,
        timeZone: 'Europe/Berlin',
        programId: 'daily-questions',
        channel: 'email',
      });
    }
    const first = await coach.get<{ cursor: string }>('/api/participants?limit=1');
    const own = JSON.parse(Buffer.from(first.json.cursor, 'base64url').toString()) as Record<string, string>;
    const tampered: Record<string, unknown>[] = [
      { ...own, GSI1PK: 'COACH#coach-someone-else' }, // another coach's partition
      { ...own, GSI1SK: 'PROGRAM#daily-questions' }, // outside the listing
      { GSI1PK: own.GSI1PK, GSI1SK: own.GSI1SK }, // a key attribute missing
      { ...own, extra: 'x' }, // an attribute too many
      { ...own, PK: 7 }, // not a string
      { ...own, SK: '' },
    ];
    for (const key of tampered) {
      const res = await coach.get<{ field: string }>(`/api/participants?limit=1&cursor=${cursorOf(key)}`);
      expect({ key, status: res.status, field: res.json.field }).toEqual({
        key,
        status: 400,
        field: 'cursor',
      });
    }
    for (const raw of [
      cursorOf([own]),
      cursorOf({}),
      'bnVsbA',
      Buffer.from('{"PK":').toString('base64url'),
    ]) {
      expect((await coach.get(`/api/participants?cursor=${raw}`)).status).toBe(400);
    }
    expect((await coach.get(`/api/participants?limit=1&cursor=${first.json.cursor}`)).status).toBe(200);
  });

  it('answers 400 to a forged cursor on the replies and the audit listings too', async () => {
    const replies = await coach.get<{ field: string }>(
      `/api/participants/${zoeId}/replies?cursor=${cursorOf({ PK: 'PARTICIPANT#other', SK: 'ANSWER#x' })}`,
    );
    expect([replies.status, replies.json.field]).toEqual([400, 'cursor']);
    const ownPartition = cursorOf({ PK: `PARTICIPANT#${zoeId}`, SK: 'PROMPT#x' });
    expect((await coach.get(`/api/participants/${zoeId}/replies?cursor=${ownPartition}`)).status).toBe(400);
    const audit = await coach.get<{ field: string }>(
      `/api/audit?cursor=${cursorOf({ PK: 'AUDIT#coach-someone-else', SK: '2026-11-23T00:00:00Z#x' })}`,
    );
    expect([audit.status, audit.json.field]).toEqual([400, 'cursor']);
  });
});

describe('inbound mail beyond the limits', () => {
  const head = (extra = '') =>
    `From: Zoe <${ZOE}>\r\nTo: ${replyTo}\r\nSubject: Re: your check-in\r\nMessage-ID: <${Math.random()}@example.com>\r\n${extra}`;
  const deliver = (raw: string) =>
    t.request<{ stored: string; result: { outcomes: string[] } }>('POST', '/dev/email/inbound', raw, {
      'content-type': 'message/rfc822',
    });
  const replies = async () =>
    (await coach.get<{ replies: { value?: number }[] }>(`/api/participants/${zoeId}/replies`)).json.replies;
  const storedSize = async (key: string) => {
    const res = await fetch(`${t.system.s3Endpoint}/nanocoach-inbound-mail/${key}`);
    return (await res.arrayBuffer()).byteLength;
  };

  it('keeps raw, and records nothing from, 1,500 parts, 3,000 nested multiparts or a 1 MB header', async () => {
    let parts = `${head()}Content-Type: multipart/mixed; boundary="b"\r\n\r\n`;
    for (let i = 0; i < 1500; i++) parts += `--b\r\nContent-Type: text/plain\r\n\r\n7 8\r\n`;
    parts += '--b--\r\n';
    let nested = head();
    for (let i = 0; i < 3000; i++)
      nested += `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\n`;
    nested += 'Content-Type: text/plain\r\n\r\n7 8\r\n';
    const header = `${head(`X-Padding: ${'a'.repeat(1024 * 1024)}\r\n`)}\r\n7 8\r\n`;
    for (const raw of [parts, nested, header]) {
      const res = await deliver(raw);
      expect([res.status, res.json.result.outcomes]).toEqual([202, ['malformed']]);
      expect(await storedSize(res.json.stored)).toBe(Buffer.byteLength(raw));
    }
    expect(await replies()).toEqual([]);
  });

  it('treats a message with two From headers as failing the sender check', async () => {
    const raw = `${head().replace(/^From: .*\r\n/u, `From: ${ZOE}\r\nFrom: eve@attacker.example\r\n`)}\r\n1 1\r\n`;
    const res = await deliver(raw);
    expect(res.json.result.outcomes).toEqual(['unattributed']);
    const list = `${head().replace(/^From: .*\r\n/u, `From: ${ZOE}, eve@attacker.example\r\n`)}\r\n1 1\r\n`;
    expect((await deliver(list)).json.result.outcomes).toEqual(['unattributed']);
    expect(await replies()).toEqual([]);
  });

  it('reads the answer at the top of a 30 MB message and keeps all of it raw', async () => {
    const filler = `${'lorem ipsum dolor sit amet '.repeat(38)}\r\n`;
    const raw = `${head()}\r\n7 8\r\n\r\n${filler.repeat(Math.ceil((30 * 1024 * 1024) / filler.length))}`;
    const res = await deliver(raw);
    expect([res.status, res.json.result.outcomes]).toEqual([202, ['answers']]);
    expect((await replies()).map((r) => r.value)).toEqual([7, 8]);
    expect(await storedSize(res.json.stored)).toBe(Buffer.byteLength(raw));
  });
});

describe('enrolling a number that opted out', () => {
  const enrol = (by: CoachClient, phone: string) =>
    by.post<Record<string, unknown>>('/api/participants', {
      name: 'Sam',
      phone,
      timeZone: 'Europe/Berlin',
      programId: 'daily-questions',
      channel: 'sms',
    });
  const shape = (body: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v]));

  it('answers exactly as for any number, in quiet hours too, and sends it nothing', async () => {
    const other = await t.coach('coach-bad-input-other');
    const stopped = '+4915112340001';
    await enrol(other, stopped);
    await t.settle();
    await t.inbound(stopped, 'STOP');
    const smsBefore = (await t.sms(stopped)).length;
    await t.clock('2026-11-23T20:30:00Z'); // 21:30 in Berlin: the invitations wait for the morning

    const held = await enrol(coach, stopped);
    const fresh = await enrol(coach, '+4915112340002');
    expect(held.status).toBe(fresh.status);
    expect(shape(held.json)).toEqual(shape(fresh.json));
    expect([held.json.status, held.json.optInRequest]).toEqual([fresh.json.status, fresh.json.optInRequest]);
    expect(fresh.json.optInRequest).toBe('deferred');
    await t.clock('2026-11-24T07:05:00Z'); // 08:05
    expect((await t.sms('+4915112340002')).some((m) => /YES/u.test(m.body))).toBe(true);
    expect(await t.sms(stopped)).toHaveLength(smsBefore); // no "Reply YES" to a number that said STOP
    expect(
      (await coach.get<{ status: string }>(`/api/participants/${String(held.json.id)}`)).json.status,
    ).toBe('pending');
  });
});
