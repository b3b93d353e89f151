/**
 * The coach's weekly loop in Chromium against the local stack: "This week" shows whose push is
 * sent, scheduled or not written and walks the coach to the next one without; the bulk push
 * composer shows each recipient's segments and cost as the coach types, offers the fields and
 * refuses unknown ones; a recipient whose filled-in text is too long is refused alone; and the
 * week-close email's link opens that week on the dashboard. Screenshots at 1280 and 375 px under
 * `test-results/week-gestures/`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../infra/local/web-app.js';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-results/week-gestures';
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 375, height: 740 };
const WEEK = '2026-W48'; // Monday 23 – Sunday 29 November 2026
// Signing in locally with an address as the coach id makes it the coach's address (the week-close email's).
const COACH = 'gia@coach.example';
const COACH_EMAIL = COACH;
const LONG = 'L'.repeat(80); // one 80-letter first name: 21 of them pass 1,600 characters

let t: TestSystem;
let coach: CoachClient;
let browser: Browser;
let page: Page;
const ids: Record<string, string> = {};

async function screenshots(p: Page, name: string) {
  await p.setViewportSize(DESKTOP);
  await p.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true });
  await p.setViewportSize(PHONE);
  await p.screenshot({ path: `${SHOTS}/${name}-phone.png`, fullPage: true });
  const overflow = await p.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `${name} overflows at 375 px`).toBeLessThanOrEqual(0);
  await p.setViewportSize(DESKTOP);
}

async function enrol(name: string, phone: string): Promise<string> {
  const res = await coach.post<{ id: string }>('/api/participants', {
    name,
    phone,
    timeZone: 'America/New_York',
    programId: 'daily-questions',
    channel: 'sms',
  });
  expect(res.status).toBe(201);
  await t.settle();
  await t.inbound(phone, 'YES');
  return res.json.id;
}

const rowOf = (name: string) => page.getByTestId('summary-row').filter({ hasText: name });

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (see .ci/run) or set CHROMIUM_PATH`);
  await ensureWebBuild();
  mkdirSync(SHOTS, { recursive: true });
  // Tuesday 2026-11-24 10:00 in New York.
  t = await startTestSystem('2026-11-24T15:00:00Z');
  coach = await t.coach(COACH, { email: COACH_EMAIL });
  ids.sam = await enrol('Sam Lee', '+12125550401');
  ids.pat = await enrol('Pat Kim', '+12125550402');
  ids.lou = await enrol(LONG, '+12125550403');
  // Sam's push goes tomorrow; Pat's now; Lou has none.
  const sam = await coach.post(`/api/participants/${ids.sam}/pushes`, {
    text: 'See you tomorrow',
    week: WEEK,
    sendAt: '2026-11-25T15:00:00Z',
  });
  expect(sam.status).toBe(201);
  expect(
    (await coach.post(`/api/participants/${ids.pat}/pushes`, { text: 'Nice week', week: WEEK })).status,
  ).toBe(201);
  await t.settle();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext({ viewport: DESKTOP, timezoneId: 'America/New_York' });
  page = await context.newPage();
  await page.goto(`${t.url}/app/`);
  await page.getByLabel('Coach id').fill(COACH);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'This week' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('"This week" and the pushes', () => {
  it('shows per participant whether the push is sent, scheduled or not written', async () => {
    const res = await coach.get<{ summaries: { name: string; push: string }[] }>(
      `/api/summaries?week=${WEEK}`,
    );
    expect(Object.fromEntries(res.json.summaries.map((s) => [s.name, s.push]))).toEqual({
      'Sam Lee': 'scheduled',
      'Pat Kim': 'sent',
      [LONG]: 'none',
    });
    await page.goto(`${t.url}/app/#/week?w=${WEEK}`);
    await rowOf('Sam Lee').waitFor();
    expect(await rowOf('Sam Lee').getByTestId('push-status').textContent()).toBe('push scheduled');
    expect(await rowOf('Pat Kim').getByTestId('push-status').textContent()).toBe('push sent');
    expect(await rowOf(LONG).getByTestId('push-status').textContent()).toBe('no push yet');
    await screenshots(page, 'week-push-status');
  });

  it('walks the coach to the next participant without a push, and off the list once pushed', async () => {
    await page.getByTestId('next-without-push').click();
    await expect.poll(() => page.evaluate('location.hash')).toBe(`#/p/${ids.lou}?w=${WEEK}`);
    await page.getByLabel('Message', { exact: true }).fill('Hi {{firstName}}, well done this week.');
    await page.getByRole('button', { name: 'Send push' }).click();
    await page.getByText(/^Push (queued|sent|scheduled)/u).waitFor();
    await page.goto(`${t.url}/app/#/week?w=${WEEK}`);
    await rowOf(LONG).waitFor();
    await expect
      .poll(() => rowOf(LONG).getByTestId('push-status').textContent())
      .toMatch(/push (sent|scheduled)/u);
    expect(await page.getByTestId('next-without-push').count()).toBe(0);
  });
});

describe('the bulk push composer', () => {
  it('shows segments and cost per recipient as the coach types, and refuses unknown fields', async () => {
    await page.getByText('Push to several participants').click();
    await page.getByLabel('All active participants').check();
    const message = page.getByLabel('Message', { exact: true });
    await message.fill('Hi {{firstName}}');
    const rows = page.getByTestId('bulk-recipient');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.filter({ hasText: 'Sam Lee' }).textContent()).toMatch(/1 \(GSM-7\)\$0\.0083/u);
    // The segments follow each recipient's own filled-in text as it is typed.
    await message.fill(`${'{{firstName}} '.repeat(21).trim()}`);
    await expect
      .poll(() => rows.filter({ hasText: LONG }).textContent())
      .toMatch(/Too long: .*limit is 1600/u);
    expect(await rows.filter({ hasText: 'Pat Kim' }).textContent()).toMatch(/^Pat Kim\d+ \(GSM-7\)/u);
    // The fields are offered; an unknown one is named and the send is refused.
    await page.getByRole('button', { name: '{{streak}}' }).waitFor();
    await message.fill('Hi {{nickname}}');
    await page.getByTestId('bulk-unknown-fields').waitFor();
    expect(await page.getByTestId('bulk-unknown-fields').textContent()).toContain('{{nickname}}');
    expect(await page.getByRole('button', { name: 'Send to all' }).isDisabled()).toBe(true);
    await message.fill('Hi {{firstName}}, ');
    await page.getByRole('button', { name: '{{coachName}}' }).click();
    expect(await message.inputValue()).toBe('Hi {{firstName}}, {{coachName}}');
    await screenshots(page, 'bulk-push-costs');
  });

  it('refuses the recipient whose filled-in text passes 1,600 characters; the others still go', async () => {
    const message = page.getByLabel('Message', { exact: true });
    await message.fill(`${'{{firstName}} '.repeat(21).trim()}`);
    await page.getByRole('button', { name: 'Send to all' }).click();
    await expect
      .poll(() => page.getByTestId('bulk-result').textContent())
      .toBe('Queued 2, skipped 0, refused 1.');
    expect(await page.getByTestId('bulk-refused').textContent()).toContain(`${LONG}: text: fills in to`);
    await t.settle();
    expect((await t.sms('+12125550401')).filter((m) => m.body.startsWith('Sam Sam Sam'))).toHaveLength(1);
    expect((await t.sms('+12125550403')).filter((m) => m.body.startsWith(`${LONG} ${LONG}`))).toHaveLength(0);
  });

  it('answers an unknown field with a 400 naming it', async () => {
    const res = await coach.post<{ error: string; field: string }>('/api/pushes/bulk', {
      text: 'Hi {{lastName}}',
      to: 'all',
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ field: 'text' });
    expect(res.json.error).toContain('unknown field {{lastName}}');
  });
});

describe('the week-close email', () => {
  it('links to that week on the dashboard, and the link opens it', async () => {
    await t.clock('2026-11-30T18:30:00Z'); // Sunday midnight New York + 12 h grace, past
    const store = (await fetch(`${t.system.sesUrl}/store`).then((r) => r.json())) as {
      emails: { destination: { to: string[] }; body: { text: string } }[];
    };
    const mail = store.emails.find((e) => e.destination.to.includes(COACH_EMAIL));
    const link = /https?:\/\/\S+/u.exec(mail?.body.text ?? '')?.[0] ?? '';
    expect(link).toBe(`${t.url}/app/#/week?w=${WEEK}`);
    await page.goto('about:blank');
    await page.goto(link);
    await rowOf('Sam Lee').waitFor();
    expect(await page.locator('#week').inputValue()).toBe(WEEK);
  });
});
