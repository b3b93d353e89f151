/**
 * The dashboard's sign-in page on AWS settings, in a real browser (Debian's Chromium via
 * playwright-core): an invited coach chooses a password, adds an authenticator (the page shows the
 * secret and the otpauth URI as text) and is signed in; a coach with one types its code. Cognito is
 * the local stand-in replaying its recorded responses (test/support/fake-cognito.ts says why), and
 * `config.json` is answered as the CDK deployment writes it, pointing at that stand-in. The browser
 * context bypasses the page's CSP, whose connect-src names only the real Cognito endpoints.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../infra/local/web-app.js';
import {
  FAKE_POOL_ID,
  type FakeCognito,
  GOOD_CODE,
  SECRET,
  startFakeCognito,
} from '../support/fake-cognito.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-results/dashboard';

let t: TestSystem;
let fake: FakeCognito;
let browser: Browser;

async function openSignIn(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, bypassCSP: true });
  const page = await context.newPage();
  await page.route('**/app/config.json', (route) =>
    route.fulfill({
      json: {
        auth: 'cognito',
        region: 'eu-west-1',
        userPoolId: FAKE_POOL_ID,
        clientId: 'client-1',
        endpoint: fake.url,
      },
    }),
  );
  await page.goto(`${t.url}/app/`);
  await page.getByLabel('Password').waitFor();
  return page;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium, or set CHROMIUM_PATH`);
  await ensureWebBuild();
  mkdirSync(SHOTS, { recursive: true });
  t = await startTestSystem('2026-11-23T15:00:00Z');
  fake = await startFakeCognito({
    'invited@example.com': { newPassword: true, mfa: 'setup' },
    'totp@example.com': { mfa: 'code' },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});

afterAll(async () => {
  await browser?.close();
  await fake?.close();
  await t?.stop();
});

describe('signing in with Cognito challenges', () => {
  it('an invited coach: new password, authenticator setup with the secret shown, then signed in', async () => {
    const page = await openSignIn();
    await page.getByLabel('Email').fill('invited@example.com');
    await page.getByLabel('Password').fill('temporary-Pass1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Choose a new password').fill('short');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Password does not conform');
    await page.getByLabel('Choose a new password').fill('a much longer passphrase');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByTestId('mfa-secret').textContent()).toBe(SECRET);
    expect(await page.getByTestId('mfa-uri').textContent()).toBe(
      `otpauth://totp/nanocoach%3Ainvited%40example.com?secret=${SECRET}&issuer=nanocoach`,
    );
    await page.screenshot({ path: `${SHOTS}/signin-mfa-setup-phone.png`, fullPage: true });
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByLabel('6-digit code from your authenticator app').fill(GOOD_CODE);
    // Signed in: the app calls the coach API with the ID token the pool issued (the local API does
    // not accept the stand-in's token, so what happens after that call is not this test's concern).
    const apiCall = page.waitForRequest((req) => new URL(req.url()).pathname.startsWith('/api/'));
    await page.getByRole('button', { name: 'Continue' }).click();
    const auth = (await apiCall).headers().authorization ?? '';
    const payload = JSON.parse(Buffer.from(auth.split('.')[1] ?? '', 'base64url').toString()) as {
      email?: string;
    };
    expect(auth.startsWith('Bearer ')).toBe(true);
    expect(payload.email).toBe('invited@example.com');
  });

  it('a coach with an authenticator types its code; a wrong one says so', async () => {
    const page = await openSignIn();
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByLabel('Email').fill('totp@example.com');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('6-digit code from your authenticator app').fill('111111');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Invalid code');
    await page.screenshot({ path: `${SHOTS}/signin-mfa-code-desktop.png`, fullPage: true });
  });
});
