import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  LogLevel,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The repository root: entries, the lock file and tsconfig are resolved from here, not from the cwd. */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Pinned rather than `NODEJS_LATEST`: that one is a moving target which changes the runtime (and
 * the esbuild target) silently on a CDK upgrade. Bump this together with aws-cdk-lib.
 */
export const nanoRuntime = lambda.Runtime.NODEJS_24_X;

/**
 * Defines `require` inside the ESM bundle: CommonJS dependencies (twilio, parts of the SDK) call
 * `require('crypto')` and friends, which esbuild cannot turn into imports.
 */
const esmRequireBanner =
  "import { createRequire as __nanoCreateRequire } from 'node:module'; const require = __nanoCreateRequire(import.meta.url);";

/**
 * How every function is bundled: an ESM bundle for the runtime's Node version, minified, with
 * source maps. Exported so that `npm run bench -- bundles` builds exactly what is deployed.
 */
const shim = (name: string, ext = 'ts') =>
  join(repoRoot, 'infra', 'constructs', 'bundle-shims', `${name}.${ext}`);

/**
 * Packages replaced by smaller stand-ins in Lambda bundles, each explained in its file: what the
 * Node runtime on Lambda provides natively. Local runs and tests use the real packages.
 */
export const bundleShims = {
  '@aws-sdk/credential-provider-node': shim('credential-provider-node'),
  'grapheme-splitter': shim('grapheme-splitter'),
  'iconv-lite': shim('iconv-lite'),
  'encoding-japanese': shim('encoding-japanese'),
  he: shim('he'),
  'html-to-text': shim('html-to-text'),
  // A directory: `entities/decode` maps to `entities/decode.ts` in it.
  entities: join(repoRoot, 'infra', 'constructs', 'bundle-shims', 'entities'),
  'linkify-it': shim('linkify-it', 'cjs'),
  tlds: shim('tlds', 'cjs'),
} as const;

export const nanoBundling = {
  format: OutputFormat.ESM,
  // Prefer the ESM build of dual packages so tree shaking works.
  mainFields: ['module', 'main'],
  banner: esmRequireBanner,
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  // Source contents would double the bundle; the maps only need positions and names.
  sourcesContent: false,
  logLevel: LogLevel.WARNING,
  // Bundle the AWS SDK v3 from package-lock.json instead of using the runtime's copy: the code
  // then runs on exactly the SDK version it was tested with locally, and a runtime SDK
  // update cannot change behaviour between two deployments of the same commit.
  bundleAwsSDK: true,
  externalModules: [],
  esbuildArgs: Object.fromEntries(Object.entries(bundleShims).map(([pkg, file]) => [`--alias:${pkg}`, file])),
} as const satisfies BundlingOptions;

/** Properties of a {@link NanoFunction}; the shape matches a `FunctionSpec` from `infra/functions.ts`. */
export interface NanoFunctionProps {
  /** Kebab-case verb-noun; the handler is `functions/<name>/handler.ts`, exporting `handler`. */
  readonly name: string;
  /**
   * Shown in the Lambda console.
   * @default - none
   */
  readonly description?: string;
  /**
   * Maximum run time of one invocation, in seconds.
   * @default 10
   */
  readonly timeoutSeconds?: number;
  /**
   * Memory (and proportional CPU), in MB.
   * @default 256
   */
  readonly memoryMb?: number;
  /** Reserved concurrent executions (default: none, the account's pool). */
  readonly reservedConcurrency?: number;
  /**
   * Variables added to the defaults (`POWERTOOLS_SERVICE_NAME`, `NODE_OPTIONS`); never put a
   * secret value here — pass its ARN and read it at run time.
   * @default - only the defaults
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * `POWERTOOLS_SERVICE_NAME`, the `service` key of every log line.
   * @default 'nanocoach'
   */
  readonly serviceName?: string;
  /**
   * How long the function's log group keeps logs.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The one place Lambda defaults are set: Node 24 on ARM, ESM bundle built by the local esbuild
 * (minified, source maps on), X-Ray tracing, an explicit log group with retention, and an
 * execution role that may write only to that log group. Grants for data access are added by the
 * caller.
 */
export class NanoFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: NanoFunctionProps) {
    // Created as siblings because `super()` must run before `this` exists; they share the id prefix.
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      // Operational logs only (no data of record), and the stateless stack must be re-creatable.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role instead of the AWSLambdaBasicExecutionRole managed policy, whose log permissions
    // cover every log group of the account.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.name}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      description: props.description,
      entry: join(repoRoot, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime: nanoRuntime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb ?? 256,
      ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      timeout: Duration.seconds(props.timeoutSeconds ?? 10),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'nanocoach',
        // Stack traces point at the TypeScript sources instead of the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: nanoBundling,
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
  }
}
