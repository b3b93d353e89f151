/**
 * The coach dashboard (`web/`) in local mode: built with Vite when its build is missing or older
 * than its sources, then served from `web/dist` at `/app/` by the app's own server, next to the
 * `/api/*` it calls (same origin, as CloudFront serves both on AWS). `/app/config.json` tells the
 * app to sign in with `POST /dev/token` instead of Cognito.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The dashboard's sources and build output. */
export const webDir = join(repoRoot, 'web');
export const webDistDir = join(webDir, 'dist');

/** Sources outside `web/` that the dashboard bundles (the SMS cost calculator and texts). */
const SHARED_SOURCES = ['shared/channels/sms/domain/sms-cost.ts', 'shared/channels/sms/domain/messages.ts'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), 0);
}

/** Whether `web/dist` is missing or older than any of its sources. */
export function webBuildIsStale(): boolean {
  const built = join(webDistDir, 'index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(
    newestMtime(join(webDir, 'src')),
    newestMtime(join(webDir, 'index.html')),
    newestMtime(join(webDir, 'privacy.html')),
    newestMtime(join(webDir, 'vite.config.ts')),
    ...SHARED_SOURCES.map((f) => newestMtime(join(repoRoot, f))),
  );
  return sources > statSync(built).mtimeMs;
}

/**
 * Builds the dashboard with Vite (about 2 s) unless its build is up to date. Returns whether it
 * built. Vite is only loaded when a build is needed, so an up-to-date start stays fast.
 */
export async function ensureWebBuild(options: { force?: boolean } = {}): Promise<boolean> {
  if (!options.force && !webBuildIsStale()) return false;
  const { build } = await import('vite');
  await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The same policy CloudFront sends (`infra/constructs/web-app.ts`), minus Cognito. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * Serves `GET /` (a redirect), `/app/config.json` and the built app under `/app/`; any other
 * path under `/app/` that is not a file gets `index.html` (SPA fallback). False for other paths.
 */
export function serveWebApp(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const path = url.pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/' || path === '/app') {
    res.writeHead(302, { location: '/app/' }).end();
    return true;
  }
  if (!path.startsWith('/app/')) return false;
  if (path === '/app/config.json') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ auth: 'local' }));
    return true;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(path.slice('/app/'.length));
  } catch {
    // `/app/%ZZ`: not a path any file or route of the app has; a 400, not a server error.
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'path: invalid percent-encoding', field: 'path' }));
    return true;
  }
  const index = join(webDistDir, 'index.html');
  if (!existsSync(index)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The dashboard is not built: run `npm run build:web` (npm start builds it when needed).\n');
    return true;
  }
  let file = normalize(join(webDistDir, relative));
  // Nothing outside web/dist, whatever `..` the path holds.
  if (!file.startsWith(webDistDir + sep) || !existsSync(file) || statSync(file).isDirectory()) file = index;
  const hashed = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...SECURITY_HEADERS,
  });
  res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  return true;
}
