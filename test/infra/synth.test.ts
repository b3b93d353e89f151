/**
 * `npm run synth` for real: offline, without credentials, bundling every function with the local
 * esbuild. What a deployer runs before `cdk deploy`, checked for the parts the product needs,
 * including each bundle's size budget (the same budget `npm run bench -- bundles` reports).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type FunctionSpec, functionCatalogue, queueCatalogue } from '../../infra/functions.js';
import { bundleBudgetBytes, lambdaEnv } from '../bench/bundles.js';

const run = promisify(execFile);

interface Template {
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
}

describe('npm run synth', () => {
  it('synthesizes offline: table, bundled functions within budget, API, schedule, queues and dead-letter queues', {
    timeout: 300_000,
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
    // CDK's own helper functions (the inbound bucket's notification, the dashboard's deployment
    // and cleanup) are not catalogue functions: every catalogue function sits at the stack's top.
    const functions = ofType(stateless, 'AWS::Lambda::Function').filter((fn) =>
      /^Nanocoach-Stateless\/[A-Za-z]+\/Resource$/u.test(String(fn.Metadata?.['aws:cdk:path'])),
    );
    expect(functions).toHaveLength(functionCatalogue.length);
    const specOf = (fn: (typeof functions)[number]): FunctionSpec => {
      const path = String(fn.Metadata?.['aws:cdk:path']);
      const spec = functionCatalogue.find(
        (s) => path === `Nanocoach-Stateless/${pascalCase(s.name)}/Resource`,
      );
      if (!spec) throw new Error(`no catalogue entry for ${path}`);
      return spec;
    };
    // Every function's code was bundled into an asset folder with an entry module within budget:
    // its catalogue entry's, else 1 MB with the Twilio SDK and 500 KB without.
    const sizes: string[] = [];
    const overBudget: string[] = [];
    for (const fn of functions) {
      const spec = specOf(fn);
      const asset = String(fn.Metadata?.['aws:asset:path'] ?? '');
      expect(asset, spec.name).not.toBe('');
      const bundle = join(out, asset, 'index.mjs');
      expect(existsSync(bundle), spec.name).toBe(true);
      const bytes = statSync(bundle).size;
      sizes.push(`${spec.name} ${(bytes / 1024).toFixed(0)} KB`);
      if (bytes > bundleBudgetBytes(spec)) {
        overBudget.push(
          `${spec.name}: ${(bytes / 1024).toFixed(0)} KB > ${bundleBudgetBytes(spec) / 1024} KB`,
        );
      }
    }
    expect(overBudget, sizes.join(', ')).toEqual([]);

    expect(ofType(stateless, 'AWS::ApiGatewayV2::Api')).toHaveLength(1);
    expect(ofType(stateless, 'AWS::ApiGatewayV2::Route').length).toBeGreaterThanOrEqual(
      functionCatalogue.flatMap((f) => f.triggers.filter((t) => t.kind === 'http')).length,
    );
    expect(ofType(stateless, 'AWS::Events::Rule').map((r) => r.Properties?.ScheduleExpression)).toContain(
      'rate(1 minute)',
    );
    // One send queue per channel, each with its own dead-letter queue.
    const queues = ofType(stateless, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(2 * queueCatalogue.length);
    expect(queues.filter((q) => q.Properties?.RedrivePolicy)).toHaveLength(queueCatalogue.length);

    // The deployable bundles load as Lambda loads them (ESM, CommonJS dependencies inside), each in
    // its own process with only its own variables, and one answers a request.
    const script = `
      const { handler } = await import(process.argv[1]);
      if (typeof handler !== 'function') throw new Error('no handler export');
      if (process.argv[2] === 'invoke') {
        const context = { functionName: 'get-openapi', awsRequestId: '1', getRemainingTimeInMillis: () => 1000 };
        const event = { rawPath: '/api/openapi.json', headers: {}, requestContext: { http: { method: 'GET' } } };
        const response = await handler(event, context);
        console.log(JSON.stringify({ status: response.statusCode, openapi: JSON.parse(response.body).openapi }));
      } else console.log('{}');`;
    const failures: string[] = [];
    for (const fn of functions) {
      const spec = specOf(fn);
      const bundle = join(out, String(fn.Metadata?.['aws:asset:path']), 'index.mjs');
      const invoke = spec.name === 'get-openapi';
      try {
        const { stdout } = await run(
          process.execPath,
          ['--input-type=module', '-e', script, pathToFileURL(bundle).href, invoke ? 'invoke' : 'load'],
          { env: lambdaEnv(spec) },
        );
        if (invoke) {
          expect(JSON.parse(stdout.trim().split('\n').pop() ?? '{}')).toEqual({
            status: 200,
            openapi: '3.1.0',
          });
        }
      } catch (error) {
        failures.push(
          `${spec.name}: ${error instanceof Error ? error.message.split('\n').slice(-3).join(' ') : ''}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
});

const pascalCase = (kebab: string): string =>
  kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
