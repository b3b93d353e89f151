/**
 * Consent survives erasure, end to end against the real local parts: a number that texted STOP,
 * an address that unsubscribed and one that hard-bounced are erased with their participant, then
 * enrolled again — by the same coach and by another — and nothing is sent to them: no "Reply YES"
 * invitation, no welcome. The coach sees the status any opted-out or bouncing address shows. What
 * erasure kept holds no phone number or address (the table is read directly, not through the API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableScanner } from '../support/scan.js';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

interface StoredEmail {
  destination: { to: string[] };
  headers?: { name: string; value: string }[];
}

let t: TestSystem;
let ana: CoachClient;
let ben: CoachClient;
let anaToken: string;
let allItems: () => Promise<Record<string, unknown>[]>;

beforeAll(async () => {
  t = await startTestSystem('2026-11-23T15:00:00Z'); // Monday 10:00 in New York
  allItems = tableScanner(t);
  ana = await t.coach('coach-consent-ana');
  ben = await t.coach('coach-consent-ben');
  anaToken = (await t.request<{ token: string }>('POST', '/dev/token', { coachId: 'coach-consent-ana' })).json
    .token;
});
afterAll(async () => t?.stop());

async function enrol(coach: CoachClient, address: { phone: string } | { email: string }) {
  const res = await coach.post<{ id: string; status: string; optInRequest: string }>('/api/participants', {
    name: 'Noor Said-No',
    ...address,
    channel: 'phone' in address ? 'sms' : 'email',
    timeZone: 'America/New_York',
    programId: 'daily-questions',
  });
  expect(res.status).toBe(201);
  await t.settle();
  return res.json;
}

const statusOf = async (coach: CoachClient, id: string) =>
  (await coach.get<{ status: string }>(`/api/participants/${id}`)).json.status;

async function erase(id: string): Promise<void> {
  const res = await t.request('DELETE', `/api/participants/${id}`, undefined, {
    authorization: `Bearer ${anaToken}`,
  });
  expect(res.status).toBe(204);
}

/** Nothing in the table names the address any more, what erasure kept included. */
async function expectNoTrace(address: string): Promise<void> {
  const items = await allItems();
  expect(items.filter((i) => JSON.stringify(i).includes(address))).toEqual([]);
  const kept = items.filter((i) => i.entity === 'erased-contact');
  expect(kept.length).toBeGreaterThan(0);
  // Only the consent facts, under a keyed hash: no address, no name, no participant id.
  const allowed = new Set(['PK', 'SK', 'entity', 'version', 'optedOut', 'consentChangedAt', 'suppressed']);
  for (const item of kept) expect(Object.keys(item).filter((k) => !allowed.has(k))).toEqual([]);
}

async function emailsTo(address: string): Promise<StoredEmail[]> {
  const { emails } = (await (await fetch(`${t.system.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(address));
}

describe('a number that texted STOP, erased', () => {
  const PHONE = '+12125550171';

  it('gets no new invitation when enrolled again, by the same coach or another', async () => {
    const first = await enrol(ana, { phone: PHONE });
    expect((await t.sms(PHONE)).map((m) => m.body)).toEqual([expect.stringMatching(/Reply YES/u)]);
    const { reply } = await t.inbound(PHONE, 'STOP');
    expect(reply).toMatch(/unsubscribed/u);
    expect(await statusOf(ana, first.id)).toBe('opted_out');
    const sentBefore = (await t.sms(PHONE)).length;

    await erase(first.id);
    await expectNoTrace(PHONE);

    const again = await enrol(ana, { phone: PHONE });
    const other = await enrol(ben, { phone: PHONE });
    // The answer looks like any enrolment's; the number gets nothing at all.
    for (const enrolled of [again, other]) {
      expect(enrolled.status).toBe('pending');
      expect(enrolled.optInRequest).toBe('queued');
    }
    await t.clock('2026-11-25T02:00:00Z'); // past two 20:00 check-in times
    expect(await t.sms(PHONE)).toHaveLength(sentBefore);
    // Shown as any number that opted out before its enrolment: waiting, nothing leaks.
    expect(await statusOf(ana, again.id)).toBe('pending');
    expect(await statusOf(ben, other.id)).toBe('pending');
  });

  it('comes back only when the person texts START, and then each coach still asks first', async () => {
    const before = (await t.sms(PHONE)).length;
    const { reply } = await t.inbound(PHONE, 'START');
    expect(reply).toMatch(/signed up/u);
    await t.clock('2026-11-25T14:00:00Z'); // the invitations wait for the end of quiet hours
    // Neither coach's enrolment started unseen: each invitation goes out, naming who asks.
    const invitations = (await t.sms(PHONE)).slice(before + 1).map((m) => m.body);
    expect(invitations).toHaveLength(2);
    for (const text of invitations)
      expect(text).toMatch(/^Your coach \(Daily questions program\) invites you/u);
    const participants = (await ana.get<{ participants: { status: string }[] }>('/api/participants')).json;
    expect(participants.participants.every((p) => p.status === 'pending')).toBe(true);
  });
});

describe('an email address that unsubscribed, erased', () => {
  const EMAIL = 'noor.unsubscribed@example.com';

  it('gets no welcome when enrolled again, by the same coach or another', async () => {
    await t.clock('2026-11-25T14:00:00Z'); // Wednesday 09:00
    const first = await enrol(ana, { email: EMAIL });
    await t.clock('2026-11-26T01:01:00Z'); // 20:01: the check-in carries the unsubscribe headers
    const checkIn = (await emailsTo(EMAIL)).find((e) => e.headers?.some((h) => /unsubscribe/iu.test(h.name)));
    const header = checkIn?.headers?.find((h) => h.name.toLowerCase() === 'list-unsubscribe')?.value ?? '';
    const url = /<(https?:[^>]+)>/u.exec(header)?.[1] ?? '';
    expect(url).toMatch(/\/u\//u);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(await statusOf(ana, first.id)).toBe('opted_out');
    const sentBefore = (await emailsTo(EMAIL)).length;

    await erase(first.id);
    await expectNoTrace(EMAIL);

    const again = await enrol(ana, { email: EMAIL });
    const other = await enrol(ben, { email: EMAIL });
    await t.clock('2026-11-27T02:00:00Z');
    expect(await emailsTo(EMAIL)).toHaveLength(sentBefore);
    expect(await statusOf(ana, again.id)).toBe('pending');
    expect(await statusOf(ben, other.id)).toBe('pending');
  });
});

describe('an email address that hard-bounced, erased', () => {
  const EMAIL = 'noor.bounced@example.com';

  it('is never mailed again when enrolled again, and shows as bouncing', async () => {
    await t.clock('2026-11-27T14:00:00Z'); // Friday 09:00
    const first = await enrol(ana, { email: EMAIL });
    const bounce = await t.request('POST', '/dev/email/events', {
      eventType: 'Bounce',
      mail: { messageId: 'ses-consent-1', destination: [EMAIL] },
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: EMAIL }],
      },
    });
    expect(bounce.status).toBe(202);
    const sentBefore = (await emailsTo(EMAIL)).length;

    await erase(first.id);
    await expectNoTrace(EMAIL);

    const again = await enrol(ana, { email: EMAIL });
    const other = await enrol(ben, { email: EMAIL });
    await t.clock('2026-11-29T02:00:00Z');
    expect(await emailsTo(EMAIL)).toHaveLength(sentBefore);
    expect(await statusOf(ana, again.id)).toBe('bouncing');
    expect(await statusOf(ben, other.id)).toBe('bouncing');
  });
});

describe('an address that never said no, erased', () => {
  it('is welcomed as anyone new when enrolled again', async () => {
    const EMAIL = 'noor.fine@example.com';
    await t.clock('2026-11-30T14:00:00Z'); // Monday 09:00
    const first = await enrol(ana, { email: EMAIL });
    expect(await emailsTo(EMAIL)).toHaveLength(1);
    await erase(first.id);
    const again = await enrol(ben, { email: EMAIL });
    expect(again.status).toBe('active');
    expect(await emailsTo(EMAIL)).toHaveLength(2);
  });
});

describe('an erased number given to another participant by an edit', () => {
  const SAID_NO = '+12125550176';
  const OTHER = '+12125550177';

  it('gets no invitation: the kept "no" comes back with the number', async () => {
    const first = await enrol(ana, { phone: SAID_NO });
    await t.inbound(SAID_NO, 'STOP');
    await erase(first.id);
    const sentBefore = (await t.sms(SAID_NO)).length;

    const someone = await enrol(ben, { phone: OTHER });
    const benToken = (
      await t.request<{ token: string }>('POST', '/dev/token', { coachId: 'coach-consent-ben' })
    ).json.token;
    const edited = await t.request<{ status: string; consentRestarted: boolean }>(
      'PATCH',
      `/api/participants/${someone.id}`,
      { phone: SAID_NO },
      { authorization: `Bearer ${benToken}` },
    );
    expect(edited.status).toBe(200);
    expect(edited.json.consentRestarted).toBe(true);
    await t.settle();
    expect((await t.sms(SAID_NO)).length).toBe(sentBefore);
    expect(await statusOf(ben, someone.id)).toBe('pending');
  });
});
