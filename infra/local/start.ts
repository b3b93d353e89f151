/**
 * `npm start`: the whole product on this machine. Reads `.env` when present (see `.env.example`),
 * prints its URLs when ready, and stops everything (DynamoDB Local included) on Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { startLocalSystem } from './system.js';
import { ensureWebBuild } from './web-app.js';

// The AWS SDK's Node 20 support notice is noise for a local run, not a fault.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

if (existsSync('.env')) process.loadEnvFile('.env');

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stderr.write(
    `nanocoach needs Node.js 20 or newer (this is ${process.version}). Install it from your package manager or nvm.\n`,
  );
  process.exit(1);
}

try {
  const started = Date.now();
  // The dashboard is rebuilt only when its sources changed since the last build (about 2 s).
  if (await ensureWebBuild()) process.stdout.write('built the coach dashboard (web/dist)\n');
  const system = await startLocalSystem({
    ...(process.env.LOCAL_DATA_DIR ? { dataDir: process.env.LOCAL_DATA_DIR } : {}),
  });
  const lines = [
    `nanocoach is running locally (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  app / API            ${system.url}            (health: ${system.url}/health)`,
    `  coach dashboard      ${system.url}/app/`,
    `  coach API docs       ${system.url}/api/openapi.json`,
    `  phone simulator      ${system.twilioGatewayUrl}/phone`,
    `  Twilio gateway       ${system.twilioGatewayUrl}`,
    `  email inbox (SES)    ${system.sesUrl}            (sent mail as JSON: ${system.sesUrl}/store)`,
    `  DynamoDB Local       ${system.dynamoEndpoint}`,
    `  local clock          ${system.url}/dev/clock`,
    'Press Ctrl-C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('stopping…\n');
    // Never hang on the way out: whatever is still closing after 5 s is cut off.
    setTimeout(() => process.exit(0), 5000).unref();
    await system.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  process.stderr.write(`nanocoach could not start: ${(error as Error).message}\n`);
  process.exit(1);
}
