/**
 * `npm start` as a person runs it: it comes up and answers /health, prints its URLs, stops on
 * Ctrl-C without leaving DynamoDB Local behind, and without Java says what to install.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.js';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

function output(child: ChildProcess) {
  let text = '';
  child.stdout?.on('data', (c: Buffer) => {
    text += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    text += c.toString();
  });
  return () => text;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

/** Processes running DynamoDB Local on `port`: from /proc on Linux, else from pgrep. */
function javaProcessesOnPort(port: number): string[] {
  const pattern = new RegExp(`DynamoDBLocal\\.jar.*-port ${port}(\\s|$)`);
  if (existsSync('/proc')) {
    return readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid))
      .filter((pid) => {
        try {
          return pattern.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
        } catch {
          return false; // the process ended while we looked
        }
      });
  }
  try {
    return execFileSync('pgrep', ['-f', pattern.source], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe('npm start', () => {
  it('answers /health within 60 s, prints its URLs, and leaves no java process after Ctrl-C', {
    timeout: 90_000,
  }, async () => {
    const [port, gatewayPort, dynamoPort, sesPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const child = spawn('npm', ['start'], {
      env: {
        ...process.env,
        PORT: String(port),
        TWILIO_GATEWAY_PORT: String(gatewayPort),
        DYNAMODB_PORT: String(dynamoPort),
        SES_PORT: String(sesPort),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so Ctrl-C reaches npm and its children as in a terminal
    });
    children.push(child);
    const text = output(child);
    const deadline = Date.now() + 60_000;
    let health: unknown;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          health = await res.json();
          break;
        }
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(health, text()).toEqual({ status: 'ok' });
    expect(text()).toContain(`http://127.0.0.1:${gatewayPort}/phone`);
    expect(javaProcessesOnPort(dynamoPort)).toHaveLength(1);

    process.kill(-(child.pid ?? 0), 'SIGINT');
    await exited(child);
    // DynamoDB Local needs a moment to exit after its parent asks it to.
    for (let i = 0; i < 20 && javaProcessesOnPort(dynamoPort).length > 0; i++)
      await new Promise((r) => setTimeout(r, 250));
    expect(javaProcessesOnPort(dynamoPort)).toEqual([]);
  });

  it('without Java, fails at once saying what to install', async () => {
    // PATH without java; node itself is started by absolute path.
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      env: { ...process.env, PATH: '/nonexistent', PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const text = output(child);
    const code = await exited(child);
    expect(code).toBe(1);
    expect(text()).toMatch(/needs Java 11 or newer/);
    expect(text()).toMatch(/apt-get install -y openjdk-17-jre-headless/);
  });
});
