/**
 * The coach dashboard in a real browser (Debian's Chromium driven by playwright-core) against the
 * real local system: a coach's whole week, played from every side — the coach in the dashboard,
 * an SMS participant on the phone simulator, an email participant clicking an answer link. Saves
 * a screenshot of each main page at desktop and phone width under `test-results/dashboard/`.
 *
 * Also: participant text shows as text everywhere (an `<img onerror>` reply fires no dialog), what
 * a participant writes outside a check-in reaches the conversation (needs-a-human first in the
 * week, marked read, answered from the reply box), and
 * "This week" makes the same number of API calls for 200 participants as for 2.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../infra/local/web-app.js';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

/** Debian's Chromium (installed by .ci/run); CHROMIUM_PATH points elsewhere, e.g. on macOS. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-results/dashboard';
const XSS = '<img src=x onerror=alert(1)>';
const SAM_PHONE = '+12125550123';
const EVE_EMAIL = 'eve@example.com';
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 375, height: 740 };

let t: TestSystem;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every dialog any page opened: an XSS payload that ran would show up here. */
const dialogs: string[] = [];

async function newPage(ctx: BrowserContext): Promise<Page> {
  const p = await ctx.newPage();
  p.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return p;
}

/** Saves `name` at desktop and phone width, then goes back to desktop. */
async function screenshots(p: Page, name: string) {
  await p.setViewportSize(DESKTOP);
  await p.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true });
  await p.setViewportSize(PHONE);
  await p.screenshot({ path: `${SHOTS}/${name}-phone.png`, fullPage: true });
  // Nothing may overflow sideways at 375 px (tables scroll inside their own box).
  const overflow = await p.evaluate('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `${name} overflows at 375 px`).toBeLessThanOrEqual(0);
  await p.setViewportSize(DESKTOP);
}

async function signIn(p: Page, coachId: string) {
  await p.goto(`${t.url}/app/`);
  await p.getByLabel('Coach id').fill(coachId);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.getByRole('link', { name: 'This week' }).waitFor();
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run), or set CHROMIUM_PATH to a Chromium or Chrome`,
    );
  await ensureWebBuild();
  mkdirSync(SHOTS, { recursive: true });
  // Monday 2026-11-23 10:00 in New York.
  t = await startTestSystem('2026-11-23T15:00:00Z');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  context = await browser.newContext({ viewport: DESKTOP, timezoneId: 'America/New_York' });
  page = await newPage(context);
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('a coach week in the dashboard', () => {
  let samId = '';
  let eveId = '';

  it('signs in locally and creates a program in the editor', async () => {
    await screenshots(page, 'sign-in').catch(async () => {
      await page.goto(`${t.url}/app/`);
      await screenshots(page, 'sign-in');
    });
    await signIn(page, 'coach-ana');
    await page.getByRole('link', { name: 'Programs' }).click();
    await page.getByLabel('Name').fill('Evenings');
    await page.getByLabel('Question 1').fill('Did I do my best to be present today?');
    // The SMS it makes is counted as it is typed.
    await expect.poll(() => page.getByTestId('program-cost').textContent()).toContain('1 segment · GSM-7');
    await page.getByLabel('Question 1').fill('Did I do my best to be present today 🙂?');
    await expect.poll(() => page.getByTestId('program-cost').textContent()).toContain('UCS-2');
    await page.getByLabel('Question 1').fill('Did I do my best to be present today?');
    for (const day of ['sat', 'sun']) await page.getByLabel(day, { exact: true }).check();
    await page.getByLabel("Time (participant's local)").fill('18:00');
    await page.getByLabel('Preview send times in').fill('America/New_York');
    // Monday 10:00 in New York: the next send is today at 18:00.
    await expect
      .poll(() => page.getByRole('list', { name: 'Next send times' }).getByRole('listitem').count())
      .toBe(5);
    expect(
      await page.getByRole('list', { name: 'Next send times' }).getByRole('listitem').first().textContent(),
    ).toContain('Mon 23 Nov, 18:00');
    // Report cards are on for a new program; this coach switches them off for this one.
    const reportCard = page.getByLabel(/weekly report card/u);
    expect(await reportCard.isChecked()).toBe(true);
    await reportCard.uncheck();
    await page.getByRole('button', { name: 'Create program' }).click();
    await page.getByText('Saved “Evenings”.').waitFor();
    await screenshots(page, 'programs');
    const api = await t.coach('coach-ana');
    const listed = await api.get<{ programs: { name: string; reportCard: boolean }[] }>('/api/programs');
    expect(listed.json.programs.find((p) => p.name === 'Evenings')?.reportCard).toBe(false);
  });

  it('enrols an SMS and an email participant, with inline validation', async () => {
    await page.getByRole('link', { name: 'Participants' }).click();
    const form = page.getByRole('form', { name: 'Enrol a participant' });
    await form.getByLabel('Name').fill('Sam');
    await form.getByLabel('Phone (E.164)').fill('212 555');
    await form.getByLabel('Email address').focus();
    await form.getByText('expected an E.164 number such as +14155552671').waitFor();
    await form.getByLabel('Phone (E.164)').fill(SAM_PHONE);
    await form.getByLabel('Time zone').fill('America/New_York');
    await form.getByLabel('Program').selectOption({ label: 'Evenings' });
    await form.getByRole('button', { name: 'Enrol' }).click();
    await page.getByText('Sam enrolled (waiting for opt-in).').waitFor();

    await form.getByLabel('Name').fill('Eve');
    await form.getByLabel('Email', { exact: true }).check();
    await form.getByLabel('Email address').fill(EVE_EMAIL);
    await form.getByLabel('Time zone').fill('America/New_York');
    await form.getByLabel('Program').selectOption({ label: 'Evenings' });
    await form.getByRole('button', { name: 'Enrol' }).click();
    await page.getByText(/Eve enrolled/u).waitFor();
    await page.getByRole('link', { name: 'Sam' }).waitFor();
    await page.getByRole('link', { name: 'Eve' }).waitFor();
    samId = decodeURIComponent(
      (await page.getByRole('link', { name: 'Sam' }).getAttribute('href'))?.split('/').pop() ?? '',
    );
    eveId = decodeURIComponent(
      (await page.getByRole('link', { name: 'Eve' }).getAttribute('href'))?.split('/').pop() ?? '',
    );
    expect(samId).not.toBe('');
    expect(eveId).not.toBe('');
    await screenshots(page, 'participants');
  });

  it('answers as Sam on the phone simulator and as Eve with the email answer link', async () => {
    const links = (await t.request<{ phone: string; inbox: string }>('GET', '/dev/links')).json;
    expect(await page.getByRole('link', { name: 'Phone simulator' }).getAttribute('href')).toBe(links.phone);
    await t.settle();
    const phone = await newPage(context);
    await phone.goto(`${links.phone}?number=${encodeURIComponent(SAM_PHONE)}`);
    await phone.getByLabel('Text message').fill('YES');
    await phone.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => phone.getByLabel('Text message').inputValue()).toBe('');

    // Monday 18:05 in New York: both questions go out.
    await t.clock('2026-11-23T23:05:00Z');
    await phone.reload();
    await phone.getByText('Did I do my best to be present today?').first().waitFor();
    await phone.getByLabel('Text message').fill(`7 ${XSS}`);
    await phone.getByRole('button', { name: 'Send' }).click();
    await phone.getByText(/Got it/u).waitFor();
    await screenshots(phone, 'phone-simulator');

    const store = (await (await fetch(`${t.system.sesUrl}/store`)).json()) as {
      emails: { destination: { to: string[] }; subject: string; body: { html?: string } }[];
    };
    const checkIn = store.emails.filter((m) => m.destination.to.some((to) => to.includes(EVE_EMAIL))).at(-1);
    const link = /href="([^"]*\/a\/[^"]+)"/u.exec(checkIn?.body.html ?? '')?.[1]?.replaceAll('&amp;', '&');
    expect(link, 'an answer link in the check-in email').toBeDefined();
    const mail = await newPage(context);
    await mail.goto(link ?? '');
    await mail.getByLabel('Anything to add? (optional)').fill(`long day ${XSS}`);
    await mail.getByRole('button', { name: 'Confirm' }).click();
    await mail.getByText(/Got it:/u).waitFor();
    await phone.close();
    await mail.close();
  });

  it('shows each participant’s replies as text, not HTML', async () => {
    for (const id of [samId, eveId]) {
      await page.goto(`${t.url}/app/#/p/${encodeURIComponent(id)}`);
      await page.getByRole('heading', { name: 'Replies' }).waitFor();
      await page.getByText(XSS, { exact: false }).first().waitFor();
      // The program by its name, not its id.
      await expect.poll(() => page.getByTestId('program-name').textContent()).toBe('Evenings');
    }
    expect(await page.locator('main img').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('opens the week’s summary after the week, annotates it and sends a push that arrives', async () => {
    // Through the week (each evening's question goes out on its own day) to Monday morning.
    await t.clock('2026-11-30T14:00:00Z');
    await page.goto(`${t.url}/app/#/week?w=2026-W48`);
    const rows = page.getByTestId('summary-row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    // Sam last replied on Monday 23 November, 18:05 in New York: a week ago by the local clock
    // (the browser's own clock is days earlier).
    expect(await rows.filter({ hasText: 'Sam' }).getByRole('cell').last().textContent()).toBe('7 d ago');
    await screenshots(page, 'this-week');

    // The note goes on the week the coach came from (W48), not on the week that just began (W49).
    await page.getByRole('link', { name: 'Sam' }).click();
    await page.getByRole('heading', { name: 'Last 8 weeks' }).waitFor();
    expect(page.url()).toContain('?w=2026-W48');
    await page.getByRole('heading', { name: 'Private note for 2026-W48' }).waitFor();
    await page.getByLabel('Annotation (only you see it)').fill('Present most evenings; ask about Thursday.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByText('Saved.').waitFor();
    const ana = await t.coach('coach-ana');
    const weeks = (
      await ana.get<{ summaries: { week: string; annotation: string | null }[] }>(
        `/api/participants/${encodeURIComponent(samId)}/summaries?weeks=2`,
      )
    ).json.summaries;
    expect(weeks.map((w) => [w.week, w.annotation ?? null])).toEqual([
      ['2026-W49', null],
      ['2026-W48', 'Present most evenings; ask about Thursday.'],
    ]);

    const text =
      'You answered every evening. That rhythm is the habit. Want to try a 2-minute pause before dinner?';
    await page.getByLabel('Message').fill(text);
    expect(await page.getByTestId('sms-counter').textContent()).toContain('1 SMS segment · GSM-7');
    await page.getByRole('button', { name: 'Send push' }).click();
    await page.getByText(/^Push /u).waitFor();
    await t.settle();
    await expect
      .poll(async () => (await t.sms(SAM_PHONE)).some((m) => m.body.includes('That rhythm is the habit')))
      .toBe(true);
    await page.reload();
    await expect.poll(() => page.getByTestId('push').first().textContent()).toContain('sent');
    await page.getByText(XSS, { exact: false }).first().waitFor();
    await screenshots(page, 'participant');

    // A personal experiment from today (the participant's date by the local clock, the default)
    // for two weeks.
    await page.getByLabel('Experiment question').fill('Did I pause before answering in meetings today?');
    expect(await page.getByLabel('Starts on (their date)').inputValue()).toBe('2026-11-30');
    await page.getByLabel('Observation (optional)').fill('I talk over people when excited');
    await page.getByRole('button', { name: 'Start experiment' }).click();
    await page.getByText(/2026-11-30 to 2026-12-13/u).waitFor();

    await page.getByRole('link', { name: 'Cohort report' }).click();
    await page.getByRole('heading', { name: 'Cohort report' }).waitFor();
    await page.getByText(/participants · response rate|Fewer than 5 participants/u).waitFor();
    await screenshots(page, 'cohort');
    expect(dialogs).toEqual([]);
  });

  it('shows what Sam wrote as a conversation, flags needs-a-human first, marks it read and replies', async () => {
    // Monday 09:00 in New York, no question open: the words are Sam's, not an answer.
    const said = `help me, I need to talk ${XSS}`;
    const { reply } = await t.inbound(SAM_PHONE, said);
    expect(reply).toMatch(/a person will read your message/u);

    await page.goto(`${t.url}/app/#/week`);
    const first = page.getByTestId('summary-row').first();
    await first.waitFor();
    expect(await first.textContent()).toContain('Sam');
    expect(await first.textContent()).toContain('needs-human');
    // The words around Sam's answer on Monday evening are unread too.
    expect(await first.getByTestId('unread').textContent()).toBe('2 unread');

    await first.getByRole('link', { name: 'Sam' }).click();
    await page.getByRole('heading', { name: 'Conversation' }).waitFor();
    const message = page.getByTestId('message').filter({ hasText: 'help me' });
    await message.waitFor();
    // As text: the payload is shown, no image is made, no script runs.
    expect(await message.locator('.said').textContent()).toBe(said);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await message.textContent()).toContain('needs a human');
    expect(await message.textContent()).toContain('unread');

    expect(
      await page
        .getByTestId('message')
        .filter({ hasText: `7 ${XSS}` })
        .count(),
    ).toBe(1);

    await page.getByLabel('Reply by SMS').fill('I am here. I will call you at 10:00.');
    expect(await page.getByTestId('reply-counter').textContent()).toContain('1 SMS segment · GSM-7');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText(/^Reply (queued|sent)\.$/u).waitFor();
    await t.settle();
    await expect
      .poll(
        async () =>
          (await t.sms(SAM_PHONE)).filter((m) => m.body.includes('I will call you at 10:00')).length,
      )
      .toBe(1);

    await message.getByRole('button', { name: 'Mark read', exact: true }).click();
    await expect.poll(() => page.getByTestId('unread-count').textContent()).toMatch(/^1 unread/u);
    expect(await page.getByTestId('unread-count').textContent()).not.toContain('needs a human');
    await page.reload();
    await expect.poll(() => page.getByTestId('coach-reply').first().textContent()).toContain('sent');
    expect(await page.getByTestId('message').filter({ hasText: 'help me' }).textContent()).not.toContain(
      'unread',
    );
    await screenshots(page, 'conversation');

    await page.goto(`${t.url}/app/#/week`);
    const row = page.getByTestId('summary-row').filter({ hasText: 'Sam' });
    await row.waitFor();
    expect(await row.textContent()).not.toContain('needs-human');
    expect(await row.getByTestId('unread').textContent()).toBe('1 unread');
    expect(dialogs).toEqual([]);
  });

  it('sends a bulk push to the flagged from "This week", exports Eve and erases her', async () => {
    const ana = await t.coach('coach-ana');
    const { summaries } = (
      await ana.get<{ summaries: { status: string; flags: string[] }[] }>('/api/summaries?week=2026-W48')
    ).json;
    const flagged = summaries.filter((s) => s.status === 'active' && s.flags.length > 0).length;
    expect(flagged).toBeGreaterThan(0);

    await page.goto(`${t.url}/app/#/week?w=2026-W48`);
    await page.getByTestId('summary-row').first().waitFor();
    await page.getByText('Push to several participants').click();
    // A template fills the message; {{firstName}} is left for the server to personalise.
    await page.getByLabel('Template').selectOption({ label: 'Check-in after silence' });
    expect(await page.getByLabel('Message').inputValue()).toContain('Hi {{firstName}}');
    await page.getByLabel('Template').selectOption({ label: 'Recognition' });
    await page.getByRole('button', { name: 'Send to the flagged' }).click();
    await page.getByText('Replace the [brackets] of the template first.').waitFor();
    await page.getByLabel('Message').fill('Hi {{firstName}}, a short week ahead: one reply a day is plenty.');
    await page.getByLabel('Flagged in 2026-W48').check();
    await screenshots(page, 'bulk-push');
    await page.getByRole('button', { name: 'Send to the flagged' }).click();
    await expect
      .poll(() => page.getByTestId('bulk-result').textContent())
      .toMatch(/^Queued \d+, skipped \d+\.$/u);
    const [, queued, skipped] = /Queued (\d+), skipped (\d+)/u.exec(
      (await page.getByTestId('bulk-result').textContent()) ?? '',
    ) ?? ['', '0', '0'];
    expect(Number(queued) + Number(skipped)).toBe(flagged);

    // Export: a JSON file named after the participant's id, with what is stored about Eve.
    await page.goto(`${t.url}/app/#/p/${encodeURIComponent(eveId)}`);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export data' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`participant-${eveId}.json`);
    const exported = readFileSync((await download.path()) ?? '', 'utf8');
    expect(exported).toContain(EVE_EMAIL);
    expect(exported).toContain('long day');

    // More than a page of audit entries (50 exports of Sam) before the erasure.
    for (let i = 0; i < 50; i++)
      expect((await ana.get(`/api/participants/${encodeURIComponent(samId)}/export`)).status).toBe(200);

    // Erasure waits for the name typed exactly.
    await page.getByRole('button', { name: 'Erase participant…' }).click();
    const erase = page.getByRole('button', { name: 'Erase permanently' });
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel('Type “Eve” to confirm').fill('Ev');
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel('Type “Eve” to confirm').fill('Eve');
    await screenshots(page, 'erase');
    await erase.click();
    await page.waitForURL(/#\/participants$/u);
    await page.getByRole('link', { name: 'Sam' }).waitFor();
    expect(await page.getByRole('link', { name: 'Eve' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit' }).waitFor();
    const rows = page.getByTestId('audit-row');
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toContain('erase');
    expect(await rows.first().textContent()).toContain(`${eveId} (erased)`);
    expect(await rows.count()).toBe(50);
    // The older entries, the bulk push among them, are on the next page.
    expect(await rows.filter({ hasText: 'bulk-push' }).count()).toBe(0);
    await page.getByRole('button', { name: 'More' }).click();
    await expect.poll(() => rows.filter({ hasText: 'bulk-push' }).count()).toBe(1);
    expect(await rows.filter({ hasText: 'export' }).filter({ hasText: 'Sam' }).count()).toBe(50);
    await screenshots(page, 'audit');
    expect(dialogs).toEqual([]);
  });
});

describe('"This week" for a coach with many participants', () => {
  /** API requests the page makes while "This week" loads. */
  async function apiCallsOfThisWeek(coach: CoachClient, count: number): Promise<string[]> {
    for (let i = 0; i < count; i++) {
      const res = await coach.post('/api/participants', {
        name: `Person ${String(i).padStart(3, '0')}`,
        email: `person${i}@${coach.coachId}.example`,
        timeZone: 'Europe/Berlin',
        programId: 'daily-questions',
        channel: 'email',
      });
      expect(res.status).toBe(201);
    }
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const p = await newPage(ctx);
    const calls: string[] = [];
    p.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname.startsWith('/api/')) calls.push(`${req.method()} ${url.pathname}`);
    });
    await signIn(p, coach.coachId);
    await p.getByText(`Person ${String(count - 1).padStart(3, '0')}`).waitFor();
    await p.waitForLoadState('networkidle');
    await ctx.close();
    return calls;
  }

  it('makes the same API calls for 200 participants as for 2', async () => {
    const few = await apiCallsOfThisWeek(await t.coach('coach-few'), 2);
    const many = await apiCallsOfThisWeek(await t.coach('coach-many'), 200);
    expect(many).toEqual(few);
    expect(many.length).toBeLessThanOrEqual(2);
  });
});
