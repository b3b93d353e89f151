/**
 * `npm run bench -- load [--sms 2000] [--sms-rate 100] [--links 1000] [--links-rate 50]`: signed
 * inbound SMS replies and answer-link clicks at a fixed rate on loopback, through the local API
 * into the deployed handlers and DynamoDB Local, beside a baseline in the same run: an HTTP
 * handler on loopback that does one GetItem and one PutItem on the same DynamoDB Local, driven at
 * the same rate. Prints p50/p95/p99 latency of each and the ratio to the baseline, DynamoDB
 * requests per request and CPU per request of this process and of DynamoDB Local; checks that
 * every request was stored once by counting the stored items. Asserts nothing about time.
 *
 * The client is open-loop: request i starts at t0 + i / rate whatever happened to the others (a
 * closed loop would slow down with the server and hide its queueing), and stops after its count.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';

/** Latency percentiles (ms) and failures of one paced run. */
interface RunResult {
  readonly label: string;
  readonly count: number;
  readonly rate: number;
  readonly achievedRate: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  /** Non-2xx answers by status (`error` for a request that got no answer). */
  readonly failures: Readonly<Record<string, number>>;
}

/**
 * CPU seconds (user + system) used so far by the process listening on `port` (DynamoDB Local's
 * JVM, which shares the machine with this process), from /proc; undefined where that cannot be
 * read (no `ss`, not Linux).
 */
function listenerCpu(port: string): (() => number) | undefined {
  const out = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/u.exec(out.stdout ?? '')?.[1];
  if (!pid) return undefined;
  return () => {
    try {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return Number.NaN;
    }
  };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

/** Sends `count` requests at `rate` per second, open loop; `request(i)` makes the i-th. */
async function paced(
  label: string,
  count: number,
  rate: number,
  request: (i: number) => Promise<Response>,
): Promise<RunResult> {
  const latencies: number[] = [];
  let non2xx = 0;
  const failures: Record<string, number> = {};
  const fail = (status: string) => {
    non2xx++;
    failures[status] = (failures[status] ?? 0) + 1;
  };
  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      (async () => {
        const start = performance.now();
        try {
          const res = await request(i);
          await res.arrayBuffer();
          if (res.status < 200 || res.status > 299) fail(String(res.status));
        } catch {
          fail('error');
        }
        latencies.push(performance.now() - start);
      })(),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - t0) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    label,
    count,
    rate,
    achievedRate: count / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    non2xx,
    failures,
  };
}

/** Runs the bench with its command-line arguments (without the mode). */
export async function runLoadBench(args: readonly string[]): Promise<void> {
  const flag = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const smsCount = flag('--sms', 2000);
  const smsRate = flag('--sms-rate', 100);
  const linkCount = flag('--links', 1000);
  const linkRate = flag('--links-rate', 50);
  const sizes = [smsCount, smsRate, linkCount, linkRate];
  if (!sizes.every((x) => Number.isInteger(x) && x >= 1) || smsCount > 20_000 || linkCount > 20_000) {
    process.stderr.write(
      'usage: npm run bench -- load [--sms 2000] [--sms-rate 100] [--links 1000] [--links-rate 50] (counts ≤ 20000)\n',
    );
    process.exitCode = 2;
    return;
  }
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

  const { startLocalSystem } = await import('../../infra/local/system.js');
  const DUE = '2026-11-23T23:00:00.000Z';
  const system = await startLocalSystem({
    port: 0,
    twilioGatewayPort: 0,
    dynamoPort: 0,
    sesPort: 0,
    tableName: `bench-${randomUUID()}`,
    clockStart: new Date('2026-11-23T23:30:00Z'),
    tickMs: 0,
  });
  const client = await import('../../shared/adapters/dynamodb/client.js');
  const counter = await import('../support/dynamo-stats.js');
  // Requests, not capacity, are counted here: see countCapacity.
  counter.countCapacity(false);
  const baseline = createServer((req, res) => {
    // What a minimal webhook does: read the body, one GetItem, one PutItem, answer.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const body = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const id = body.get('MessageSid') ?? randomUUID();
        await client.documentClient.send(
          new GetCommand({ TableName: client.tableName, Key: { PK: `BASELINE#${id}`, SK: 'RAW' } }),
        );
        await client.documentClient.send(
          new PutCommand({
            TableName: client.tableName,
            Item: { PK: `BASELINE#${id}`, SK: 'RAW', entity: 'bench', body: body.get('Body') ?? '' },
          }),
        );
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<Response/>');
      } catch {
        res.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => baseline.listen(0, '127.0.0.1', resolve));
  const baselineUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}/webhook`;

  try {
    const deps = (await import('../support/wiring.js')).productionDeps();
    const { DAILY_QUESTIONS } = await import('../../shared/domain/program.js');
    const { signAnswerToken } = await import('../../shared/domain/answer-link.js');
    const { inboundKeys } = await import('../../shared/adapters/dynamodb/keys.js');
    const pool = async (count: number, fn: (i: number) => Promise<unknown>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < count) await fn(next++);
        }),
      );
    };
    const seed = (prefix: string, count: number, channel: 'sms' | 'email') =>
      pool(count, async (i) => {
        const id = `${prefix}-${String(i).padStart(6, '0')}`;
        await deps.participants.create({
          id,
          coachId: 'bench-coach',
          name: `P${i}`,
          ...(channel === 'sms'
            ? { phone: `+1212${String(5_000_000 + i).padStart(7, '0')}` }
            : { email: `${id}@example.com` }),
          timeZone: 'America/New_York',
          programId: DAILY_QUESTIONS.id,
          channel,
          status: 'active',
          createdAt: '2026-11-01T12:00:00.000Z',
          consentAt: '2026-11-01T12:00:00.000Z',
        });
        await deps.prompts.create({
          participantId: id,
          scheduledFor: DUE,
          channel,
          programId: DAILY_QUESTIONS.id,
          questions: DAILY_QUESTIONS.questions,
          status: 'sent',
          sentAt: DUE,
          attempts: 1,
          createdAt: DUE,
        });
      });

    process.stderr.write(
      `bench load: ${smsCount} SMS replies at ${smsRate}/s, ${linkCount} answer-link clicks at ${linkRate}/s\n  seeding …\n`,
    );
    const WARM = 200;
    await seed('sms', smsCount + WARM, 'sms');
    await seed('mail', linkCount + WARM, 'email');

    const { authToken } = (await import('../../infra/local/environment.js')).localTwilio();
    const webhookUrl = `${system.url}/webhooks/twilio/sms`;
    const sidOf = (i: number) => `SM${String(i).padStart(32, '0')}`;
    const smsForm = (i: number): Record<string, string> => ({
      MessageSid: sidOf(i),
      AccountSid: 'AC00000000000000000000000000000000',
      From: `+1212${String(5_000_000 + i).padStart(7, '0')}`,
      To: '+15005550006',
      Body: '7 8 6 9 5 8',
    });
    const post = (url: string, params: Record<string, string>, signed: boolean) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(signed ? { 'x-twilio-signature': getExpectedTwilioSignature(authToken, url, params) } : {}),
        },
        body: new URLSearchParams(params).toString(),
      });
    const key = process.env.LINK_SIGNING_KEY ?? '';
    // What the answer page's Confirm button sends: a POST without it records nothing (400).
    const CONFIRM = { confirm: '1' };
    const expiresAt = new Date('2026-11-30T23:00:00Z');
    const tokens = Array.from({ length: linkCount + WARM }, (_, i) =>
      signAnswerToken(key, {
        participantId: `mail-${String(i).padStart(6, '0')}`,
        scheduledFor: DUE,
        questionIndex: i % DAILY_QUESTIONS.questions.length,
        value: 1 + (i % 10),
        expiresAt,
      }),
    );

    // Warm-up: the JVM and this process's code paths, so no phase pays for the first requests.
    process.stderr.write('  warming up …\n');
    await pool(300, (i) =>
      post(baselineUrl, { MessageSid: `warm-${i}`, Body: 'x' }, false).then((r) => r.text()),
    );
    // The last WARM participants of each kind answer first, outside the measured runs.
    await paced('warm-up', WARM, smsRate, (i) => post(webhookUrl, smsForm(smsCount + i), true));
    await paced('warm-up', WARM, linkRate, (i) =>
      post(`${system.url}/a/${tokens[linkCount + i]}`, CONFIRM, false),
    );

    const results: RunResult[] = [];
    const run = async (r: Promise<RunResult>) => {
      const result = await r;
      process.stderr.write(`  ${result.label}: p99 ${result.p99.toFixed(1)} ms\n`);
      results.push(result);
    };
    // CPU per request of this process and of DynamoDB Local (ms): on one machine they share the
    // cores, so together they bound the rate either handler can keep.
    const dbCpu = listenerCpu(new URL(system.dynamoEndpoint).port);
    const measured = async <T>(work: () => Promise<T>, count: number) => {
      const own0 = process.cpuUsage();
      const db0 = dbCpu?.() ?? Number.NaN;
      const result = await work();
      const own = process.cpuUsage(own0);
      const db = (dbCpu?.() ?? Number.NaN) - db0;
      return { result, own: (own.user + own.system) / 1000 / count, db: (db * 1000) / count };
    };
    // An invocation answered 500 by the local Lambda timeout goes on working: a run counts as over
    // once DynamoDB has had no request for a second (at most 60 s), so its CPU and requests are all
    // its own and the next run does not pay for them.
    const drained = async () => {
      const total = () => Object.values(counter.dynamoStats().requests).reduce((a, b) => a + b, 0);
      for (let round = 0, seen = -1; round < 60 && total() !== seen; round++) {
        seen = total();
        await new Promise((r) => setTimeout(r, 1000));
      }
    };
    const baseCpu = await measured(
      () =>
        run(
          paced('baseline (GetItem + PutItem) at SMS rate', smsCount, smsRate, (i) =>
            post(baselineUrl, { MessageSid: `b-${i}`, Body: '7 8 6 9 5 8' }, false),
          ),
        ),
      smsCount,
    );
    counter.resetDynamoStats();
    const cpu = await measured(
      () =>
        run(
          paced('POST /webhooks/twilio/sms (signed)', smsCount, smsRate, (i) =>
            post(webhookUrl, smsForm(i), true),
          ),
        ).then(drained),
      smsCount,
    );
    const smsRequests = counter.dynamoStats().requests;
    await run(
      paced('baseline (GetItem + PutItem) at click rate', linkCount, linkRate, (i) =>
        post(baselineUrl, { MessageSid: `l-${i}`, Body: 'click' }, false),
      ),
    );
    counter.resetDynamoStats();
    const linkCpu = await measured(
      () =>
        run(
          paced('POST /a/{token} (answer link)', linkCount, linkRate, (i) =>
            post(`${system.url}/a/${tokens[i]}`, CONFIRM, false),
          ),
        ).then(drained),
      linkCount,
    );
    const linkRequests = counter.dynamoStats().requests;

    // Every request stored once: each SMS is one raw item with its outcome and six answers; each
    // click one answer on its own prompt and question.
    let smsStored = 0;
    let smsAnswers = 0;
    await pool(smsCount, async (i) => {
      const { Item } = await client.documentClient.send(
        new GetCommand({
          TableName: client.tableName,
          Key: inboundKeys.item(sidOf(i)),
          ConsistentRead: true,
        }),
      );
      if (Item?.outcome) smsStored++;
      const answers = await deps.replies.listAnswers(`sms-${String(i).padStart(6, '0')}`, { limit: 50 });
      if (answers.items.length === DAILY_QUESTIONS.questions.length) smsAnswers++;
    });
    let linksStored = 0;
    await pool(linkCount, async (i) => {
      const answers = await deps.replies.listAnswers(`mail-${String(i).padStart(6, '0')}`, { limit: 50 });
      const expected = i % DAILY_QUESTIONS.questions.length;
      if (answers.items.length === 1 && answers.items[0]?.questionIndex === expected) linksStored++;
    });

    const [smsBase, sms, linkBase, links] = results;
    const perRequest = (requests: Record<string, number>, count: number) =>
      Object.entries(requests)
        .map(([op, n]) => `${op} ${(n / count).toFixed(2)}`)
        .join(', ');
    const cpuText = (c: { own: number; db: number }) => `${c.own.toFixed(2)} + ${c.db.toFixed(2)}`;
    const ms = (x: number) => x.toFixed(1);
    const ratio = (a?: RunResult, b?: RunResult) =>
      a && b
        ? `${(a.p50 / b.p50).toFixed(2)}x / ${(a.p95 / b.p95).toFixed(2)}x / ${(a.p99 / b.p99).toFixed(2)}x`
        : '';
    const lines = [
      '| run | requests | rate asked / achieved (/s) | p50 ms | p95 ms | p99 ms | max ms | non-2xx |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...results.map(
        (r) =>
          `| ${r.label} | ${r.count} | ${r.rate} / ${r.achievedRate.toFixed(1)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.non2xx}${
            r.non2xx
              ? ` (${Object.entries(r.failures)
                  .map(([s, n]) => `${s}: ${n}`)
                  .join(', ')})`
              : ''
          } |`,
      ),
      '',
      `SMS webhook vs baseline (p50 / p95 / p99): ${ratio(sms, smsBase)}   (goal ≤ 2x at p99)`,
      `answer link vs baseline (p50 / p95 / p99): ${ratio(links, linkBase)}`,
      `DynamoDB requests per SMS reply: ${perRequest(smsRequests, smsCount)}; per answer-link click: ${perRequest(linkRequests, linkCount)} (baseline: GetItem 1, PutItem 1)`,
      `CPU per request, this process + DynamoDB Local (ms): SMS reply ${cpuText(cpu)}, answer-link click ${cpuText(linkCpu)}, baseline ${cpuText(baseCpu)}`,
      `SMS replies stored once (raw item with outcome / six answers): ${smsStored} / ${smsAnswers} of ${smsCount}`,
      `answer-link clicks stored once (one answer each): ${linksStored} of ${linkCount}`,
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
    if (smsStored !== smsCount || smsAnswers !== smsCount || linksStored !== linkCount) {
      process.stderr.write('\nexpected every request stored exactly once\n');
      process.exitCode = 1;
    }
  } finally {
    await new Promise<void>((resolve) => {
      baseline.close(() => resolve());
      baseline.closeAllConnections();
    });
    await system.stop();
  }
}
