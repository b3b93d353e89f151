/**
 * "All or nothing, and once", end to end against the local stack: 20 concurrent identical requests
 * with one `Idempotency-Key` take effect once and all get the same answer (pushes, bulk pushes,
 * enrolments); the same key with another body is a 409; an import racing an archive of its
 * program imports nothing and says so on the audit trail; a number gets at most
 * INVITATIONS_PER_NUMBER_PER_DAY (3) invitations a day, whichever coaches send them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoachClient, type Res, startTestSystem, type TestSystem } from '../support/system.js';

// A 1,000-row import must fit in a coach's hourly enrolment allowance for this file.
process.env.ENROLMENTS_PER_COACH_PER_HOUR = '5000';

let t: TestSystem;
let coach: CoachClient;
let token: string;

const SAM = '+12125550301';
const NOTE = 'Hi {{firstName}}, your focus scores rose all week.';

async function tokenFor(coachId: string): Promise<string> {
  return (await t.request<{ token: string }>('POST', '/dev/token', { coachId })).json.token;
}

/** 20 identical POSTs at once, with one key. */
function twenty<T>(path: string, body: unknown, key: string, bearer = token): Promise<Res<T>[]> {
  return Promise.all(
    Array.from({ length: 20 }, () =>
      t.request<T>('POST', path, body, { authorization: `Bearer ${bearer}`, 'idempotency-key': key }),
    ),
  );
}

beforeAll(async () => {
  // Tuesday 2026-11-24, 10:00 in New York.
  t = await startTestSystem('2026-11-24T15:00:00Z');
  coach = await t.coach('coach-once');
  token = await tokenFor('coach-once');
});

afterAll(async () => {
  await t?.stop();
});

describe('Idempotency-Key', () => {
  let samId = '';

  it('enrols once for 20 concurrent identical requests, and all get the same answer', async () => {
    const body = {
      name: 'Sam Lee',
      phone: SAM,
      timeZone: 'America/New_York',
      programId: 'daily-questions',
      channel: 'sms',
    };
    const answers = await twenty<{ id: string }>('/api/participants', body, 'enrol-sam-1');
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => JSON.stringify(a.json))).size).toBe(1);
    samId = answers[0]?.json.id ?? '';
    const listed = await coach.get<{ participants: { id: string }[] }>('/api/participants');
    expect(listed.json.participants.map((p) => p.id)).toEqual([samId]);
    await t.settle();
    expect((await t.sms(SAM)).filter((m) => /Reply YES/u.test(m.body))).toHaveLength(1);
    await t.inbound(SAM, 'YES');
  });

  it('sends one push for 20 concurrent identical requests', async () => {
    const answers = await twenty<{ id: string }>(
      `/api/participants/${samId}/pushes`,
      { text: NOTE },
      'push-1',
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => JSON.stringify(a.json))).size).toBe(1);
    await t.settle();
    expect((await t.sms(SAM)).filter((m) => m.body.includes('focus scores rose'))).toHaveLength(1);
    const pushes = await coach.get<{ pushes: unknown[] }>(`/api/participants/${samId}/pushes`);
    expect(pushes.json.pushes).toHaveLength(1);
  });

  it('refuses the same key with another body with a 409 naming the header, sending nothing', async () => {
    const res = await t.request<{ error: string; field: string }>(
      'POST',
      `/api/participants/${samId}/pushes`,
      { text: 'Something else entirely' },
      { authorization: `Bearer ${token}`, 'idempotency-key': 'push-1' },
    );
    expect(res.status).toBe(409);
    expect(res.json.field).toBe('Idempotency-Key');
    expect(res.json.error).toMatch(/different request/u);
    await t.settle();
    expect((await t.sms(SAM)).filter((m) => m.body.includes('Something else'))).toHaveLength(0);
  });

  it('keeps keys per coach: another coach may use the same key', async () => {
    const other = await tokenFor('coach-once-other');
    const res = await t.request(
      'POST',
      '/api/pushes/bulk',
      { text: 'Hello {{firstName}}', to: 'all' },
      { authorization: `Bearer ${other}`, 'idempotency-key': 'push-1' },
    );
    expect(res.status).toBe(202);
  });

  it('bulk-pushes once for 20 concurrent identical requests', async () => {
    const answers = await twenty<{ queued: number }>(
      '/api/pushes/bulk',
      { text: 'Bulk hello {{firstName}}', to: 'all' },
      'bulk-1',
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    expect(new Set(answers.map((a) => JSON.stringify(a.json))).size).toBe(1);
    expect(answers[0]?.json.queued).toBe(1);
    await t.settle();
    expect((await t.sms(SAM)).filter((m) => m.body.includes('Bulk hello Sam'))).toHaveLength(1);
  });

  it('refuses a malformed key with a 400 naming the header', async () => {
    const res = await t.request<{ field: string }>(
      'POST',
      `/api/participants/${samId}/pushes`,
      { text: 'x' },
      { authorization: `Bearer ${token}`, 'idempotency-key': 'k'.repeat(256) },
    );
    expect(res).toMatchObject({ status: 400, json: { field: 'Idempotency-Key' } });
  });
});

describe('invitations per number and day', () => {
  const PHONE = '+12125550399';
  it('lets 3 coaches invite one number and refuses the 4th with a 429 saying why', async () => {
    const statuses: number[] = [];
    let last: Res<{ error: string }> | undefined;
    for (const id of ['inv-a', 'inv-b', 'inv-c', 'inv-d']) {
      const c = await t.coach(id);
      last = await c.post<{ error: string }>('/api/participants', {
        name: 'Robin',
        phone: PHONE,
        timeZone: 'America/New_York',
        programId: 'daily-questions',
        channel: 'sms',
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(last?.json.error).toMatch(/3 invitations today \(from any coach\)/u);
    await t.settle();
    expect((await t.sms(PHONE)).filter((m) => /Reply YES/u.test(m.body))).toHaveLength(3);
    // The refused coach has no participant: nothing half-done.
    const d = await t.coach('inv-d');
    expect((await d.get<{ participants: unknown[] }>('/api/participants')).json.participants).toHaveLength(0);
  });
});

describe('an import racing an archive of its program', () => {
  it('imports nothing, and the refusal is on the audit trail', async () => {
    const importer = await t.coach('coach-import-race');
    const program = await importer.post<{ id: string }>('/api/programs', {
      name: 'Race',
      questions: [{ text: 'Did I do my best to set clear goals today?', type: 'scale' }],
      schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], time: '09:00' },
    });
    expect(program.status).toBe(201);
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      name: `Person ${i}`,
      email: `person${i}@example.org`,
      timeZone: 'Europe/Berlin',
      programId: program.json.id,
      channel: 'email',
    }));
    const importing = importer.post<{ error: string }>('/api/participants/import', { participants: rows });
    // Archive as soon as the import has written its first rows: it is then halfway through.
    let seen = 0;
    for (let round = 0; round < 2000 && seen === 0; round++)
      seen = (await importer.get<{ participants: unknown[] }>('/api/participants?limit=5')).json.participants
        .length;
    expect(seen).toBeGreaterThan(0);
    const archived = await importer.post(`/api/programs/${program.json.id}/archive`, {});
    expect(archived.status).toBe(200);
    const res = await importing;
    expect(res.status).toBe(409);
    expect(res.json.error).toMatch(/archived during the import; nothing was imported/u);
    expect((await importer.get<{ participants: unknown[] }>('/api/participants')).json.participants).toEqual(
      [],
    );
    const audit = await importer.get<{ entries: { action: string; count?: number }[] }>('/api/audit');
    expect(audit.json.entries.map((e) => e.action)).toEqual(['import-refused']);
    await t.settle();
    const store = await fetch(`${t.system.sesUrl}/store`).then(
      (r) => r.json() as Promise<{ emails: unknown[] }>,
    );
    expect(store.emails).toEqual([]);
  });
});
