/**
 * The coach's week end to end, against the real local parts: three participants (two by SMS, one
 * by email) through a simulated week; one stays silent. Live summaries equal figures computed
 * from the answers sent, the silent one comes first, a correction changes the average without
 * double counting, the week closes with exactly one coach email, an annotation stays private and
 * the CSV export neutralises a formula.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

const WEEK = '2026-W48'; // Monday 23 – Sunday 29 November 2026
const COACH_EMAIL = 'coach.week@example.com';
const ANA = '+12125550171';
const CAL = '+12125550172';
const BEN = 'ben.week@example.com';
const NOTE = 'Private: ask about the reorg gently';
const FORMULA = '=HYPERLINK("http://evil.example","click")';
// One answer a day, Monday to Sunday (no score of 3 or under: only the silence is a flag).
const ANA_VALUES = [7, 8, 6, 9, 5, 8, 7];
const BEN_VALUES = [4, 5, 6, 7, 8, 9, 10];

interface QuestionJson {
  key: string;
  count: number;
  average: number | null;
  min_value: number | null;
  max_value: number | null;
  values: { value: number }[];
}
interface SummaryJson {
  participantId: string;
  name: string;
  flags: string[];
  sent: number;
  answered: number;
  responseRate: number;
  streak: number;
  closed: boolean;
  questions: QuestionJson[];
  comments: { text: string }[];
  annotation: string | null;
}
interface WeekJson {
  week: string;
  summaries: SummaryJson[];
}
interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { html?: string; text?: string };
}

let t: TestSystem;
let coach: CoachClient;
const ids: Record<string, string> = {};
let programId = '';

const mean = (xs: readonly number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
const day = (d: number) => `2026-11-${String(23 + d).padStart(2, '0')}`;

async function emails(): Promise<StoredEmail[]> {
  const res = await fetch(`${t.system.sesUrl}/store`);
  return ((await res.json()) as { emails: StoredEmail[] }).emails;
}

/** The answer-link tokens of the newest check-in to Ben, by the value they answer. */
async function linksOfLatestCheckIn(): Promise<Map<number, string>> {
  const checkIns = (await emails()).filter(
    (e) => e.destination.to.includes(BEN) && /\/a\//u.test(e.body.html ?? ''),
  );
  const html = checkIns.at(-1)?.body.html ?? '';
  const links = new Map<number, string>();
  for (const m of html.matchAll(/href="[^"]*\/a\/([\w-]+)"[^>]*>(\d+)<\/a>/gu))
    links.set(Number(m[2]), m[1] ?? '');
  return links;
}

const click = (token: string, comment?: string) =>
  // Confirm is the button a person presses on the answer page; nothing records without it.
  t.request(
    'POST',
    `/a/${token}`,
    `confirm=1${comment === undefined ? '' : `&comment=${encodeURIComponent(comment)}`}`,
    {
      'content-type': 'application/x-www-form-urlencoded',
    },
  );

const week = async () => {
  const res = await coach.get<WeekJson>(`/api/summaries?week=${WEEK}`);
  expect(res.status).toBe(200);
  return res.json;
};
const byName = (w: WeekJson, name: string) => w.summaries.find((s) => s.name === name);

beforeAll(async () => {
  t = await startTestSystem('2026-11-23T14:00:00Z'); // Monday 09:00 in New York
  coach = await t.coach('coach-week', { email: COACH_EMAIL });
});

afterAll(async () => {
  await t?.stop();
});

describe("the coach's week", () => {
  it('enrols two SMS participants and one email participant on a daily one-question program', async () => {
    const program = await coach.post<{ id: string }>('/api/programs', {
      name: 'Daily engagement',
      questions: [{ type: 'scale', text: 'Did I do my best to be fully engaged today?' }],
      schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '18:00' },
    });
    expect(program.status).toBe(201);
    programId = program.json.id;
    const enrol = async (name: string, contact: Record<string, string>) => {
      const res = await coach.post<{ id: string }>('/api/participants', {
        name,
        timeZone: 'America/New_York',
        programId,
        ...contact,
      });
      expect(res.status).toBe(201);
      ids[name] = res.json.id;
    };
    await enrol('Ana', { channel: 'sms', phone: ANA });
    await enrol('Ben', { channel: 'email', email: BEN });
    await enrol('Cal', { channel: 'sms', phone: CAL });
    await t.settle();
    expect((await t.inbound(ANA, 'YES')).reply).toMatch(/You're in/);
    expect((await t.inbound(CAL, 'YES')).reply).toMatch(/You're in/);
  });

  it('runs the week: Ana replies by SMS, Ben clicks answer links, Cal stays silent', async () => {
    for (let d = 0; d < 7; d++) {
      await t.clock(`${day(d)}T23:00:30Z`); // 18:00 in New York
      expect((await t.inbound(ANA, String(ANA_VALUES[d]))).reply).toMatch(/Got it/);
      const links = await linksOfLatestCheckIn();
      const token = links.get(BEN_VALUES[d] ?? 0);
      expect(token, `Ben's link for ${BEN_VALUES[d]} on ${day(d)}`).toBeTruthy();
      expect((await click(token ?? '')).status).toBe(200);
      if (d === 6) expect((await click(token ?? '', FORMULA)).status).toBe(200);
    }
  });

  it('shows figures equal to the answers sent, the silent participant first', async () => {
    const w = await week();
    expect(w.week).toBe(WEEK);
    expect(w.summaries.map((s) => s.name)).toEqual(['Cal', 'Ana', 'Ben']);
    const cal = byName(w, 'Cal');
    expect(cal).toMatchObject({ flags: ['silent'], sent: 7, answered: 0, responseRate: 0, streak: 0 });
    for (const [name, values] of [
      ['Ana', ANA_VALUES],
      ['Ben', BEN_VALUES],
    ] as const) {
      const s = byName(w, name);
      expect(s).toMatchObject({ flags: [], sent: 7, answered: 7, responseRate: 1, streak: 7 });
      expect(s?.questions).toHaveLength(1);
      expect(s?.questions[0]).toMatchObject({
        key: '0',
        count: 7,
        average: mean(values),
        min_value: Math.min(...values),
        max_value: Math.max(...values),
      });
      expect(s?.questions[0]?.values.map((v) => v.value)).toEqual(values);
    }
    // The second click on Sunday (same value, with a comment) counted once and kept the comment.
    expect(byName(w, 'Ben')?.comments.map((c) => c.text)).toEqual([FORMULA]);
  });

  it('takes a corrected answer into the average without counting it twice', async () => {
    expect((await t.inbound(ANA, '10')).reply).toMatch(/Got it/); // corrects Sunday's 7
    const ana = byName(await week(), 'Ana');
    const corrected = [...ANA_VALUES.slice(0, 6), 10];
    expect(ana?.questions[0]).toMatchObject({ count: 7, average: mean(corrected), max_value: 10 });
    expect(ana).toMatchObject({ sent: 7, answered: 7 });
  });

  it('stores a private annotation and keeps it out of everything participant-facing and the CSV', async () => {
    const res = await coach.put<{ week: string; annotation: string }>(
      `/api/participants/${ids.Ana}/summaries/${WEEK}/annotation`,
      { text: NOTE },
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ week: WEEK, annotation: NOTE });
    expect(byName(await week(), 'Ana')?.annotation).toBe(NOTE);
    const history = await coach.get<{ summaries: SummaryJson[] }>(
      `/api/participants/${ids.Ana}/summaries?weeks=2`,
    );
    expect(history.json.summaries.find((s) => s.annotation === NOTE)).toBeTruthy();

    const other = await t.coach('coach-other');
    const foreign = await other.put(`/api/participants/${ids.Ana}/summaries/${WEEK}/annotation`, {
      text: 'x',
    });
    expect(foreign.status).toBe(404);
    expect(
      (await coach.put(`/api/participants/${ids.Ana}/summaries/2026-W99/annotation`, { text: 'x' })).status,
    ).toBe(400);

    const csv = await coach.get<string>(`/api/summaries.csv?week=${WEEK}`);
    expect(csv.status).toBe(200);
    expect(csv.json).not.toContain(NOTE);
    // Three participants: under the cohort minimum, so no figures at all.
    const cohort = await coach.get(`/api/reports/cohort?week=${WEEK}&programId=${programId}`);
    expect(cohort.status).toBe(200);
    expect(cohort.json).toMatchObject({ participants: 3, suppressed: true, questions: [] });
    expect(JSON.stringify(cohort.json)).not.toContain(NOTE);
  });

  it('exports the week as CSV with the formula comment neutralised', async () => {
    const csv = await coach.get<string>(`/api/summaries.csv?week=${WEEK}`);
    expect(csv.status).toBe(200);
    const lines = csv.json.trim().split(/\r?\n/u);
    expect(lines[0]).toMatch(/^week,participantId,name,/u);
    expect(lines).toHaveLength(4); // header + one question for each of three participants
    const ben = lines.find((l) => l.includes(',Ben,')) ?? '';
    expect(ben).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv.json).not.toMatch(/(^|,)"?=HYPERLINK/mu);
  });

  it('closes the week after its end in New York plus grace, with exactly one coach email', async () => {
    await t.clock('2026-11-30T16:30:00Z'); // before Sunday midnight New York + 12 h
    const toCoach = async () => (await emails()).filter((e) => e.destination.to.includes(COACH_EMAIL));
    expect(await toCoach()).toHaveLength(0);
    await t.clock('2026-11-30T18:30:00Z');
    await t.clock('2026-12-01T19:30:00Z'); // later runs send nothing more
    const sent = await toCoach();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toBe(`3 summaries ready, 1 needs attention (week ${WEEK})`);
    expect(sent[0]?.body.text).toContain(`/app/#/week?w=${WEEK}`);
    expect(byName(await week(), 'Cal')?.closed).toBe(true);
  });

  it('never shows the annotation to a participant', async () => {
    const all = [...(await t.sms(ANA)), ...(await t.sms(CAL))].map((m) => m.body).join('\n');
    expect(all).not.toContain(NOTE);
    const toBen = (await emails()).filter((e) => e.destination.to.includes(BEN));
    expect(toBen.length).toBeGreaterThan(0);
    expect(JSON.stringify(toBen)).not.toContain(NOTE);
  });
});

describe('a bulk push to the flagged', () => {
  it('reaches only the participants the week flags, by their first name', async () => {
    const before = (await t.sms(CAL)).length;
    const anaBefore = (await t.sms(ANA)).length;
    const res = await coach.post<{ queued: number; skipped: number }>('/api/pushes/bulk', {
      text: 'Hi {{firstName}}, a quiet week? One small step counts.',
      to: 'flagged',
      week: WEEK,
    });
    expect(res.status).toBe(202);
    expect(res.json.queued).toBe(1);
    await t.clock('2026-12-02T15:00:00Z'); // 10:00 in New York: outside quiet hours
    const pushes = async (phone: string, from: number) =>
      (await t.sms(phone)).slice(from).filter((m) => m.body.includes('a quiet week?'));
    expect((await pushes(CAL, before)).map((m) => m.body)).toEqual([expect.stringContaining('Hi Cal,')]);
    expect(await pushes(ANA, anaBefore)).toEqual([]);
  });
});
