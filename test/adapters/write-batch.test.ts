/**
 * Batched conditional writes against DynamoDB Local: the send records and claims written together
 * by one invocation go as one request, and each write still meets its own condition — a record
 * created twice is created once, a claim made twice is won once, whatever else shares the batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prompt } from '../../shared/domain/prompt.js';
import type { PromptRepository } from '../../shared/ports.js';
import { startTestSystem, type TestSystem } from '../support/system.js';

let t: TestSystem;
let prompts: PromptRepository;
let counter: typeof import('../support/dynamo-stats.js');
let batchingWrites: typeof import('../../shared/adapters/dynamodb/write-batch.js').batchingWrites;

beforeAll(async () => {
  t = await startTestSystem('2026-11-23T12:00:00Z');
  // Loaded after the system set the environment they are configured from.
  counter = await import('../support/dynamo-stats.js');
  ({ batchingWrites } = await import('../../shared/adapters/dynamodb/write-batch.js'));
  ({ dynamoPromptRepository: prompts } = await import('../../shared/adapters/dynamodb/prompts.js'));
});
afterAll(async () => t?.stop());

const record = (participantId: string, scheduledFor = '2026-11-24T01:00:00.000Z'): Prompt => ({
  participantId,
  scheduledFor,
  channel: 'sms',
  programId: 'daily-questions',
  questions: [{ text: 'Did I do my best to be fully engaged today?', type: 'scale' }],
  status: 'queued',
  attempts: 0,
  createdAt: '2026-11-23T12:00:00.000Z',
});

/** The DynamoDB write requests `fn` made, by operation. */
async function writesOf(fn: () => Promise<unknown>): Promise<Record<string, number>> {
  counter.resetDynamoStats();
  await fn();
  const { requests } = counter.dynamoStats();
  return Object.fromEntries(
    Object.entries(requests).filter(([op]) => /Put|Update|Transact|BatchWrite|Delete/u.test(op)),
  );
}

describe('writes of one invocation at the same moment', () => {
  it('go as one transaction, and a record that already exists is reported, not written again', async () => {
    await prompts.create({ ...record('wb-1'), status: 'sent' }); // created earlier, already sent
    let results: Awaited<ReturnType<PromptRepository['create']>>[] = [];
    const writes = await writesOf(async () => {
      results = await batchingWrites(() =>
        Promise.all(['wb-1', 'wb-2', 'wb-3', 'wb-4'].map((id) => prompts.create(record(id)))),
      );
    });
    // One request for the four; the one whose condition failed came back alone, the three again.
    expect(writes).toEqual({ TransactWriteItems: 2 });
    expect(results.map((r) => r.created)).toEqual([false, true, true, true]);
    expect(results[0]).toMatchObject({ existing: { status: 'sent' } });
    for (const id of ['wb-2', 'wb-3', 'wb-4'])
      expect(await prompts.get({ participantId: id, scheduledFor: record(id).scheduledFor })).toMatchObject({
        status: 'queued',
      });
  });

  it('claim the records of a batch in one request, each won once even when claimed twice at once', async () => {
    const ids = ['wb-c1', 'wb-c2', 'wb-c3'];
    for (const id of ids) await prompts.create(record(id));
    const at = new Date('2026-11-24T01:00:05Z');
    const refs = ids.map((id) => ({ participantId: id, scheduledFor: record(id).scheduledFor }));
    let claims: (Prompt | undefined)[] = [];
    const writes = await writesOf(async () => {
      // wb-c1's message delivered twice in the same batch (SQS may): one claim wins.
      claims = await batchingWrites(() =>
        Promise.all(refs.concat(refs.slice(0, 1)).map((ref) => prompts.claim(ref, at))),
      );
    });
    expect(claims.filter((c) => c?.participantId === 'wb-c1')).toHaveLength(1);
    expect(claims.filter(Boolean).map((c) => [c?.participantId, c?.status, c?.attempts])).toEqual(
      expect.arrayContaining([
        ['wb-c1', 'sending', 1],
        ['wb-c2', 'sending', 1],
        ['wb-c3', 'sending', 1],
      ]),
    );
    // The three distinct claims in one transaction; the duplicate, which a transaction cannot
    // hold beside its twin, alone after it.
    expect(writes).toEqual({ TransactWriteItems: 1, UpdateItem: 1 });
    // A transaction returns no items: the three claimed records are read back in one request.
    expect(counter.dynamoStats().requests).toMatchObject({ BatchGetItem: 1 });
    expect(counter.dynamoStats().requests.GetItem).toBeUndefined();
    // A second delivery later finds them all claimed.
    expect(await batchingWrites(() => Promise.all(refs.map((ref) => prompts.claim(ref, at))))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('outside a batching scope, and alone in its moment, go as the single request they always were', async () => {
    expect(await writesOf(() => prompts.create(record('wb-s1')))).toEqual({ PutItem: 1 });
    expect(await writesOf(() => batchingWrites(() => prompts.create(record('wb-s2'))))).toEqual({
      PutItem: 1,
    });
    const claimed = await batchingWrites(() =>
      prompts.claim({ participantId: 'wb-s2', scheduledFor: record('wb-s2').scheduledFor }, new Date()),
    );
    expect(claimed).toMatchObject({ participantId: 'wb-s2', status: 'sending', attempts: 1 });
  });
});
