/**
 * The pages an email participant opens, in a real browser (Debian's Chromium driven by
 * playwright-core) against the real local system:
 * - answer links record only when a person presses Confirm: a headless browser running scripts
 *   that opens every link of a check-in (what mail scanners do) records nothing;
 * - the check-in page answers every question of a prompt with one form, with JavaScript off, at
 *   320 and 375 px, and confirms with the progress line SMS participants get.
 * Screenshots go to `test-results/answer-pages/`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

/** Debian's Chromium (installed by .ci/run); CHROMIUM_PATH points elsewhere, e.g. on macOS. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-results/answer-pages';
const XSS = '<img src=x onerror=alert(1)>';
const ZOE = 'zoe@example.com';
const OLA = 'ola@example.com';

interface StoredEmail {
  destination: { to: string[] };
  body: { html?: string; text?: string };
}
interface Reply {
  questionIndex?: number;
  question: string;
  value?: number;
  text?: string;
  comment?: string;
  source: string;
}

let t: TestSystem;
let coach: CoachClient;
let browser: Browser;
const ids: Record<string, string> = {};
/** Every dialog any page opened: an XSS payload that ran would show up here. */
const dialogs: string[] = [];

async function emailsTo(address: string): Promise<StoredEmail[]> {
  const { emails } = (await (await fetch(`${t.system.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(address) && /\/a\/|\/c\//u.test(e.body.html ?? ''));
}
const hrefs = (email: StoredEmail | undefined) =>
  [...(email?.body.html ?? '').matchAll(/href="([^"]+)"/gu)].map((m) =>
    (m[1] ?? '').replaceAll('&amp;', '&'),
  );
const answerLinksOf = (email: StoredEmail | undefined) => hrefs(email).filter((h) => /\/a\/[\w-]+$/u.test(h));
const checkInLinkOf = (email: StoredEmail | undefined) =>
  hrefs(email).find((h) => /\/c\/[\w-]+$/u.test(h)) ?? '';
const replies = async (id: string) =>
  (await coach.get<{ replies: Reply[] }>(`/api/participants/${id}/replies`)).json.replies;

async function newContext(options: { javaScriptEnabled: boolean; width: number }): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled,
    viewport: { width: options.width, height: 740 },
  });
  context.on('page', (p) =>
    p.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    }),
  );
  return context;
}

/** Nothing may overflow sideways (measured with scripts on: the page itself has none). */
async function overflowAt(url: string, width: number): Promise<number> {
  const context = await newContext({ javaScriptEnabled: true, width });
  const p = await context.newPage();
  await p.goto(url);
  const overflow = Number(await p.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
  await context.close();
  return overflow;
}

async function enrol(name: string, email: string, programId: string): Promise<string> {
  const res = await coach.post<{ id: string }>('/api/participants', {
    name,
    email,
    timeZone: 'Europe/Berlin',
    programId,
    channel: 'email',
  });
  expect(res.status).toBe(201);
  return res.json.id;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium, or set CHROMIUM_PATH`);
  mkdirSync(SHOTS, { recursive: true });
  // Monday 2026-11-23, 10:00 in Berlin.
  t = await startTestSystem('2026-11-23T09:00:00Z');
  coach = await t.coach('coach-pages');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const mixed = await coach.post<{ id: string }>('/api/programs', {
    name: 'Evening mix',
    questions: [
      { type: 'scale', text: `Did I do my best to rest ${XSS}?` },
      { type: 'yes-no', text: 'Did I walk today?' },
      { type: 'number', text: 'How long did I read?', unit: 'minutes' },
      { type: 'text', text: 'What went well?' },
    ],
    schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '20:00' },
  });
  expect(mixed.status).toBe(201);
  // Zoe has the six daily questions, Ola the mixed program; both go out at 20:00.
  ids.zoe = await enrol('Zoe', ZOE, 'daily-questions');
  ids.ola = await enrol('Ola', OLA, mixed.json.id);
  await t.settle();
  await t.clock('2026-11-23T19:05:00Z'); // 20:05 in Berlin: both check-ins are out
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('answer links', () => {
  it('record nothing when a headless browser running scripts opens every link of a check-in', async () => {
    const [checkIn] = await emailsTo(ZOE);
    const links = answerLinksOf(checkIn);
    expect(links).toHaveLength(60); // six questions, ten answers each
    const context = await newContext({ javaScriptEnabled: true, width: 1280 });
    const all = [...links, checkInLinkOf(checkIn)];
    // Ten tabs at a time, each left open until the network is idle: anything a page would
    // submit by itself has had its chance to.
    for (let i = 0; i < all.length; i += 10) {
      await Promise.all(
        all.slice(i, i + 10).map(async (link) => {
          const p = await context.newPage();
          await p.goto(link, { waitUntil: 'networkidle' });
          expect(p.url()).toBe(link);
          expect(await p.locator('script').count()).toBe(0);
          await p.close();
        }),
      );
    }
    await context.close();
    expect(await replies(ids.zoe ?? '')).toEqual([]);
  }, 240_000);

  it('a person pressing Confirm records the preselected answer, or the one they picked instead', async () => {
    const links = answerLinksOf((await emailsTo(ZOE))[0]);
    const context = await newContext({ javaScriptEnabled: true, width: 375 });
    const p = await context.newPage();
    await p.goto(links[6] ?? ''); // question 1, answer 7
    expect(await p.getByRole('radio', { name: '7' }).isChecked()).toBe(true);
    await p.screenshot({ path: `${SHOTS}/answer-link-375.png`, fullPage: true });
    await p.getByRole('button', { name: 'Confirm' }).click();
    await p.getByText('Got it: 7/10. Thanks!').waitFor();
    await p.getByRole('link', { name: 'Answer the other questions on one page' }).waitFor();
    await p.screenshot({ path: `${SHOTS}/answer-thanks-375.png`, fullPage: true });

    await p.goto(links[12] ?? ''); // question 2, answer 3; the person picks 8
    await p.getByText('8', { exact: true }).click();
    await p.getByLabel('Anything to add? (optional)').fill(`long day ${XSS}`);
    await p.getByRole('button', { name: 'Confirm' }).click();
    await p.getByText('Got it: 8/10. Thanks!').waitFor();
    await context.close();
    const answers = await replies(ids.zoe ?? '');
    expect(answers.map((r) => [r.value, r.source]).sort()).toEqual([
      [7, 'answer-link'],
      [8, 'answer-link'],
    ]);
    expect(answers.find((r) => r.value === 8)?.comment).toBe(`long day ${XSS}`);
  });
});

describe('the check-in page', () => {
  let url = '';

  it('fits 320 and 375 px screens, shows coach text as text, and records nothing when opened', async () => {
    url = checkInLinkOf((await emailsTo(OLA))[0]);
    expect(url).not.toBe('');
    const res = await fetch(url);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'none'");
    for (const width of [320, 375]) {
      expect(await overflowAt(url, width), `overflow at ${width} px`).toBeLessThanOrEqual(0);
      const context = await newContext({ javaScriptEnabled: false, width });
      const p = await context.newPage();
      await p.goto(url);
      await p.getByRole('button', { name: 'Send answers' }).waitFor();
      await p.screenshot({ path: `${SHOTS}/check-in-${width}.png`, fullPage: true });
      expect(await p.locator('main img').count()).toBe(0);
      await context.close();
    }
    expect(await replies(ids.ola ?? '')).toEqual([]);
  });

  it('answers every question with one form, JavaScript off, and confirms with the progress line', async () => {
    const context = await newContext({ javaScriptEnabled: false, width: 320 });
    const p = await context.newPage();
    await p.goto(url);
    await p
      .getByRole('group', { name: /Did I do my best to rest/u })
      .getByText('7', { exact: true })
      .click();
    await p.getByRole('group', { name: 'Did I walk today?' }).getByText('Yes').click();
    await p.getByLabel('Your number (minutes)').fill('30');
    await p.getByLabel('Your answer').fill(`slept well ${XSS}`);
    await p.screenshot({ path: `${SHOTS}/check-in-filled-320.png`, fullPage: true });
    await p.getByRole('button', { name: 'Send answers' }).click();
    await p.getByText('Got it: 7, Y, 30, noted. Thanks!').waitFor();
    await p.screenshot({ path: `${SHOTS}/check-in-thanks-320.png`, fullPage: true });
    await context.close();
    const answers = await replies(ids.ola ?? '');
    expect(answers.map((r) => r.value ?? r.text).sort()).toEqual([1, 30, 7, `slept well ${XSS}`].sort());
    expect(dialogs).toEqual([]);
  });

  it('a wrong field is named and records nothing; the next day shows the streak', async () => {
    const before = (await replies(ids.ola ?? '')).length;
    const bad = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ q1: '11', q3: '30' }).toString(),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('q1: expected a whole number from 1 to 10');
    expect(await replies(ids.ola ?? '')).toHaveLength(before);

    await t.clock('2026-11-24T19:05:00Z'); // Tuesday's check-in
    const tuesday = checkInLinkOf((await emailsTo(OLA)).at(-1));
    expect(tuesday).not.toBe(url);
    const context = await newContext({ javaScriptEnabled: false, width: 375 });
    const p = await context.newPage();
    await p.goto(tuesday);
    await p
      .getByRole('group', { name: /Did I do my best to rest/u })
      .getByText('9', { exact: true })
      .click();
    await p.getByRole('button', { name: 'Send answers' }).click();
    await p.getByText('Got it: 9/10. 2 days in a row.').waitFor();
    await context.close();
  });
});
