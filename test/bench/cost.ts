/**
 * `npm run bench -- cost [--n 50] [--days 14]`: one simulated month of the real code against the
 * local stack, priced at the list prices of `prices.ts`. N participants for D days (by default 50 for two
 * weeks, which this 2-core machine runs in about ten minutes; both scaled linearly to 1,000
 * participants and 30 days in the table): 60 % SMS, 40 % email, all in New York on the six daily
 * questions, a third of them on a copy with a reminder 2 h after an unanswered prompt; 70 % answer
 * each prompt (SMS replies through the signed webhook, email replies as raw MIME through SES
 * receiving and S3); one bulk push to everyone each Wednesday; the coach reads the week once a
 * week. The local clock runs every job as EventBridge would.
 *
 * Measured, not assumed: DynamoDB capacity per request (transactions priced by AWS's rule from
 * their items' sizes, see `capacity.ts`), every Lambda invocation and its duration (× the memory
 * the catalogue configures), every request the AWS SDK and Twilio SDK send (counted at the HTTP
 * layer by endpoint), emails sent, SMS segments in and out (Twilio's calculator on the texts).
 * The local scheduler skips provably idle minutes; AWS does not, so the skipped minutely
 * dispatches and hourly week closes are added at the cost of idle runs measured here. Fixed
 * costs of a deployment that do not grow with participants (the SQS pollers' empty receives,
 * secrets, alarms, logs) are listed apart.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { SegmentedMessage } from 'sms-segments-calculator';
import { dollars, PRICES, PRICES_DATE } from './prices.js';

/** HTTP requests by `port action`, counted for every client in this process. */
const httpCounts = new Map<string, number>();
const originalRequest = http.request;
function countingRequest(...args: Parameters<typeof http.request>) {
  const [first, second] = args;
  const options = (typeof first === 'object' && !(first instanceof URL) ? first : second) as
    | http.RequestOptions
    | undefined;
  const url = typeof first === 'string' ? new URL(first) : first instanceof URL ? first : undefined;
  const port = String(options?.port ?? url?.port ?? '');
  const headers = (options?.headers ?? {}) as Record<string, unknown>;
  const target = String(headers['x-amz-target'] ?? headers['X-Amz-Target'] ?? '');
  const action = target ? target.split('.').pop() : (options?.method ?? 'GET');
  const key = `${port} ${action}`;
  httpCounts.set(key, (httpCounts.get(key) ?? 0) + 1);
  return originalRequest(...args);
}
http.request = countingRequest as typeof http.request;

/** A small deterministic generator, so two runs simulate the same month. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

/** Runs the bench with its command-line arguments (without the mode). */
export async function runCostBench(args: readonly string[]): Promise<void> {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const n = Number(flag('--n') ?? 50);
  const days = Number(flag('--days') ?? 14);
  if (!Number.isInteger(n) || n < 10 || !Number.isInteger(days) || days < 7) {
    process.stderr.write('usage: npm run bench -- cost [--n 50 (≥ 10)] [--days 14 (≥ 7)]\n');
    process.exitCode = 2;
    return;
  }
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const START = '2026-11-01T12:00:00.000Z'; // a Sunday; New York is on standard time from today
  const { startLocalSystem } = await import('../../infra/local/system.js');
  const system = await startLocalSystem({
    port: 0,
    twilioGatewayPort: 0,
    dynamoPort: 0,
    sesPort: 0,
    tableName: `bench-${randomUUID()}`,
    clockStart: new Date(START),
    tickMs: 0,
  });
  try {
    const deps = (await import('../support/wiring.js')).productionDeps();
    const client = await import('../../shared/adapters/dynamodb/client.js');
    const counter = await import('../support/dynamo-stats.js');
    const lambda = await import('../../infra/local/lambda.js');
    const { functionCatalogue } = await import('../../infra/functions.js');
    const { DAILY_QUESTIONS } = await import('../../shared/domain/program.js');
    const { auditTransactions } = await import('./capacity.js');
    const audit = auditTransactions(client.documentClient, system.dynamoEndpoint, client.tableName);
    const rand = random(15);
    const port = (u: string) => new URL(u).port;
    const ports = {
      dynamo: port(system.dynamoEndpoint),
      ses: port(system.sesUrl),
      s3: port(system.s3Endpoint),
      twilio: port(system.twilioGatewayUrl),
      app: port(system.url),
    };
    const pool = async <T>(items: readonly T[], fn: (item: T) => Promise<unknown>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < items.length) await fn(items[next++] as T);
        }),
      );
    };
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${system.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      if (res.status >= 400) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res;
    };

    process.stderr.write(`bench cost: ${n} participants for ${days} days …\n  seeding …\n`);
    const reminderProgram = {
      ...DAILY_QUESTIONS,
      id: 'bench-reminders',
      name: 'Daily, with a reminder',
      coachId: 'bench-coach',
      schedule: { ...DAILY_QUESTIONS.schedule, reminderAfterHours: 2 },
    };
    await deps.programs.create(reminderProgram as Parameters<typeof deps.programs.create>[0]);
    const people = Array.from({ length: n }, (_, i) => {
      const sms = i % 5 < 3; // 60 % SMS
      return {
        id: `cost-${String(i).padStart(5, '0')}`,
        sms,
        address: sms ? `+1212${String(5_000_000 + i).padStart(7, '0')}` : `p${i}@example.com`,
        programId: i % 3 === 0 ? reminderProgram.id : DAILY_QUESTIONS.id,
      };
    });
    await pool(people, (p) =>
      deps.participants.create({
        id: p.id,
        coachId: 'bench-coach',
        name: `P${p.id}`,
        ...(p.sms ? { phone: p.address } : { email: p.address }),
        timeZone: 'America/New_York',
        programId: p.programId,
        channel: p.sms ? 'sms' : 'email',
        status: 'active',
        createdAt: START,
        consentAt: START,
        nextDueAt: '2026-11-02T01:00:00.000Z', // 20:00 in New York on the first day
      }),
    );
    const { token } = (await (await post('/dev/token', { coachId: 'bench-coach' })).json()) as {
      token: string;
    };
    const auth = { authorization: `Bearer ${token}` };

    counter.resetDynamoStats();
    audit.reset();
    lambda.resetInvocationStats();
    httpCounts.clear();
    const sentBefore = system.gateway.sent().length;
    let inboundSegments = 0;
    let emailReplies = 0;
    let smsReplies = 0;
    const t0 = process.hrtime.bigint();

    for (let d = 0; d < days; d++) {
      const date = new Date(Date.parse('2026-11-01T00:00:00Z') + d * 86_400_000);
      const iso = date.toISOString().slice(0, 10);
      if (date.getUTCDay() === 3) {
        // Wednesday, 10:00 in New York: the coach's weekly push to everyone, and a look at the week.
        await system.advanceClock(new Date(`${iso}T15:00:00Z`));
        await post(
          '/api/pushes/bulk',
          { text: 'Hi {{firstName}}, one small step this week?', to: 'all' },
          auth,
        );
        const week = (await (
          await fetch(`${system.url}/api/summaries`, { headers: auth })
        ).json()) as unknown;
        if (!week) throw new Error('no summaries');
      }
      const sesSince = Math.floor(Date.now() / 1000) - 1;
      // 20:00 in New York is 01:00Z the next day: the day's prompts go out on the way.
      await system.advanceClock(new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000 + 70 * 60_000));
      const replyTo = new Map<string, string>();
      const store = (await (await fetch(`${system.sesUrl}/store?since=${sesSince}`)).json()) as {
        emails: { destination: { to: string[] }; replyTo: string[]; subject: string }[];
      };
      for (const e of store.emails) {
        const to = e.destination.to[0];
        if (to && e.replyTo[0] && !/week|summar/iu.test(e.subject)) replyTo.set(to, e.replyTo[0]);
      }
      const answering = people.filter(() => rand() < 0.7);
      await pool(answering, async (p) => {
        if (p.sms) {
          const body = '7 8 6 9 5 8';
          inboundSegments += new SegmentedMessage(body).segmentsCount;
          smsReplies++;
          await post('/dev/sms/inbound', { from: p.address, body });
          return;
        }
        const to = replyTo.get(p.address);
        if (!to) return;
        emailReplies++;
        const mime = `From: ${p.address}\r\nTo: ${to}\r\nSubject: Re: check-in\r\nMessage-ID: <${randomUUID()}@example.com>\r\n\r\n8 7 9 6 7 8\r\n\r\nOn Mon, Coaching wrote:\r\n> Did I do my best...\r\n`;
        const res = await fetch(`${system.url}/dev/email/inbound`, {
          method: 'POST',
          headers: { 'content-type': 'message/rfc822' },
          body: mime,
        });
        if (res.status >= 400) throw new Error(`email inbound: ${res.status}`);
      });
      process.stderr.write(
        `  day ${d + 1}/${days}: ${smsReplies} SMS and ${emailReplies} email replies so far\n`,
      );
    }
    const end = new Date(Date.parse('2026-11-01T00:00:00Z') + days * 86_400_000 + 86_400_000);
    await system.advanceClock(end);
    const simulatedSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

    const dynamo = counter.dynamoStats();
    const tx = audit.current();
    const invocations = lambda.invocationStats();
    const http = new Map(httpCounts);
    const outbound = system.gateway.sent().slice(sentBefore);
    const outboundSegments = outbound.reduce((a, m) => a + new SegmentedMessage(m.body).segmentsCount, 0);

    // Idle runs, as AWS makes them every minute (dispatch) and hour (week close) regardless.
    const idle = async (name: string, runs: number) => {
      const spec = functionCatalogue.find((f) => f.name === name);
      if (!spec) throw new Error(`no function ${name}`);
      const { handler } = (await import(`../../functions/${name}/handler.ts`)) as {
        handler: (e: unknown, c: unknown) => Promise<unknown>;
      };
      counter.resetDynamoStats();
      audit.reset();
      const started = performance.now();
      for (let r = 0; r < runs; r++) await handler({}, lambda.lambdaContext(spec));
      const stats = counter.dynamoStats();
      return {
        ms: (performance.now() - started) / runs,
        // DynamoDB Local reports 0 for a Query that finds nothing; AWS charges at least half a unit.
        readUnits: Math.max(sumOf(stats.capacityUnits, READS), 0.5 * (stats.requests.Query ?? 0)) / runs,
        writeUnits: sumOf(stats.capacityUnits, WRITES) / runs,
        memoryMb: spec.memoryMb ?? 256,
      };
    };
    const idleDispatch = await idle('dispatch-due', 20);
    const idleClose = await idle('close-weeks', 5);

    // --- The month, scaled to 1,000 participants ---
    const scale = 1000 / n;
    const monthScale = 30 / days;
    const perMonth = (x: number) => x * scale * monthScale;
    const fixedMonth = (x: number) => x * monthScale; // jobs that run whatever the number of participants

    const readUnits = sumOf(dynamo.capacityUnits, READS);
    const writeUnits = sumOf(dynamo.capacityUnits, WRITES) - tx.reportedUnits + tx.estimatedUnits;
    const minutes = days * 1440;
    const dispatchRuns = invocations.get('dispatch-due')?.count ?? 0;
    const closeRuns = invocations.get('close-weeks')?.count ?? 0;
    const idleDispatchRuns = Math.max(0, minutes - dispatchRuns);
    const idleCloseRuns = Math.max(0, days * 24 - closeRuns);

    let lambdaInvocations = 0;
    let gbSeconds = 0;
    let apiRequests = 0;
    const byFunction: [string, number, number][] = [];
    for (const [name, v] of invocations) {
      const spec = functionCatalogue.find((f) => f.name === name);
      const gbs = (v.ms / 1000) * ((spec?.memoryMb ?? 256) / 1024);
      lambdaInvocations += v.count;
      gbSeconds += gbs;
      if (spec?.triggers.some((t) => t.kind === 'http')) apiRequests += v.count;
      byFunction.push([name, v.count, gbs]);
    }
    const sumHttp = (p: string, pred: (action: string) => boolean) =>
      [...http].reduce((a, [k, c]) => {
        const [kp, action = ''] = k.split(' ');
        return kp === p && pred(action) ? a + c : a;
      }, 0);
    const sqsPort = [...http.keys()]
      .map((k) => k.split(' '))
      .find(([, action]) => action?.startsWith('SendMessage'))?.[0];
    const sqsApp = sqsPort ? sumHttp(sqsPort, () => true) : 0;
    const sendConsumers = ['send-sms', 'send-email'].reduce(
      (a, f) => a + (invocations.get(f)?.count ?? 0),
      0,
    );
    // Lambda's poller receives each batch and deletes it: two requests per consumer invocation.
    const sqsRequests = sqsApp + 2 * sendConsumers;
    const sesSent = sumHttp(ports.ses, (a) => a === 'POST');
    const s3Gets = sumHttp(ports.s3, (a) => a === 'GET');
    // SES receiving writes each reply to the bucket (the local stack does it in-process).
    const s3Puts = emailReplies;

    const rows: { item: string; count: number; usd: number }[] = [
      {
        item: 'DynamoDB write request units',
        count:
          perMonth(writeUnits) +
          fixedMonth(idleDispatchRuns * idleDispatch.writeUnits + idleCloseRuns * idleClose.writeUnits),
        usd: 0,
      },
      {
        item: 'DynamoDB read request units',
        count:
          perMonth(readUnits) +
          fixedMonth(idleDispatchRuns * idleDispatch.readUnits + idleCloseRuns * idleClose.readUnits),
        usd: 0,
      },
      {
        item: 'Lambda invocations',
        count: perMonth(lambdaInvocations - dispatchRuns - closeRuns) + fixedMonth(minutes + days * 24),
        usd: 0,
      },
      {
        item: 'Lambda GB-seconds',
        // The work scales with participants; the idle runs AWS adds do not.
        count:
          perMonth(gbSeconds) +
          fixedMonth(
            (idleDispatchRuns * idleDispatch.ms * idleDispatch.memoryMb +
              idleCloseRuns * idleClose.ms * idleClose.memoryMb) /
              1000 /
              1024,
          ),
        usd: 0,
      },
      { item: 'API Gateway requests (webhooks, links, coach API)', count: perMonth(apiRequests), usd: 0 },
      { item: 'SQS requests', count: perMonth(sqsRequests), usd: 0 },
      { item: 'S3 PUT (inbound mail)', count: perMonth(s3Puts), usd: 0 },
      { item: 'S3 GET', count: perMonth(s3Gets), usd: 0 },
      { item: 'SES emails sent', count: perMonth(sesSent), usd: 0 },
      { item: 'SES emails received', count: perMonth(emailReplies), usd: 0 },
      { item: 'SMS segments out', count: perMonth(outboundSegments), usd: 0 },
      { item: 'SMS segments in', count: perMonth(inboundSegments), usd: 0 },
    ];
    const price = [
      PRICES.dynamoWrite,
      PRICES.dynamoRead,
      PRICES.lambdaRequest,
      PRICES.lambdaGbSecond,
      PRICES.apiRequest,
      PRICES.sqsRequest,
      PRICES.s3Put,
      PRICES.s3Get,
      PRICES.sesOutbound,
      PRICES.sesInbound,
      PRICES.smsSegmentOut,
      PRICES.smsSegmentIn,
    ];
    rows.forEach((r, i) => {
      const p = price[i];
      r.usd = p ? dollars(p, r.count) : 0;
      if (r.item === 'SES emails received') r.usd += dollars(PRICES.sesInboundChunk, r.count);
    });
    const messaging = rows.filter((r) => /^(SMS|SES emails)/u.test(r.item)).reduce((a, r) => a + r.usd, 0);
    const infra = rows.filter((r) => !/^(SMS|SES emails)/u.test(r.item)).reduce((a, r) => a + r.usd, 0);

    const fmtCount = (x: number) => Math.round(x).toLocaleString('en-US');
    const fmtUsd = (x: number) => `$${x < 1 ? x.toFixed(4) : x.toFixed(2)}`;
    const w = Math.max(...rows.map((r) => r.item.length));
    const lines = [
      `\nOne month (${days} days simulated, ${n} participants, scaled ×${scale.toFixed(0)} to 1,000; prices of ${PRICES_DATE}, us-east-1, on-demand)`,
      `${'item'.padEnd(w)}  ${'per month'.padStart(12)}  ${'USD/month'.padStart(10)}  USD per participant-month`,
      ...rows.map(
        (r) =>
          `${r.item.padEnd(w)}  ${fmtCount(r.count).padStart(12)}  ${fmtUsd(r.usd).padStart(10)}  ${fmtUsd(r.usd / 1000)}`,
      ),
      `${'messaging (SMS + SES)'.padEnd(w)}  ${''.padStart(12)}  ${fmtUsd(messaging).padStart(10)}  ${fmtUsd(messaging / 1000)}`,
      `${'AWS infrastructure'.padEnd(w)}  ${''.padStart(12)}  ${fmtUsd(infra).padStart(10)}  ${fmtUsd(infra / 1000)}`,
      `${'infrastructure / messaging'.padEnd(w)}  ${`${((infra / messaging) * 100).toFixed(2)} %`.padStart(12)}  (goal ≤ 1 %)`,
      '',
      `measured: ${fmtCount(outbound.length)} SMS out (${fmtCount(outboundSegments)} segments), ${smsReplies} SMS and ${emailReplies} email replies, ${fmtCount(sesSent)} emails, ${fmtCount(lambdaInvocations)} invocations (${dispatchRuns} dispatch runs; ${idleDispatchRuns} idle minutes added at ${idleDispatch.ms.toFixed(1)} ms, ${idleDispatch.readUnits.toFixed(1)} RRU each), ${tx.transactions} transactions (${fmtCount(tx.estimatedUnits)} WRU by AWS's rule; DynamoDB Local said ${fmtCount(tx.reportedUnits)})`,
      `simulated in ${simulatedSeconds.toFixed(0)} s on this machine`,
      'fixed per deployment, not per participant: the SQS event sources’ long polls on each queue (of the order of',
      '  a million empty receives, ~$0.40, a month per queue), Secrets Manager ($0.40 a secret), CloudWatch alarms and logs.',
      '',
      'Lambda by function (invocations, GB-s) in the simulated span:',
      ...byFunction
        .sort((a, b) => b[2] - a[2])
        .map(([name, count, gbs]) => `  ${name.padEnd(28)} ${String(count).padStart(7)}  ${gbs.toFixed(1)}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await system.stop();
  }
}

const READS = ['GetItem', 'Query', 'BatchGetItem', 'Scan', 'TransactGetItems'];
const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem'];
function sumOf(units: Record<string, number>, ops: readonly string[]): number {
  return ops.reduce((a, op) => a + (units[op] ?? 0), 0);
}
