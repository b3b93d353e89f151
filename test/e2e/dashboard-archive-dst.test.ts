/**
 * Two journeys where the dashboard and the server once disagreed, in real Chromium against the
 * real local system: an archived program leaves the enrol picker (the dashboard read `archived`
 * where the API sends `archivedAt`, so enrolling ended in a 409), and a push scheduled for 02:30 on
 * New York's spring-forward day is stored at the instant the server's zone code gives (03:00
 * local, 07:00Z) and goes out then, not an hour early. Last, every body the dashboard read on the
 * way is checked against the response schemas of `/api/openapi.json` as the server serves it.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../infra/local/web-app.js';
import { resolveLocalTime } from '../../shared/domain/schedule.js';
import { type CoachClient, startTestSystem, type TestSystem } from '../support/system.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SAM = '+12125550141';
const EARLY = 'Sam, the clocks jump tonight: sleep first, check in later.';
const LATER = 'Sam, one hour less sleep today: go easy this morning.';

let t: TestSystem;
let coach: CoachClient;
let browser: Browser;
let page: Page;
let oldId = '';
let nightId = '';
let samId = '';

// Quiet hours 21:00–08:00 (the default): 03:00 is inside them, 09:30 is not.
const program = (name: string) => ({
  name,
  questions: [{ type: 'scale', text: 'How rested do you feel?' }],
  schedule: { days: ['mon', 'wed', 'fri'], time: '18:00', quietHours: { start: '21:00', end: '08:00' } },
});
/** The instant the server's zone code gives a New York wall-clock time on 14 March 2027. */
const serverInstant = (hour: number, minute: number) =>
  resolveLocalTime({ year: 2027, month: 3, day: 14 }, hour * 60 + minute, 'America/New_York').toISOString();

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run), or set CHROMIUM_PATH`,
    );
  await ensureWebBuild();
  // Wednesday 2027-03-10 10:00 in New York; the clocks spring forward on Sunday the 14th at 02:00.
  t = await startTestSystem('2027-03-10T15:00:00Z');
  coach = await t.coach('coach-kim');
  const created = async (body: unknown) => {
    const res = await coach.post<{ id: string }>('/api/programs', body);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    return res.json.id;
  };
  oldId = await created(program('Old habits'));
  nightId = await created(program('Night owls'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: 'UTC' });
  page = await context.newPage();
  await page.goto(`${t.url}/app/`);
  await page.getByLabel('Coach id').fill('coach-kim');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'This week' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('archive a program, then enrol', () => {
  it('archives "Old habits" from the program editor', async () => {
    await page.getByRole('link', { name: 'Programs' }).click();
    await page.getByRole('button', { name: 'Old habits' }).click();
    await page.getByRole('button', { name: 'Archive' }).click();
    await page.getByText('Archived.').waitFor();
    await expect
      .poll(() => page.getByRole('listitem').filter({ hasText: 'Old habits' }).textContent())
      .toContain('archived');
    const { json } = await coach.get<{ programs: { id: string; archivedAt?: string }[] }>('/api/programs');
    expect(json.programs.find((p) => p.id === oldId)?.archivedAt).toMatch(/^2027-03-10T15:/u);
  });

  it('leaves the archived program out of the enrol picker', async () => {
    await page.getByRole('link', { name: 'Participants' }).click();
    const picker = page.getByRole('form', { name: 'Enrol a participant' }).getByLabel('Program');
    await expect.poll(() => picker.locator('option').allTextContents()).toContain('Night owls');
    const options = await picker.locator('option').allTextContents();
    expect(options).not.toContain('Old habits');
    // The server refuses it indeed: offering it would end in this 409.
    const refused = await coach.post('/api/participants', {
      name: 'Nobody',
      phone: '+12125550199',
      timeZone: 'America/New_York',
      programId: oldId,
      channel: 'sms',
    });
    expect(refused.status).toBe(409);
  });

  it('enrols Sam into an active program without a 409', async () => {
    const form = page.getByRole('form', { name: 'Enrol a participant' });
    await form.getByLabel('Name').fill('Sam');
    await form.getByLabel('Phone (E.164)').fill(SAM);
    await form.getByLabel('Time zone').fill('America/New_York');
    await form.getByLabel('Program').selectOption({ label: 'Night owls' });
    await form.getByRole('button', { name: 'Enrol' }).click();
    await page.getByText('Sam enrolled (waiting for opt-in).').waitFor();
    const { json } = await coach.get<{ participants: { id: string; name: string; programId: string }[] }>(
      '/api/participants',
    );
    const sam = json.participants.find((p) => p.name === 'Sam');
    expect(sam?.programId).toBe(nightId);
    samId = sam?.id ?? '';
    await t.settle();
    await t.inbound(SAM, 'YES');
  });
});

describe('pushes scheduled on a DST day', () => {
  const schedule = async (text: string, at: string, shown: string) => {
    await page.getByLabel('Message').fill(text);
    await page.getByLabel('At their local time').check();
    await page.getByLabel('Send at (America/New_York)').fill(at);
    await page.getByRole('button', { name: 'Schedule push' }).click();
    await page.getByText(`Push scheduled for ${shown}.`).waitFor();
  };
  const pushes = async () =>
    (
      await coach.get<{ pushes: { text: string; sendAt: string; status: string }[] }>(
        `/api/participants/${encodeURIComponent(samId)}/pushes`,
      )
    ).json.pushes;

  it('02:30 on 14 March in New York, a time the clocks skip, is asked for as 03:00 (07:00Z)', async () => {
    await page.goto(`${t.url}/app/#/p/${encodeURIComponent(samId)}`);
    // 03:00 is inside Sam's quiet hours: the push waits for 08:00, and the page says so.
    await schedule(EARLY, '2027-03-14T02:30', 'Sun 14 Mar, 08:00');
    expect(serverInstant(2, 30)).toBe('2027-03-14T07:00:00.000Z');
    // The instant the dashboard asked for is kept with the push (the export shows every record).
    const exported = await coach.get<{
      messagesSent: { kind?: string; text?: string; scheduledFor: string }[];
    }>(`/api/participants/${encodeURIComponent(samId)}/export`);
    const asked = exported.json.messagesSent.find((m) => m.kind === 'push' && m.text === EARLY);
    expect(asked?.scheduledFor).toBe(serverInstant(2, 30));
    expect((await pushes()).find((p) => p.text === EARLY)).toMatchObject({
      sendAt: serverInstant(8, 0),
      status: 'scheduled',
    });
  });

  it('09:30 the same day is 13:30Z (daylight time), outside quiet hours', async () => {
    await schedule(LATER, '2027-03-14T09:30', 'Sun 14 Mar, 09:30');
    expect(serverInstant(9, 30)).toBe('2027-03-14T13:30:00.000Z');
    expect((await pushes()).find((p) => p.text === LATER)).toMatchObject({
      sendAt: serverInstant(9, 30),
      status: 'scheduled',
    });
  });

  it('each goes out at its instant, not an hour early', async () => {
    const sent = async () =>
      (await t.sms(SAM)).filter((m) => m.body.includes(EARLY) || m.body.includes(LATER)).map((m) => m.body);
    await t.clock('2027-03-14T11:59:00Z');
    expect(await sent()).toEqual([]);
    await t.clock('2027-03-14T12:01:00Z');
    expect(await sent()).toEqual([expect.stringContaining(EARLY)]);
    await t.clock('2027-03-14T13:29:00Z');
    expect(await sent()).toHaveLength(1);
    await t.clock('2027-03-14T13:31:00Z');
    expect(await sent()).toEqual([expect.stringContaining(EARLY), expect.stringContaining(LATER)]);
  });
});

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
}

describe('what the dashboard read, against /api/openapi.json as served', () => {
  it('has exactly the properties its response schema names, the required ones present', async () => {
    const doc = (
      await t.request<{ components: { schemas: Record<string, Schema> } }>('GET', '/api/openapi.json')
    ).json;
    const schemas = doc.components.schemas;
    const problems: string[] = [];
    /** Walks `value` along `schema`, following references into arrays and nested views. */
    const check = (where: string, value: unknown, schema: Schema | undefined): void => {
      if (!schema) return;
      if (schema.$ref) {
        check(where, value, schemas[schema.$ref.replace('#/components/schemas/', '')]);
        return;
      }
      if (schema.oneOf) {
        // A conversation entry: the variant whose `from` it has.
        const from = (value as { from?: string }).from;
        const variant = schema.oneOf.find(
          (s) =>
            (schemas[s.$ref?.split('/').pop() ?? '']?.properties?.from as { const?: string })?.const === from,
        );
        check(where, value, variant);
        return;
      }
      if (schema.type === 'array' && Array.isArray(value)) {
        for (const [i, item] of value.entries()) check(`${where}[${i}]`, item, schema.items);
        return;
      }
      if (schema.type !== 'object' || typeof value !== 'object' || value === null) return;
      const props = schema.properties ?? {};
      for (const key of Object.keys(value))
        if (!Object.hasOwn(props, key)) problems.push(`${where}.${key} is sent but not in the document`);
      for (const key of schema.required ?? [])
        if (!Object.hasOwn(value, key)) problems.push(`${where}.${key} is required but not sent`);
      for (const [key, sub] of Object.entries(props))
        check(`${where}.${key}`, (value as Record<string, unknown>)[key], sub);
    };
    const id = encodeURIComponent(samId);
    const read: [string, string][] = [
      ['/api/programs', 'ProgramList'],
      ['/api/participants', 'ParticipantPage'],
      [`/api/participants/${id}`, 'Participant'],
      [`/api/participants/${id}/pushes`, 'PushList'],
      [`/api/participants/${id}/prompts`, 'PromptList'],
      [`/api/participants/${id}/messages`, 'Conversation'],
      [`/api/participants/${id}/summaries?weeks=2`, 'ParticipantSummaries'],
      ['/api/summaries', 'WeekSummaries'],
      ['/api/push-templates', 'PushTemplateList'],
      ['/api/audit?limit=50', 'AuditPage'],
    ];
    for (const [path, view] of read) {
      const res = await coach.get(path);
      expect(res.status, path).toBe(200);
      check(view, res.json, { $ref: `#/components/schemas/${view}` });
    }
    expect(problems).toEqual([]);
  });
});
