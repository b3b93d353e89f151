/**
 * Fault injection against the real local stack (`npm run test:chaos`): the local Twilio gateway
 * answering 500, 429 with Retry-After, hanging past the SDK's timeout and refusing with 21610; the
 * local SES failing and throttling; DynamoDB Local killed and restarted (on disk) in the middle of
 * a dispatch of 1,000 due prompts and of a burst of 500 inbound replies; the send function
 * crashing after the provider accepted a message and before its status was written.
 *
 * After each fault and its recovery, every due prompt must have gone out exactly once or be
 * visibly `unknown`/`failed` in the participant's history; every reply that got a 2xx must be
 * stored exactly once, and every reply that got a 5xx must be stored after the provider's retry
 * (this file plays the provider: it retries what got a 5xx, with the same MessageSid). A table of
 * faults × outcomes is printed at the end; lost and duplicated must be 0 everywhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, freePort, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import type { LocalSystem } from '../../infra/local/system.js';
import type { Channel } from '../../shared/domain/channel.js';
import type { Participant } from '../../shared/domain/participant.js';

// Shorter than the default 10 s, so a `slow` gateway answer hangs past it without slowing the run
// much, yet far above what a healthy send takes even on a loaded machine.
process.env.TWILIO_TIMEOUT_MS = '8000';
const HANG_MS = 20_000;

type Deps = ReturnType<typeof import('../support/wiring.js').productionDeps>;
type Client = typeof import('../../shared/adapters/dynamodb/client.js');

let dataDir: string;
let dynamoPort: number;
let dynamo: DynamoDbLocal;
let system: LocalSystem;
let deps: Deps;
let client: Client;
let counter: typeof import('../support/dynamo-stats.js');
let crashHook: typeof import('../../infra/local/crash-hook.js');
let inboundKey: (sid: string) => Record<string, string>;

/** One scenario's row of the table printed at the end. */
interface Row {
  fault: string;
  n: number;
  sentOnce: number;
  unknown: number;
  failed: number;
  lost: number;
  duplicated: number;
}
const sendRows: Row[] = [];
interface ReplyRow {
  fault: string;
  n: number;
  first2xx: number;
  first5xx: number;
  storedOnce: number;
  lost: number;
  duplicated: number;
}
const replyRows: ReplyRow[] = [];

/** Waits for `condition`, polling; fails after `rounds` polls (bounded, not timed). */
async function until(what: string, condition: () => boolean | Promise<boolean>, rounds = 12_000) {
  for (let i = 0; i < rounds; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Kills DynamoDB Local (SIGKILL), keeps it down for a moment, and starts it again on its data. */
async function dynamoOutage(): Promise<void> {
  await dynamo.kill();
  // The outage itself: long enough that requests in flight and the SDK's own retries all fail.
  await new Promise((r) => setTimeout(r, 1000));
  dynamo = await startDynamoDbLocal({ port: dynamoPort, dataDir });
}

/** Scenario `i`'s due instant: 20:00 in New York, two days apart so each scenario has its own. */
const dueOf = (i: number) => new Date(Date.UTC(2026, 10, 24 + 2 * i, 1, 0, 0)).toISOString();
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000);

/** Participants enrolled and active, due at `dueAt`, each with their own address. */
async function seed(
  prefix: string,
  base: number,
  count: number,
  channel: Channel,
  dueAt: string,
): Promise<Participant[]> {
  const participants = Array.from({ length: count }, (_, i): Participant => {
    const n = String(i).padStart(4, '0');
    return {
      id: `${prefix}-${n}`,
      coachId: 'chaos-coach',
      name: `P${i}`,
      ...(channel === 'sms'
        ? { phone: `+1212${String(base + i).padStart(7, '0')}` }
        : { email: `${prefix}-${n}@example.com` }),
      timeZone: 'America/New_York',
      programId: 'daily-questions',
      channel,
      status: 'active',
      createdAt: '2026-11-23T12:00:00.000Z',
      consentAt: '2026-11-23T12:00:00.000Z',
      nextDueAt: dueAt,
    };
  });
  await pool(participants, 16, (p) => deps.participants.create(p));
  return participants;
}

async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await fn(item);
      }
    }),
  );
}

/** Takes a scenario's participants off the due index, so later scenarios' days send them nothing. */
const retire = (participants: readonly Participant[]) =>
  pool(participants, 16, (p) => deps.participants.update(p.id, { nextDueAt: null }));

/** How many messages of this kind each address received (the provider's own record). */
async function receivedCounts(channel: Channel): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (channel === 'sms') {
    for (const m of system.gateway.sent())
      if (m.direction === 'outbound-api') counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
    return counts;
  }
  const store = (await (await fetch(`${system.sesUrl}/store`)).json()) as {
    emails: { destination: { to: string[] } }[];
  };
  for (const e of store.emails) for (const to of e.destination.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

/** Classifies every participant's prompt due at `dueAt`, adds the row, and returns it. */
async function tally(fault: string, participants: readonly Participant[], dueAt: string): Promise<Row> {
  const channel = participants[0]?.channel ?? 'sms';
  const counts = await receivedCounts(channel);
  const row: Row = {
    fault,
    n: participants.length,
    sentOnce: 0,
    unknown: 0,
    failed: 0,
    lost: 0,
    duplicated: 0,
  };
  await pool(participants, 16, async (p) => {
    const prompt = await deps.prompts.get({ participantId: p.id, scheduledFor: dueAt });
    const received = counts.get((channel === 'sms' ? p.phone : p.email) ?? '') ?? 0;
    if (received > 1) row.duplicated++;
    else if (prompt?.status === 'unknown') row.unknown++;
    else if (prompt?.status === 'failed') row.failed++;
    else if (prompt?.status === 'sent' && received === 1) row.sentOnce++;
    // No record, still queued or sending, skipped, or "sent" with nothing received.
    else row.lost++;
  });
  sendRows.push(row);
  return row;
}

/** Runs one provider-fault scenario: `count` participants due, the fault queued, then recovery. */
async function providerFault(
  i: number,
  fault: string,
  channel: Channel,
  count: number,
  inject: () => void,
  options: { retire?: boolean } = {},
): Promise<{ row: Row; participants: Participant[]; dueAt: string }> {
  const dueAt = dueOf(i);
  const participants = await seed(`s${i}`, 5_000_000 + i * 10_000, count, channel, dueAt);
  inject();
  await system.advanceClock(plus(dueAt, 0.5));
  // Retries with backoff (30 s, 60 s … or Retry-After) and claims left by a crash (stale after
  // 2 min, redelivered after the queue's visibility timeout) all resolve within 20 minutes.
  await system.advanceClock(plus(dueAt, 20));
  system.gateway.clearFaults();
  const row = await tally(fault, participants, dueAt);
  if (options.retire !== false) await retire(participants);
  return { row, participants, dueAt };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'nanocoach-chaos-'));
  dynamoPort = await freePort();
  dynamo = await startDynamoDbLocal({ port: dynamoPort, dataDir });
  const { startLocalSystem } = await import('../../infra/local/system.js');
  system = await startLocalSystem({
    port: 0,
    twilioGatewayPort: 0,
    sesPort: 0,
    dynamoEndpoint: dynamo.endpoint,
    tableName: 'chaos',
    clockStart: new Date('2026-11-23T12:00:00Z'),
    tickMs: 0,
  });
  // The scenarios span weeks; a week's close would send each earlier cohort its report card and
  // mix those sends (and the crash hook's victims) into a later scenario's count. Report cards go
  // through the same send path, tested on their own in test/e2e/report-card.test.ts.
  system.setJobEnabled('close-weeks', false);
  deps = (await import('../support/wiring.js')).productionDeps();
  client = await import('../../shared/adapters/dynamodb/client.js');
  counter = await import('../support/dynamo-stats.js');
  crashHook = await import('../../infra/local/crash-hook.js');
  inboundKey = (await import('../../shared/adapters/dynamodb/keys.js')).inboundKeys.item;
});

afterAll(async () => {
  await system?.stop();
  await dynamo?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  const table = (head: string[], rows: (string | number)[][]) => {
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => String(r[c]).length)));
    const line = (cells: (string | number)[]) =>
      `| ${cells.map((x, c) => (c === 0 ? String(x).padEnd(widths[c] ?? 0) : String(x).padStart(widths[c] ?? 0))).join(' | ')} |`;
    return [
      line(head),
      `|${widths.map((w, c) => (c === 0 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`,
      ...rows.map(line),
    ].join('\n');
  };
  console.log(
    `\nfaults × outcomes: due prompts\n${table(
      ['fault', 'prompts', 'sent once', 'unknown', 'failed', 'lost', 'duplicated'],
      sendRows.map((r) => [r.fault, r.n, r.sentOnce, r.unknown, r.failed, r.lost, r.duplicated]),
    )}\n\nfaults × outcomes: inbound replies\n${table(
      ['fault', 'replies', '2xx at once', '5xx, retried', 'stored once', 'lost', 'duplicated'],
      replyRows.map((r) => [r.fault, r.n, r.first2xx, r.first5xx, r.storedOnce, r.lost, r.duplicated]),
    )}\n`,
  );
});

describe('the provider failing', () => {
  it('Twilio 500: the affected sends are unknown, never resent; the rest go out once', async () => {
    const { row, participants, dueAt } = await providerFault(0, 'Twilio 500', 'sms', 20, () =>
      system.gateway.inject({ kind: 'http-500', count: 5 }),
    );
    expect(row).toMatchObject({ sentOnce: 15, unknown: 5, lost: 0, duplicated: 0 });
    const codes = await Promise.all(
      participants.map(
        async (p) => (await deps.prompts.get({ participantId: p.id, scheduledFor: dueAt }))?.errorCode,
      ),
    );
    expect(codes.filter((c) => c === '20500')).toHaveLength(5); // Twilio's own code, shown to the coach
  });

  it('Twilio 429 with Retry-After: every send goes out once, after waiting', async () => {
    const { row } = await providerFault(1, 'Twilio 429 + Retry-After', 'sms', 20, () =>
      system.gateway.inject({ kind: 'http-429', count: 8, retryAfterSeconds: 45 }),
    );
    expect(row).toMatchObject({ sentOnce: 20, lost: 0, duplicated: 0 });
  });

  it('Twilio hanging past the client timeout: those sends are unknown (they did go out), never resent', async () => {
    const { row } = await providerFault(2, 'Twilio hangs past timeout', 'sms', 20, () =>
      system.gateway.inject({ kind: 'slow', count: 3, delayMs: HANG_MS }),
    );
    expect(row).toMatchObject({ sentOnce: 17, unknown: 3, lost: 0, duplicated: 0 });
  });

  it('Twilio 21610: those sends fail visibly and the number counts as opted out, so the next day sends nothing to it', async () => {
    const { row, participants, dueAt } = await providerFault(
      3,
      'Twilio 21610',
      'sms',
      20,
      () => system.gateway.inject({ kind: 'unsubscribed', count: 3 }),
      { retire: false },
    );
    expect(row).toMatchObject({ sentOnce: 17, failed: 3, lost: 0, duplicated: 0 });
    const failed: Participant[] = [];
    for (const p of participants) {
      const prompt = await deps.prompts.get({ participantId: p.id, scheduledFor: dueAt });
      if (prompt?.status === 'failed') failed.push(p);
    }
    expect(failed).toHaveLength(3);
    for (const p of failed) expect((await deps.contacts.get('sms', p.phone ?? ''))?.optedOut).toBe(true);
    const nextDay = plus(dueAt, 24 * 60).toISOString();
    // The next day: the 17 get their question; the 3 opted-out numbers get nothing, not even a try.
    const before = await receivedCounts('sms');
    const attemptsBefore = system.gateway.sent().length;
    await system.advanceClock(plus(dueAt, 24 * 60 + 20));
    const after = await receivedCounts('sms');
    const grew = participants.filter(
      (p) => (after.get(p.phone ?? '') ?? 0) > (before.get(p.phone ?? '') ?? 0),
    );
    expect(grew.map((p) => p.id).sort()).toEqual(
      participants
        .filter((p) => !failed.includes(p))
        .map((p) => p.id)
        .sort(),
    );
    expect(system.gateway.sent().length - attemptsBefore).toBe(17);
    for (const p of failed) {
      const next = await deps.prompts.get({ participantId: p.id, scheduledFor: nextDay });
      expect(next === undefined || next.status === 'skipped').toBe(true);
    }
    await retire(participants);
  });

  it('SES failing (500): the affected emails are unknown, never resent; the rest go out once', async () => {
    const { row } = await providerFault(5, 'SES 500', 'email', 20, () =>
      system.ses.inject({ kind: 'http-500', count: 5 }),
    );
    expect(row).toMatchObject({ sentOnce: 15, unknown: 5, lost: 0, duplicated: 0 });
  });

  it('SES throttling: every email goes out once, after backing off', async () => {
    const { row } = await providerFault(6, 'SES throttling', 'email', 20, () => {
      system.ses.inject({ kind: 'throttle', count: 8 });
      system.ses.inject({ kind: 'http-503', count: 2 });
    });
    expect(row).toMatchObject({ sentOnce: 20, lost: 0, duplicated: 0 });
  });

  it('the send function crashing after the provider accepted, before the status write: unknown, never resent', async () => {
    const { row } = await providerFault(7, 'sender crash after accept', 'sms', 20, () =>
      crashHook.armSendCrash(3),
    );
    expect(crashHook.simulatedCrashes()).toBe(3);
    expect(row).toMatchObject({ sentOnce: 17, unknown: 3, lost: 0, duplicated: 0 });
  });
});

describe('DynamoDB Local killed and restarted', () => {
  let cohort: Participant[];
  let dueAt: string;

  it('in the middle of a dispatch of 1,000 due prompts: each goes out once or is visibly unknown', async () => {
    dueAt = dueOf(9);
    cohort = await seed('big', 6_000_000, 1000, 'sms', dueAt);
    const phones = new Set(cohort.map((p) => p.phone));
    const sentToCohort = () => system.gateway.sent().filter((m) => phones.has(m.to)).length;

    // Killed while the dispatcher is writing the records (about halfway through its requests).
    counter.resetDynamoStats();
    const requests = () => Object.values(counter.dynamoStats().requests).reduce((a, b) => a + b, 0);
    // Each clock move runs beside its outage (both awaited together, so neither failure goes unseen).
    await Promise.all([
      system.advanceClock(plus(dueAt, 0.5)),
      (async () => {
        await until('the dispatcher to be halfway', () => requests() >= 1000);
        await dynamoOutage();
      })(),
    ]);
    // The next minute's dispatcher finds what was left; killed again while the sends drain.
    let drained = false;
    await Promise.all([
      system.advanceClock(plus(dueAt, 1.5)).finally(() => {
        drained = true;
      }),
      (async () => {
        await until('sends to be under way', () => drained || sentToCohort() >= 400);
        await dynamoOutage();
      })(),
    ]);
    await system.advanceClock(plus(dueAt, 20));

    const row = await tally('DynamoDB killed mid-dispatch (1,000)', cohort, dueAt);
    expect(row).toMatchObject({ lost: 0, duplicated: 0 });
    expect(row.sentOnce + row.unknown + row.failed).toBe(1000);
  });

  it('in the middle of a burst of 500 inbound replies: each stored once, those answered 5xx after the retry', async () => {
    // Replies to prompts that certainly went out (an `unknown` one may never have reached the phone).
    const sent: Participant[] = [];
    await pool(cohort, 16, async (p) => {
      const prompt = await deps.prompts.get({ participantId: p.id, scheduledFor: dueAt });
      if (prompt?.status === 'sent') sent.push(p);
    });
    const repliers = sent.slice(0, 500);
    expect(repliers).toHaveLength(500);
    const sid = (p: Participant) => `SM${p.id.replace(/\D/gu, '').padStart(32, 'c')}`;
    const first = new Map<string, number>();
    let done = 0;
    const deliver = async (p: Participant) => {
      const result = await system.gateway.deliverInbound({
        from: p.phone ?? '',
        body: '7 8 6 9 5 8',
        messageSid: sid(p),
      });
      return result.status;
    };
    await Promise.all([
      pool(repliers, 8, async (p) => {
        first.set(p.id, await deliver(p));
        done++;
      }),
      (async () => {
        await until('a third of the burst', () => done >= 150);
        await dynamoOutage();
      })(),
    ]);
    // The provider retries what got a 5xx, with the same MessageSid, until it gets an answer: at
    // once, then later (the local clock moves on by a minute between rounds).
    let pending = repliers.filter((p) => (first.get(p.id) ?? 500) >= 500);
    for (let round = 0; round < 10 && pending.length > 0; round++) {
      const next: Participant[] = [];
      await pool(pending, 8, async (p) => {
        if ((await deliver(p)) >= 500) next.push(p);
      });
      pending = next;
      const now = (await (await fetch(`${system.url}/dev/clock`)).json()) as { now: string };
      await system.advanceClock(plus(now.now, 1));
    }
    expect(pending).toEqual([]);

    const confirmations = new Map<string, number>();
    for (const m of system.gateway.sent())
      if (m.direction === 'outbound-reply' && m.body.startsWith('Got it'))
        confirmations.set(m.to, (confirmations.get(m.to) ?? 0) + 1);
    const row: ReplyRow = {
      fault: 'DynamoDB killed mid-burst (500)',
      n: repliers.length,
      first2xx: [...first.values()].filter((s) => s < 500).length,
      first5xx: [...first.values()].filter((s) => s >= 500).length,
      storedOnce: 0,
      lost: 0,
      duplicated: 0,
    };
    await pool(repliers, 16, async (p) => {
      const { Item } = await client.documentClient.send(
        new GetCommand({ TableName: client.tableName, Key: inboundKey(sid(p)), ConsistentRead: true }),
      );
      const answers = (await deps.replies.listAnswers(p.id, { limit: 50 })).items.filter(
        (a) => a.scheduledFor === dueAt,
      );
      if ((confirmations.get(p.phone ?? '') ?? 0) > 1 || answers.length > 6) row.duplicated++;
      else if (Item?.outcome && answers.length === 6) row.storedOnce++;
      else {
        row.lost++;
        // What a lost reply left behind, to tell a handler's fault from the store losing a write.
        console.log(
          `lost reply ${p.id}: first answer ${first.get(p.id)}, raw ${Item ? 'stored' : 'missing'}, outcome ${JSON.stringify(Item?.outcome ?? null)}, answers ${answers.length}`,
        );
      }
    });
    replyRows.push(row);
    expect(row).toMatchObject({ storedOnce: 500, lost: 0, duplicated: 0 });
    expect(row.first5xx).toBeGreaterThan(0); // the outage did hit the burst
  });
});
