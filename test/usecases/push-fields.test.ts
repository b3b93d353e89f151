/**
 * Push fields with in-memory adapters: each participant's filled-in text meets the limits (or
 * that participant alone is refused), the summary fields come from the coach's week, and the
 * week's summary remembers the push ("This week" shows it).
 */
import { describe, expect, it } from 'vitest';
import type { Participant } from '../../shared/domain/participant.js';
import { DAILY_QUESTIONS } from '../../shared/domain/program.js';
import type { WeekSummary } from '../../shared/domain/summary.js';
import { ValidationError } from '../../shared/errors.js';
import { bulkPush, createPush } from '../../shared/usecases/pushes.js';
import { fixedClock, memoryAdapters } from '../support/memory.js';

const MORNING = '2026-11-24T15:00:00.000Z'; // Tuesday 10:00 in New York

function setup() {
  const memory = memoryAdapters();
  const add = (id: string, name: string) => {
    const p: Participant = {
      id,
      coachId: 'c1',
      name,
      phone: `+1212555${String(1000 + memory.store.participants.size).slice(-4)}`,
      timeZone: 'America/New_York',
      programId: DAILY_QUESTIONS.id,
      channel: 'sms',
      status: 'active',
      createdAt: '2026-11-20T12:00:00.000Z',
    };
    memory.store.participants.set(id, p);
    return p;
  };
  const week = (participantId: string, streak: number, averages: number[]) =>
    ({
      participantId,
      streak,
      flags: [],
      questions: averages.map((average) => ({ type: 'scale', average })),
    }) as unknown as WeekSummary;
  const deps = {
    ...memory,
    clock: fixedClock(MORNING),
    weeks: async () => [week('bo', 5, [6, 8]), week('long', 1, [])],
  };
  return { memory, add, deps };
}

// 21 names of 80 letters: 1,701 characters once filled in, though the template is 294.
const MANY = '{{firstName}} '.repeat(21).trim();

describe('bulk push with fields', () => {
  it('refuses only the participant whose filled-in text passes the limit; the others still go', async () => {
    const { add, deps, memory } = setup();
    add('bo', 'Bo Diaz');
    add('long', 'A'.repeat(80));
    const result = await bulkPush(deps, { coachId: 'c1', coachName: 'Ana' }, { text: MANY, to: 'all' });
    expect(result).toMatchObject({ queued: 1, skipped: 0, refused: 1 });
    const long = result.recipients.find((r) => r.participantId === 'long');
    expect(long).toMatchObject({ status: 'refused' });
    expect(long?.error).toMatch(/1700 characters for this participant; Twilio's limit is 1600/u);
    expect([...memory.store.prompts.values()].map((p) => p.participantId)).toEqual(['bo']);
  });

  it('fills streak, week average and coach name from the week, and names in literally', async () => {
    const { add, deps, memory } = setup();
    add('bo', "$' Diaz");
    await bulkPush(
      deps,
      { coachId: 'c1', coachName: 'Ana Ruiz' },
      { text: '{{firstName}}: {{streak}} days, avg {{weekAverage}}. {{coachName}}', to: 'all' },
    );
    expect([...memory.store.prompts.values()].map((p) => p.text)).toEqual(["$': 5 days, avg 7. Ana Ruiz"]);
  });
});

describe('a single push', () => {
  it('is refused with a 400 on text when filled in too long, and nothing is stored', async () => {
    const { add, deps, memory } = setup();
    add('long', 'A'.repeat(80));
    await expect(createPush(deps, 'c1', 'long', { text: MANY })).rejects.toBeInstanceOf(ValidationError);
    expect(memory.store.prompts.size).toBe(0);
  });

  it('marks the week it answers on the summary', async () => {
    const { add, deps, memory } = setup();
    add('bo', 'Bo Diaz');
    await createPush(deps, 'c1', 'bo', { text: 'Well done', week: '2026-W47' });
    const record = await memory.summaries.get('bo', '2026-W47');
    expect(record?.push).toEqual({ sendAt: MORNING });
  });
});
