/**
 * Data-subject rights end to end, against the real local parts: the export holds the participant's
 * answers; erasure leaves no phone number, email address or raw text of theirs anywhere in the
 * table (read directly, not through the API), keeps their numeric answers anonymously; both are on
 * the coach's audit trail. Raw inbound messages carry their retention TTL. A CSV import with one
 * bad row imports nothing and names the row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableScanner } from '../support/scan.js';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

const PHONE = '+12125550150';
const EMAIL = 'ria.erasable@example.com';
const NOTE = 'tough day with the board';

let t: TestSystem;
let coach: CoachClient;
let token: string;
let participantId: string;
let allItems: () => Promise<Record<string, unknown>[]>;

const remove = (path: string) => t.request('DELETE', path, undefined, { authorization: `Bearer ${token}` });

beforeAll(async () => {
  t = await startTestSystem('2026-11-23T14:00:00Z'); // Monday 09:00 in New York
  allItems = tableScanner(t);
  coach = await t.coach('coach-privacy');
  token = (await t.request<{ token: string }>('POST', '/dev/token', { coachId: 'coach-privacy' })).json.token;
  const res = await coach.post<{ id: string }>('/api/participants', {
    name: 'Ria Erasable',
    phone: PHONE,
    email: EMAIL,
    timeZone: 'America/New_York',
    programId: 'daily-questions',
    channel: 'sms',
  });
  participantId = res.json.id;
  await t.settle();
  await t.inbound(PHONE, 'YES');
  await t.clock('2026-11-24T01:00:30Z'); // the 20:00 check-in goes out
  const { reply } = await t.inbound(PHONE, `7 8 6 9 5 8 ${NOTE}`);
  expect(reply).toMatch(/^Got it/);
  await coach.post(`/api/participants/${participantId}/pushes`, { text: 'Hi {{firstName}}, strong week.' });
  await t.settle();
});

afterAll(async () => {
  await t?.stop();
});

describe('raw-message retention', () => {
  it('stores raw inbound messages with an expiry 90 days after receipt', async () => {
    const raw = (await allItems()).filter((i) => i.entity === 'inbound-message' && i.body === 'YES');
    expect(raw).toHaveLength(1);
    const receivedAt = Date.parse(String(raw[0]?.receivedAt));
    expect(raw[0]?.expiresAt).toBe(Math.floor(receivedAt / 1000) + 90 * 86_400);
  });
});

describe('export', () => {
  it("holds the participant's answers, messages and profile", async () => {
    const res = await coach.get<{
      participant: { name: string; phone: string };
      answers: { value: number; comment?: string }[];
      messagesSent: { kind?: string }[];
      messagesReceived: { body: string }[];
    }>(`/api/participants/${participantId}/export`);
    expect(res.status).toBe(200);
    expect(res.json.participant).toMatchObject({ name: 'Ria Erasable', phone: PHONE });
    expect(res.json.answers.map((a) => a.value)).toEqual([7, 8, 6, 9, 5, 8]);
    expect(res.json.messagesReceived.map((m) => m.body)).toContain(`7 8 6 9 5 8 ${NOTE}`);
    expect(res.json.messagesSent.map((m) => m.kind ?? 'prompt')).toEqual(
      expect.arrayContaining(['opt-in', 'prompt', 'push']),
    );
  });

  it("is not another coach's to read", async () => {
    const other = await t.coach('coach-nosy');
    expect((await other.get(`/api/participants/${participantId}/export`)).status).toBe(404);
  });
});

describe('erasure', () => {
  it('answers 204, then the participant is gone', async () => {
    const before = await allItems();
    expect(JSON.stringify(before)).toContain(PHONE);
    expect((await remove(`/api/participants/${participantId}`)).status).toBe(204);
    expect((await coach.get(`/api/participants/${participantId}`)).status).toBe(404);
    expect((await remove(`/api/participants/${participantId}`)).status).toBe(404);
  });

  it('leaves no phone number, email address or raw text of theirs in the table', async () => {
    const items = await allItems();
    const dump = JSON.stringify(items);
    expect(dump).not.toContain(PHONE);
    expect(dump).not.toContain(EMAIL);
    expect(dump).not.toContain(NOTE);
    expect(dump).not.toContain('Ria');
    // Their partition, their contact items, their inbound messages: checked by key as well.
    expect(items.filter((i) => String(i.PK).startsWith('CONTACT#'))).toEqual([]);
    expect(items.filter((i) => i.entity === 'inbound-message' && i.outcome)).toEqual([]);
    const partition = items.filter((i) => i.PK === `PARTICIPANT#${participantId}`);
    // The anonymous aggregates stay: the numbers and the weekly summary, without the comment.
    expect(new Set(partition.map((i) => i.entity))).toEqual(new Set(['answer', 'summary']));
    expect(partition.filter((i) => i.entity === 'answer').map((i) => i.value)).toEqual([7, 8, 6, 9, 5, 8]);
  });

  it('is on the audit trail with the export, newest first', async () => {
    const res = await coach.get<{ entries: { action: string; participantId?: string; coachId: string }[] }>(
      '/api/audit',
    );
    expect(res.status).toBe(200);
    const actions = res.json.entries.filter((e) => e.participantId === participantId).map((e) => e.action);
    expect(actions).toEqual(['erase', 'export', 'push']);
    expect(res.json.entries.every((e) => e.coachId === 'coach-privacy')).toBe(true);
  });
});

describe('participant import', () => {
  const row = (name: string, phone: string) => ({
    name,
    phone,
    timeZone: 'America/New_York',
    programId: 'daily-questions',
    channel: 'sms',
  });

  it('imports nothing when one row is bad, and names the row and field', async () => {
    const res = await coach.post<{ error: string; rows: { row: number; field: string; error: string }[] }>(
      '/api/participants/import',
      { participants: [row('Ann', '+12125550160'), row('Bob', '555-0161'), row('Cy', '+12125550162')] },
    );
    expect(res.status).toBe(400);
    expect(res.json.rows).toEqual([{ row: 2, field: 'phone', error: expect.any(String) }]);
    const list = await coach.get<{ participants: unknown[] }>('/api/participants');
    expect(list.json.participants).toHaveLength(0);
    expect(await t.sms('+12125550160')).toHaveLength(0);
  });

  it('imports every row of a good file', async () => {
    const res = await coach.post<{ imported: number; participants: { status: string }[] }>(
      '/api/participants/import',
      { participants: [row('Ann', '+12125550160'), row('Cy', '+12125550162')] },
    );
    expect(res.status).toBe(200);
    expect(res.json.imported).toBe(2);
    expect(res.json.participants.map((p) => p.status)).toEqual(['pending', 'pending']);
    const list = await coach.get<{ participants: unknown[] }>('/api/participants');
    expect(list.json.participants).toHaveLength(2);
  });
});
