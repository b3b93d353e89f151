/**
 * The whole product on one machine, composed from its parts: DynamoDB Local, local SQS, S3 and
 * SES, the local Twilio-compatible gateway, the local clock and scheduler, and an HTTP server that
 * turns requests into API Gateway events for the very handlers deployed to Lambda. The function
 * catalogue (`infra/functions.ts`) decides what is mounted where, as it does for the CDK stack:
 * routes (`api-gateway.ts`), schedules (`scheduler.ts`), queues, inbound mail and SES events
 * (`triggers.ts`). Local-only routes are in `dev-routes.ts`, the request guards in `guards.ts`.
 *
 * The handlers read their configuration from `process.env` when first imported, so this module
 * sets the environment first and imports them afterwards. One system per process.
 */
import { advanceClockTo, clock, setClockOrigin } from '../../shared/adapters/clock.js';
import { smsInboundWebhookUrl } from '../../shared/domain/links.js';
import { functionCatalogue } from '../functions.js';
import { apiGateway, localTokens } from './api-gateway.js';
import { appHandler } from './app.js';
import { ensureTable, startDynamoDbLocal } from './dynamodb-local.js';
import { applyLocalEnvironment, localTwilio, numberEnv } from './environment.js';
import { listenLocal } from './http.js';
import { loadHandlers } from './lambda.js';
import { startLocalS3 } from './local-s3.js';
import { type LocalSes, startLocalSes } from './local-ses.js';
import { startLocalSqs } from './local-sqs.js';
import { createScheduler } from './scheduler.js';
import { createQueues, deliverEmailEvent, deliverInboundEmail, queueDeliveries } from './triggers.js';
import { startTwilioGateway, type TwilioGateway } from './twilio/gateway.js';

/** Options of {@link startLocalSystem}; every one has a local default. */
export interface LocalSystemOptions {
  /** HTTP port of the app (0 = any free port). Default `PORT` or 3000. */
  port?: number;
  /** Port of the Twilio gateway (0 = any). Default `TWILIO_GATEWAY_PORT` or 3010. */
  twilioGatewayPort?: number;
  /** Port of the local SES and its inbox (0 = any). Default `SES_PORT` or 8005. */
  sesPort?: number;
  /** Use an already running DynamoDB Local instead of starting one. */
  dynamoEndpoint?: string;
  /** Port for DynamoDB Local when started here (0 = any). Default `DYNAMODB_PORT` or 8000. */
  dynamoPort?: number;
  /** Keep DynamoDB data in this folder across restarts (default: in memory). */
  dataDir?: string;
  tableName?: string;
  /** Where the local clock starts (default `LOCAL_CLOCK_START`, else the real time). */
  clockStart?: Date;
  /** Milliseconds between real-time scheduler ticks; 0 turns real-time ticking off. Default 1000. */
  tickMs?: number;
}

/** A running local system. */
export interface LocalSystem {
  readonly url: string;
  readonly twilioGatewayUrl: string;
  readonly dynamoEndpoint: string;
  /** The local SES: API endpoint, `GET /store` of sent mail, and the web inbox at `/`. */
  readonly sesUrl: string;
  /** The local S3 endpoint (path-style). */
  readonly s3Endpoint: string;
  readonly gateway: TwilioGateway;
  /** The local SES, for fault injection. */
  readonly ses: Pick<LocalSes, 'inject'>;
  /** Moves the clock to `instant`, running every scheduled job and queue delivery due on the way. */
  advanceClock(instant: Date): Promise<Date>;
  /** Stops or restarts a scheduled job, as an outage of its schedule would (for catch-up tests). */
  setJobEnabled(name: string, enabled: boolean): void;
  stop(): Promise<void>;
}

const env = process.env;

/** Starts the local system. */
export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const clockStart =
    options.clockStart ?? (env.LOCAL_CLOCK_START ? new Date(env.LOCAL_CLOCK_START) : undefined);
  if (clockStart && Number.isNaN(clockStart.getTime()))
    throw new Error('LOCAL_CLOCK_START must be an ISO-8601 instant');
  if (clockStart) setClockOrigin(clockStart);

  // Whatever started is stopped again, last first, when a later part fails to start or on stop().
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const dynamo = options.dynamoEndpoint
      ? undefined
      : await startDynamoDbLocal({
          port: options.dynamoPort ?? numberEnv('DYNAMODB_PORT', 8000),
          ...(options.dataDir ? { dataDir: options.dataDir } : {}),
        });
    if (dynamo) stoppers.push(() => dynamo.stop());
    const dynamoEndpoint = options.dynamoEndpoint ?? dynamo?.endpoint ?? '';
    const tableName = options.tableName ?? env.TABLE_NAME ?? 'nanocoach';
    await ensureTable(dynamoEndpoint, tableName);

    const sqs = await startLocalSqs(0, () => clock.now().getTime());
    stoppers.push(() => sqs.close());
    const { queues, urls: queueUrls } = createQueues(sqs, numberEnv('SEND_MAX_ATTEMPTS', 5));

    const s3 = await startLocalS3();
    stoppers.push(() => s3.close());
    const inboundMailBucket = env.INBOUND_MAIL_BUCKET ?? 'nanocoach-inbound-mail';
    s3.createBucket(inboundMailBucket);
    const ses = await startLocalSes(options.sesPort ?? numberEnv('SES_PORT', 8005));
    stoppers.push(() => ses.close());

    // The app's port must be known before the gateway (it posts to the app's webhooks).
    const app = await listenLocal(options.port ?? numberEnv('PORT', 3000), 'PORT to another port');
    stoppers.push(() => app.close());
    const url = app.url;
    const publicBaseUrl = env.PUBLIC_BASE_URL ?? url;
    const twilio = localTwilio();
    const gatewayPort = options.twilioGatewayPort ?? numberEnv('TWILIO_GATEWAY_PORT', 3010);
    const gateway = await startTwilioGateway({
      port: gatewayPort,
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      inboundWebhookUrl: smsInboundWebhookUrl(publicBaseUrl),
      senderNumber: twilio.from,
      now: () => clock.now(),
    }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE'
        ? new Error(`port ${gatewayPort} is in use: set TWILIO_GATEWAY_PORT`)
        : error;
    });
    stoppers.push(() => gateway.close());

    applyLocalEnvironment({
      tableName,
      dynamoEndpoint,
      publicBaseUrl,
      twilioApiBaseUrl: gateway.url,
      twilio,
      sqsEndpoint: sqs.endpoint,
      queueUrls,
      sesEndpoint: ses.url,
      s3Endpoint: s3.endpoint,
      inboundMailBucket,
    });

    // Only now, with the environment in place, load the handlers (their config parses at import).
    const catalogue = functionCatalogue;
    const invoke = await loadHandlers(catalogue);
    const { dynamoTimerIndex } = await import('../../shared/adapters/dynamodb/timers.js');
    const tokens = localTokens(env.LOCAL_TOKEN_SECRET ?? '');
    const deliveries = queueDeliveries(catalogue, queues, invoke, numberEnv('SEND_CONCURRENCY', 2));
    const scheduler = createScheduler({
      catalogue,
      invoke,
      clock: { now: () => clock.now(), advanceTo: advanceClockTo },
      probes: { 'due-index': () => dynamoTimerIndex.earliestDue() },
      work: { ...deliveries, settle: () => gateway.idle() },
    });
    const api = apiGateway(catalogue, invoke, tokens, () => clock.now());
    const devContext = {
      now: () => clock.now(),
      scheduler,
      tokens,
      gateway,
      sqs,
      inboundEmail: (raw: Buffer) =>
        deliverInboundEmail(catalogue, invoke, s3, inboundMailBucket, raw, clock.now()),
      emailEvent: (event: unknown) => deliverEmailEvent(catalogue, invoke, event, clock.now()),
      sesUrl: ses.url,
      ses,
    };

    app.handle(appHandler(url, devContext, api));

    const tickMs = options.tickMs ?? 1000;
    const ticker =
      tickMs > 0 ? setInterval(() => void scheduler.runUntil(clock.now().getTime()), tickMs) : undefined;
    ticker?.unref();

    return {
      url,
      twilioGatewayUrl: gateway.url,
      dynamoEndpoint,
      sesUrl: ses.url,
      s3Endpoint: s3.endpoint,
      gateway,
      ses,
      advanceClock: async (instant) => scheduler.runUntil(instant.getTime()),
      setJobEnabled: (name, enabled) => scheduler.setJobEnabled(name, enabled),
      async stop() {
        if (ticker) clearInterval(ticker);
        await scheduler.quiesce();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
