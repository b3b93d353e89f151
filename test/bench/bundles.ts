/**
 * `npm run bench -- bundles [--runs 7]`: every catalogue function bundled with esbuild exactly as
 * NanoFunction bundles it for Lambda, side by side with a minimal handler built and loaded the same
 * way in the same run. Reports each bundle's minified size against its budget and its cold
 * module-load time (a fresh `node` process importing the bundle, median of `--runs`). Prints a
 * table; asserts nothing about time.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { nanoBundling, nanoRuntime } from '../../infra/constructs/nano-function.js';
import { type FunctionSpec, functionCatalogue, variablesOf } from '../../infra/functions.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const KB = 1024;

/**
 * Most bytes a function's `index.mjs` may have: its catalogue entry's `bundleBudget` (each with
 * its reason), else 1 MB for a function that uses the Twilio SDK and 500 KB for every other one.
 */
export function bundleBudgetBytes(spec: FunctionSpec): number {
  if (spec.bundleBudget) return spec.bundleBudget.kb * KB;
  return spec.uses?.includes('twilio') ? 1024 * KB : 500 * KB;
}

/**
 * The esbuild options NodejsFunction derives from {@link nanoBundling} and the runtime. Throws on
 * a bundling option this translation does not know, so the bench cannot silently drift from what
 * is deployed.
 */
export function esbuildOptionsFor(entry: string, outfile: string): BuildOptions {
  const known = new Set([
    'format',
    'mainFields',
    'banner',
    'minify',
    'sourceMap',
    'sourceMapMode',
    'sourcesContent',
    'logLevel',
    'bundleAwsSDK',
    'externalModules',
    'esbuildArgs',
  ]);
  const unknown = Object.keys(nanoBundling).filter((key) => !known.has(key));
  if (unknown.length > 0)
    throw new Error(`bench bundles: translate bundling option(s) ${unknown.join(', ')}`);
  const nodeMajor = /^nodejs(\d+)/u.exec(nanoRuntime.name)?.[1];
  if (nodeMajor === undefined) throw new Error(`unexpected runtime ${nanoRuntime.name}`);
  const b = nanoBundling;
  const sourcemap = !b.sourceMap ? false : b.sourceMapMode === SourceMapMode.DEFAULT ? true : b.sourceMapMode;
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: `node${nodeMajor}`,
    format: b.format === OutputFormat.ESM ? 'esm' : 'cjs',
    mainFields: [...b.mainFields],
    banner: { js: b.banner },
    minify: b.minify,
    sourcemap,
    sourcesContent: b.sourcesContent,
    logLevel: b.logLevel,
    // bundleAwsSDK: the SDK is bundled, so nothing is external but what externalModules lists.
    external: [...b.externalModules],
    alias: aliasesOf(b.esbuildArgs),
  };
}

/** `--alias:pkg=file` arguments as esbuild's `alias` option; any other argument is refused. */
function aliasesOf(args: Readonly<Record<string, string | boolean>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(args).map(([flag, value]) => {
      const pkg = /^--alias:(.+)$/u.exec(flag)?.[1];
      if (!pkg || typeof value !== 'string')
        throw new Error(`bench bundles: translate esbuild argument ${flag}`);
      return [pkg, value];
    }),
  );
}

/** Dummy but valid values for every variable a function may get, so module-level parsing succeeds. */
const dummyValues: Record<string, string> = {
  TABLE_NAME: 'nanocoach',
  DUE_SHARDS: '8',
  PUBLIC_BASE_URL: 'https://api.example.com',
  TWILIO_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:nanocoach/twilio',
  TWILIO_FROM: '+15005550006',
  EMAIL_FROM: 'checkins@nanocoach.example',
  EMAIL_REPLY_DOMAIN: 'reply.nanocoach.example',
  SES_CONFIGURATION_SET: 'nanocoach',
  LINK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:nanocoach/link',
  ADDRESS_HASH_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:nanocoach/address',
  INBOUND_MAIL_BUCKET: 'nanocoach-inbound-mail',
  SMS_ALLOWED_COUNTRIES: '*',
  RAW_MESSAGE_RETENTION_DAYS: '90',
  SEND_MAX_ATTEMPTS: '5',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

/**
 * An AWS-like Lambda environment holding only the variables `spec` gets (dummy but valid values);
 * none at all for `undefined` (the minimal handler).
 */
export function lambdaEnv(spec: FunctionSpec | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: spec?.name ?? 'minimal',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec?.memoryMb ?? 256),
    AWS_EXECUTION_ENV: `AWS_Lambda_${nanoRuntime.name}`,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // As NanoFunction sets them: source maps are loaded with the bundle on Lambda too.
    POWERTOOLS_SERVICE_NAME: 'nanocoach',
    NODE_OPTIONS: '--enable-source-maps',
  };
  for (const name of spec ? variablesOf(spec) : []) {
    env[name] =
      dummyValues[name] ??
      (name.endsWith('_URL')
        ? `https://sqs.us-east-1.amazonaws.com/111111111111/${name.toLowerCase().replaceAll('_', '-')}`
        : 'dummy');
  }
  return env;
}

/** Imports the bundle in a fresh process and returns how long the import took, in ms. */
async function loadOnce(bundle: string, env: NodeJS.ProcessEnv): Promise<number> {
  const script =
    'const t0 = performance.now(); const m = await import(process.argv[1]);' +
    "if (typeof m.handler !== 'function') throw new Error('no handler export');" +
    'process.stdout.write(String(performance.now() - t0));';
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', script, pathToFileURL(bundle).href],
    {
      env,
    },
  );
  return Number(stdout.trim());
}

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

interface Row {
  readonly name: string;
  readonly bytes?: number;
  readonly budget?: number;
  readonly loadMs?: number;
  readonly problem?: string;
}

/** Runs the bench; `args` are the command-line arguments after `bundles`. */
export async function runBundlesBench(args: readonly string[]): Promise<void> {
  const runsFlag = args.indexOf('--runs');
  const runs = runsFlag >= 0 ? Number(args[runsFlag + 1]) : 7;
  if (!Number.isInteger(runs) || runs < 5) {
    process.stderr.write('usage: npm run bench -- bundles [--runs 7]  (at least 5 runs)\n');
    process.exit(2);
  }
  const { build } = await import('esbuild');
  const work = mkdtempSync(join(tmpdir(), 'nanocoach-bundles-'));
  try {
    const bundleOf = async (name: string, entry: string): Promise<string> => {
      const dir = join(work, name);
      mkdirSync(dir, { recursive: true });
      const outfile = join(dir, 'index.mjs');
      await build({ ...esbuildOptionsFor(entry, outfile), absWorkingDir: repoRoot });
      return outfile;
    };
    const measure = async (bundle: string, env: NodeJS.ProcessEnv): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await loadOnce(bundle, env));
      return median(times);
    };

    const minimalEntry = join(work, 'minimal-handler.ts');
    writeFileSync(minimalEntry, 'export const handler = async () => ({ statusCode: 200 });\n');
    process.stderr.write(`bench bundles: ${functionCatalogue.length} functions, ${runs} loads each\n`);
    const minimalBundle = await bundleOf('minimal', minimalEntry);
    const minimal: Row = {
      name: '(minimal handler)',
      bytes: statSync(minimalBundle).size,
      loadMs: await measure(minimalBundle, lambdaEnv(undefined)),
    };

    const rows: Row[] = [];
    for (const spec of functionCatalogue) {
      process.stderr.write(`  ${spec.name} …\n`);
      const entry = join(repoRoot, 'functions', spec.name, 'handler.ts');
      const budget = bundleBudgetBytes(spec);
      if (!existsSync(entry)) {
        rows.push({ name: spec.name, budget, problem: 'no handler.ts' });
        continue;
      }
      let bundle: string;
      try {
        bundle = await bundleOf(spec.name, entry);
      } catch (error) {
        rows.push({ name: spec.name, budget, problem: `build failed: ${firstLine(error)}` });
        continue;
      }
      const bytes = statSync(bundle).size;
      try {
        rows.push({ name: spec.name, bytes, budget, loadMs: await measure(bundle, lambdaEnv(spec)) });
      } catch (error) {
        rows.push({ name: spec.name, bytes, budget, problem: `load failed: ${firstLine(error)}` });
      }
    }
    process.stdout.write(`\n${table(minimal, rows)}\n`);
    const over = rows.filter((r) => r.bytes !== undefined && r.budget !== undefined && r.bytes > r.budget);
    if (over.length > 0 || rows.some((r) => r.problem)) {
      process.stderr.write(
        `\n${over.length} bundle(s) over budget, ${rows.filter((r) => r.problem).length} not measured\n`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function firstLine(error: unknown): string {
  // esbuild's BuildFailure carries structured messages; the first names the broken import.
  if (error instanceof Error && 'errors' in error && Array.isArray(error.errors)) {
    const [first] = error.errors as { text?: string; location?: { file?: string } | null }[];
    if (first?.text)
      return `${first.text}${first.location?.file ? ` (${first.location.file})` : ''}`.slice(0, 120);
  }
  const text =
    error instanceof Error ? ('stderr' in error && String(error.stderr)) || error.message : String(error);
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  // Node prints the thrown error after the stack location lines.
  return (lines.find((l) => /^\s*\w*Error:/u.test(l)) ?? lines[0] ?? '').trim().slice(0, 120);
}

function table(minimal: Row, rows: readonly Row[]): string {
  const kb = (bytes: number | undefined) => (bytes === undefined ? '–' : (bytes / KB).toFixed(1));
  const header = ['function', 'KB', 'budget KB', 'vs budget', 'load ms (median)', 'vs minimal'];
  const cells = [minimal, ...rows].map((row) => [
    row.name,
    kb(row.bytes),
    kb(row.budget),
    row.bytes !== undefined && row.budget !== undefined
      ? `${((row.bytes / row.budget) * 100).toFixed(0)} %${row.bytes > row.budget ? ' OVER' : ''}`
      : '–',
    row.loadMs !== undefined ? row.loadMs.toFixed(1) : (row.problem ?? '–'),
    row.loadMs !== undefined && minimal.loadMs ? `×${(row.loadMs / minimal.loadMs).toFixed(1)}` : '–',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) =>
    c.map((v, i) => (i === 0 || i === 4 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
