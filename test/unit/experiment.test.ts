/** Personal experiments: their days in the participant's zone, and the questions a prompt asks. */
import { describe, expect, it } from 'vitest';
import {
  type Experiment,
  endDateOf,
  experimentStatus,
  NewExperimentSchema,
  withExperiments,
} from '../../shared/domain/experiment.js';

const experiment: Experiment = {
  id: 'e1',
  participantId: 'p1',
  coachId: 'c1',
  question: { type: 'yes-no', text: 'Did I pause first?' },
  startDate: '2026-11-25',
  endDate: '2026-11-26',
  createdAt: '2026-11-23T12:00:00.000Z',
};

describe('experiment dates', () => {
  it.each([
    [{ startDate: '2026-11-25', weeks: 1 }, '2026-12-01'],
    [{ startDate: '2026-12-28', weeks: 2 }, '2027-01-10'],
    [{ startDate: '2026-11-25', endDate: '2026-11-25' }, '2026-11-25'],
  ])('%j ends on %s', (input, end) => {
    expect(endDateOf(input)).toBe(end);
  });

  it.each([
    // 23:30 on the 24th in New York is already the 25th in UTC: still upcoming there.
    ['2026-11-25T04:30:00Z', 'America/New_York', 'upcoming'],
    ['2026-11-25T05:00:00Z', 'America/New_York', 'active'],
    ['2026-11-27T04:59:00Z', 'America/New_York', 'active'],
    ['2026-11-27T05:00:00Z', 'America/New_York', 'ended'],
    // In Tokyo the 25th starts 14 hours earlier than in New York.
    ['2026-11-24T15:00:00Z', 'Asia/Tokyo', 'active'],
  ])('at %s in %s it is %s', (at, zone, status) => {
    expect(experimentStatus(experiment, new Date(at), zone)).toBe(status);
  });

  it('is ended from the instant the coach ended it', () => {
    const ended = { ...experiment, endedAt: '2026-11-25T18:00:00.000Z' };
    expect(experimentStatus(ended, new Date('2026-11-25T17:59:00Z'), 'UTC')).toBe('active');
    expect(experimentStatus(ended, new Date('2026-11-25T18:00:00Z'), 'UTC')).toBe('ended');
  });

  it.each([
    [{ startDate: '2026-11-25' }, 'endDate'],
    [{ startDate: '2026-11-25', endDate: '2026-11-30', weeks: 1 }, 'endDate'],
    [{ startDate: '2026-11-25', endDate: '2026-11-24' }, 'endDate'],
    [{ startDate: '25.11.2026', weeks: 1 }, 'startDate'],
  ])('refuses %j naming %s', (dates, field) => {
    const parsed = NewExperimentSchema.safeParse({ question: experiment.question, ...dates });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([field]);
  });
});

describe('the questions of a prompt', () => {
  const program = [{ type: 'scale' as const, text: 'Did I set a goal today?' }];

  it('appends the question of each active experiment, marked with its id', () => {
    const questions = withExperiments(program, [experiment], new Date('2026-11-25T23:00:00Z'), 'UTC');
    expect(questions).toEqual([...program, { ...experiment.question, experimentId: 'e1' }]);
  });

  it('leaves out upcoming and ended experiments', () => {
    expect(withExperiments(program, [experiment], new Date('2026-11-24T23:00:00Z'), 'UTC')).toEqual(program);
    expect(withExperiments(program, [experiment], new Date('2026-11-27T00:00:00Z'), 'UTC')).toEqual(program);
  });
});
