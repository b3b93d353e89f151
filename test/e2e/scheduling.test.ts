/**
 * Scheduling people can trust, end to end against the real local parts: catch-up after an
 * outage, concurrent dispatchers, provider failures produced for real by the local gateway,
 * pauses, reminders and quiet hours. The promise under test: never the same question twice,
 * never one at the wrong hour, nothing lost silently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { batchingWrites as BatchingWrites } from '../../shared/adapters/dynamodb/write-batch.js';
import type { dispatchDue as DispatchDue } from '../../shared/usecases/dispatch-due.js';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';
import type { productionDeps } from '../support/wiring.js';

interface PromptJson {
  kind: 'prompt' | 'reminder';
  scheduledFor: string;
  status: string;
  attempts: number;
  sentAt?: string;
  skipReason?: string;
  errorCode?: string;
}

let t: TestSystem;
let coach: CoachClient;
let deps: ReturnType<typeof productionDeps>;
let dispatchDue: typeof DispatchDue;
let batchingWrites: typeof BatchingWrites;
let phoneSeq = 100;

beforeAll(async () => {
  // A short provider timeout, so the local gateway's "slow" fault is a timeout for the sender.
  process.env.TWILIO_TIMEOUT_MS = '400';
  t = await startTestSystem('2026-11-23T12:00:00Z'); // Monday 07:00 in New York
  coach = await t.coach('coach-scheduling');
  // Loaded after the system set the environment they are configured from.
  deps = (await import('../support/wiring.js')).productionDeps();
  ({ dispatchDue } = await import('../../shared/usecases/dispatch-due.js'));
  ({ batchingWrites } = await import('../../shared/adapters/dynamodb/write-batch.js'));
});
afterAll(async () => t?.stop());

/** Creates a one-question program and enrols a new, opted-in New York participant on it. */
async function participantOn(schedule: Record<string, unknown>, timeZone = 'America/New_York') {
  const program = await coach.post<{ id: string }>('/api/programs', {
    name: 'One question',
    questions: [{ text: 'Did I do my best to be fully engaged today?', type: 'scale' }],
    schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], ...schedule },
  });
  expect(program.status).toBe(201);
  const phone = `+1212555${String(phoneSeq++).padStart(4, '0')}`;
  const enrolled = await coach.post<{ id: string }>('/api/participants', {
    name: 'P',
    phone,
    timeZone,
    programId: program.json.id,
    channel: 'sms',
  });
  expect(enrolled.status).toBe(201);
  expect((await t.inbound(phone, 'YES')).reply).toMatch(/You're in/);
  return { id: enrolled.json.id, phone };
}

const questions = async (phone: string) =>
  (await t.sms(phone)).filter((m) => m.body.includes('fully engaged'));
const reminders = async (phone: string) =>
  (await t.sms(phone)).filter((m) => m.body.startsWith('Gentle reminder'));
const prompts = async (id: string) =>
  (await coach.get<{ prompts: PromptJson[] }>(`/api/participants/${id}/prompts`)).json.prompts;
const now = async () => (await t.request<{ now: string }>('GET', '/dev/clock')).json.now;
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

describe('catch-up after an outage', () => {
  it('sends what is still fresh once and marks what is stale as skipped', async () => {
    const fresh = await participantOn({ time: '18:00' }); // default freshness: 3 hours
    const stale = await participantOn({ time: '18:00', freshnessMinutes: 60 });
    t.system.setJobEnabled('dispatch-due', false);
    await t.clock('2026-11-24T01:00:00Z'); // 18:00 New York passed two hours ago, unseen
    expect(await questions(fresh.phone)).toHaveLength(0);
    t.system.setJobEnabled('dispatch-due', true);
    await t.clock('2026-11-24T01:01:30Z');
    expect(await questions(fresh.phone)).toHaveLength(1);
    expect(await questions(stale.phone)).toHaveLength(0);
    expect((await prompts(stale.id))[0]).toMatchObject({ status: 'skipped', skipReason: 'stale' });
    // Both are back on schedule the next day, once each.
    await t.clock('2026-11-24T23:01:00Z');
    expect(await questions(fresh.phone)).toHaveLength(2);
    expect(await questions(stale.phone)).toHaveLength(1);
  });
});

describe('never twice', () => {
  it('two dispatchers fired for the same minute, and a redelivered queue message, still make one SMS each', async () => {
    const people = [await participantOn({ time: '10:00' }), await participantOn({ time: '10:00' })];
    t.system.setJobEnabled('dispatch-due', false);
    await t.clock('2026-11-25T15:00:30Z'); // Wednesday 10:00:30 New York
    // Each as its handler runs it, its writes batched: the two transactions meet on the same items.
    const [a, b] = await Promise.all([
      batchingWrites(() => dispatchDue(deps)),
      batchingWrites(() => dispatchDue(deps)),
    ]);
    expect((a?.queued ?? 0) + (b?.queued ?? 0)).toBeGreaterThanOrEqual(2);
    const scheduledFor = '2026-11-25T15:00:00.000Z';
    await deps.sendQueue.enqueue(people.map((p) => ({ participantId: p.id, scheduledFor })));
    t.system.setJobEnabled('dispatch-due', true);
    await t.clock('2026-11-25T15:02:00Z'); // the queue drains: duplicates find their prompt claimed
    for (const p of people) expect(await questions(p.phone)).toHaveLength(1);
  });

  it('a provider 503 (not accepted) is retried with backoff and makes exactly one SMS', async () => {
    const p = await participantOn({ time: '11:00' });
    t.system.gateway.inject({ kind: 'http-503', count: 1 });
    await t.clock('2026-11-25T16:00:10Z');
    expect(await questions(p.phone)).toHaveLength(0);
    expect((await prompts(p.id))[0]?.status).toBe('queued'); // released for the retry
    await t.clock('2026-11-25T16:02:00Z'); // past the 30 s backoff
    expect(await questions(p.phone)).toHaveLength(1);
    expect((await prompts(p.id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it("a 429 waits as long as Twilio's Retry-After asks, then sends once", async () => {
    const p = await participantOn({ time: '11:15' });
    t.system.gateway.inject({ kind: 'http-429', count: 1, retryAfterSeconds: 300 });
    await t.clock('2026-11-25T16:15:10Z');
    await t.clock('2026-11-25T16:17:00Z'); // past the default 30 s backoff, not past Retry-After
    expect(await questions(p.phone)).toHaveLength(0);
    await t.clock('2026-11-25T16:21:00Z');
    expect(await questions(p.phone)).toHaveLength(1);
    expect((await prompts(p.id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('a provider timeout leaves the prompt unknown and never resends it', async () => {
    const p = await participantOn({ time: '11:30' });
    t.system.gateway.inject({ kind: 'slow', count: 1, delayMs: 1500 });
    await t.clock('2026-11-25T16:30:10Z');
    await t.system.gateway.idle();
    // The gateway got the request (the participant's phone will show it) but the sender timed out.
    expect(await questions(p.phone)).toHaveLength(1);
    expect((await prompts(p.id))[0]).toMatchObject({ status: 'unknown', errorCode: 'ECONNABORTED' });
    await t.clock('2026-11-25T17:30:00Z');
    expect(await questions(p.phone)).toHaveLength(1);
  });

  it('a provider 502 (it may have been accepted) leaves the prompt unknown and sends nothing more', async () => {
    const p = await participantOn({ time: '12:35' });
    t.system.gateway.inject({ kind: 'http-502', count: 1 });
    await t.clock('2026-11-25T17:35:10Z');
    expect((await prompts(p.id))[0]).toMatchObject({ status: 'unknown', errorCode: '502', attempts: 1 });
    await t.clock('2026-11-25T17:40:00Z');
    expect(await questions(p.phone)).toHaveLength(0);
    expect((await prompts(p.id))[0]?.status).toBe('unknown');
  });

  it('a sender that died after claiming is never repeated: its message comes back and marks it unknown', async () => {
    const p = await participantOn({ time: '12:45' });
    t.system.setJobEnabled('dispatch-due', false);
    await t.clock('2026-11-25T17:45:05Z');
    await dispatchDue(deps); // creates and queues the prompt; the queue drains below
    // No real part can kill a Lambda between its claim and Twilio's answer, so the claim is taken
    // here directly, exactly as the dying sender would have left it.
    const ref = { participantId: p.id, scheduledFor: '2026-11-25T17:45:00.000Z' };
    expect(await deps.prompts.claim(ref, new Date('2026-11-25T17:45:05Z'))).toBeDefined();
    t.system.setJobEnabled('dispatch-due', true);
    await t.clock('2026-11-25T17:46:00Z'); // the queued message arrives, finds a fresh claim, waits
    expect((await prompts(p.id))[0]?.status).toBe('sending');
    await t.clock('2026-11-25T17:50:00Z'); // it comes back after the claim went stale
    expect((await prompts(p.id))[0]).toMatchObject({ status: 'unknown', errorCode: 'sender-lost' });
    expect(await questions(p.phone)).toHaveLength(0);
  });

  it('a permanent failure marks the prompt failed with the provider code and dead-letters it', async () => {
    const p = await participantOn({ time: '13:00' });
    t.system.gateway.inject({ kind: 'invalid-number', count: 1 });
    await t.clock('2026-11-25T18:00:30Z');
    expect((await prompts(p.id))[0]).toMatchObject({ status: 'failed', errorCode: '21211', attempts: 1 });
    const queues = (await t.request<Record<string, { body: string }[]>>('GET', '/dev/queues')).json;
    const dead = (queues['nanocoach-send-sms-dlq'] ?? []).map(
      (m) => JSON.parse(m.body) as { participantId: string },
    );
    expect(dead.map((d) => d.participantId)).toContain(p.id);
    expect(await questions(p.phone)).toHaveLength(0);
  });

  it('retries run out after the configured attempts: failed and dead-lettered, nothing sent', async () => {
    const p = await participantOn({ time: '14:00' });
    t.system.gateway.inject({ kind: 'http-503', count: 50 });
    await t.clock('2026-11-25T19:20:00Z'); // 30 + 60 + 120 + 240 s of backoff fit in 20 minutes
    t.system.gateway.clearFaults();
    expect((await prompts(p.id))[0]).toMatchObject({ status: 'failed', errorCode: '20503', attempts: 5 });
    const queues = (await t.request<Record<string, { body: string }[]>>('GET', '/dev/queues')).json;
    expect((queues['nanocoach-send-sms-dlq'] ?? []).map((m) => JSON.parse(m.body).participantId)).toContain(
      p.id,
    );
    expect(queues['nanocoach-send-sms']).toEqual([]);
    expect(await questions(p.phone)).toHaveLength(0);
  });
});

describe('a dispatcher run with a time budget', () => {
  it('stops after the batch in hand when its budget is spent, and the next run sends the rest once', async () => {
    // 300 participants due in the same minute, written straight through the repository (the
    // coach API would take a few seconds to enrol them one by one).
    const due = '2026-11-25T20:00:00.000Z';
    const ids = Array.from({ length: 300 }, (_, i) => `budget-${String(i).padStart(3, '0')}`);
    await Promise.all(
      ids.map((id, i) =>
        deps.participants.create({
          id,
          coachId: 'coach-scheduling',
          name: id,
          phone: `+1646555${String(1000 + i).padStart(4, '0')}`,
          timeZone: 'America/New_York',
          programId: 'daily-questions',
          channel: 'sms',
          status: 'active',
          createdAt: '2026-11-25T12:00:00.000Z',
          nextDueAt: due,
        }),
      ),
    );
    t.system.setJobEnabled('dispatch-due', false);
    await t.clock('2026-11-25T20:00:05Z');
    const first = await dispatchDue(deps, { deadline: Date.now() - 1 }); // already spent
    expect(first.due).toBeGreaterThan(0);
    expect(first.due).toBeLessThan(ids.length);
    const second = await dispatchDue(deps);
    expect(first.queued + second.queued).toBe(ids.length);
    t.system.setJobEnabled('dispatch-due', true);
    await t.clock('2026-11-25T20:01:00Z');
    const sent = (
      await Promise.all(ids.map((_, i) => t.sms(`+1646555${String(1000 + i).padStart(4, '0')}`)))
    ).map((list) => list.length);
    expect(sent).toEqual(ids.map(() => 1));
    // They would get every later day's prompt too; the tests below do not need 300 more SMS a day.
    await Promise.all(
      ids.map((id) => deps.participants.update(id, { status: 'opted_out', nextDueAt: null })),
    );
  });
});

describe('pause and vacation', () => {
  it('sends nothing while paused and resumes by itself on the date', async () => {
    const p = await participantOn({ time: '09:00' });
    await t.clock('2026-11-26T12:00:00Z'); // Thursday 07:00 — before today's prompt
    const before = (await questions(p.phone)).length;
    const paused = await coach.post<{ status: string }>(`/api/participants/${p.id}/pause`, {
      until: '2026-11-29',
    });
    expect(paused.status).toBe(200);
    expect(paused.json.status).toBe('paused');
    await t.clock('2026-11-29T13:00:00Z'); // Thu, Fri, Sat 09:00 pass; Sunday 08:00
    expect(await questions(p.phone)).toHaveLength(before);
    await t.clock('2026-11-29T14:01:00Z'); // Sunday 09:01
    expect(await questions(p.phone)).toHaveLength(before + 1);
    const now = await coach.get<{ status: string; pausedUntil?: string }>(`/api/participants/${p.id}`);
    expect(now.json.status).toBe('active');
    expect(now.json.pausedUntil).toBeUndefined();
  });

  it('refuses a pause date that is not in the future, naming the field', async () => {
    const p = await participantOn({ time: '09:00' });
    const res = await coach.post<{ field: string }>(`/api/participants/${p.id}/pause`, {
      until: '2026-01-01',
    });
    expect(res.status).toBe(400);
    expect(res.json.field).toBe('until');
    const bad = await coach.post<{ field: string }>(`/api/participants/${p.id}/pause`, {
      until: 'next week',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('until');
  });
});

describe('reminders', () => {
  it('reminds once when there is no reply, and not at all after a reply', async () => {
    const p = await participantOn({ time: '12:00', reminderAfterHours: 2 });
    const start = await now();
    const day = start.slice(0, 10);
    // Today's prompt at 12:00 local, no reply: one reminder at 14:00, never a second.
    await t.clock(`${day}T21:00:00Z`);
    expect(await questions(p.phone)).toHaveLength(1);
    const first = await reminders(p.phone);
    expect(first).toHaveLength(1);
    // Tomorrow: answered within the hour, so no reminder.
    const next = plus(`${day}T17:00:00Z`, 24 * 60 + 5);
    await t.clock(next);
    expect(await questions(p.phone)).toHaveLength(2);
    expect((await t.inbound(p.phone, '8')).reply).toBe('Got it: 8/10. Thanks!');
    await t.clock(plus(next, 6 * 60));
    expect(await reminders(p.phone)).toHaveLength(1);
  });

  it('defers a reminder that would fall in quiet hours to when they end', async () => {
    const p = await participantOn({ time: '19:00', reminderAfterHours: 3 }, 'Europe/Berlin');
    const day = (await now()).slice(0, 10);
    await t.clock(plus(`${day}T18:00:00Z`, 24 * 60 + 1)); // 19:01 Berlin, the prompt is out
    expect(await questions(p.phone)).toHaveLength(1);
    await t.clock(plus(`${day}T18:00:00Z`, 48 * 60 - 60)); // next day 18:00 Berlin
    const sent = await reminders(p.phone);
    expect(sent).toHaveLength(1);
    // 22:00 is quiet (21:00–08:00), so it went out at 08:00 Berlin = 07:00Z.
    expect(sent[0]?.sentAt.slice(11, 16)).toBe('07:00');
  });
});
