/**
 * The participant's weekly report card as they read it: the figures of their week beside last
 * week's, one SMS segment whatever the link's length, an email table, a history page that escapes
 * what it shows, and a history link nobody can forge, stretch or reuse as another kind of link.
 */
import { describe, expect, it } from 'vitest';
import { reportCardEmail } from '../../shared/channels/email/domain/report-card-email.js';
import { segmentsOf } from '../../shared/channels/sms/domain/messages.js';
import { reportCardSms } from '../../shared/channels/sms/domain/report-card-sms.js';
import {
  parseReplyAddress,
  replyAddress,
  signHistoryToken,
  verifyAnswerToken,
  verifyCheckInToken,
  verifyHistoryToken,
} from '../../shared/domain/answer-link.js';
import { historyPage, type ReportCard, reportCardOf, weekLabel } from '../../shared/domain/report-card.js';
import { type SummaryRecord, summarize } from '../../shared/domain/summary.js';

const KEY = 'test-signing-key-0123456789-abcdefghij';
const PARTICIPANT = '3f2b8c1e-9d4a-4f6b-8e2d-1a2b3c4d5e6f';
const ZONE = 'America/New_York';
const participant = {
  id: PARTICIPANT,
  name: 'Ana',
  channel: 'sms' as const,
  timeZone: ZONE,
  programId: 'p1',
  status: 'active' as const,
};

/** A stored week: prompts at 18:00 New York on the given days, each answered with its values. */
function record(week: string, days: string[], answers: [number, number][]): SummaryRecord {
  const sent = Object.fromEntries(days.map((d) => [`${d}T23:00:00.000Z`, `${d}T23:00:01.000Z`]));
  return {
    participantId: PARTICIPANT,
    coachId: 'c1',
    week,
    timeZone: ZONE,
    programId: 'p1',
    sent,
    questions: {
      '0': { text: 'Did I do my best to <b>focus</b>?', type: 'scale', min: 1, max: 10 },
      '1': { text: 'Did I walk?', type: 'yes-no' },
    },
    answers: days.flatMap((d, i) => {
      const [score, walked] = answers[i] ?? [0, 0];
      const scheduledFor = `${d}T23:00:00.000Z`;
      const at = `${d}T23:05:00.000Z`;
      return [
        { scheduledFor, questionIndex: 0, key: '0', value: score, at },
        { scheduledFor, questionIndex: 1, key: '1', value: walked, at },
      ];
    }),
  };
}

const lastWeek = record(
  '2026-W47',
  ['2026-11-16', '2026-11-18', '2026-11-20'],
  [
    [5, 1],
    [6, 0],
    [7, 0],
  ],
);
const thisWeek = record(
  '2026-W48',
  ['2026-11-23', '2026-11-25', '2026-11-27'],
  [
    [8, 1],
    [8, 1],
    [9, 0],
  ],
);
const NOW = new Date('2026-11-30T18:00:00Z');
const summaryOf = (week: string, current: SummaryRecord, earlier: SummaryRecord[]) =>
  summarize({ participant, week, now: NOW, current, earlier });

const card: ReportCard = reportCardOf(
  summaryOf('2026-W48', thisWeek, [lastWeek]),
  summaryOf('2026-W47', lastWeek, []),
);

describe('the report card of a week', () => {
  it("puts each question's average beside last week's, yes/no as a share of yes, and the streak", () => {
    expect(card).toMatchObject({ week: '2026-W48', sent: 3, answered: 3, streak: 6 });
    expect(card.questions.map((q) => [q.type, q.thisWeek, q.lastWeek])).toEqual([
      ['scale', 8.33, 6],
      ['yes-no', 0.67, 0.33],
    ]);
  });

  it('has no last-week figure for a first week, and leaves text questions out', () => {
    const first = reportCardOf(summaryOf('2026-W47', lastWeek, []));
    expect(first.questions.map((q) => q.lastWeek)).toEqual([null, null]);
    const withText = reportCardOf(
      summaryOf(
        '2026-W48',
        { ...thisWeek, questions: { ...thisWeek.questions, '2': { text: 'Why?', type: 'text' } } },
        [lastWeek],
      ),
    );
    expect(withText.questions.map((q) => q.key)).toEqual(['0', '1']);
  });
});

describe('a week as the participant reads it', () => {
  it('names its Monday and Sunday, across months and years', () => {
    expect(weekLabel('2026-W48')).toBe('Nov 23–29');
    expect(weekLabel('2026-W49')).toBe('Nov 30–Dec 6');
    expect(weekLabel('2026-W53')).toBe('Dec 28–Jan 3');
  });
});

describe('the SMS report card', () => {
  const url = (length: number) => `https://x.example/r/${'a'.repeat(length - 20)}`;

  it('names the figures of a one-question program and fits one GSM-7 segment with a short link', () => {
    const single: ReportCard = { ...card, questions: card.questions.slice(0, 1) };
    const text = reportCardSms(single, url(60));
    expect(text).toBe(
      `Your week: 3 of 3 check-ins answered. Average 8.3 (last week 6). 6 days in a row. Your weeks: ${url(60)}`,
    );
    expect(segmentsOf(text)).toBe(1);
  });

  it('points to the page for each question of a longer program', () => {
    expect(reportCardSms(card, url(60))).toBe(
      `Your week: 3 of 3 check-ins answered. 6 days in a row. Each question, this week vs last: ${url(60)}`,
    );
  });

  it("keeps the figures with a deployment's long link (an API Gateway address)", () => {
    const single: ReportCard = { ...card, questions: card.questions.slice(0, 1) };
    const aws = `https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/r/${'x'.repeat(46)}`;
    const text = reportCardSms(single, aws);
    expect(text).toBe(`Your week: 3/3 check-ins. Avg 8.3 (last wk 6). Streak 6. ${aws}`);
    expect(segmentsOf(text)).toBe(1);
    expect(reportCardSms(card, aws)).toBe(`Your week: 3/3 check-ins. Streak 6. ${aws}`);
  });

  it('stays one segment as the link grows, dropping words before the link', () => {
    for (const length of [40, 70, 90, 110, 130]) {
      const text = reportCardSms(card, url(length));
      expect(segmentsOf(text), `link of ${length}`).toBe(1);
      expect(text.endsWith(url(length))).toBe(true);
    }
  });
});

describe('the email report card', () => {
  const email = reportCardEmail(card, {
    participantName: 'Ana <script>',
    programName: 'Focus & walk',
    historyUrl: 'https://x.example/r/abc',
    unsubscribeUrl: 'https://x.example/u/def',
  });

  it('says the week in the subject and each question in the text part', () => {
    expect(email.subject).toBe('Your week (Nov 23–29): 3 of 3 check-ins answered, 6 days in a row');
    expect(email.text).toContain('- Did I do my best to <b>focus</b>?: 8.3 (last week 6)');
    expect(email.text).toContain('- Did I walk?: 67% yes (last week 33% yes)');
    expect(email.text).toContain('https://x.example/r/abc');
  });

  it('escapes what it shows in the HTML table and links the history and unsubscribe pages', () => {
    expect(email.html).toContain('Did I do my best to &lt;b&gt;focus&lt;/b&gt;?');
    expect(email.html).not.toContain('<b>focus');
    expect(email.html).toContain('Hi Ana &lt;script&gt;,');
    expect(email.html).toContain('href="https://x.example/r/abc"');
    expect(email.html).toContain('href="https://x.example/u/def"');
  });
});

describe('the history page', () => {
  it('shows each week newest first, escaped, and when the link stops working', () => {
    const first = reportCardOf(summaryOf('2026-W47', lastWeek, []));
    const html = historyPage({
      participantName: 'Ana',
      programName: 'Focus & walk',
      weeks: [card, first],
      expiresAt: '2026-12-30T18:00:00.000Z',
    });
    expect(html).toContain('<title>Your weeks in Focus &amp; walk</title>');
    expect(html).toContain('Did I do my best to &lt;b&gt;focus&lt;/b&gt;?');
    expect(html.indexOf('Nov 23–29')).toBeLessThan(html.indexOf('Nov 16–22'));
    expect(html).toMatch(/Nov 23–29<\/th><td>67% yes<\/td>/u);
    expect(html).toContain('stops working on 2026-12-30');
    expect(html).not.toMatch(/<script/iu);
  });
});

describe('the history link', () => {
  const expiresAt = new Date('2026-12-30T18:00:00Z');
  const token = signHistoryToken(KEY, { participantId: PARTICIPANT, expiresAt });

  it('names the participant until it expires, and is short enough for an SMS', () => {
    expect(token.length).toBeLessThanOrEqual(48);
    expect(verifyHistoryToken(KEY, token, NOW)).toEqual({
      ok: true,
      claims: { participantId: PARTICIPANT, expiresAt: expiresAt.toISOString() },
    });
    expect(verifyHistoryToken(KEY, token, new Date('2026-12-30T18:00:01Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('cannot be forged, altered, or taken for an answer or check-in link', () => {
    const other = signHistoryToken('another-signing-key-of-enough-length!', {
      participantId: PARTICIPANT,
      expiresAt,
    });
    expect(verifyHistoryToken(KEY, other, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
    const flipped = `${token.slice(0, 5)}${token[5] === 'A' ? 'B' : 'A'}${token.slice(6)}`;
    expect(verifyHistoryToken(KEY, flipped, NOW).ok).toBe(false);
    expect(verifyAnswerToken(KEY, token, NOW).ok).toBe(false);
    expect(verifyCheckInToken(KEY, token, NOW).ok).toBe(false);
  });

  it("gives a report card's email its own reply address, read back as a report", () => {
    const address = replyAddress(KEY, 'reply.example', {
      participantId: PARTICIPANT,
      scheduledFor: '2026-11-30T05:00:00.000Z',
      kind: 'report',
    });
    expect(parseReplyAddress(KEY, address)).toEqual({
      participantId: PARTICIPANT,
      scheduledFor: '2026-11-30T05:00:00.000Z',
      kind: 'report',
    });
  });
});
