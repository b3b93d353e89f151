/**
 * The whole product on one machine: DynamoDB Local, a local SQS-compatible queue, the local
 * Twilio-compatible gateway, a local clock and scheduler, and an HTTP server that turns requests
 * into API Gateway (HTTP API v2) events for the very handlers deployed to Lambda. The function
 * catalogue (`infra/functions.ts`) decides what is mounted where, as it does for the CDK stack.
 *
 * The handlers read their configuration from `process.env` when first imported, so this module
 * sets the environment first and imports them afterwards. One system per process.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  ScheduledEvent,
  SQSEvent,
} from 'aws-lambda';
import { z } from 'zod';
import { advanceClockTo, clock, setClockOrigin } from '../../shared/adapters/clock.js';
import { type FunctionSpec, functionCatalogue, queueCatalogue } from '../functions.js';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from './dynamodb-local.js';
import { drainQueue, type LocalQueue, type SqsConsumer, startLocalSqs } from './local-sqs.js';
import { startTwilioGateway, type TwilioGateway } from './twilio/gateway.js';

/** Options of {@link startLocalSystem}; every one has a local default. */
export interface LocalSystemOptions {
  /** HTTP port of the app (0 = any free port). Default `PORT` or 3000. */
  port?: number;
  /** Port of the Twilio gateway (0 = any). Default `TWILIO_GATEWAY_PORT` or 3010. */
  twilioGatewayPort?: number;
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
  readonly gateway: TwilioGateway;
  /** Moves the clock to `instant`, running every scheduled job and queue delivery due on the way. */
  advanceClock(instant: Date): Promise<Date>;
  /** Stops or restarts a scheduled job, as an outage of its schedule would (for catch-up tests). */
  setJobEnabled(name: string, enabled: boolean): void;
  stop(): Promise<void>;
}

const LOCAL_ACCOUNT_SID = 'AC00000000000000000000000000000000';
const env = process.env;
const numberEnv = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);

type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

function lambdaContext(spec: FunctionSpec): Context {
  const name = `nanocoach-${spec.name}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: String(spec.memoryMb ?? 256),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => (spec.timeoutSeconds ?? 10) * 1000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Local stand-in for the Cognito JWT authorizer: HMAC-signed `{sub}` tokens from `/dev/token`. */
function localTokens(secret: string) {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    issue(coachId: string): string {
      const payload = Buffer.from(
        JSON.stringify({ sub: coachId, iat: Math.floor(Date.now() / 1000) }),
      ).toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    verify(header: string | undefined): { sub: string } | undefined {
      const token = /^Bearer\s+(\S+)$/iu.exec(header ?? '')?.[1];
      const [payload, signature] = token?.split('.') ?? [];
      if (!payload || !signature) return undefined;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown };
      return typeof claims.sub === 'string' ? { sub: claims.sub } : undefined;
    },
  };
}

interface Route {
  readonly spec: FunctionSpec;
  readonly method: string;
  readonly routeKey: string;
  readonly pattern: RegExp;
  readonly params: string[];
  readonly auth: 'coach' | 'none';
}

function routesOf(catalogue: readonly FunctionSpec[]): Route[] {
  return catalogue.flatMap((spec) =>
    spec.triggers.flatMap((t) => {
      if (t.kind !== 'http') return [];
      const params: string[] = [];
      const source = t.path
        .replace(/[.*+?^$()|[\]\\]/gu, '\\$&')
        .replace(/\{(\w+)\}/gu, (_m, name: string) => {
          params.push(name);
          return '([^/]+)';
        });
      return [
        {
          spec,
          method: t.method,
          routeKey: `${t.method} ${t.path}`,
          pattern: new RegExp(`^${source}$`, 'u'),
          params,
          auth: t.auth,
        },
      ];
    }),
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toApiEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  route: Route,
  match: RegExpExecArray,
  claims?: { sub: string },
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const pathParameters = Object.fromEntries(
    route.params.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
  );
  const now = clock.now();
  const text = body.toString('utf8');
  const binary = !Buffer.from(text, 'utf8').equals(body);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/u, ''),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(route.params.length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
    ...(body.length
      ? { body: binary ? body.toString('base64') : text, isBase64Encoded: binary }
      : { isBase64Encoded: false }),
  } as APIGatewayProxyEventV2;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    ...headers,
  });
  res.end(text);
}

/** Serialises work that must not interleave (clock moves, scheduled runs). */
function mutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

const ClockBody = z.object({ now: z.iso.datetime({ offset: true }) });
const TokenBody = z.object({
  coachId: z.string().regex(/^[\w.@-]{1,64}$/u, 'letters, digits, . _ @ - (max 64)'),
});
const InboundBody = z.object({ from: z.string().min(1), body: z.string() });
const JobBody = z.object({ enabled: z.boolean() });
const FaultBody = z.object({
  kind: z.enum(['http-500', 'http-429', 'slow', 'invalid-number']),
  count: z.number().int().min(1).default(1),
  retryAfterSeconds: z.number().int().min(0).optional(),
  delayMs: z.number().int().min(0).optional(),
});

/** Starts the local system. */
export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const clockStart =
    options.clockStart ?? (env.LOCAL_CLOCK_START ? new Date(env.LOCAL_CLOCK_START) : undefined);
  if (clockStart && Number.isNaN(clockStart.getTime()))
    throw new Error('LOCAL_CLOCK_START must be an ISO-8601 instant');
  if (clockStart) setClockOrigin(clockStart);

  const dynamo: DynamoDbLocal | undefined = options.dynamoEndpoint
    ? undefined
    : await startDynamoDbLocal({
        port: options.dynamoPort ?? numberEnv('DYNAMODB_PORT', 8000),
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      });
  const dynamoEndpoint = options.dynamoEndpoint ?? dynamo?.endpoint ?? '';
  const tableName = options.tableName ?? env.TABLE_NAME ?? 'nanocoach';
  await ensureTable(dynamoEndpoint, tableName);

  const sqs = await startLocalSqs(0, () => clock.now().getTime());
  const maxReceiveCount = numberEnv('SEND_MAX_ATTEMPTS', 5);
  const queues = new Map<string, LocalQueue>();
  const queueEnv: Record<string, string> = {};
  for (const spec of queueCatalogue) {
    const deadLetter = sqs.createQueue(`nanocoach-${spec.name}-dlq`);
    const queue = sqs.createQueue(`nanocoach-${spec.name}`, { deadLetter, maxReceiveCount });
    queues.set(spec.name, queue);
    const prefix = spec.name.toUpperCase().replace(/-/gu, '_');
    queueEnv[`${prefix}_QUEUE_URL`] = queue.url;
    queueEnv[`${prefix}_DLQ_URL`] = deadLetter.url;
  }

  // The app's port must be known before the gateway (it posts to the app's webhooks).
  // Until the handlers are loaded, every request (health checks included) gets a quick 503
  // instead of hanging on a server with no request listener.
  let handleRequest: (req: IncomingMessage, res: ServerResponse) => Promise<unknown> = async (_req, res) =>
    send(res, 503, { status: 'starting' });
  const server = createServer((req, res) => void handleRequest(req, res));
  const port = options.port ?? numberEnv('PORT', 3000);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use: set PORT to another port`) : error,
      ),
    );
    server.listen(port, '127.0.0.1', resolve);
  }).catch(async (error: unknown) => {
    await sqs.close();
    await dynamo?.stop();
    throw error;
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const publicBaseUrl = env.PUBLIC_BASE_URL ?? url;
  const authToken = env.TWILIO_AUTH_TOKEN ?? 'local-twilio-auth-token';
  const accountSid = env.TWILIO_ACCOUNT_SID ?? LOCAL_ACCOUNT_SID;
  const sender = env.TWILIO_FROM ?? '+15005550006';
  const gatewayPort = options.twilioGatewayPort ?? numberEnv('TWILIO_GATEWAY_PORT', 3010);
  const gateway = await startTwilioGateway({
    port: gatewayPort,
    accountSid,
    authToken,
    inboundWebhookUrl: `${publicBaseUrl}/webhooks/twilio/sms`,
    senderNumber: sender,
    now: () => clock.now(),
  }).catch(async (error: NodeJS.ErrnoException) => {
    server.close();
    await sqs.close();
    await dynamo?.stop();
    throw error.code === 'EADDRINUSE'
      ? new Error(`port ${gatewayPort} is in use: set TWILIO_GATEWAY_PORT`)
      : error;
  });

  Object.assign(env, {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    AWS_REGION: env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PUBLIC_BASE_URL: publicBaseUrl,
    TWILIO_API_BASE_URL: gateway.url,
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_FROM: sender,
    SQS_ENDPOINT: sqs.endpoint,
    ...queueEnv,
    LOCAL_TOKEN_SECRET: env.LOCAL_TOKEN_SECRET ?? 'local-dev-token-secret-not-for-production',
    // CloudWatch embedded metrics are JSON noise on a terminal; opt in with false.
    POWERTOOLS_METRICS_DISABLED: env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  });
  delete env.TWILIO_SECRET_ARN;

  // Only now, with the environment in place, load the handlers (their config parses at import).
  const handlers = new Map<string, unknown>();
  for (const spec of functionCatalogue) {
    const module = (await import(`../../functions/${spec.name}/handler.ts`)) as { handler: unknown };
    handlers.set(spec.name, module.handler);
  }
  const { dynamoTimerIndex } = await import('../../shared/adapters/dynamodb/timers.js');
  const tokens = localTokens(env.LOCAL_TOKEN_SECRET ?? '');
  const routes = routesOf(functionCatalogue);

  // Queue consumers, as the Lambda event source mapping runs them.
  const consumers = functionCatalogue.flatMap((spec) =>
    spec.triggers.flatMap((t) => {
      const queue = t.kind === 'queue' ? queues.get(t.queue) : undefined;
      return queue ? [{ spec, queue }] : [];
    }),
  );
  const sendConcurrency = numberEnv('SEND_CONCURRENCY', 2);
  const drainAll = async () => {
    for (const { spec, queue } of consumers) {
      const fn = handlers.get(spec.name) as (e: SQSEvent, c: Context) => ReturnType<SqsConsumer>;
      await drainQueue(queue, (event) => fn(event, lambdaContext(spec)), {
        batchSize: 10,
        concurrency: sendConcurrency,
      });
    }
  };

  // Scheduled jobs, as EventBridge runs them; a job with a work hint skips provably idle minutes.
  const MINUTE = 60_000;
  const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;
  const jobs = functionCatalogue.flatMap((spec) =>
    spec.triggers.flatMap((t) =>
      t.kind === 'schedule'
        ? [
            {
              spec,
              periodMs: t.everyMinutes * MINUTE,
              lastTick: floorMinute(clock.now().getTime()),
              enabled: true,
              workAt:
                spec.name === 'dispatch-due'
                  ? async () => (await dynamoTimerIndex.earliestDue())?.getTime()
                  : async () => 0,
            },
          ]
        : [],
    ),
  );
  const nextRunOf = async (job: (typeof jobs)[number]) => {
    if (!job.enabled) return undefined;
    const work = await job.workAt();
    if (work === undefined) return undefined;
    const nextTick = job.lastTick + job.periodMs;
    return Math.max(nextTick, Math.ceil(work / job.periodMs) * job.periodMs);
  };
  const runJob = async (job: (typeof jobs)[number], tick: number) => {
    job.lastTick = tick;
    const fn = handlers.get(job.spec.name) as ScheduledHandler;
    const event: ScheduledEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: new Date(tick).toISOString(),
      region: 'local',
      resources: [`arn:aws:events:local:000000000000:rule/nanocoach-${job.spec.name}`],
      detail: {},
    };
    try {
      await fn(event, lambdaContext(job.spec));
    } catch (error) {
      // EventBridge would record the failure and fire again next period; so does this.
      process.stderr.write(`scheduled ${job.spec.name} failed: ${(error as Error).message}\n`);
    }
  };
  const exclusive = mutex();
  const runUntil = (target: number) =>
    exclusive(async () => {
      for (let guard = 0; guard < 1_000_000; guard++) {
        const runs = await Promise.all(jobs.map(async (job) => ({ job, at: await nextRunOf(job) })));
        const queueAt = consumers
          .map((c) => c.queue.nextVisibleAt())
          .filter((t): t is number => t !== undefined);
        const times = [...runs.map((r) => r.at).filter((t): t is number => t !== undefined), ...queueAt];
        const next = Math.min(...times);
        if (times.length === 0 || next > target) break;
        advanceClockTo(new Date(next));
        const now = clock.now().getTime();
        for (const { job, at } of runs) if (at !== undefined && at <= now) await runJob(job, floorMinute(at));
        await drainAll();
      }
      advanceClockTo(new Date(target));
      for (const job of jobs) if (job.lastTick + job.periodMs <= target) job.lastTick = floorMinute(target);
      await gateway.idle();
      return clock.now();
    });

  const setJobEnabled = (name: string, enabled: boolean) => {
    const job = jobs.find((j) => j.spec.name === name);
    if (!job) throw new Error(`no scheduled job ${name}`);
    // Back from an outage, the schedule fires again from the next minute on.
    if (enabled && !job.enabled) job.lastTick = floorMinute(clock.now().getTime());
    job.enabled = enabled;
  };

  const tickMs = options.tickMs ?? 1000;
  const ticker = tickMs > 0 ? setInterval(() => void runUntil(clock.now().getTime()), tickMs) : undefined;
  ticker?.unref();

  handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const reqUrl = new URL(req.url ?? '/', url);
      const method = req.method ?? 'GET';
      const body = await readBody(req);
      const jsonBody = () => {
        try {
          return JSON.parse(body.toString('utf8') || '{}') as unknown;
        } catch {
          return undefined;
        }
      };
      const invalid = (error: z.ZodError) => {
        const issue = error.issues[0];
        return send(res, 400, {
          error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
          field: issue?.path.join('.') || 'body',
        });
      };

      // Local-only routes: never part of the deployed API.
      const path = reqUrl.pathname;
      if (method === 'GET' && path === '/health') return send(res, 200, { status: 'ok' });
      if (path === '/dev/clock' && method === 'GET')
        return send(res, 200, { now: clock.now().toISOString() });
      if (path === '/dev/clock' && method === 'POST') {
        const parsed = ClockBody.safeParse(jsonBody());
        if (!parsed.success) return invalid(parsed.error);
        const target = new Date(parsed.data.now);
        if (target.getTime() < clock.now().getTime() - 1000) {
          return send(res, 400, {
            error: `now: the clock never moves backwards (it is ${clock.now().toISOString()})`,
            field: 'now',
          });
        }
        return send(res, 200, { now: (await runUntil(target.getTime())).toISOString() });
      }
      if (path === '/dev/token' && method === 'POST') {
        const parsed = TokenBody.safeParse(jsonBody());
        if (!parsed.success) return invalid(parsed.error);
        return send(res, 200, { token: tokens.issue(parsed.data.coachId), coachId: parsed.data.coachId });
      }
      if (path === '/dev/sms' && method === 'GET') {
        const to = reqUrl.searchParams.get('to') ?? undefined;
        return send(
          res,
          200,
          gateway
            .sent(to)
            .map(({ to, from, body, sid, status, sentAt }) => ({ to, from, body, sid, status, sentAt })),
        );
      }
      if (path === '/dev/sms/inbound' && method === 'POST') {
        const parsed = InboundBody.safeParse(jsonBody());
        if (!parsed.success) return invalid(parsed.error);
        const result = await gateway.deliverInbound(parsed.data);
        return send(res, 200, result);
      }
      const jobRoute = /^\/dev\/jobs\/([\w-]+)$/u.exec(path);
      if (jobRoute?.[1] && method === 'POST') {
        const parsed = JobBody.safeParse(jsonBody());
        if (!parsed.success) return invalid(parsed.error);
        try {
          setJobEnabled(jobRoute[1], parsed.data.enabled);
        } catch {
          return send(res, 404, { error: `no scheduled job ${jobRoute[1]}` });
        }
        return send(res, 200, { job: jobRoute[1], enabled: parsed.data.enabled });
      }
      if (path === '/dev/twilio/faults' && method === 'POST') {
        const parsed = FaultBody.safeParse(jsonBody());
        if (!parsed.success) return invalid(parsed.error);
        gateway.inject(parsed.data);
        return send(res, 200, { injected: parsed.data });
      }
      if (path === '/dev/queues' && method === 'GET') {
        return send(
          res,
          200,
          Object.fromEntries(
            [...sqs.queues.values()].map((q) => [
              q.name,
              q.messages.map((m) => ({ body: m.body, receiveCount: m.receiveCount })),
            ]),
          ),
        );
      }
      if (path === '/dev/phone' && method === 'GET') {
        const number = reqUrl.searchParams.get('number');
        return send(res, 302, '', {
          location: `${gateway.url}/phone${number ? `?number=${encodeURIComponent(number)}` : ''}`,
        });
      }

      for (const route of routes) {
        if (route.method !== method) continue;
        const match = route.pattern.exec(path);
        if (!match) continue;
        let claims: { sub: string } | undefined;
        if (route.auth === 'coach') {
          claims = tokens.verify(req.headers.authorization);
          if (!claims) return send(res, 401, { message: 'Unauthorized' });
        }
        const handler = handlers.get(route.spec.name) as HttpHandler;
        const result = await handler(
          toApiEvent(req, reqUrl, body, route, match, claims),
          lambdaContext(route.spec),
        );
        const payload = result.isBase64Encoded
          ? Buffer.from(result.body ?? '', 'base64')
          : (result.body ?? '');
        res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
        return res.end(payload);
      }
      return send(res, 404, { message: 'Not Found' });
    } catch (error) {
      process.stderr.write(`local server error: ${(error as Error).stack ?? String(error)}\n`);
      if (!res.headersSent) send(res, 500, { message: 'Internal Server Error' });
    }
  };

  return {
    url,
    twilioGatewayUrl: gateway.url,
    dynamoEndpoint,
    gateway,
    advanceClock: async (instant) => runUntil(instant.getTime()),
    setJobEnabled,
    async stop() {
      if (ticker) clearInterval(ticker);
      await exclusive(async () => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      await sqs.close();
      await dynamo?.stop();
    },
  };
}
