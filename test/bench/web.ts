/**
 * `npm run bench -- web [--runs 5] [--n 200]`: the coach dashboard's built bundle sizes (raw and
 * gzip), and in the same run, in Debian's Chromium against the real local system with a coach of
 * N participants, the time from navigation to the first meaningful render of "This week" (its
 * participant rows on screen) beside a static page with the same rows served from the same
 * origin, plus the API calls "This week" made. Prints a table; asserts nothing about time.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Debian's Chromium (installed by .ci/run); CHROMIUM_PATH points elsewhere, e.g. on macOS. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** Runs the web bench with its command-line `args`. */
export async function runWebBench(args: string[]): Promise<void> {
  const flag = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    const v = i >= 0 ? Number(args[i + 1]) : fallback;
    return Number.isInteger(v) && v > 0 ? v : fallback;
  };
  const runs = flag('--runs', 5);
  const n = flag('--n', 200);
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

  const { ensureWebBuild, webDistDir } = await import('../../infra/local/web-app.js');
  await ensureWebBuild({ force: true });
  const assets = join(webDistDir, 'assets');
  const files = readdirSync(assets).map((name) => {
    const content = readFileSync(join(assets, name));
    return { name, raw: statSync(join(assets, name)).size, gzip: gzipSync(content, { level: 9 }).length };
  });
  const index = readFileSync(join(webDistDir, 'index.html'), 'utf8');
  const initial = files.filter((f) => index.includes(f.name));
  const kb = (b: number) => (b / 1024).toFixed(1);
  process.stdout.write('\nweb/dist/assets (KB)\n  file                                   raw    gzip\n');
  for (const f of files.sort((a, b) => b.gzip - a.gzip))
    process.stdout.write(`  ${f.name.padEnd(36)} ${kb(f.raw).padStart(6)} ${kb(f.gzip).padStart(7)}\n`);
  const sum = (xs: { raw: number; gzip: number }[], k: 'raw' | 'gzip') => xs.reduce((a, f) => a + f[k], 0);
  process.stdout.write(
    `  ${'loaded by "This week" (index.html)'.padEnd(36)} ${kb(sum(initial, 'raw')).padStart(6)} ${kb(sum(initial, 'gzip')).padStart(7)}\n`,
  );

  const { startLocalSystem } = await import('../../infra/local/system.js');
  const { chromium } = await import('playwright-core');
  const system = await startLocalSystem({
    port: 0,
    twilioGatewayPort: 0,
    sesPort: 0,
    dynamoPort: 0,
    tableName: `bench-${randomUUID()}`,
    clockStart: new Date('2026-11-23T12:00:00Z'),
    tickMs: 0,
  });
  const browser = await chromium.launch({
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
  try {
    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${system.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, unknown>;
    };
    const { token } = (await post('/dev/token', { coachId: 'bench-coach' })) as { token: string };
    const names: string[] = [];
    for (let i = 0; i < n; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, n - i) }, (_x, j) => {
          const name = `Person ${String(i + j).padStart(3, '0')}`;
          names.push(name);
          return post(
            '/api/participants',
            {
              name,
              email: `p${i + j}@bench.example`,
              timeZone: 'Europe/Berlin',
              programId: 'daily-questions',
              channel: 'email',
            },
            token,
          );
        }),
      );
    }
    const staticHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>static</title></head><body><main><table>${names
      .sort()
      .map((name) => `<tr data-testid="summary-row"><td><a href="#">${name}</a></td><td>–</td></tr>`)
      .join('')}</table></main></body></html>`;

    const measure = async (url: string, selector: string) => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await ctx.addInitScript(
        `sessionStorage.setItem('nanocoach.session', ${JSON.stringify(JSON.stringify({ token, label: 'bench', expiresAt: Date.now() + 3_600_000 }))})`,
      );
      await ctx.route(`${system.url}/static-week`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: staticHtml }),
      );
      const page = await ctx.newPage();
      const calls: string[] = [];
      page.on('request', (req) => {
        const path = new URL(req.url()).pathname;
        if (path.startsWith('/api/')) calls.push(path);
      });
      await page.goto(url, { waitUntil: 'commit' });
      await page.locator(selector).first().waitFor();
      const ms = Number(await page.evaluate('performance.now()'));
      await ctx.close();
      return { ms, calls: calls.length };
    };
    const app: number[] = [];
    const plain: number[] = [];
    let calls = 0;
    for (let r = 0; r < runs; r++) {
      const a = await measure(`${system.url}/app/#/week`, '[data-testid="summary-row"], ul.plain li');
      app.push(a.ms);
      calls = a.calls;
      plain.push((await measure(`${system.url}/static-week`, '[data-testid="summary-row"]')).ms);
    }
    process.stdout.write(
      `\nfirst meaningful render, ${n} participants, median of ${runs} cold loads (ms)\n` +
        `  "This week" (/app/#/week)      ${median(app).toFixed(0).padStart(6)}   (${calls} API calls)\n` +
        `  static page, same rows         ${median(plain).toFixed(0).padStart(6)}\n`,
    );
  } finally {
    await browser.close();
    await system.stop();
  }
}
