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

    // The deployable bundles load as Lambda loads them (ESM, CommonJS dependencies inside), and
    // one answers a request. Run in a child process with an AWS-like environment.
    const bundles = functions.map((fn) => join(out, String(fn.Metadata?.['aws:asset:path']), 'index.mjs'));
    const openapi = functions.findIndex((fn) =>
      String(fn.Metadata?.['aws:cdk:path']).includes('/GetOpenapi/'),
    );
    expect(openapi).toBeGreaterThanOrEqual(0);
    const script = `
      const files = JSON.parse(process.argv[1]);
      const kinds = [];
      for (const file of files) kinds.push(typeof (await import(file)).handler);
      const { handler } = await import(files[Number(process.argv[2])]);
      const context = { functionName: 'get-openapi', awsRequestId: '1', getRemainingTimeInMillis: () => 1000 };
      const event = { rawPath: '/api/openapi.json', headers: {}, requestContext: { http: { method: 'GET' } } };
      const response = await handler(event, context);
      console.log(JSON.stringify({ kinds, status: response.statusCode, openapi: JSON.parse(response.body).openapi }));`;
    const awsEnv = {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      TABLE_NAME: 'nanocoach',
      PUBLIC_BASE_URL: 'https://api.example.com',
      TWILIO_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:nanocoach/twilio',
      TWILIO_FROM: '+15005550006',
      SEND_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111111111111/send',
      SEND_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/111111111111/send-dlq',
    };
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', script, JSON.stringify(bundles), String(openapi)],
      {
        env: awsEnv,
      },
    );
    const loaded = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      kinds: string[];
      status: number;
      openapi: string;
    };
    expect(loaded).toEqual({ kinds: bundles.map(() => 'function'), status: 200, openapi: '3.1.0' });
  });
});
