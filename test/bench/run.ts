/**
 * `npm run bench -- dispatch [--n 10000]`: N participants due in the same minute, dispatched and
 * sent through the real local parts (DynamoDB Local, the local queue, the local Twilio gateway),
 * measured side by side with a baseline in the same run: N raw `PutItem`s at the dispatcher's
 * concurrency against the same DynamoDB Local. Prints a table; asserts nothing about time.
 * `npm run bench -- bundles`: bundle sizes and cold load times, see `bundles.ts`.
 * `npm run bench -- summaries [--n 500]`: the coach's week endpoint beside one Query, see `summaries.ts`.
 * `npm run bench -- cost [--n 50] [--days 14]`: a month of the real code priced in dollars, see `cost.ts`.
 * `npm run bench -- web`: the dashboard's bundle sizes and first render of "This week", see `web.ts`.
 * `npm run bench -- scale`: the busiest minute at 1M participants, simulated, see `scale.ts`.
 * `npm run bench -- load`: signed SMS replies and answer-link clicks at a fixed rate beside a
 * GetItem + PutItem baseline, see `load.ts`.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';

const args = process.argv.slice(2);
const which = args.find((a) => !a.startsWith('--')) ?? 'dispatch';
if (which === 'web') {
  const { runWebBench } = await import('./web.js');
  await runWebBench(args.filter((a) => a !== 'web'));
  process.exit();
}
if (which === 'bundles') {
  const { runBundlesBench } = await import('./bundles.js');
  await runBundlesBench(args.filter((a) => a !== 'bundles'));
  process.exit();
}
if (which === 'scale') {
  const { runScaleBench } = await import('./scale.js');
  await runScaleBench();
  process.exit();
}
if (which === 'load') {
  const { runLoadBench } = await import('./load.js');
  await runLoadBench(args.filter((a) => a !== 'load'));
  process.exit();
}
if (which === 'cost') {
  const { runCostBench } = await import('./cost.js');
  await runCostBench(args.filter((a) => a !== 'cost'));
  process.exit();
}
if (which === 'summaries') {
  const { runSummariesBench } = await import('./summaries.js');
  await runSummariesBench(args.filter((a) => a !== 'summaries'));
  process.exit();
}
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const n = Number(flag('--n') ?? 10_000);
if (which !== 'dispatch' || !Number.isInteger(n) || n < 1) {
  process.stderr.write(
    'usage: npm run bench -- dispatch [--n 10000] | cost [--n 50] [--days 14] | bundles [--runs 7] | summaries [--n 500] [--runs 5] | web [--runs 5] [--n 200] | load | scale [--participants 1000000] [--due 100000]\n',
  );
  process.exit(2);
}

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.SEND_CONCURRENCY ??= '8';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { startLocalSystem } = await import('../../infra/local/system.js');
// The built-in program's 20:00 in New York on a Monday, then on the Tuesday of the same ISO week:
// the Monday send opens each participant's week, the Tuesday one is measured (a daily program in
// steady state: six sends of every seven find the week open).
const FIRST_DUE = '2026-11-24T01:00:00.000Z';
const DUE = '2026-11-25T01:00:00.000Z';

/**
 * The figures of this bench at two earlier commits, measured with this same steady-state run (a
 * week already open) at N = 1,000; request counts do not vary between runs. a8339fe: before the
 * send path was folded (no transactions there, so DynamoDB Local's capacity figures were exact).
 * 8144f06: before the writes of one invocation's moment were batched (write-batch.ts), every
 * write its own request.
 */
const BEFORE_COMMITS = ['8144f06', 'a8339fe'] as const;
const BEFORE: Record<string, readonly [string, string]> = {
  'dispatch: DynamoDB requests per prompt': [
    '2.01 (PutItem 1.00, Query 0.01, UpdateItem 1.00)',
    '2.01 (PutItem 1.00, Query 0.01, UpdateItem 1.00)',
  ],
  'dispatch: write requests per prompt': ['2.00', '2.00'],
  'dispatch: capacity units per prompt': ['5.05', '5.05'],
  'send: DynamoDB requests per prompt': [
    '5.02 (GetItem 2.00, Query 0.02, TransactWriteItems 1.00, UpdateItem 2.00)',
    '6.02 (GetItem 2.00, Query 0.02, UpdateItem 4.00)',
  ],
  'send: write requests per prompt': ['3.00', '4.00'],
  'send: capacity units per prompt': ['10.01', '7.01'],
  'send: transactions per prompt (units as reported locally)': ['1.00 (12.00, not used)', '0'],
  'end to end: write requests per prompt': ['5.00', "6.00 (7.00 in a week's first send)"],
  'end to end: capacity units per prompt': ['15.06', '12.06'],
  'Scan requests': ['0', '0'],
  'question SMS sent / distinct recipients': ['1000 / 1000', '1000 / 1000'],
};
const system = await startLocalSystem({
  port: 0,
  twilioGatewayPort: 0,
  dynamoPort: 0,
  tableName: `bench-${randomUUID()}`,
  clockStart: new Date('2026-11-23T12:00:00Z'),
  tickMs: 0,
});

try {
  const deps = (await import('../support/wiring.js')).productionDeps();
  const client = await import('../../shared/adapters/dynamodb/client.js');
  const counter = await import('../support/dynamo-stats.js');
  const { dispatchDue } = await import('../../shared/usecases/dispatch-due.js');
  const { batchingWrites } = await import('../../shared/adapters/dynamodb/write-batch.js');
  const { auditTransactions } = await import('./capacity.js');
  const audit = auditTransactions(client.documentClient, system.dynamoEndpoint, client.tableName);
  /** Capacity units of a phase, with its transactions priced by AWS's rule (see capacity.ts). */
  const unitsOf = (stats: { capacityUnits: Record<string, number> }, tx: ReturnType<typeof audit.current>) =>
    sum(stats.capacityUnits) - tx.reportedUnits + tx.estimatedUnits;
  const CONCURRENCY = 32; // the dispatcher's own

  const pool = async (count: number, fn: (i: number) => Promise<unknown>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) await fn(next++);
      }),
    );
  };
  const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem'];
  const writesOf = (r: Record<string, number>) => WRITES.reduce((a, op) => a + (r[op] ?? 0), 0);

  // DynamoDB Local is a JVM: the first thousand requests run slower while it warms up, and
  // whichever phase came first would pay for that. Warm it up before measuring anything.
  process.stderr.write(`bench dispatch: N=${n}\n  warming up DynamoDB Local …\n`);
  await pool(2000, (i) =>
    client.documentClient.send(
      new PutCommand({
        TableName: client.tableName,
        Item: { PK: `WARMUP#${i}`, SK: 'WARMUP', entity: 'bench' },
      }),
    ),
  );
  const seed = (count: number, prefix: string, dueAt: string, phoneBase: number) =>
    pool(count, (i) =>
      deps.participants.create({
        id: `${prefix}-${String(i).padStart(6, '0')}`,
        coachId: 'bench-coach',
        name: `P${i}`,
        phone: `+1212${String(phoneBase + i).padStart(7, '0')}`,
        timeZone: 'America/New_York',
        programId: 'daily-questions',
        channel: 'sms',
        status: 'active',
        createdAt: '2026-11-23T12:00:00.000Z',
        consentAt: '2026-11-23T12:00:00.000Z',
        nextDueAt: dueAt,
      }),
    );

  // Steady state, as on AWS where the dispatcher runs every minute: one smaller dispatch and send
  // an hour earlier warms this process's code paths before anything is timed.
  const WARM = Math.min(500, n);
  process.stderr.write(`  warming up the dispatch and send path with ${WARM} participants …\n`);
  await seed(WARM, 'warm', '2026-11-23T22:00:00.000Z', 8_000_000);
  await system.advanceClock(new Date('2026-11-23T22:00:30Z'));
  // Off the index again, so that only the N participants below are due in the measured minute.
  await pool(WARM, (i) =>
    deps.participants.update(`warm-${String(i).padStart(6, '0')}`, { nextDueAt: null }),
  );

  process.stderr.write(`  baseline: ${n} PutItem …\n`);
  counter.resetDynamoStats();
  let t0 = process.hrtime.bigint();
  await pool(n, (i) =>
    client.documentClient.send(
      new PutCommand({
        TableName: client.tableName,
        Item: { PK: `BENCH#${i}`, SK: 'BASELINE', entity: 'bench', version: 1, at: DUE, n: i },
      }),
    ),
  );
  const baselineSeconds = seconds(t0);
  const baselineStats = counter.dynamoStats();

  process.stderr.write(`  seeding ${n} participants, first due at ${FIRST_DUE} (not measured) …\n`);
  await seed(n, 'bench', FIRST_DUE, 5_000_000);
  await system.advanceClock(new Date(Date.parse(FIRST_DUE) + 30_000));

  // Phase 1: the dispatcher alone (the scheduled job is held so the run is timed by itself).
  process.stderr.write(`  dispatching the prompts due at ${DUE} …\n`);
  system.setJobEnabled('dispatch-due', false);
  await system.advanceClock(new Date(Date.parse(DUE) + 1_000));
  counter.resetDynamoStats();
  audit.reset();
  t0 = process.hrtime.bigint();
  // As its handler runs it: the writes of the participants handled together go as one request.
  const dispatched = await batchingWrites(() => dispatchDue(deps));
  const dispatchSeconds = seconds(t0);
  const dispatchStats = counter.dynamoStats();
  const dispatchUnits = unitsOf(dispatchStats, audit.current());

  // Phase 2: the send queue drains through the sender and the local Twilio gateway.
  process.stderr.write('  sending …\n');
  counter.resetDynamoStats();
  audit.reset();
  t0 = process.hrtime.bigint();
  system.setJobEnabled('dispatch-due', true);
  await system.advanceClock(new Date(Date.parse(DUE) + 30_000));
  const sendSeconds = seconds(t0);
  const sendStats = counter.dynamoStats();
  const sendAudit = audit.current();
  const sendUnits = unitsOf(sendStats, sendAudit);
  const sms = system.gateway
    .sent()
    .filter((m) => m.body.startsWith('Did I do my best to...') && m.sentAt >= DUE);
  const recipients = new Set(sms.map((m) => m.to));

  const perPrompt = (x: number) => (x / n).toFixed(2);
  const rate = (count: number, s: number) => Math.round(count / s).toLocaleString('en-US');
  const allRequests = { ...dispatchStats.requests };
  for (const [op, c] of Object.entries(sendStats.requests)) allRequests[op] = (allRequests[op] ?? 0) + c;
  const rows: [string, string][] = [
    ['participants due in one minute (N)', n.toLocaleString('en-US')],
    ['baseline: raw PutItem, wall time', `${baselineSeconds.toFixed(2)} s`],
    ['baseline: raw PutItem per second', rate(n, baselineSeconds)],
    ['baseline: capacity units per write', perPrompt(sum(baselineStats.capacityUnits))],
    ['dispatch: wall time', `${dispatchSeconds.toFixed(2)} s`],
    ['dispatch: prompts per second', rate(dispatched.queued, dispatchSeconds)],
    [
      'dispatch vs baseline throughput',
      `${((n / dispatchSeconds / (n / baselineSeconds)) * 100).toFixed(0)} %`,
    ],
    [
      'dispatch: DynamoDB requests per prompt',
      `${perPrompt(sum(dispatchStats.requests))} (${fmt(dispatchStats.requests, n)})`,
    ],
    ['dispatch: write requests per prompt', perPrompt(writesOf(dispatchStats.requests))],
    ['dispatch: capacity units per prompt', perPrompt(dispatchUnits)],
    ['send: wall time (queue, Twilio SDK, gateway)', `${sendSeconds.toFixed(2)} s`],
    ['send: SMS per second', rate(sms.length, sendSeconds)],
    [
      'send: DynamoDB requests per prompt',
      `${perPrompt(sum(sendStats.requests))} (${fmt(sendStats.requests, n)})`,
    ],
    ['send: write requests per prompt', perPrompt(writesOf(sendStats.requests))],
    ['send: capacity units per prompt', perPrompt(sendUnits)],
    [
      'send: transactions per prompt (units as reported locally)',
      `${perPrompt(sendAudit.transactions)} (${perPrompt(sendAudit.reportedUnits)}, not used)`,
    ],
    ['end to end: write requests per prompt', perPrompt(writesOf(allRequests))],
    ['end to end: capacity units per prompt', perPrompt(dispatchUnits + sendUnits)],
    ['Scan requests', String(allRequests.Scan ?? 0)],
    ['question SMS sent / distinct recipients', `${sms.length} / ${recipients.size}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.max(...rows.map(([, v]) => v.length), 'now'.length);
  const beforeWidth = Math.max(...Object.values(BEFORE).map(([v]) => v.length), 'before (8144f06)'.length);
  const line = (k: string, now: string, [b1, b2]: readonly [string, string] = ['', '']) =>
    `${k.padEnd(width)}  ${now.padEnd(valueWidth)}  ${b1.padEnd(beforeWidth)}  ${b2}`.trimEnd();
  process.stdout.write(
    `\n${line('per prompt, steady state', 'now', [`before (${BEFORE_COMMITS[0]})`, `before (${BEFORE_COMMITS[1]})`])}\n` +
      `${rows.map(([k, v]) => line(k, v, BEFORE[k])).join('\n')}\n`,
  );
  if (sms.length !== n || recipients.size !== n) {
    process.stderr.write(`\nexpected exactly one question SMS for each of ${n} participants\n`);
    process.exitCode = 1;
  }
} finally {
  await system.stop();
}

function fmt(requests: Record<string, number>, count: number): string {
  return Object.entries(requests)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, c]) => `${op} ${(c / count).toFixed(2)}`)
    .join(', ');
}
