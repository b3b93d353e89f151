/**
 * The privacy notice is served with the dashboard at a stable URL (`/app/privacy.html`, the same
 * path CloudFront serves), as plain HTML a registration reviewer can read: what is collected, who
 * reads it, how to stop, how to get a copy or erasure — under the dashboard's security headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../infra/local/web-app.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

let t: TestSystem;

beforeAll(async () => {
  await ensureWebBuild();
  t = await startTestSystem('2026-11-23T15:00:00Z');
});
afterAll(async () => t?.stop());

describe('the privacy page', () => {
  it('is served at /app/privacy.html, answering what registrations ask', async () => {
    const res = await fetch(`${t.url}/app/privacy.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    for (const heading of [
      'What is collected',
      'Who reads it',
      'How to stop',
      'How to get a copy, or have it erased',
    ])
      expect(html).toContain(heading);
    expect(html).toContain('STOP');
    expect(html).toContain('unsubscribe');
    // A page of its own, not the app shell that needs JavaScript.
    expect(html).not.toContain('<script');
    expect(html).not.toContain('id="app"');
  });
});
