/**
 * The CDK app: `Nanocoach-Stateful` (table, Twilio secret, coach user pool) and `Nanocoach-Stateless` (functions,
 * API, schedules, queues, alarms), checked by cdk-nag's AWS Solutions rules on every synth.
 *
 * Context values (`cdk deploy -c key=value` or `cdk.json`):
 * - `twilioFrom`: the Twilio sender, E.164 number or Messaging Service SID. Default `+15005550006`,
 *   Twilio's magic test number: the stack deploys, but no SMS is delivered until a real one is set.
 * - `publicBaseUrl`: public base URL of the API when a custom domain fronts it (Twilio signs
 *   requests with the URL it calls). Default: the HTTP API's endpoint.
 * - `sendConcurrency`: concurrent send batches (2–1000), to respect the sender's messages per second. Default 2.
 * - `sendMaxAttempts`: deliveries of a send message before the dead-letter queue (1–20). Default 5.
 */
import { pathToFileURL } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StatefulStack } from './stateful-stack.js';
import { placeholderTwilioFrom, StatelessStack } from './stateless-stack.js';

/** Deployment settings read from CDK context. */
export interface AppSettings {
  readonly twilioFrom: string;
  readonly publicBaseUrl: string | undefined;
  readonly sendConcurrency: number;
  readonly sendMaxAttempts: number;
}

/** The stacks of one deployment. */
export interface NanocoachStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

const senderPattern = /^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/u;

function contextString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new Error(`context ${key} must be a string or a number`);
  }
  return String(value);
}

/** Context values arrive as strings from `-c key=value` and as numbers from cdk.json. */
function contextInteger(app: App, key: string, fallback: number, min: number, max: number): number {
  const raw = contextString(app, key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`context ${key} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/**
 * Reads and validates the context values, so a typo fails the synth instead of a cold start.
 * @throws Error naming the bad context key
 */
export function readSettings(app: App): AppSettings {
  const twilioFrom = contextString(app, 'twilioFrom') ?? placeholderTwilioFrom;
  if (!senderPattern.test(twilioFrom)) {
    throw new Error(
      `context twilioFrom must be an E.164 number or an MG… Messaging Service SID, got "${twilioFrom}"`,
    );
  }
  const publicBaseUrl = contextString(app, 'publicBaseUrl');
  if (publicBaseUrl !== undefined && !URL.canParse(publicBaseUrl)) {
    throw new Error(`context publicBaseUrl must be an absolute URL, got "${publicBaseUrl}"`);
  }
  if (publicBaseUrl !== undefined && new URL(publicBaseUrl).protocol !== 'https:') {
    throw new Error('context publicBaseUrl must use https (Twilio webhooks and answer links)');
  }
  return {
    twilioFrom,
    publicBaseUrl,
    // SQS event sources accept a maximum concurrency from 2 to 1000.
    sendConcurrency: contextInteger(app, 'sendConcurrency', 2, 2, 1000),
    // The same bounds as SEND_MAX_ATTEMPTS in shared/config.ts.
    sendMaxAttempts: contextInteger(app, 'sendMaxAttempts', 5, 1, 20),
  };
}

/**
 * Adds both stacks and the cdk-nag checks to `app`, without synthesising, so tests can build the
 * same app the CLI deploys.
 */
export function buildApp(app: App): NanocoachStacks {
  const settings = readSettings(app);
  // Environment-agnostic unless the CLI knows an account: synth needs no credentials.
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

  const stateful = new StatefulStack(app, 'Nanocoach-Stateful', {
    env,
    description:
      'nanocoach data: the single DynamoDB table, the Twilio secret and the coach user pool (retained on delete)',
  });
  const stateless = new StatelessStack(app, 'Nanocoach-Stateless', {
    env,
    description: 'nanocoach functions, HTTP API, coach user pool, schedules, send queue and alarms',
    table: stateful.table,
    twilioSecret: stateful.twilioSecret,
    userPool: stateful.userPool,
    userPoolClient: stateful.userPoolClient,
    twilioFrom: settings.twilioFrom,
    publicBaseUrl: settings.publicBaseUrl,
    sendConcurrency: settings.sendConcurrency,
    sendMaxAttempts: settings.sendMaxAttempts,
  });
  Tags.of(app).add('project', 'nanocoach');

  // cdk-nag v3 is a policy-validation plugin: findings fail the synth unless acknowledged with
  // `Validations.of(construct).acknowledge(...)` next to the construct they concern.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stateful, stateless };
}

// Synthesise only when run as the CDK app (`tsx infra/app.ts`), not when a test imports this module.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = new App();
  buildApp(app);
  app.synth();
}
