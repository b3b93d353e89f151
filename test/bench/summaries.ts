/**
 * `npm run bench -- summaries [--n 500] [--runs 5]`: a coach with N participants who each had a
 * week of daily prompts and answers (written through the real send and answer paths), then
 * `GET /api/summaries` through the local API, measured beside a baseline in the same run: one
 * paginated Query of the same summary items, nothing else. Prints DynamoDB requests, capacity and
 * median latency of each, and the endpoint's requests as recorded before contact states were read
 * only for watched enrolments; asserts nothing about time (the request count is held to 3 by
 * `test/e2e/summaries-requests.test.ts`).
 */
import { randomUUID } from 'node:crypto';

const WEEK = '2026-W48';

/**
 * The endpoint's requests in this bench at commit 8144f06, before the change: every address's
 * state read in BatchGetItems of 100, and the coach profile's conditional write on every request.
 */
const BEFORE = '9 (BatchGetItem 5.0, PutItem 1.0, Query 3.0), recorded at 8144f06';
const day = (d: number) => `2026-11-${String(23 + d).padStart(2, '0')}T23:00:00.000Z`;

/** Runs the bench with its command-line arguments (without the mode). */
export async function runSummariesBench(args: readonly string[]): Promise<void> {
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const n = Number(flag('--n') ?? 500);
  const runs = Number(flag('--runs') ?? 5);
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write('usage: npm run bench -- summaries [--n 500] [--runs 5]\n');
    process.exitCode = 2;
    return;
  }
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

  const { startLocalSystem } = await import('../../infra/local/system.js');
  const system = await startLocalSystem({
    port: 0,
    twilioGatewayPort: 0,
    dynamoPort: 0,
    sesPort: 0,
    tableName: `bench-${randomUUID()}`,
    clockStart: new Date('2026-11-30T12:00:00Z'),
    tickMs: 0,
  });
  try {
    const deps = (await import('../support/wiring.js')).productionDeps();
    const client = await import('../../shared/adapters/dynamodb/client.js');
    const counter = await import('../support/dynamo-stats.js');
    const { DAILY_QUESTIONS } = await import('../../shared/domain/program.js');
    const { receive, recordAnswers } = await import('../../shared/usecases/answers.js');
    const { tableDefinition } = await import('../../shared/adapters/dynamodb/table-definition.js');
    const questions = DAILY_QUESTIONS.questions;
    const pool = async (count: number, fn: (i: number) => Promise<unknown>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < count) await fn(next++);
        }),
      );
    };

    process.stderr.write(`bench summaries: N=${n}\n  seeding a week of six daily answers each …\n`);
    await pool(n, async (i) => {
      const participant = {
        id: `bench-${String(i).padStart(6, '0')}`,
        coachId: 'bench-coach',
        name: `P${i}`,
        phone: `+1212${String(5_000_000 + i).padStart(7, '0')}`,
        timeZone: 'America/New_York',
        programId: DAILY_QUESTIONS.id,
        channel: 'sms' as const,
        status: 'active' as const,
        createdAt: '2026-11-01T12:00:00.000Z',
      };
      await deps.participants.create(participant);
      for (let d = 0; d < 7; d++) {
        const scheduledFor = day(d);
        await deps.prompts.create({
          participantId: participant.id,
          scheduledFor,
          programId: DAILY_QUESTIONS.id,
          questions,
          status: 'sent',
          sentAt: scheduledFor,
          attempts: 1,
          createdAt: scheduledFor,
        });
        await deps.summaries.markSent(participant, { scheduledFor, questions }, scheduledFor);
        // Every fifth participant stays silent from Wednesday: flags show in the figures.
        if (i % 5 === 0 && d >= 2) continue;
        const message = {
          providerMessageId: `bench-${i}-${d}`,
          channel: 'sms' as const,
          source: 'sms-reply' as const,
          from: participant.phone,
          body: '7 8 6 9 5 8',
          receivedAt: scheduledFor,
        };
        await receive(deps, message);
        await recordAnswers(
          deps,
          message,
          { participantId: participant.id, scheduledFor, questions },
          [7, 8, 6, 9, 5, 8].map((value, questionIndex) => ({ questionIndex, value })),
        );
      }
    });

    const token = (
      (await (
        await fetch(`${system.url}/dev/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ coachId: 'bench-coach' }),
        })
      ).json()) as { token: string }
    ).token;
    const endpoint = async () => {
      const res = await fetch(`${system.url}/api/summaries?week=${WEEK}`, {
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      const body = (await res.json()) as { summaries: { flags: string[] }[] };
      if (res.status !== 200 || body.summaries.length !== n)
        throw new Error(`summaries: status ${res.status}, ${body.summaries.length} of ${n}`);
      return body.summaries.filter((s) => s.flags.length > 0).length;
    };
    const baseline = async () => {
      let items = 0;
      for await (const _ of client.queryAll({
        IndexName: tableDefinition.indexes.byOwner.name,
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
        ExpressionAttributeValues: { ':pk': 'COACH#bench-coach', ':prefix': `SUMMARY#${WEEK}#` },
      }))
        items++;
      if (items !== n) throw new Error(`baseline: ${items} of ${n} summary items`);
      return items;
    };

    const measure = async (fn: () => Promise<number>) => {
      await fn(); // warm-up: code paths and DynamoDB Local's JIT
      counter.resetDynamoStats();
      const times: number[] = [];
      let result = 0;
      for (let r = 0; r < runs; r++) {
        const t0 = process.hrtime.bigint();
        result = await fn();
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      const stats = counter.dynamoStats();
      const per = (x: Record<string, number>) => Object.values(x).reduce((a, b) => a + b, 0) / runs;
      const median = [...times].sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0;
      return { result, stats, requests: per(stats.requests), capacity: per(stats.capacityUnits), median };
    };
    process.stderr.write(`  measuring ${runs} runs each …\n`);
    const base = await measure(baseline);
    const live = await measure(endpoint);
    const ops = (r: Record<string, number>) =>
      Object.entries(r)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([op, c]) => `${op} ${(c / runs).toFixed(1)}`)
        .join(', ');
    const rows: [string, string][] = [
      ['participants of the coach (N)', n.toLocaleString('en-US')],
      [
        'baseline: one paginated Query of the week, requests',
        `${base.requests} (${ops(base.stats.requests)})`,
      ],
      ['baseline: capacity units', base.capacity.toFixed(1)],
      ['baseline: median latency', `${base.median.toFixed(1)} ms`],
      ['GET /api/summaries before: DynamoDB requests', BEFORE],
      ['GET /api/summaries: DynamoDB requests', `${live.requests} (${ops(live.stats.requests)})`],
      ['GET /api/summaries: capacity units', live.capacity.toFixed(1)],
      ['GET /api/summaries: median latency (HTTP, local)', `${live.median.toFixed(1)} ms`],
      ['GET /api/summaries vs baseline latency', `${(live.median / base.median).toFixed(1)}x`],
      ['flagged participants', String(live.result)],
      ['Scan requests', String((live.stats.requests.Scan ?? 0) + (base.stats.requests.Scan ?? 0))],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(`\n${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
  } finally {
    await system.stop();
  }
}
