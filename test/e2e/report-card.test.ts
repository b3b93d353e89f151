/**
 * The participant's week, end to end against the real local parts: when a week closes each
 * participant gets a report card of their own answers on their channel — by SMS one segment with a
 * link, by email a table with this week beside last week — once, however often the close runs; a
 * program can switch it off; the link opens a signed, expiring history page without a login that
 * shows only the participant's own figures (never the coach's note).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentsOf } from '../../shared/channels/sms/domain/messages.js';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

const ANA = '+12125550181'; // SMS, one question
const CAL = '+12125550182'; // SMS, a program with report cards switched off
const BEN = 'ben.report@example.com'; // email, two questions
const NOTE = 'Private: Ana is thinking about leaving';
const FOCUS = 'Did I do my best to focus & finish today?';
const GOALS = 'Did I do my best to set clear goals today?';
const WALK = 'Did I take a walk today?';
const DAYS = ['mon', 'wed', 'fri'];
// Check-in evenings (18:00 in New York): weeks 2026-W47 and 2026-W48, Monday, Wednesday, Friday.
const W47 = ['2026-11-16', '2026-11-18', '2026-11-20'];
const W48 = ['2026-11-23', '2026-11-25', '2026-11-27'];
const ANA_VALUES = { W47: [5, 6, 7], W48: [8, 8, 9] };
const BEN_VALUES = {
  W47: [
    [4, 1],
    [5, 0],
    [6, 0],
  ],
  W48: [
    [7, 1],
    [8, 1],
    [9, 0],
  ],
} as const;

/** Debian's Chromium (installed by .ci/run); CHROMIUM_PATH points elsewhere, e.g. on macOS. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-results/report-card';

interface StoredEmail {
  subject: string;
  replyTo?: string[];
  destination: { to: string[] };
  body: { html?: string; text?: string };
}

let t: TestSystem;
let coach: CoachClient;
const ids: Record<string, string> = {};
const programs: Record<string, string> = {};

async function emailsTo(address: string): Promise<StoredEmail[]> {
  const { emails } = (await (await fetch(`${t.system.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(address));
}
const hrefs = (email: StoredEmail | undefined) =>
  [...(email?.body.html ?? '').matchAll(/href="([^"]+)"/gu)].map((m) =>
    (m[1] ?? '').replaceAll('&amp;', '&'),
  );
const reportEmails = async () => (await emailsTo(BEN)).filter((e) => e.subject.startsWith('Your week ('));
const reportSms = async (phone: string) => (await t.sms(phone)).filter((m) => m.body.startsWith('Your week'));
const historyLinkIn = (text: string) => /(https?:\/\/\S+\/r\/[\w-]+)/u.exec(text)?.[1] ?? '';

/** Ben answers his newest check-in on its one-page form: both questions at once. */
async function benAnswers(goals: number, walked: number) {
  const checkIn = (await emailsTo(BEN)).filter((e) => hrefs(e).some((h) => /\/c\/[\w-]+$/u.test(h))).at(-1);
  const url = hrefs(checkIn).find((h) => /\/c\/[\w-]+$/u.test(h)) ?? '';
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q1: String(goals), q2: String(walked) }).toString(),
  });
  expect(res.status).toBe(200);
}

async function runWeek(days: readonly string[], week: 'W47' | 'W48') {
  for (const [d, date] of days.entries()) {
    await t.clock(`${date}T23:00:30Z`);
    expect((await t.inbound(ANA, String(ANA_VALUES[week][d]))).reply).toMatch(/Got it/u);
    expect((await t.inbound(CAL, '5')).reply).toMatch(/Got it/u);
    const [goals, walked] = BEN_VALUES[week][d] ?? [0, 0];
    await benAnswers(goals, walked);
  }
}

beforeAll(async () => {
  t = await startTestSystem('2026-11-16T14:00:00Z'); // Monday 09:00 in New York, week 2026-W47
  coach = await t.coach('coach-report', { email: 'coach.report@example.com', name: 'Robin Coach' });
});

afterAll(async () => {
  await t?.stop();
});

describe("the participant's weekly report card", () => {
  it('enrols participants on programs with report cards on (by default) and off', async () => {
    const create = async (name: string, questions: unknown[], extra: Record<string, unknown> = {}) => {
      const res = await coach.post<{ id: string; reportCard: boolean }>('/api/programs', {
        name,
        questions,
        schedule: { days: DAYS, time: '18:00' },
        ...extra,
      });
      expect(res.status).toBe(201);
      programs[name] = res.json.id;
      return res.json;
    };
    expect((await create('Focus', [{ type: 'scale', text: FOCUS }])).reportCard).toBe(true);
    await create('Goals and walks', [
      { type: 'scale', text: GOALS },
      { type: 'yes-no', text: WALK },
    ]);
    expect((await create('Quiet', [{ type: 'scale', text: FOCUS }], { reportCard: false })).reportCard).toBe(
      false,
    );
    const listed = await coach.get<{ programs: { id: string; reportCard: boolean }[] }>('/api/programs');
    const byId = new Map(listed.json.programs.map((p) => [p.id, p.reportCard]));
    expect(byId.get(programs.Quiet ?? '')).toBe(false);
    expect(byId.get(programs.Focus ?? '')).toBe(true);

    const enrol = async (name: string, program: string, contact: Record<string, string>) => {
      const res = await coach.post<{ id: string }>('/api/participants', {
        name,
        timeZone: 'America/New_York',
        programId: programs[program],
        ...contact,
      });
      expect(res.status).toBe(201);
      ids[name] = res.json.id;
    };
    await enrol('Ana', 'Focus', { channel: 'sms', phone: ANA });
    await enrol('Ben', 'Goals and walks', { channel: 'email', email: BEN });
    await enrol('Cal', 'Quiet', { channel: 'sms', phone: CAL });
    await t.settle();
    expect((await t.inbound(ANA, 'YES')).reply).toMatch(/You're in/u);
    expect((await t.inbound(CAL, 'YES')).reply).toMatch(/You're in/u);
  });

  it('sends nothing before the week closes, then one card each when it does', async () => {
    await runWeek(W47, 'W47');
    await t.clock('2026-11-23T16:30:00Z'); // Sunday midnight in New York + 11.5 h: not closed yet
    expect(await reportSms(ANA)).toEqual([]);
    expect(await reportEmails()).toEqual([]);

    await t.clock('2026-11-23T18:30:00Z'); // closed (end + 12 h grace), 13:30 in New York
    const [sms] = await reportSms(ANA);
    expect(await reportSms(ANA)).toHaveLength(1);
    expect(sms?.body).toMatch(/^Your week: 3 of 3 check-ins answered\. Average 6\. 3 days in a row\./u);
    expect(segmentsOf(sms?.body ?? '')).toBe(1);
    expect(historyLinkIn(sms?.body ?? '')).not.toBe('');
    // Report cards switched off for Cal's program: Cal answered all week and gets none.
    expect(await reportSms(CAL)).toEqual([]);

    const [email] = await reportEmails();
    expect(await reportEmails()).toHaveLength(1);
    expect(email?.subject).toBe('Your week (Nov 16–22): 3 of 3 check-ins answered, 3 days in a row');
    expect(email?.body.text).toContain(`- ${GOALS}: 5 (last week –)`);
    expect(email?.body.text).toContain(`- ${WALK}: 33% yes (last week –)`);
  });

  it('compares the next week with the one before, by SMS in one segment and by email in a table', async () => {
    await runWeek(W48, 'W48');
    const note = await coach.put(`/api/participants/${ids.Ana}/summaries/2026-W48/annotation`, {
      text: NOTE,
    });
    expect(note.status).toBe(200);
    await t.clock('2026-11-30T18:30:00Z');

    const cards = await reportSms(ANA);
    expect(cards).toHaveLength(2);
    const body = cards[1]?.body ?? '';
    expect(body).toMatch(/^Your week: 3 of 3 check-ins answered\. Average 8\.3 \(last week 6\)\./u);
    expect(segmentsOf(body)).toBe(1);
    expect(body).not.toContain(NOTE);

    const emails = await reportEmails();
    expect(emails).toHaveLength(2);
    const latest = emails[1];
    expect(latest?.subject).toBe('Your week (Nov 23–29): 3 of 3 check-ins answered, 6 days in a row');
    expect(latest?.body.text).toContain(`- ${GOALS}: 8 (last week 5)`);
    expect(latest?.body.text).toContain(`- ${WALK}: 67% yes (last week 33% yes)`);
    // The HTML shows the same as a table: a row per question with this week's and last week's figure.
    const html = latest?.body.html ?? '';
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(`${SHOTS}/report-card-email.html`, html); // to look at in a browser
    expect(html).toMatch(/<td[^>]*>Did I take a walk today\?<\/td><td[^>]*>67% yes<table/u);
    expect(html).toContain('33% yes<table');
    expect(html).toContain('>Unsubscribe</a>');
  });

  it('never sends a week twice, however often the close runs', async () => {
    await t.clock('2026-12-01T19:30:00Z');
    await t.clock('2026-12-02T19:30:00Z');
    expect(await reportSms(ANA)).toHaveLength(2);
    expect(await reportEmails()).toHaveLength(2);
    expect(await reportSms(CAL)).toEqual([]);
  });

  it("opens the participant's own history from the link, without a login and without the coach's note", async () => {
    const sms = (await reportSms(ANA))[1]?.body ?? '';
    const res = await fetch(historyLinkIn(sms));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'none'");
    const page = await res.text();
    expect(page).toContain('Your weeks in Focus');
    expect(page).toContain('Did I do my best to focus &amp; finish today?');
    expect(page).toMatch(/Nov 23–29<\/th><td>8\.3<\/td>/u);
    expect(page).toMatch(/Nov 16–22<\/th><td>6<\/td>/u);
    expect(page).toMatch(/Nov 23–29<\/th><td>3 of 3 check-ins answered/u);
    expect(page).not.toContain(NOTE);
    expect(page).not.toContain('Goals and walks'); // nothing of Ben's

    const benLink = hrefs((await reportEmails())[1]).find((h) => /\/r\/[\w-]+$/u.test(h)) ?? '';
    const ben = await (await fetch(benLink)).text();
    expect(ben).toMatch(/Nov 23–29<\/th><td>67% yes<\/td>/u);
    expect(ben).toMatch(/Nov 16–22<\/th><td>5<\/td>/u);
    expect(ben).not.toContain('focus &amp; finish');
  });

  it('reads at 320 px without scrolling sideways, scripts off', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    mkdirSync(SHOTS, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const link = hrefs((await reportEmails())[1]).find((h) => /\/r\/[\w-]+$/u.test(h)) ?? '';
      for (const width of [320, 1280]) {
        const context = await browser.newContext({
          viewport: { width, height: 740 },
          javaScriptEnabled: false,
        });
        const p = await context.newPage();
        await p.goto(link);
        await p.getByRole('heading', { name: WALK }).waitFor();
        await p.screenshot({ path: `${SHOTS}/history-${width}.png`, fullPage: true });
        await context.close();
        // Measured with scripts on: the page itself has none.
        const measuring = await browser.newContext({ viewport: { width, height: 740 } });
        const m = await measuring.newPage();
        await m.goto(link);
        const overflow = Number(await m.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
        expect(overflow, `history page at ${width} px`).toBeLessThanOrEqual(0);
        await measuring.close();
      }
    } finally {
      await browser.close();
    }
  });

  it("keeps a reply to the email report card for the coach to read, as the participant's words", async () => {
    const to = (await reportEmails())[1]?.replyTo?.[0] ?? '';
    expect(to).toMatch(/^r\+[a-z2-7]+@/u);
    const text = 'Thanks! The walks really helped this week.';
    const raw = await new MailComposer({ from: `Ben <${BEN}>`, to, subject: 'Re: Your week', text })
      .compile()
      .build();
    const res = await t.request('POST', '/dev/email/inbound', raw.toString('latin1'), {
      'content-type': 'message/rfc822',
    });
    expect(res.status).toBe(202);
    const conversation = await coach.get<{ messages: { direction: string; text: string }[] }>(
      `/api/participants/${ids.Ben}/messages`,
    );
    expect(conversation.json.messages.map((m) => m.text)).toContain(text);
  });

  it('refuses an altered link and, after 30 days, an expired one', async () => {
    const link = historyLinkIn((await reportSms(ANA))[0]?.body ?? '');
    const altered = link.replace(/.$/u, (c) => (c === 'A' ? 'B' : 'A'));
    const forged = await fetch(altered);
    expect(forged.status).toBe(403);
    expect(await forged.text()).not.toContain('Focus');
    await t.clock('2026-12-24T19:00:00Z'); // the first card's link was sent on 23 November
    const expired = await fetch(link);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This link has expired');
  });
});
