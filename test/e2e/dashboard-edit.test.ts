/**
 * Editing a participant in the dashboard, in a real browser (Debian's Chromium via playwright-core)
 * against the real local system: the form validates as you type like the enrol form, shows the
 * server's answer on its field, says what a new address sets in motion, and what the coach saved
 * is what the participant gets (the new number's opt-in request through the local Twilio gateway).
 * Screenshots at 1280 and 375 px go to `test-results/dashboard/`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../infra/local/web-app.js';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-results/dashboard';
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 375, height: 740 };
const SAM = '+12125550123';
const SAM_NEW = '+12125550188';
const XSS = '<img src=x onerror=alert(1)>';

let t: TestSystem;
let coach: CoachClient;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];

async function screenshots(p: Page, name: string) {
  await p.setViewportSize(DESKTOP);
  await p.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true });
  await p.setViewportSize(PHONE);
  await p.screenshot({ path: `${SHOTS}/${name}-phone.png`, fullPage: true });
  const overflow = await p.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `${name} overflows at 375 px`).toBeLessThanOrEqual(0);
  await p.setViewportSize(DESKTOP);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run), or set CHROMIUM_PATH`,
    );
  await ensureWebBuild();
  mkdirSync(SHOTS, { recursive: true });
  // Monday 2026-11-23 10:00 in New York.
  t = await startTestSystem('2026-11-23T15:00:00Z');
  coach = await t.coach('coach-ana');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: DESKTOP, timezoneId: 'America/New_York' });
  page = await context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe("editing a participant's details in the dashboard", () => {
  let samId = '';

  it('opens the edit form on the participant page', async () => {
    const res = await coach.post<{ id: string }>('/api/participants', {
      name: 'Sam',
      phone: SAM,
      timeZone: 'America/New_York',
      programId: 'daily-questions',
      channel: 'sms',
    });
    samId = res.json.id;
    await t.settle();
    await t.inbound(SAM, 'YES');
    await page.goto(`${t.url}/app/`);
    await page.getByLabel('Coach id').fill('coach-ana');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'This week' }).waitFor();
    await page.goto(`${t.url}/app/#/p/${encodeURIComponent(samId)}`);
    await page.getByText('Edit details').click();
    const form = page.getByRole('form', { name: 'Edit participant' });
    await expect.poll(() => form.getByLabel('Time zone').inputValue()).toBe('America/New_York');
    expect(await form.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);
  });

  it('validates as the coach types, naming what is wrong, and sends nothing invalid', async () => {
    const form = page.getByRole('form', { name: 'Edit participant' });
    await form.getByLabel('Time zone').fill('Europe/Berlinn');
    await expect.poll(() => form.getByText('expected an IANA time zone').count()).toBe(1);
    await form.getByLabel('Phone (E.164)').fill('2125550123');
    await expect.poll(() => form.getByText('expected an E.164 number').count()).toBe(1);
    await form.getByLabel('Email', { exact: true }).check();
    await expect.poll(() => form.getByText('is required for email').count()).toBe(1);
    await form.getByRole('button', { name: 'Save changes' }).click();
    expect((await coach.get<{ timeZone: string }>(`/api/participants/${samId}`)).json.timeZone).toBe(
      'America/New_York',
    );
    await screenshots(page, 'participant-edit-errors');
  });

  it("moves Sam to Berlin: the page shows the next question at 20:00 Berlin's time", async () => {
    const form = page.getByRole('form', { name: 'Edit participant' });
    await form.getByLabel('SMS', { exact: true }).check();
    await form.getByLabel('Phone (E.164)').fill(SAM);
    await form.getByLabel('Time zone').fill('Europe/Berlin');
    await form.getByLabel('Name').fill(`Sam ${XSS}`);
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => form.getByRole('status').textContent())
      .toContain('Next question Mon 23 Nov, 20:00');
    const stored = (
      await coach.get<{ timeZone: string; nextDueAt: string; name: string }>(`/api/participants/${samId}`)
    ).json;
    expect(stored).toMatchObject({ timeZone: 'Europe/Berlin', nextDueAt: '2026-11-23T19:00:00.000Z' });
    // The name is shown as text, never as markup.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(XSS);
    expect(dialogs).toEqual([]);
  });

  it('a new number: the form says YES is needed, and the opt-in request goes to it', async () => {
    const form = page.getByRole('form', { name: 'Edit participant' });
    await form.getByLabel('Phone (E.164)').fill(SAM_NEW);
    await expect.poll(() => form.getByTestId('consent-note').textContent()).toContain('must reply YES');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain('new opt-in request');
    await expect.poll(() => page.getByText('pending opt-in').count()).toBeGreaterThan(0);
    await t.settle();
    const sms = await t.sms(SAM_NEW);
    expect(sms.map((m) => m.body).join('\n')).toContain('YES');
    await screenshots(page, 'participant-edit-saved');
  });
});
