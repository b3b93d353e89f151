/**
 * The coach's week: a participant's weekly summary (ISO week in the participant's zone), computed
 * on read from one stored record per participant-week. The record holds what happened as keyed
 * cells — one per sent prompt, one per prompt-and-question answer — so a repeated or corrected
 * answer overwrites its cell and the figures never count anything twice. Pure: no clock, no I/O.
 */
import * as z from 'zod';
import type { Channel } from './channel.js';
import type { ParticipantViewStatus } from './participant.js';
import type { Question } from './program.js';
import { currentStreak } from './streak.js';
import { parseWeek, weekBefore, weekBounds } from './zone.js';

const DAY_MS = 86_400_000;

/** Late replies still land in a week this long after it ends in the participant's zone. */
export const WEEK_GRACE_HOURS = 12;

/** No answer for this many days while prompts went out: the participant is `silent`. */
export const SILENT_DAYS = 3;

/** Cohort figures are shown only for groups of at least this many participants (k-anonymity). */
export const COHORT_MIN_GROUP = 5;

/** An ISO week such as `2026-W48`. */
export const WeekSchema = z
  .string()
  .regex(/^\d{4}-W\d{2}$/u, 'expected an ISO week such as 2026-W48')
  .refine((w) => parseWeek(w) !== undefined, 'not an existing ISO week');

// ISO-week arithmetic lives with the zone code (no zod), where the dashboard imports it too.
export { isoWeekOf, weekBefore, weekBounds } from './zone.js';

/** When a week is closed for a participant: its end in their zone plus the grace for late replies. */
export function weekClosesAt(week: string, zone: string): Date {
  return new Date(weekBounds(week, zone).end.getTime() + WEEK_GRACE_HOURS * 3_600_000);
}

/** What a summary knows about a question asked in the week. */
export interface QuestionMeta {
  readonly text: string;
  readonly type: Question['type'];
  readonly min?: number;
  readonly max?: number;
  readonly unit?: string;
  readonly experimentId?: string;
}

/** The key a question's figures are kept under: its index, or `x:<experimentId>` for an experiment's. */
export function questionKey(questionIndex: number, experimentId?: string): string {
  return experimentId ? `x:${experimentId}` : String(questionIndex);
}

/** The stored description of a question. */
export function questionMeta(question: Question): QuestionMeta {
  return {
    text: question.text,
    type: question.type,
    ...(question.type === 'scale' || question.type === 'number'
      ? {
          ...(question.min !== undefined ? { min: question.min } : {}),
          ...(question.max !== undefined ? { max: question.max } : {}),
        }
      : {}),
    ...(question.type === 'number' && question.unit ? { unit: question.unit } : {}),
    ...(question.experimentId ? { experimentId: question.experimentId } : {}),
  };
}

/** One answer cell: the latest answer to one question of one prompt. */
export interface AnswerCell {
  readonly scheduledFor: string;
  readonly questionIndex: number;
  readonly key: string;
  readonly value?: number;
  readonly text?: string;
  readonly comment?: string;
  /** When it was received. */
  readonly at: string;
}

/** One participant-week as stored. */
export interface SummaryRecord {
  readonly participantId: string;
  readonly coachId: string;
  readonly week: string;
  readonly timeZone: string;
  readonly programId?: string;
  /** Prompts sent in the week: scheduledFor → sentAt. */
  readonly sent: Readonly<Record<string, string>>;
  readonly answers: readonly AnswerCell[];
  /** Questions asked in the week, by {@link questionKey}. */
  readonly questions: Readonly<Record<string, QuestionMeta>>;
  /** The coach's private note; never shown to the participant, never in reports or CSV. */
  readonly annotation?: string;
  /** The latest push the coach wrote for this week: when it goes (went) out, or that it was skipped. */
  readonly push?: WeekPushMark;
}

/** What a week's summary remembers of the push written for it. */
export interface WeekPushMark {
  readonly sendAt: string;
  readonly skipped?: boolean;
}

/** A week's push as "This week" shows it: sent (its time has come), scheduled, skipped, or none written. */
export type WeekPushStatus = 'sent' | 'scheduled' | 'skipped' | 'none';

/** The push status of a week at `now`. */
export function weekPushStatus(mark: WeekPushMark | undefined, now: Date): WeekPushStatus {
  if (!mark) return 'none';
  if (mark.skipped) return 'skipped';
  return mark.sendAt <= now.toISOString() ? 'sent' : 'scheduled';
}

/**
 * Attention flags, in the order they are shown. `needs-human`: an unread message reads as a person
 * needing help now (`needs-human.ts`); it stays until the coach marks those messages read.
 */
export const FLAGS = ['needs-human', 'silent', 'falling', 'low-score', 'opted-out', 'bouncing'] as const;
export type Flag = (typeof FLAGS)[number];

/** One question's figures in a week. */
export interface QuestionSummary {
  readonly key: string;
  readonly text: string;
  readonly type: Question['type'];
  readonly min: number | null;
  readonly max: number | null;
  readonly unit: string | null;
  readonly experimentId: string | null;
  readonly count: number;
  readonly average: number | null;
  readonly min_value: number | null;
  readonly max_value: number | null;
  /** Average minus the previous week's, null when either is missing. */
  readonly change: number | null;
  /** Yes/no questions: share of yes, 0..1. */
  readonly yesShare: number | null;
  readonly values: { scheduledFor: string; value: number }[];
}

/** A participant's week as the coach sees it. */
export interface WeekSummary {
  readonly participantId: string;
  readonly name: string;
  readonly channel: Channel;
  readonly status: ParticipantViewStatus;
  readonly timeZone: string;
  readonly programId: string | null;
  readonly week: string;
  readonly closed: boolean;
  readonly flags: Flag[];
  /** Messages the participant wrote that the coach has not marked read (any week). */
  readonly unreadMessages: number;
  readonly sent: number;
  readonly answered: number;
  readonly responseRate: number;
  readonly streak: number;
  readonly lastAnswerAt: string | null;
  readonly questions: QuestionSummary[];
  readonly comments: { scheduledFor: string; questionIndex: number; text: string }[];
  readonly texts: { scheduledFor: string; question: string; text: string }[];
  readonly annotation: string | null;
  /** Whether the coach's push for this week is sent, scheduled, skipped or not written. */
  readonly push: WeekPushStatus;
  /** When that push goes (or went) out; null when none was written. */
  readonly pushAt: string | null;
}

/** The participant fields a summary shows. */
export interface SummaryParticipant {
  readonly id: string;
  readonly name: string;
  readonly channel: Channel;
  readonly timeZone: string;
  readonly programId?: string;
  readonly status: ParticipantViewStatus;
  /** Messages they wrote that the coach has not read yet. */
  readonly unreadMessages?: number;
  /** An unread message of theirs reads as needing a human now. */
  readonly needsHuman?: boolean;
}

/** What {@link summarize} needs. */
export interface SummaryInput {
  readonly participant: SummaryParticipant;
  readonly week: string;
  readonly now: Date;
  /** This week's record, if anything happened. */
  readonly current?: SummaryRecord;
  /** Earlier weeks' records, any order: the previous week gives `change`; all give the streak. */
  readonly earlier?: readonly SummaryRecord[];
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The range a question's scores are scaled by (2 points and a score of 3 are meant on 1–10). */
function scoreRange(meta: QuestionMeta): { min: number; max: number } | undefined {
  if (meta.type === 'scale') return { min: meta.min ?? 1, max: meta.max ?? 10 };
  if (meta.type === 'number' && meta.min !== undefined && meta.max !== undefined)
    return { min: meta.min, max: meta.max };
  return undefined;
}

/** A drop of at least this much in a question's average is `falling`: 2 points of a 1–10 scale. */
export function fallingThreshold(range: { min: number; max: number }): number {
  return (2 * (range.max - range.min)) / 9;
}

/** Whether a score is low: at or under 3 on a 1–10 scale, at the same place on other ranges. */
export function isLowScore(value: number, range: { min: number; max: number }): boolean {
  return (value - range.min) / (range.max - range.min) <= 2 / 9 + 1e-9;
}

/** A stand-in description for answers whose question was never described (a prompt not marked sent). */
function fallbackMeta(cell: AnswerCell): QuestionMeta {
  return { text: `Question ${cell.questionIndex + 1}`, type: cell.value === undefined ? 'text' : 'scale' };
}

function compareKeys(a: string, b: string): number {
  const ax = a.startsWith('x:');
  const bx = b.startsWith('x:');
  if (ax !== bx) return ax ? 1 : -1;
  return ax ? a.localeCompare(b) : Number(a) - Number(b);
}

function numericAverage(record: SummaryRecord | undefined, key: string): number | undefined {
  if (!record) return undefined;
  const values = record.answers
    .filter((c) => c.key === key && c.value !== undefined)
    .map((c) => c.value ?? 0);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

/** The week's summary with its figures and flags. */
export function summarize(input: SummaryInput): WeekSummary {
  const { participant, week, now, current } = input;
  const zone = participant.timeZone;
  const { end } = weekBounds(week, zone);
  // The week seen from its last moment at most: a past week is judged as it ended.
  const ref = new Date(Math.min(now.getTime(), end.getTime() - 1));
  const previous = input.earlier?.find((r) => r.week === weekBefore(week));
  const cells = [...(current?.answers ?? [])].sort(
    (a, b) => a.scheduledFor.localeCompare(b.scheduledFor) || a.questionIndex - b.questionIndex,
  );

  const keys = new Set<string>([...Object.keys(current?.questions ?? {}), ...cells.map((c) => c.key)]);
  const questions = [...keys].sort(compareKeys).map((key): QuestionSummary => {
    const own = cells.filter((c) => c.key === key);
    const first = own[0];
    const meta = current?.questions[key] ?? (first ? fallbackMeta(first) : { text: key, type: 'scale' });
    const values = own.flatMap((c) =>
      c.value === undefined ? [] : [{ scheduledFor: c.scheduledFor, value: c.value }],
    );
    const numbers = values.map((v) => v.value);
    const numeric = meta.type === 'scale' || meta.type === 'number';
    const avg = numbers.length ? numbers.reduce((a, b) => a + b, 0) / numbers.length : undefined;
    const before = numeric ? numericAverage(previous, key) : undefined;
    return {
      key,
      text: meta.text,
      type: meta.type,
      min: meta.type === 'scale' ? (meta.min ?? 1) : (meta.min ?? null),
      max: meta.type === 'scale' ? (meta.max ?? 10) : (meta.max ?? null),
      unit: meta.unit ?? null,
      experimentId: meta.experimentId ?? null,
      count: meta.type === 'text' ? own.filter((c) => c.text !== undefined).length : numbers.length,
      average: numeric && avg !== undefined ? round(avg) : null,
      min_value: numeric && numbers.length ? Math.min(...numbers) : null,
      max_value: numeric && numbers.length ? Math.max(...numbers) : null,
      change: avg !== undefined && before !== undefined ? round(avg - before) : null,
      yesShare: meta.type === 'yes-no' && avg !== undefined ? round(avg) : null,
      values: meta.type === 'text' ? [] : values,
    };
  });

  const sentPrompts = Object.keys(current?.sent ?? {});
  const answeredPrompts = new Set(cells.map((c) => c.scheduledFor));
  const answered = sentPrompts.filter((sf) => answeredPrompts.has(sf)).length;

  // Across the loaded weeks: the last answer, and what went out since.
  const records = [...(input.earlier ?? []), ...(current ? [current] : [])];
  const allCells = records.flatMap((r) => r.answers).filter((c) => c.at <= ref.toISOString());
  const lastAnswerAt = allCells.reduce<string | null>((m, c) => (m === null || c.at > m ? c.at : m), null);
  const allSent = records.flatMap((r) => Object.entries(r.sent));

  const flags = new Set<Flag>();
  const lastAnsweredPrompt =
    allCells
      .map((c) => c.scheduledFor)
      .sort()
      .at(-1) ?? '';
  const unansweredSince = allSent
    .filter(([sf, sentAt]) => sf > lastAnsweredPrompt && sentAt <= ref.toISOString())
    .map(([, sentAt]) => sentAt)
    .sort()[0];
  if (
    sentPrompts.length > 0 &&
    unansweredSince !== undefined &&
    (lastAnswerAt === null || lastAnswerAt < unansweredSince) &&
    ref.getTime() - Date.parse(unansweredSince) >= SILENT_DAYS * DAY_MS
  )
    flags.add('silent');
  for (const q of questions) {
    const meta = current?.questions[q.key];
    const range = meta ? scoreRange(meta) : q.type === 'scale' ? { min: 1, max: 10 } : undefined;
    if (!range) continue;
    if (q.change !== null && q.change <= -fallingThreshold(range) + 1e-9) flags.add('falling');
    if (q.type === 'scale' && q.values.some((v) => isLowScore(v.value, range))) flags.add('low-score');
  }
  if (participant.needsHuman) flags.add('needs-human');
  if (participant.status === 'opted_out') flags.add('opted-out');
  if (participant.status === 'bouncing') flags.add('bouncing');

  const answeredDays = new Map<string, string>();
  for (const c of records.flatMap((r) => r.answers)) answeredDays.set(c.scheduledFor, c.at);
  const streak = currentStreak(
    allSent.map(([scheduledFor]) => ({
      scheduledFor,
      status: 'sent' as const,
      ...(answeredDays.has(scheduledFor) ? { answeredAt: answeredDays.get(scheduledFor) } : {}),
    })),
    zone,
    ref,
  );

  return {
    participantId: participant.id,
    name: participant.name,
    channel: participant.channel,
    status: participant.status,
    timeZone: zone,
    programId: current?.programId ?? participant.programId ?? null,
    week,
    closed: now.getTime() >= weekClosesAt(week, zone).getTime(),
    flags: FLAGS.filter((f) => flags.has(f)),
    unreadMessages: Math.max(0, participant.unreadMessages ?? 0),
    sent: sentPrompts.length,
    answered,
    responseRate: sentPrompts.length ? round(answered / sentPrompts.length) : 0,
    streak,
    lastAnswerAt,
    questions,
    comments: cells.flatMap((c) =>
      c.comment ? [{ scheduledFor: c.scheduledFor, questionIndex: c.questionIndex, text: c.comment }] : [],
    ),
    texts: cells.flatMap((c) =>
      c.text !== undefined
        ? [
            {
              scheduledFor: c.scheduledFor,
              question: current?.questions[c.key]?.text ?? fallbackMeta(c).text,
              text: c.text,
            },
          ]
        : [],
    ),
    annotation: current?.annotation ?? null,
    push: weekPushStatus(current?.push, now),
    pushAt: current?.push?.sendAt ?? null,
  };
}

/** Needing a human first, then flagged, then by name. */
export function compareSummaries(a: WeekSummary, b: WeekSummary): number {
  const ha = a.flags.includes('needs-human');
  const hb = b.flags.includes('needs-human');
  if (ha !== hb) return ha ? -1 : 1;
  const fa = a.flags.length > 0;
  const fb = b.flags.length > 0;
  if (fa !== fb) return fa ? -1 : 1;
  return a.name.localeCompare(b.name) || a.participantId.localeCompare(b.participantId);
}

/** CSV rows of a week's summaries: one per participant-question, never the annotation. */
export function csvRows(summaries: readonly WeekSummary[]): Record<string, string | number>[] {
  return summaries.flatMap((s): Record<string, string | number>[] => {
    const base = {
      week: s.week,
      participantId: s.participantId,
      name: s.name,
      channel: s.channel,
      status: s.status,
      flags: s.flags.join(' '),
      sent: s.sent,
      answered: s.answered,
      responseRate: s.responseRate,
      streak: s.streak,
    };
    const blank = {
      question: '',
      type: '',
      count: '',
      average: '',
      min: '',
      max: '',
      change: '',
      yesShare: '',
      comments: '',
      texts: '',
    };
    if (s.questions.length === 0) return [{ ...base, ...blank }];
    return s.questions.map((q) => ({
      ...base,
      question: q.text,
      type: q.type,
      count: q.count,
      average: q.average ?? '',
      min: q.min_value ?? '',
      max: q.max_value ?? '',
      change: q.change ?? '',
      yesShare: q.yesShare ?? '',
      comments: s.comments
        .filter((c) => !q.key.startsWith('x:') && String(c.questionIndex) === q.key)
        .map((c) => c.text)
        .join(' | '),
      texts:
        q.type === 'text'
          ? s.texts
              .filter((t) => t.question === q.text)
              .map((t) => t.text)
              .join(' | ')
          : '',
    }));
  });
}

/** One question of a cohort report. */
export interface CohortQuestion {
  readonly key: string;
  readonly text: string;
  readonly type: Question['type'];
  /** Participants who answered it. */
  readonly participants: number;
  readonly suppressed: boolean;
  readonly count: number | null;
  readonly average: number | null;
  readonly distribution: Record<string, number> | null;
}

/** A cohort's week, anonymised: no names, no free text, no annotations, no group under k. */
export interface CohortReport {
  readonly week: string;
  readonly programId: string;
  readonly participants: number;
  readonly suppressed: boolean;
  readonly responseRate: number | null;
  readonly questions: CohortQuestion[];
}

/**
 * A distribution in which no bar stands for fewer than `k` answers or fewer than `k` people: the
 * values, in order, are gathered into ranges ("3–5") until a range holds both, and a short tail
 * joins the range before it. A bar of one person — "the one who answered 2" — cannot appear, nor a
 * bar of one person's seven answers. Empty when all of them together are under `k`.
 */
export function kAnonymousDistribution(
  points: readonly { readonly who: string; readonly value: number }[],
  k: number,
): Record<string, number> {
  const byValue = new Map<number, string[]>();
  for (const p of points) {
    const who = byValue.get(p.value);
    if (who) who.push(p.who);
    else byValue.set(p.value, [p.who]);
  }
  const values = [...byValue.keys()].sort((a, b) => a - b);
  interface Bucket {
    lo: number;
    hi: number;
    count: number;
    people: Set<string>;
  }
  const closed: Bucket[] = [];
  let open: Bucket | undefined;
  for (const value of values) {
    const who = byValue.get(value) ?? [];
    open ??= { lo: value, hi: value, count: 0, people: new Set() };
    open.hi = value;
    open.count += who.length;
    for (const w of who) open.people.add(w);
    if (open.count >= k && open.people.size >= k) {
      closed.push(open);
      open = undefined;
    }
  }
  const last = closed.at(-1);
  if (open && last) {
    last.hi = open.hi;
    last.count += open.count;
  }
  const label = (b: Bucket) => (b.lo === b.hi ? String(b.lo) : `${b.lo}–${b.hi}`);
  return Object.fromEntries(closed.map((b) => [label(b), b.count]));
}

/**
 * Aggregates the week of every participant of a program who was sent something that week. A group
 * (the cohort, or the participants who answered one question) smaller than {@link COHORT_MIN_GROUP}
 * shows no figures at all, and no bar of a distribution stands for fewer (see
 * {@link kAnonymousDistribution}). Free-text questions and personal experiments — one person's own
 * question, whose very text is about them — are left out entirely.
 */
export function cohortReport(
  week: string,
  programId: string,
  records: readonly SummaryRecord[],
  k = COHORT_MIN_GROUP,
): CohortReport {
  const members = records.filter((r) => Object.keys(r.sent).length > 0);
  const participants = members.length;
  if (participants < k)
    return { week, programId, participants, suppressed: true, responseRate: null, questions: [] };
  const sent = members.reduce((n, r) => n + Object.keys(r.sent).length, 0);
  const answered = members.reduce(
    (n, r) => n + Object.keys(r.sent).filter((sf) => r.answers.some((c) => c.scheduledFor === sf)).length,
    0,
  );
  const metas = new Map<string, QuestionMeta>();
  for (const r of members) for (const [key, meta] of Object.entries(r.questions)) metas.set(key, meta);
  const questions = [...metas.entries()]
    .filter(([key, meta]) => meta.type !== 'text' && meta.experimentId === undefined && !key.startsWith('x:'))
    .sort(([a], [b]) => compareKeys(a, b))
    .map(([key, meta]): CohortQuestion => {
      const points = members.flatMap((r) =>
        r.answers
          .filter((c) => c.key === key && c.value !== undefined)
          .map((c) => ({ who: r.participantId, value: c.value ?? 0 })),
      );
      const answering = new Set(points.map((p) => p.who)).size;
      const values = points.map((p) => p.value);
      const base = { key, text: meta.text, type: meta.type, participants: answering };
      if (answering < k) return { ...base, suppressed: true, count: null, average: null, distribution: null };
      const distribution = kAnonymousDistribution(points, k);
      return {
        ...base,
        suppressed: false,
        count: values.length,
        average: round(values.reduce((a, b) => a + b, 0) / values.length),
        distribution,
      };
    });
  return {
    week,
    programId,
    participants,
    suppressed: false,
    responseRate: sent ? round(answered / sent) : null,
    questions,
  };
}
