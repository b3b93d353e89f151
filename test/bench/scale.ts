/**
 * `npm run bench -- scale [--participants 1000000] [--due 100000]`: a simulation of the busiest
 * minute at scale, with the product's own code where it decides anything — the due index's shard
 * function and key layout, the real schedule and quiet-hour rules in each zone, the real SMS text
 * and its segment count, and the token-bucket planner (`shared/domain/pacing.ts`). AWS and Twilio
 * latencies and limits are parameters written down below (their sources are in docs/scale.md);
 * nothing here calls a network. It prints three tables: the due index under load, where each limit
 * binds, and the hand-off of the minute's prompts to the provider, paced earliest deadline first
 * beside the baseline of handing everything to Twilio's own queue in index order.
 */
import { dueKeys, participantKeys, shardOf } from '../../shared/adapters/dynamodb/keys.js';
import { promptSms, segmentsOf } from '../../shared/channels/sms/domain/messages.js';
import { fullBucket, pace, sendDeadline, take } from '../../shared/domain/pacing.js';
import { DAILY_QUESTIONS, type Schedule, ScheduleSchema } from '../../shared/domain/program.js';
import { isQuietAt } from '../../shared/domain/schedule.js';

/** Assumed service figures (docs/scale.md says where each comes from). */
const AWS = {
  /** Single-item DynamoDB write latency in-region, ms (typical single-digit). */
  writeMs: 6,
  /** SendMessageBatch latency, ms. */
  sqsBatchMs: 15,
  /** DynamoDB write capacity one partition serves per second (table and index alike). */
  partitionWcuPerSecond: 1000,
  /** A new on-demand table's write throughput before it has seen a higher peak. */
  onDemandInitialWcu: 4000,
  /** Dispatcher: items processed concurrently, and its time budget per minutely run (s). */
  dispatchConcurrency: 32,
  dispatchBudgetS: 50,
  /** Lambda: account concurrency (default quota) and SQS poller scale-up per minute. */
  accountConcurrency: 1000,
  sqsScaleUpPerMinute: 300,
  /** SQS's largest DelaySeconds: how far ahead a paced send can be queued. */
  maxDelayS: 900,
  /** Sender: one Twilio API call and the claim/finish writes, ms. */
  sendMs: 250,
};

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} needs a whole number`);
  return v;
};

export async function runScaleBench(): Promise<void> {
  const population = flag('--participants', 1_000_000);
  const dueInMinute = Math.min(flag('--due', 100_000), population);
  const out = (s = '') => process.stdout.write(`${s}\n`);
  const table = (rows: string[][]) => {
    const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
    for (const [i, r] of rows.entries()) {
      out(
        r
          .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
          .join('  '),
      );
      if (i === 0) out(widths.map((w) => '-'.repeat(w)).join('  '));
    }
    out();
  };

  // The minute: half the due participants in New York on a 20:00 program, half in Chicago on a
  // 19:00 one — the same instant, 01:00Z, but quiet hours start one hour apart in UTC terms.
  const due = new Date('2026-11-24T01:00:00Z');
  const ny: Schedule = DAILY_QUESTIONS.schedule;
  const chicago = ScheduleSchema.parse({ ...DAILY_QUESTIONS.schedule, time: '19:00' });
  const segments = segmentsOf(promptSms(DAILY_QUESTIONS.questions));
  const people = Array.from({ length: dueInMinute }, (_, i) => {
    const id = `p${String(i).padStart(7, '0')}`;
    const east = i % 2 === 0;
    const zone = east ? 'America/New_York' : 'America/Chicago';
    const schedule = east ? ny : chicago;
    return { id, zone, schedule, cost: segments, deadline: sendDeadline(schedule, zone, due) };
  });
  // The order the dispatcher reads them in: shard by shard, by due time and id within a shard.
  const DEFAULT_SHARDS = 8;
  people.sort(
    (a, b) => shardOf(a.id, DEFAULT_SHARDS) - shardOf(b.id, DEFAULT_SHARDS) || a.id.localeCompare(b.id),
  );

  // 1. The due index: how the minute spreads over shards, and what moving its timers costs.
  const sample = {
    ...participantKeys.item('p0000000'),
    ...dueKeys.participant(0, due.toISOString(), 'p0000000'),
    entity: 'participant',
    version: 1,
    id: 'p0000000',
    coachId: '3f2a7c1e-0000-4000-8000-000000000000',
    name: 'Sam Example',
    phone: '+12125550123',
    timeZone: 'America/New_York',
    programId: 'daily-questions',
    channel: 'sms',
    status: 'active',
    createdAt: due.toISOString(),
    consentAt: due.toISOString(),
    nextDueAt: due.toISOString(),
  };
  // DynamoDB counts attribute names and values; the JSON text is a slight over-estimate.
  const itemBytes = JSON.stringify(sample).length;
  const wcuPerWrite = Math.ceil(itemBytes / 1024);
  const perPromptMs = 2 * AWS.writeMs; // create the prompt, then move the timer
  const batch = AWS.dispatchConcurrency * 4;
  const batchMs =
    (batch / AWS.dispatchConcurrency) * perPromptMs + Math.ceil(batch / 10 / 10) * AWS.sqsBatchMs;
  const dispatchPerSecond = (batch / batchMs) * 1000;
  const dispatchSeconds = dueInMinute / dispatchPerSecond;
  const pages = Math.ceil((dueInMinute * itemBytes) / (1024 * 1024));

  out(
    `bench scale: ${population.toLocaleString('en-US')} participants, ${dueInMinute.toLocaleString('en-US')} due at ${due.toISOString()}`,
  );
  out(`(due-index item ≈ ${itemBytes} B = ${wcuPerWrite} WCU a write; prompt ${segments} GSM-7 segments)\n`);
  out('Due index: shards under the minute (timer moves write the index twice: old entry out, new one in)');
  const shardRows = [['DUE_SHARDS', 'busiest shard', 'mean', 'index WCU/s in busiest partition', 'of 1,000']];
  for (const shards of [8, 16, 32, 64]) {
    const counts = new Array<number>(shards).fill(0);
    for (const p of people) counts[shardOf(p.id, shards)] = (counts[shardOf(p.id, shards)] ?? 0) + 1;
    const busiest = Math.max(...counts);
    const wcu = (busiest / dispatchSeconds) * 2 * wcuPerWrite;
    shardRows.push([
      String(shards),
      busiest.toLocaleString('en-US'),
      Math.round(dueInMinute / shards).toLocaleString('en-US'),
      Math.round(wcu).toLocaleString('en-US'),
      `${Math.round((wcu / AWS.partitionWcuPerSecond) * 100)} %`,
    ]);
  }
  table(shardRows);
  // The whole population spreads evenly too (a skew would show here first).
  const all = new Array<number>(8).fill(0);
  for (let i = 0; i < population; i++) {
    const shard = shardOf(`p${String(i).padStart(7, '0')}`, 8);
    all[shard] = (all[shard] ?? 0) + 1;
  }
  out(
    `whole population over 8 shards: ${Math.min(...all).toLocaleString('en-US')}–${Math.max(...all).toLocaleString('en-US')} per shard\n`,
  );

  // 2. Where each limit binds for this minute.
  // Base table: the new prompt and the participant's timer; the index's writes are the index's own.
  const tableWcuPerSecond = (dueInMinute / dispatchSeconds) * 2 * wcuPerWrite;
  const sendRate = (rate: number) => rate / segments; // prompts a second at `rate` segments a second
  const sendersNeeded = (rate: number) => Math.ceil(sendRate(rate) * (AWS.sendMs / 1000));
  out('Limits at this minute');
  table([
    ['stage', 'needs', 'limit', 'binds?'],
    [
      'dispatcher (1 instance, 32 in flight)',
      `${Math.round(dispatchSeconds)} s for the minute`,
      `${AWS.dispatchBudgetS} s a run`,
      dispatchSeconds > AWS.dispatchBudgetS ? 'yes: the next run continues (timers stay due)' : 'no',
    ],
    ['index reads', `${pages} Query pages of 1 MB`, 'none', 'no'],
    [
      'table writes (on demand)',
      `${Math.round(tableWcuPerSecond).toLocaleString('en-US')} WCU/s`,
      `${AWS.onDemandInitialWcu.toLocaleString('en-US')} WCU/s (new table)`,
      tableWcuPerSecond > AWS.onDemandInitialWcu ? 'yes: pre-warm (warm throughput)' : 'no',
    ],
    [
      'send queue (SQS standard)',
      `${Math.ceil(dueInMinute / 10).toLocaleString('en-US')} batch requests`,
      'nearly unlimited',
      'no',
    ],
    [
      'senders at 100 segments/s',
      `${sendersNeeded(100)} concurrent`,
      `${AWS.accountConcurrency} account, +${AWS.sqsScaleUpPerMinute}/min`,
      'no',
    ],
    [
      'senders at 1,000 segments/s',
      `${sendersNeeded(1000)} concurrent`,
      `${AWS.accountConcurrency} account, +${AWS.sqsScaleUpPerMinute}/min`,
      'no',
    ],
    [
      'Twilio (segments/s of the sender)',
      `${(dueInMinute * segments).toLocaleString('en-US')} segments`,
      '1 (long code) … 100+ (short code)',
      'yes: the rate sets the hand-off time below',
    ],
  ]);

  // 3. Hand-off: when each prompt reaches the provider, and whether it would land in quiet hours.
  out(
    "Hand-off of the minute to the provider (minutes after 01:00Z; quiet = handed over inside the participant's quiet hours)",
  );
  const rows = [
    [
      'segments/s',
      'pacing',
      'p50',
      'p99',
      'last',
      'in quiet hours',
      'deferred to morning',
      'dispatcher runs',
    ],
  ];
  const dueMs = due.getTime();
  const mins = (ms: number) => ((ms - dueMs) / 60_000).toFixed(1);
  const created = (i: number) => dueMs + Math.ceil((i / dispatchPerSecond) * 1000);
  let paced = 0;
  for (const rate of [25, 50, 100, 1000]) {
    const bucket = { ratePerSecond: rate, burst: rate };
    // Baseline: everything handed to Twilio as fast as it is created, in index order; Twilio's
    // own queue then drains at the sender's rate, blind to quiet hours.
    {
      let state = fullBucket(bucket, dueMs);
      const at: number[] = [];
      let quiet = 0;
      for (const [i, p] of people.entries()) {
        const next = take(bucket, state, created(i), p.cost);
        state = next.state;
        at.push(next.start);
        if (isQuietAt(p.schedule, p.zone, new Date(next.start))) quiet++;
      }
      rows.push(
        summaryRow(
          rate,
          'Twilio queue, index order',
          at,
          quiet,
          0,
          Math.ceil(dispatchSeconds / AWS.dispatchBudgetS),
        ),
      );
    }
    // Paced: each minutely run plans up to SQS's 15-minute delay, earliest deadline first; what is
    // past the horizon stays due for the next run, what cannot make its deadline is deferred.
    {
      let state = fullBucket(bucket, dueMs);
      let waiting = people;
      const at: number[] = [];
      let quiet = 0;
      let late = 0;
      let runs = 0;
      for (let now = dueMs; waiting.length > 0; now += 60_000) {
        runs++;
        const readable = Math.floor(dispatchPerSecond * AWS.dispatchBudgetS);
        const plan = pace(waiting.slice(0, readable), bucket, state, now, AWS.maxDelayS * 1000);
        state = plan.state;
        for (const s of plan.slots) {
          at.push(s.at);
          if (isQuietAt(s.item.schedule, s.item.zone, new Date(s.at))) quiet++;
        }
        late += plan.late.length;
        waiting = [...plan.later, ...waiting.slice(readable)];
      }
      paced += quiet;
      rows.push(summaryRow(rate, 'token bucket, deadline first', at, quiet, late, runs));
    }
  }
  table(rows);
  if (paced > 0) {
    process.stderr.write(`paced sends landed inside quiet hours: ${paced}\n`);
    process.exitCode = 1;
  }

  function summaryRow(
    rate: number,
    how: string,
    at: number[],
    quiet: number,
    late: number,
    runs: number,
  ): string[] {
    const sorted = [...at].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? dueMs;
    return [
      rate.toLocaleString('en-US'),
      how,
      mins(q(0.5)),
      mins(q(0.99)),
      mins(sorted.at(-1) ?? dueMs),
      quiet.toLocaleString('en-US'),
      late.toLocaleString('en-US'),
      String(runs),
    ];
  }
}
