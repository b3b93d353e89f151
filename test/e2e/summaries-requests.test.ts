/**
 * "This week" for a coach with 500 participants costs at most three DynamoDB requests, and still
 * shows every opt-out, bounce and pending consent: counted by the adapters' own request counter
 * (the one the benches read), through the local API, against DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Participant } from '../../shared/domain/participant.js';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';
import type { productionDeps } from '../support/wiring.js';

const N = 500;
const COACH = 'coach-requests';
const WEEK = '2026-W48';
const SENT = '2026-11-24T23:00:00.000Z'; // Tuesday 18:00 in New York, week 48
const idOf = (i: number) => `req-${String(i).padStart(4, '0')}`;
const phoneOf = (i: number) => `+1212${String(6_000_000 + i).padStart(7, '0')}`;
/** An address that said STOP before the coach enrolled it: the coach sees "pending", not why. */
const STOPPED_BEFORE = phoneOf(N + 1);
const BOUNCING = 'bounce@example.com';

let t: TestSystem;
let coach: CoachClient;
let deps: ReturnType<typeof productionDeps>;
let counter: typeof import('../support/dynamo-stats.js');

interface SummaryJson {
  participantId: string;
  status: string;
  flags: string[];
}

beforeAll(async () => {
  t = await startTestSystem('2026-11-30T12:00:00Z');
  coach = await t.coach(COACH);
  deps = (await import('../support/wiring.js')).productionDeps();
  counter = await import('../support/dynamo-stats.js');
  const { DAILY_QUESTIONS } = await import('../../shared/domain/program.js');

  await deps.contacts.setOptOut('sms', STOPPED_BEFORE, true, '2026-10-01T12:00:00.000Z');
  const participants: Participant[] = Array.from({ length: N }, (_, i) => {
    const last = i === N - 1;
    return {
      id: idOf(i),
      coachId: COACH,
      name: `P${i}`,
      // The last one is reached by email; one, at an address that said STOP before.
      ...(last ? { email: BOUNCING } : { phone: i === 1 ? STOPPED_BEFORE : phoneOf(i) }),
      timeZone: 'America/New_York',
      programId: DAILY_QUESTIONS.id,
      channel: last ? ('email' as const) : ('sms' as const),
      status: 'active' as const,
      createdAt: '2026-11-01T12:00:00.000Z',
    };
  });
  await deps.participants.createAll(participants);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < N) {
        const participant = participants[next++];
        if (participant)
          await deps.summaries.markSent(
            participant,
            { scheduledFor: SENT, questions: DAILY_QUESTIONS.questions },
            SENT,
          );
      }
    }),
  );
  // After enrolment, through the real paths: a STOP by SMS, a hard bounce's suppression.
  expect((await t.inbound(phoneOf(0), 'STOP')).status).toBe(200);
  await deps.contacts.suppress('email', BOUNCING, 'hard-bounce');
});
afterAll(async () => t?.stop());

describe('GET /api/summaries for 500 participants', () => {
  it('costs at most three DynamoDB requests and keeps opted-out, bouncing and pending right', async () => {
    const week = () => coach.get<{ summaries: SummaryJson[] }>(`/api/summaries?week=${WEEK}`);
    expect((await week()).status).toBe(200); // the coach's first request stores their profile
    counter.resetDynamoStats();
    const res = await week();
    const requests = Object.values(counter.dynamoStats().requests).reduce((a, b) => a + b, 0);

    expect(res.status).toBe(200);
    expect(res.json.summaries).toHaveLength(N);
    // Zero would mean the counter missed the endpoint's requests, not that it made none.
    expect(requests).toBeGreaterThan(0);
    expect(requests).toBeLessThanOrEqual(3);

    const byId = new Map(res.json.summaries.map((s) => [s.participantId, s]));
    expect(byId.get(idOf(0))).toMatchObject({ status: 'opted_out' });
    expect(byId.get(idOf(0))?.flags).toContain('opted-out');
    expect(byId.get(idOf(N - 1))).toMatchObject({ status: 'bouncing' });
    expect(byId.get(idOf(N - 1))?.flags).toContain('bouncing');
    expect(byId.get(idOf(1))).toMatchObject({ status: 'pending' });
    expect(byId.get(idOf(1))?.flags).not.toContain('opted-out');
    const others = res.json.summaries.filter(
      (s) => ![idOf(0), idOf(1), idOf(N - 1)].includes(s.participantId),
    );
    expect(others.every((s) => s.status === 'active' && !s.flags.includes('opted-out'))).toBe(true);
  });
});
