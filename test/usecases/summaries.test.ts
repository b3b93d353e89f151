/**
 * The coach's week with in-memory adapters: summaries fed by the send path and by recorded answers
 * (a second answer replaces the first), ownership, annotations, the cohort report's k-anonymity
 * and admin scope, and the week close that emails each coach exactly once.
 */
import { describe, expect, it } from 'vitest';
import type { Participant } from '../../shared/domain/participant.js';
import { DAILY_QUESTIONS } from '../../shared/domain/program.js';
import type { EmailSender, InboundMessage, OutboundEmail } from '../../shared/ports.js';
import { recordAnswers } from '../../shared/usecases/answers.js';
import {
  annotateWeek,
  closeWeeks,
  cohort,
  listWeekSummaries,
  participantSummaries,
} from '../../shared/usecases/summaries.js';
import { weekCsv } from '../../shared/usecases/summaries-csv.js';
import { fixedClock, memoryAdapters } from '../support/memory.js';

const WEEK = '2026-W48';
const ONE = DAILY_QUESTIONS.questions.slice(0, 1);
const day = (d: number) => `2026-11-${String(23 + d).padStart(2, '0')}T23:00:00.000Z`;

function world() {
  const memory = memoryAdapters();
  const clock = fixedClock('2026-11-28T12:00:00.000Z');
  const outbox: OutboundEmail[] = [];
  const email: EmailSender = {
    async send(message) {
      outbox.push(message);
      return { providerMessageId: `m${outbox.length}` };
    },
  };
  const deps = { ...memory, clock, email, dashboardUrl: 'https://coach.example/app/' };
  const enrol = (id: string, coachId = 'c1', extra: Partial<Participant> = {}) => {
    const p: Participant = {
      id,
      coachId,
      name: id,
      phone: '+12125550100',
      timeZone: 'America/New_York',
      programId: 'prog',
      channel: 'sms',
      status: 'active',
      createdAt: '2026-11-20T12:00:00.000Z',
      ...extra,
    };
    memory.store.participants.set(id, p);
    return p;
  };
  /** A prompt sent on day `d` of the week and, optionally, answered. */
  const promptDay = async (p: Participant, d: number, value?: number, sid = `${p.id}-${d}`) => {
    await memory.summaries.markSent(p, { scheduledFor: day(d), questions: ONE }, day(d));
    if (value !== undefined) await answer(p, d, value, sid);
  };
  const answer = async (p: Participant, d: number, value: number, sid: string, comment?: string) => {
    const message: InboundMessage = {
      providerMessageId: sid,
      channel: 'sms',
      source: 'sms-reply',
      from: '+12125550100',
      body: String(value),
      receivedAt: new Date(Date.parse(day(d)) + 600_000).toISOString(),
    };
    await recordAnswers(deps, message, { participantId: p.id, scheduledFor: day(d), questions: ONE }, [
      { questionIndex: 0, value, ...(comment ? { comment } : {}) },
    ]);
  };
  return { memory, clock, deps, outbox, enrol, promptDay, answer };
}

describe("the coach's week", () => {
  it('lists every participant of the coach only, with figures from sends and answers', async () => {
    const w = world();
    const sam = w.enrol('sam');
    w.enrol('ivy'); // nothing sent yet: listed with zeros
    w.enrol('other', 'c2');
    for (const [d, v] of [
      [0, 6],
      [1, 8],
      [2, 7],
    ] as const)
      await w.promptDay(sam, d, v);
    const { week, summaries } = await listWeekSummaries(w.deps, 'c1', WEEK);
    expect(week).toBe(WEEK);
    expect(summaries.map((s) => s.participantId)).toEqual(['ivy', 'sam']);
    expect(summaries[1]).toMatchObject({ sent: 3, answered: 3, streak: 3, flags: [] });
    expect(summaries[1]?.questions[0]).toMatchObject({ text: ONE[0]?.text, count: 3, average: 7 });
    expect(summaries[0]).toMatchObject({ sent: 0, answered: 0, questions: [] });
  });

  it('replaces a corrected answer instead of counting it twice', async () => {
    const w = world();
    const sam = w.enrol('sam');
    await w.promptDay(sam, 0, 2);
    await w.answer(sam, 0, 9, 'correction');
    await w.answer(sam, 0, 9, 'correction-again');
    const [s] = (await listWeekSummaries(w.deps, 'c1', WEEK)).summaries;
    expect(s?.questions[0]).toMatchObject({ count: 1, average: 9, min_value: 9 });
    expect(s?.flags).toEqual([]);
  });

  it('flags an opted-out participant from the address state', async () => {
    const w = world();
    const sam = w.enrol('sam');
    await w.promptDay(sam, 0, 7);
    await w.memory.contacts.setOptOut('sms', '+12125550100', true, '2026-11-24T00:00:00.000Z');
    const [s] = (await listWeekSummaries(w.deps, 'c1', WEEK)).summaries;
    expect(s).toMatchObject({ status: 'opted_out', flags: ['opted-out'] });
  });

  it("keeps annotations to the participant's coach and out of the CSV", async () => {
    const w = world();
    const sam = w.enrol('sam');
    await w.promptDay(sam, 0, 7);
    await expect(annotateWeek(w.deps, 'c2', 'sam', WEEK, 'x')).rejects.toThrow('participant not found');
    expect(await annotateWeek(w.deps, 'c1', 'sam', WEEK, 'note to self')).toEqual({
      week: WEEK,
      annotation: 'note to self',
    });
    const history = await participantSummaries(w.deps, 'c1', 'sam', 8);
    // Enrolled on the 20th: W47 and W48 only, newest first.
    expect(history.map((s) => [s.week, s.annotation])).toEqual([
      [WEEK, 'note to self'],
      ['2026-W47', null],
    ]);
    expect((await weekCsv(w.deps, 'c1', WEEK)).csv).not.toContain('note to self');
    await annotateWeek(w.deps, 'c1', 'sam', WEEK, '');
    expect((await listWeekSummaries(w.deps, 'c1', WEEK)).summaries[0]?.annotation).toBeNull();
  });
});

describe('the cohort report', () => {
  const cohortOf = async (size: number, otherCoach = 0) => {
    const w = world();
    for (let i = 0; i < size; i++) await w.promptDay(w.enrol(`p${i}`), 0, 5 + (i % 3));
    for (let i = 0; i < otherCoach; i++) await w.promptDay(w.enrol(`q${i}`, 'c2'), 0, 9);
    return w;
  };

  it('suppresses a group of 4 and shows a group of 5', async () => {
    const four = await cohortOf(4);
    expect(await cohort(four.deps, { coachId: 'c1', admin: false }, 'prog', WEEK)).toMatchObject({
      participants: 4,
      suppressed: true,
      questions: [],
    });
    const five = await cohortOf(5);
    const report = await cohort(five.deps, { coachId: 'c1', admin: false }, 'prog', WEEK);
    expect(report).toMatchObject({ participants: 5, suppressed: false, responseRate: 1 });
    expect(report.questions[0]).toMatchObject({ count: 5, distribution: { '5–7': 5 } });
  });

  it("shows a coach only their own participants and an admin the deployment's", async () => {
    const w = await cohortOf(3, 3);
    expect(await cohort(w.deps, { coachId: 'c1', admin: false }, 'prog', WEEK)).toMatchObject({
      participants: 3,
      suppressed: true,
    });
    expect(await cohort(w.deps, { coachId: 'c1', admin: true }, 'prog', WEEK)).toMatchObject({
      participants: 6,
      suppressed: false,
    });
    expect(await cohort(w.deps, { coachId: 'c1', admin: true }, 'another', WEEK)).toMatchObject({
      participants: 0,
      suppressed: true,
    });
  });
});

/** The program the world's participants are on, stored (report cards read it). */
async function storeProgram(w: ReturnType<typeof world>, reportCard?: boolean) {
  await w.memory.programs.create({
    ...DAILY_QUESTIONS,
    id: 'prog',
    coachId: 'c1',
    ...(reportCard === undefined ? {} : { reportCard }),
  });
}

describe('closing weeks', () => {
  it('emails each coach once per week, after the week ended in the zone plus grace', async () => {
    const w = world();
    await storeProgram(w);
    await w.memory.coaches.remember({ coachId: 'c1', email: 'coach@example.com' });
    const sam = w.enrol('sam');
    const kim = w.enrol('kim', 'c1', { timeZone: 'America/Los_Angeles' });
    await w.promptDay(sam, 0, 7);
    await w.promptDay(kim, 0); // never answers
    w.clock.set('2026-11-30T17:30:00.000Z'); // New York's week closed; Los Angeles' not yet
    expect(await closeWeeks(w.deps)).toEqual({ closed: 0, emailed: 0, reportCards: 0 });
    w.clock.set('2026-11-30T20:00:00.000Z');
    // One report card for each participant who was sent check-ins, the silent one included.
    expect(await closeWeeks(w.deps)).toEqual({ closed: 1, emailed: 1, reportCards: 2 });
    expect(await closeWeeks(w.deps)).toEqual({ closed: 0, emailed: 0, reportCards: 0 });
    expect(w.outbox).toHaveLength(1);
    expect(w.outbox[0]).toMatchObject({
      to: 'coach@example.com',
      subject: `2 summaries ready, 1 needs attention (week ${WEEK})`,
    });
    expect(w.outbox[0]?.text).toContain(`https://coach.example/app/#/week?w=${WEEK}`);
    // Each card waits in the due index for the dispatcher, with the participant's own figures.
    const card = await w.memory.prompts.get({
      participantId: sam.id,
      scheduledFor: '2026-11-30T05:00:00.000Z', // the week's end in New York
      kind: 'report',
    });
    expect(card).toMatchObject({ status: 'queued', sendAt: '2026-11-30T20:00:00.000Z', channel: 'sms' });
    expect(card?.report).toMatchObject({ week: WEEK, sent: 1, answered: 1 });
    expect(card?.report?.questions[0]).toMatchObject({ thisWeek: 7, lastWeek: null });
  });

  it('writes no report card when the program switched them off', async () => {
    const w = world();
    await storeProgram(w, false);
    await w.promptDay(w.enrol('sam'), 0, 7);
    w.clock.set('2026-12-01T00:00:00.000Z');
    expect(await closeWeeks(w.deps)).toEqual({ closed: 1, emailed: 0, reportCards: 0 });
  });

  it('closes a week without email when the coach has no address on file', async () => {
    const w = world();
    await storeProgram(w);
    await w.promptDay(w.enrol('sam'), 0, 7);
    w.clock.set('2026-12-01T00:00:00.000Z');
    expect(await closeWeeks(w.deps)).toEqual({ closed: 1, emailed: 0, reportCards: 1 });
    expect(await closeWeeks(w.deps)).toEqual({ closed: 0, emailed: 0, reportCards: 0 });
  });
});
