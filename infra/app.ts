/**
 * The CDK app: `Nanocoach-Stateful` (table, secrets, coach user pool, SES identity, configuration set
 * and inbound mail) and `Nanocoach-Stateless` (functions, API, schedules, queues, email events,
 * alarms), checked by cdk-nag's AWS Solutions rules on every synth.
 *
 * Context values (`cdk deploy -c key=value` or `cdk.json`):
 * - `twilioFrom`: the Twilio sender, E.164 number or Messaging Service SID. Default `+15005550006`,
 *   Twilio's magic test number: the stack deploys, but no SMS is delivered until a real one is set.
 * - `publicBaseUrl`: public base URL of the API when a custom domain fronts it (Twilio signs
 *   requests with the URL it calls). Default: the HTTP API's endpoint.
 * - `sendConcurrency`: concurrent SMS send batches (2–1000), to respect the Twilio sender's messages per
 *   second. Default 2. Also the SMS sender's reserved concurrency.
 * - `emailSendConcurrency`: concurrent email send batches (2–1000), to respect the SES account's send
 *   rate. Default 2. Also the email sender's reserved concurrency.
 * - `sendMaxAttempts`: deliveries of a send message before the dead-letter queue (1–20). Default 5.
 * - `emailDomain`: the domain email is sent from (an SES domain identity with Easy DKIM). Default
 *   `nanocoach.example`, a reserved name that can never be verified: the stacks deploy, but no email
 *   is sent until a domain you control is set and its DKIM records are published.
 * - `emailFrom`: the sender, `checkins@<emailDomain>` by default; must be at `emailDomain` or a
 *   subdomain of it (the functions may send from that identity only). `Name <address>` is accepted.
 * - `emailReplyDomain`: the domain receiving replies (its MX points at SES inbound). Default
 *   `reply.<emailDomain>`.
 * - `smsAllowedCountries`: ISO country codes (`US,CA`) whose numbers may be enrolled for SMS, or `*`.
 *   Default `*`; narrow it to protect against SMS pumping.
 * - `apiThrottleRate` / `apiThrottleBurst`: the HTTP API's steady requests per second and burst
 *   (default stage, every route). Defaults 50 and 100.
 * - `rawMessageRetentionDays`: days a raw inbound message (SMS text, email reply text) is kept in the
 *   table before its TTL removes it (1–3650). Default 90.
 */
import { pathToFileURL } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { QueueName } from './functions.js';
import { StatefulStack } from './stateful-stack.js';
import { placeholderTwilioFrom, StatelessStack } from './stateless-stack.js';

/** Email domain used when none is configured: reserved (RFC 2606), so it never verifies or sends. */
export const placeholderEmailDomain = 'nanocoach.example';

/** Deployment settings read from CDK context. */
export interface AppSettings {
  readonly twilioFrom: string;
  readonly publicBaseUrl: string | undefined;
  /** Concurrent SMS send batches (context `sendConcurrency`). */
  readonly sendConcurrency: number;
  /** Concurrent email send batches (context `emailSendConcurrency`). */
  readonly emailSendConcurrency: number;
  /** Each send queue's consumer concurrency, from the two settings above. */
  readonly queueConcurrency: Readonly<Record<QueueName, number>>;
  readonly sendMaxAttempts: number;
  readonly emailDomain: string;
  readonly emailFrom: string;
  readonly emailReplyDomain: string;
  readonly smsAllowedCountries: string;
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** Days raw inbound messages are kept (context `rawMessageRetentionDays`). */
  readonly rawMessageRetentionDays: number;
}

/** The stacks of one deployment. */
export interface NanocoachStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

const senderPattern = /^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/u;
/** The same shapes `shared/config.ts` accepts for EMAIL_REPLY_DOMAIN and SMS_ALLOWED_COUNTRIES. */
const domainPattern = /^[a-z0-9.-]+\.[a-z]{2,}$/iu;
const countriesPattern = /^(\*|[A-Z]{2}(\s*,\s*[A-Z]{2})*)$/u;
/** `checkins@coach.example` or `Coaching check-ins <checkins@coach.example>`. */
const fromPattern = /^(?:[^<>@]*<([^<>@\s]+)@([^<>@\s]+)>|([^<>@\s]+)@([^<>@\s]+))$/u;

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
  const emailDomain = (contextString(app, 'emailDomain') ?? placeholderEmailDomain).toLowerCase();
  if (!domainPattern.test(emailDomain)) {
    throw new Error(`context emailDomain must be a domain such as coach.example.org, got "${emailDomain}"`);
  }
  const emailFrom = contextString(app, 'emailFrom') ?? `checkins@${emailDomain}`;
  const from = fromPattern.exec(emailFrom);
  const fromDomain = (from?.[2] ?? from?.[4] ?? '').toLowerCase();
  if (fromDomain !== emailDomain && !fromDomain.endsWith(`.${emailDomain}`)) {
    throw new Error(
      `context emailFrom must be an address at ${emailDomain} (the SES identity), got "${emailFrom}"`,
    );
  }
  const emailReplyDomain = (contextString(app, 'emailReplyDomain') ?? `reply.${emailDomain}`).toLowerCase();
  if (!domainPattern.test(emailReplyDomain)) {
    throw new Error(`context emailReplyDomain must be a domain, got "${emailReplyDomain}"`);
  }
  const smsAllowedCountries = contextString(app, 'smsAllowedCountries') ?? '*';
  if (!countriesPattern.test(smsAllowedCountries)) {
    throw new Error(
      `context smsAllowedCountries must be * or ISO country codes such as US,CA, got "${smsAllowedCountries}"`,
    );
  }
  // SQS event sources accept a maximum concurrency from 2 to 1000.
  const sendConcurrency = contextInteger(app, 'sendConcurrency', 2, 2, 1000);
  const emailSendConcurrency = contextInteger(app, 'emailSendConcurrency', 2, 2, 1000);
  // Well under API Gateway's account-level default (10,000 rps): enough for Twilio, email clicks and
  // a few coaches, while a flood of requests is refused before it reaches a function.
  const rateLimit = contextInteger(app, 'apiThrottleRate', 50, 1, 10_000);
  const burstLimit = contextInteger(app, 'apiThrottleBurst', 100, 1, 5_000);
  return {
    twilioFrom,
    publicBaseUrl,
    sendConcurrency,
    emailSendConcurrency,
    queueConcurrency: { 'send-sms': sendConcurrency, 'send-email': emailSendConcurrency },
    // The same bounds as SEND_MAX_ATTEMPTS in shared/config.ts.
    sendMaxAttempts: contextInteger(app, 'sendMaxAttempts', 5, 1, 20),
    emailDomain,
    emailFrom,
    emailReplyDomain,
    smsAllowedCountries,
    apiThrottle: { rateLimit, burstLimit },
    // The same bounds as RAW_MESSAGE_RETENTION_DAYS in shared/config.ts.
    rawMessageRetentionDays: contextInteger(app, 'rawMessageRetentionDays', 90, 1, 3650),
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
      'nanocoach data: the single DynamoDB table, the Twilio and link-signing secrets, the coach user pool, ' +
      'the SES identity and inbound mail (retained on delete)',
    emailDomain: settings.emailDomain,
    emailReplyDomain: settings.emailReplyDomain,
  });
  const stateless = new StatelessStack(app, 'Nanocoach-Stateless', {
    env,
    description: 'nanocoach functions, HTTP API, schedules, send queues, email events and alarms',
    table: stateful.table,
    twilioSecret: stateful.twilioSecret,
    linkSecret: stateful.linkSecret,
    addressKeySecret: stateful.addressKeySecret,
    userPool: stateful.userPool,
    userPoolClient: stateful.userPoolClient,
    emailIdentity: stateful.emailIdentity,
    configurationSet: stateful.configurationSet,
    inboundMailBucket: stateful.inboundMailBucket,
    inboundMailBucketArnExportName: stateful.inboundMailBucketArnExportName,
    inboundMailPrefix: stateful.inboundMailPrefix,
    twilioFrom: settings.twilioFrom,
    publicBaseUrl: settings.publicBaseUrl,
    queueConcurrency: settings.queueConcurrency,
    sendMaxAttempts: settings.sendMaxAttempts,
    emailFrom: settings.emailFrom,
    emailReplyDomain: settings.emailReplyDomain,
    smsAllowedCountries: settings.smsAllowedCountries,
    apiThrottle: settings.apiThrottle,
    rawMessageRetentionDays: settings.rawMessageRetentionDays,
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
