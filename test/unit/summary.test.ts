import { fc, test } from '@fast-check/vitest';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  type AnswerCell,
  cohortReport,
  compareSummaries,
  csvRows,
  fallingThreshold,
  isLowScore,
  isoWeekOf,
  kAnonymousDistribution,
  type QuestionMeta,
  type SummaryParticipant,
  type SummaryRecord,
  summarize,
  WeekSchema,
  weekBefore,
  weekBounds,
  weekClosesAt,
} from '../../shared/domain/summary.js';

const ZONE = 'America/New_York';
const WEEK = '2026-W48'; // Mon 23 – Sun 29 Nov 2026
const SCALE: QuestionMeta = { text: 'Engaged?', type: 'scale' };
const who: SummaryParticipant = {
  id: 'p1',
  name: 'Sam',
  channel: 'sms',
  timeZone: ZONE,
  status: 'active',
};
/** 18:00 New York on day `d` (0 = Monday) of a week starting on the 23rd (Nov) or the 16th. */
const at = (date: string) => `${date}T23:00:00.000Z`;
const nov = (day: number) => at(`2026-11-${String(day).padStart(2, '0')}`);

function record(
  week: string,
  answers: { day: number; value?: number; text?: string; comment?: string; q?: number; x?: string }[],
  sentDays: number[],
  questions: Record<string, QuestionMeta> = { '0': SCALE },
): SummaryRecord {
  return {
    participantId: 'p1',
    coachId: 'c1',
    week,
    timeZone: ZONE,
    sent: Object.fromEntries(sentDays.map((d) => [nov(d), nov(d)])),
    answers: answers.map(
      (a): AnswerCell => ({
        scheduledFor: nov(a.day),
        questionIndex: a.q ?? 0,
        key: a.x ? `x:${a.x}` : String(a.q ?? 0),
        ...(a.value !== undefined ? { value: a.value } : {}),
        ...(a.text !== undefined ? { text: a.text } : {}),
        ...(a.comment ? { comment: a.comment } : {}),
        at: new Date(Date.parse(nov(a.day)) + 600_000).toISOString(),
      }),
    ),
    questions,
  };
}

const END_OF_WEEK = new Date('2026-11-30T06:00:00Z');

describe('ISO weeks in the participant zone', () => {
  it.each([
    ['2026-11-30T04:59:00Z', 'America/New_York', '2026-W48'], // still Sunday evening in New York
    ['2026-11-30T05:00:00Z', 'America/New_York', '2026-W49'],
    ['2026-11-29T15:00:00Z', 'Asia/Tokyo', '2026-W49'], // already Monday in Tokyo
    ['2027-01-01T12:00:00Z', 'UTC', '2026-W53'], // 2026 has 53 ISO weeks
  ])('%s in %s is %s', (instant, zone, week) => {
    expect(isoWeekOf(instant, zone)).toBe(week);
  });

  it('bounds a week at local midnights and closes it 12 hours after its end', () => {
    const { start, end } = weekBounds(WEEK, ZONE);
    expect(start.toISOString()).toBe('2026-11-23T05:00:00.000Z');
    expect(end.toISOString()).toBe('2026-11-30T05:00:00.000Z');
    expect(weekClosesAt(WEEK, ZONE).toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(weekBefore('2026-W01')).toBe('2025-W52');
  });

  it.each(['2026-W48', '2026-W53'])('accepts %s', (w) => expect(WeekSchema.safeParse(w).success).toBe(true));
  it.each(['2026-W54', '2025-W53', '2026-48', 'W48'])('refuses %s', (w) =>
    expect(WeekSchema.safeParse(w).success).toBe(false),
  );
});

describe('scaling of the 1–10 rules to other ranges', () => {
  it.each([
    [{ min: 1, max: 10 }, 2],
    [{ min: 1, max: 5 }, 8 / 9],
    [{ min: 0, max: 10 }, 20 / 9],
  ])('falling threshold of %o is %d', (range, threshold) => {
    expect(fallingThreshold(range)).toBeCloseTo(threshold);
  });

  it.each([
    [3, { min: 1, max: 10 }, true],
    [4, { min: 1, max: 10 }, false],
    [1, { min: 1, max: 5 }, true],
    [2, { min: 1, max: 5 }, false],
    [2, { min: 0, max: 10 }, true],
    [3, { min: 0, max: 10 }, false],
  ])('%d on %o is low: %s', (value, range, low) => {
    expect(isLowScore(value, range)).toBe(low);
  });
});

describe('a participant-week', () => {
  it('counts sent and answered prompts, averages, extremes, change and the streak', () => {
    const previous = record('2026-W47', [{ day: 16, value: 8 }], [16]);
    // The previous week's dates are mapped by day of November: 16 is Monday of W47.
    const current = record(
      WEEK,
      [
        { day: 23, value: 7 },
        { day: 24, value: 6, comment: 'tough day' },
        { day: 25, value: 5 },
      ],
      [23, 24, 25, 26],
    );
    const now = new Date('2026-11-28T12:00:00Z');
    const s = summarize({ participant: who, week: WEEK, now, current, earlier: [previous] });
    expect(s).toMatchObject({ sent: 4, answered: 3, responseRate: 0.75, streak: 0, closed: false });
    expect(s.questions[0]).toMatchObject({
      key: '0',
      count: 3,
      average: 6,
      min_value: 5,
      max_value: 7,
      change: -2,
      yesShare: null,
    });
    expect(s.flags).toEqual(['falling']);
    expect(s.comments).toEqual([{ scheduledFor: nov(24), questionIndex: 0, text: 'tough day' }]);
    expect(s.lastAnswerAt).toBe('2026-11-25T23:10:00.000Z');
  });

  it('counts a corrected answer once: the cell holds the latest value', () => {
    // A store keeps one cell per prompt and question; a correction replaces the cell.
    const cells = new Map<string, { day: number; value: number }>();
    for (const a of [
      { day: 23, value: 2 },
      { day: 23, value: 9 },
      { day: 24, value: 7 },
    ])
      cells.set(`${a.day}`, a);
    const s = summarize({
      participant: who,
      week: WEEK,
      now: END_OF_WEEK,
      current: record(WEEK, [...cells.values()], [23, 24]),
    });
    expect(s.questions[0]).toMatchObject({ count: 2, average: 8, min_value: 7 });
    expect(s.flags).toEqual([]); // the 2 was corrected away: no low score
    expect(s.streak).toBe(2);
  });

  it('flags a score of 3 or under on 1–10 and the same place on a 1–5 scale', () => {
    const low = summarize({
      participant: who,
      week: WEEK,
      now: END_OF_WEEK,
      current: record(WEEK, [{ day: 23, value: 3 }], [23]),
    });
    expect(low.flags).toContain('low-score');
    const fiveScale = (value: number) =>
      summarize({
        participant: who,
        week: WEEK,
        now: END_OF_WEEK,
        current: record(WEEK, [{ day: 29, value }], [29], { '0': { ...SCALE, min: 1, max: 5 } }),
      }).flags;
    expect(fiveScale(1)).toContain('low-score');
    expect(fiveScale(2)).not.toContain('low-score');
  });

  it('flags silence: no answer for 3 days while prompts went out', () => {
    const answeredTuesday = (now: string) =>
      summarize({
        participant: who,
        week: WEEK,
        now: new Date(now),
        current: record(WEEK, [{ day: 24, value: 7 }], [23, 24, 25, 26, 27, 28, 29]),
      }).flags;
    // Wednesday's prompt (25th, 23:00 UTC) is the first one left unanswered.
    expect(answeredTuesday('2026-11-28T22:59:00Z')).toEqual([]);
    expect(answeredTuesday('2026-11-28T23:00:00Z')).toEqual(['silent']);
    expect(answeredTuesday('2026-12-09T00:00:00Z')).toEqual(['silent']); // a past week, as it ended
    const never = summarize({
      participant: who,
      week: WEEK,
      now: new Date('2026-11-26T23:00:00Z'),
      current: record(WEEK, [], [23, 24, 25, 26]),
    });
    expect(never.flags).toEqual(['silent']);
    const nothingSent = summarize({ participant: who, week: WEEK, now: END_OF_WEEK });
    expect(nothingSent.flags).toEqual([]);
    expect(nothingSent).toMatchObject({ sent: 0, answered: 0, responseRate: 0, lastAnswerAt: null });
  });

  it('shows yes/no as a share, free text as texts, experiments under their own key', () => {
    const s = summarize({
      participant: { ...who, status: 'opted_out' },
      week: WEEK,
      now: END_OF_WEEK,
      current: record(
        WEEK,
        [
          { day: 23, q: 1, value: 1 },
          { day: 24, q: 1, value: 0 },
          { day: 25, q: 1, value: 1 },
          { day: 26, q: 1, value: 1 },
          { day: 23, q: 2, text: 'walked to work' },
          { day: 23, q: 3, x: 'walk', value: 30 },
        ],
        [23, 24, 25, 26],
        {
          '1': { text: 'Walked?', type: 'yes-no' },
          '2': { text: 'What went well?', type: 'text' },
          'x:walk': { text: 'Minutes walked?', type: 'number', unit: 'min', experimentId: 'walk' },
        },
      ),
    });
    expect(s.questions.map((q) => q.key)).toEqual(['1', '2', 'x:walk']);
    expect(s.questions[0]).toMatchObject({ yesShare: 0.75, average: null, count: 4 });
    expect(s.questions[1]).toMatchObject({ type: 'text', count: 1, values: [] });
    expect(s.questions[2]).toMatchObject({ average: 30, unit: 'min', experimentId: 'walk' });
    expect(s.texts).toEqual([{ scheduledFor: nov(23), question: 'What went well?', text: 'walked to work' }]);
    expect(s.flags).toEqual(['opted-out']);
  });

  it('sorts flagged summaries first, then by name', () => {
    const base = summarize({ participant: who, week: WEEK, now: END_OF_WEEK });
    const list = [
      { ...base, name: 'Zoe', flags: [] },
      { ...base, name: 'Bea', flags: [] },
      { ...base, name: 'Max', flags: ['silent' as const] },
    ];
    expect(list.sort(compareSummaries).map((s) => s.name)).toEqual(['Max', 'Bea', 'Zoe']);
  });
});

describe('CSV rows', () => {
  it('has one row per participant-question, no annotation, and neutralised formulas', () => {
    const current = {
      ...record(WEEK, [{ day: 23, value: 7, comment: '=HYPERLINK("http://x","y")' }], [23]),
      annotation: 'private note',
    };
    const s = summarize({ participant: who, week: WEEK, now: END_OF_WEEK, current });
    expect(s.annotation).toBe('private note');
    const rows = csvRows([s]);
    expect(rows).toHaveLength(1);
    const csv = Papa.unparse(rows, { escapeFormulae: true, delimiter: ',' });
    expect(csv).not.toContain('private note');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
  });
});

describe('cohort report', () => {
  const member = (i: number, value: number, text?: string): SummaryRecord => ({
    ...record(WEEK, [{ day: 23, value }, ...(text ? [{ day: 23, q: 1, text }] : [])], [23, 24], {
      '0': SCALE,
      '1': { text: 'Notes', type: 'text' },
    }),
    participantId: `p${i}`,
  });

  it('suppresses a group of 4', () => {
    const r = cohortReport(
      WEEK,
      'prog',
      [1, 2, 3, 4].map((i) => member(i, 5)),
    );
    expect(r).toEqual({
      week: WEEK,
      programId: 'prog',
      participants: 4,
      suppressed: true,
      responseRate: null,
      questions: [],
    });
  });

  it('shows a group of 5 with distribution, without free text or names', () => {
    const r = cohortReport(
      WEEK,
      'prog',
      [1, 2, 3, 4, 5].map((i) => member(i, i < 3 ? 4 : 8, 'secret')),
    );
    expect(r).toMatchObject({ participants: 5, suppressed: false, responseRate: 0.5 });
    expect(r.questions).toEqual([
      {
        key: '0',
        text: 'Engaged?',
        type: 'scale',
        participants: 5,
        suppressed: false,
        count: 5,
        average: 6.4,
        // 4 was answered by two people only: it joins 8 in one bar rather than showing them.
        distribution: { '4–8': 5 },
      },
    ]);
    expect(JSON.stringify(r)).not.toContain('secret');
    expect(JSON.stringify(r)).not.toContain('p1');
  });

  it('leaves out a personal experiment, even when five people answered one of that name', () => {
    const withExperiment = (i: number): SummaryRecord => ({
      ...record(
        WEEK,
        [
          { day: 23, value: 7 },
          { day: 23, value: 1, x: 'e1' },
        ],
        [23],
        {
          '0': SCALE,
          'x:e1': { text: 'Did I call my sister?', type: 'yes-no', experimentId: 'e1' },
        },
      ),
      participantId: `p${i}`,
    });
    const r = cohortReport(WEEK, 'prog', [1, 2, 3, 4, 5].map(withExperiment));
    expect(r.questions.map((q) => q.key)).toEqual(['0']);
    expect(JSON.stringify(r)).not.toContain('sister');
  });

  it('never shows a bar of fewer than 5 people, however many answers one person gave', () => {
    // Five people; one of them answered 2 on all seven days, the others 8 once each.
    const lonely: SummaryRecord = {
      ...record(
        WEEK,
        [23, 24, 25, 26, 27, 28, 29].map((day) => ({ day, value: 2 })),
        [23, 24, 25, 26, 27, 28, 29],
      ),
      participantId: 'p0',
    };
    const r = cohortReport(WEEK, 'prog', [lonely, ...[1, 2, 3, 4].map((i) => member(i, 8))]);
    expect(r.questions[0]?.distribution).toEqual({ '2–8': 11 });
  });
});

describe('k-anonymous distribution', () => {
  it.each<[string, [string, number][], Record<string, number>]>([
    [
      'every value held by 5 people',
      [...'abcde'].flatMap((w) => [[w, 3] as [string, number], [w, 9]]),
      { '3': 5, '9': 5 },
    ],
    [
      'a short tail joins the bar before it',
      [...'abcdefg'].map((w, i) => [w, i < 5 ? 1 : 10]),
      { '1–10': 7 },
    ],
    [
      'small values merge upwards into a range',
      [...'abcdefghij'].map((w, i) => [w, i]),
      { '0–4': 5, '5–9': 5 },
    ],
    ['under k people in all: nothing', [...'abcd'].map((w) => [w, 5]), {}],
  ])('%s', (_label, points, expected) => {
    expect(
      kAnonymousDistribution(
        points.map(([who, value]) => ({ who, value })),
        5,
      ),
    ).toEqual(expected);
  });

  test.prop(
    [
      fc.array(
        fc.record({
          who: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
          value: fc.integer({ min: -3, max: 12 }),
        }),
        {
          maxLength: 60,
        },
      ),
      fc.integer({ min: 1, max: 6 }),
    ],
    { numRuns: 2000 },
  )('every bar holds at least k answers from at least k people, and all answers are counted', (points, k) => {
    const distribution = kAnonymousDistribution(points, k);
    const bars = Object.entries(distribution).map(([label, count]) => {
      const [lo, hi] = label.split('–').map(Number);
      return { lo: lo ?? Number.NaN, hi: hi ?? lo ?? Number.NaN, count };
    });
    const people = new Set(points.map((p) => p.who)).size;
    if (people < k) {
      expect(bars).toEqual([]);
      return;
    }
    expect(bars.reduce((n, b) => n + b.count, 0)).toBe(points.length);
    for (const bar of bars) {
      const inside = points.filter((p) => p.value >= bar.lo && p.value <= bar.hi);
      expect(inside.length).toBe(bar.count);
      expect(bar.count).toBeGreaterThanOrEqual(k);
      expect(new Set(inside.map((p) => p.who)).size).toBeGreaterThanOrEqual(k);
    }
  });
});
