/**
 * `npm run synth` for real: offline, without credentials, bundling every function with the local
 * esbuild. What a deployer runs before `cdk deploy`, checked for the parts the product needs.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { functionCatalogue } from '../../infra/functions.js';

const run = promisify(execFile);

interface Template {
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
}

describe('npm run synth', () => {
  it('synthesizes offline: table, bundled functions, API, schedule, queue and dead-letter queue', {
    timeout: 180_000,
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'nanocoach-synth-'));
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '' };
    await run('npm', ['run', 'synth', '--', '--output', out], { env, maxBuffer: 10 * 1024 * 1024 });

    const load = (name: string) =>
      JSON.parse(readFileSync(join(out, `${name}.template.json`), 'utf8')) as Template;
    const stateful = Object.values(load('Nanocoach-Stateful').Resources);
    const stateless = Object.values(load('Nanocoach-Stateless').Resources);
    const ofType = (resources: typeof stateful, type: string) => resources.filter((r) => r.Type === type);

    expect(ofType(stateful, 'AWS::DynamoDB::Table')).toHaveLength(1);
    const functions = ofType(stateless, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(functionCatalogue.length);
    // Every function's code was bundled into an asset folder with an entry module.
    for (const fn of functions) {
      const asset = String(fn.Metadata?.['aws:asset:path'] ?? '');
      expect(asset).not.toBe('');
      expect(existsSync(join(out, asset, 'index.mjs'))).toBe(true);
    }
    expect(ofType(stateless, 'AWS::ApiGatewayV2::Api')).toHaveLength(1);
    expect(ofType(stateless, 'AWS::ApiGatewayV2::Route').length).toBeGreaterThanOrEqual(
      functionCatalogue.flatMap((f) => f.triggers.filter((t) => t.kind === 'http')).length,
    );
    expect(ofType(stateless, 'AWS::Events::Rule').map((r) => r.Properties?.ScheduleExpression)).toContain(
      'rate(1 minute)',
    );
    const queues = ofType(stateless, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(2);
    expect(queues.filter((q) => q.Properties?.RedrivePolicy)).toHaveLength(1);
  });
});
