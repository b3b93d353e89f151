/**
 * Replies people actually write, end to end through `/dev/sms/inbound` against the real local
 * parts: a mixed-type program answered in one SMS, a partial answer and its follow-up, an
 * out-of-range answer and its clarification, PAUSE 2 and SKIP, a late reply counted for its own
 * day, and the streak in the confirmation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

const ANA = '+12125550181';
const BEN = '+12125550182';
const MONDAY = '2026-11-23T23:00:00.000Z'; // 18:00 in New York
const TUESDAY = '2026-11-24T23:00:00.000Z';

interface RepliesJson {
  replies: { questionIndex: number; value?: number; text?: string; scheduledFor: string; comment?: string }[];
}

let t: TestSystem;
let coach: CoachClient;
const ids: Record<string, string> = {};

/** The check-in SMS a number got (opt-in, confirmations and follow-ups excluded). */
const checkIns = async (to: string) => (await t.sms(to)).filter((m) => m.body.startsWith('1. How focused'));
const say = async (from: string, body: string) => (await t.inbound(from, body)).reply;
const repliesOf = async (name: string) =>
  (await coach.get<RepliesJson>(`/api/participants/${ids[name]}/replies`)).json.replies;

beforeAll(async () => {
  t = await startTestSystem('2026-11-23T14:00:00Z'); // Monday 09:00 in New York
  coach = await t.coach('coach-replies');
  const program = await coach.post<{ id: string }>('/api/programs', {
    name: 'Walk more',
    questions: [
      { type: 'scale', text: 'How focused was I today?' },
      { type: 'yes-no', text: 'Did I walk today?' },
      { type: 'number', text: 'How long did I walk?', unit: 'minutes walked', min: 0 },
      { type: 'text', text: 'Where did I walk?' },
    ],
    schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '18:00' },
  });
  expect(program.status).toBe(201);
  for (const [name, phone] of [
    ['ana', ANA],
    ['ben', BEN],
  ] as const) {
    const res = await coach.post<{ id: string }>('/api/participants', {
      name,
      phone,
      timeZone: 'America/New_York',
      programId: program.json.id,
      channel: 'sms',
    });
    expect(res.status).toBe(201);
    ids[name] = res.json.id;
  }
  await t.settle();
  expect(await say(ANA, 'YES')).toMatch(/You're in/);
  expect(await say(BEN, 'yes')).toMatch(/You're in/);
});

afterAll(async () => {
  await t?.stop();
});

describe('replies to a mixed-type program', () => {
  it('asks each question with its own hint and one example', async () => {
    await t.clock('2026-11-23T23:00:30Z');
    const [prompt] = await checkIns(ANA);
    expect(prompt?.body).toBe(
      [
        '1. How focused was I today? (1-10)',
        '2. Did I walk today? (Y/N)',
        '3. How long did I walk? (minutes walked)',
        '4. Where did I walk? (words)',
        'Reply in order in one text, e.g. 7 N 30 good day',
      ].join('\n'),
    );
  });

  it('stores all four answers of one SMS, each by its type', async () => {
    expect(await say(ANA, '8 y 30 walked by the river')).toBe('Got it: 8, Y, 30, noted. Thanks!');
    const replies = await repliesOf('ana');
    expect(replies.map((r) => [r.questionIndex, r.value, r.text])).toEqual([
      [0, 8, undefined],
      [1, 1, undefined],
      [2, 30, undefined],
      [3, undefined, 'walked by the river'],
    ]);
  });

  it('counts a late reply the next morning for the day it was asked', async () => {
    await t.clock('2026-11-24T13:00:00Z'); // Tuesday 08:00 in New York, before Tuesday's prompt
    expect(await say(BEN, '6 n 0 stayed home')).toBe('Got it: 6, N, 0, noted. Thanks!');
    expect((await repliesOf('ben')).map((r) => r.scheduledFor)).toEqual([MONDAY, MONDAY, MONDAY, MONDAY]);
  });

  it('asks one follow-up after a partial answer, and the follow-up reply fills the rest', async () => {
    await t.clock('2026-11-24T23:00:30Z');
    expect(await checkIns(ANA)).toHaveLength(2);
    expect(await say(ANA, '7')).toBe(
      [
        'Got 7. Still open:',
        '2. Did I walk today? (Y/N)',
        '3. How long did I walk? (minutes walked)',
        '4. Where did I walk? (words)',
        'Reply in order in one text, e.g. Y 30 good day',
      ].join('\n'),
    );
    expect(await say(ANA, 'no, 0, rained all day')).toBe('Got it: N, 0, noted. 2 days in a row.');
    const tuesday = (await repliesOf('ana')).filter((r) => r.scheduledFor === TUESDAY);
    expect(tuesday.map((r) => [r.questionIndex, r.value ?? r.text])).toEqual([
      [0, 7],
      [1, 0],
      [2, 0],
      [3, 'rained all day'],
    ]);
  });

  it('attributes a reply after a newer prompt went out to the newest one', async () => {
    expect(await say(BEN, '5 y 15 around the block')).toBe('Got it: 5, Y, 15, noted. 2 days in a row.');
    const ben = await repliesOf('ben');
    expect(ben.filter((r) => r.scheduledFor === MONDAY).map((r) => r.value ?? r.text)).toEqual([
      6,
      0,
      0,
      'stayed home',
    ]);
    expect(ben.filter((r) => r.scheduledFor === TUESDAY).map((r) => r.value ?? r.text)).toEqual([
      5,
      1,
      15,
      'around the block',
    ]);
  });

  it('clarifies an out-of-range answer once, naming the range, and stores nothing of it', async () => {
    await t.clock('2026-11-25T23:00:30Z'); // Wednesday
    expect(await say(ANA, '11 y 20 park')).toBe(
      'Sorry, answer 1 (11) is outside 1-10. Please reply with your 4 answers in order, e.g. 7 N 30 good day',
    );
    expect((await repliesOf('ana')).filter((r) => r.scheduledFor === '2026-11-25T23:00:00.000Z')).toEqual([]);
    expect(await say(ANA, '9 y 20 park')).toBe('Got it: 9, Y, 20, noted. 3 days in a row.');
  });
});

describe('PAUSE, SKIP and the streak', () => {
  it('PAUSE 2 sends nothing for two days, then resumes, and the pause does not break the streak', async () => {
    await t.clock('2026-11-26T14:00:00Z'); // Thursday 09:00
    expect(await say(ANA, 'PAUSE 2')).toBe(
      'Paused for 2 days. Check-ins resume Sat, Nov 28. Reply RESUME to restart sooner.',
    );
    expect((await coach.get<{ status: string }>(`/api/participants/${ids.ana}`)).json.status).toBe('paused');
    await t.clock('2026-11-28T04:00:00Z'); // Friday 23:00: Thursday and Friday passed
    expect(await checkIns(ANA)).toHaveLength(3);
    expect(await checkIns(BEN)).toHaveLength(5); // the pause was Ana's number only
    await t.clock('2026-11-28T23:00:30Z'); // Saturday 18:00
    expect(await checkIns(ANA)).toHaveLength(4);
    expect((await coach.get<{ status: string }>(`/api/participants/${ids.ana}`)).json.status).toBe('active');
    expect(await say(ANA, '8 yes 25 up the hill')).toBe('Got it: 8, Y, 25, noted. 4 days in a row.');
  });

  it("SKIP skips today's check-in without breaking the streak", async () => {
    await t.clock('2026-11-29T14:00:00Z'); // Sunday 09:00
    expect(await say(ANA, 'skip')).toBe("OK, today's check-in is skipped. See you next time!");
    await t.clock('2026-11-29T23:30:00Z');
    expect(await checkIns(ANA)).toHaveLength(4);
    await t.clock('2026-11-30T23:00:30Z'); // Monday
    expect(await checkIns(ANA)).toHaveLength(5);
    expect(await say(ANA, '9 y 40 the long loop')).toBe('Got it: 9, Y, 40, noted. 5 days in a row.');
  });

  it('HELP names the program and the coach, and a reply to nothing open is kept and acknowledged', async () => {
    expect(await say(ANA, 'help')).toMatch(/^Walk more: coaching check-ins\. Questions\? Ask your coach\./);
    expect(await say(ANA, 'thanks for this!')).toBe('Thanks, noted.');
    // Paused, so nothing goes out Tuesday; by Tuesday 19:00 Monday's prompt is past its 24 h window.
    await t.clock('2026-12-01T14:00:00Z');
    expect(await say(ANA, 'pause 3')).toMatch(/^Paused for 3 days/);
    await t.clock('2026-12-02T00:00:00Z');
    expect(await say(ANA, 'and one more thing')).toBe(
      "Thanks! There's no open question right now; your next check-in is on its way.",
    );
  });
});
