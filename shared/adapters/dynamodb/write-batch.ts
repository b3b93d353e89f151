/**
 * Conditional single-item writes that one invocation issues at the same moment, sent as one
 * request.
 *
 * Why: a dispatcher run creates a send record and moves a timer for every participant due, and a
 * send function claims each record of its SQS batch, all concurrently and each a conditional write
 * of its own item. Inside {@link batchingWrites}, the writes pending in the same turn of the event
 * loop go out as one TransactWriteItems (at most {@link MAX_ITEMS}, no key twice), while each keeps
 * its own condition and its own answer: an item whose condition fails answers `written: false`
 * (with the item as it was, as ReturnValuesOnConditionCheckFailure gives it), and the others are
 * sent again without it, so no write depends on another's condition. A write alone in its turn,
 * or outside a batching scope, is sent as its own PutItem or UpdateItem, exactly as before.
 *
 * What it costs: one request for many writes, but a transactional write is billed 2 write units
 * per KB instead of 1. Requests are what bound the send path's latency and round trips; the
 * capacity is reported beside them by `npm run bench -- dispatch`.
 *
 * A batch retried by the SDK after a lost response is not applied twice: the SDK gives each
 * TransactWriteItems a ClientRequestToken, which DynamoDB honours for ten minutes.
 *
 * The scope belongs to one invocation (AsyncLocalStorage): locally, where many invocations share
 * one process, the writes of two invocations are never merged, so the local counts are AWS's.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { BatchGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { documentClient } from './client.js';
import {
  type ConditionalWrite,
  getAlone,
  installBatching,
  type WriteOutcome,
  writeAlone,
} from './conditional-write.js';

/** DynamoDB's limit of items in one TransactWriteItems. */
export const MAX_ITEMS = 100;

/** Attempts of a batch whose transaction meets a concurrent write, before its items go alone. */
const CONFLICT_ATTEMPTS = 3;

interface Pending {
  readonly write: ConditionalWrite;
  readonly key: string;
  readonly resolve: (outcome: WriteOutcome) => void;
  readonly reject: (error: unknown) => void;
}

interface PendingRead {
  readonly table: string;
  readonly key: Record<string, unknown>;
  readonly resolve: (item: Record<string, unknown> | undefined) => void;
  readonly reject: (error: unknown) => void;
}

interface Scope {
  pending: Pending[];
  scheduled: boolean;
  reads: PendingRead[];
}

const scopes = new AsyncLocalStorage<Scope>();

// Loading this module is what turns batching on for the adapters (they import only
// conditional-write.ts); it does nothing outside a batchingWrites scope.
installBatching({ write: (write) => batchWrite(write), read: (table, key) => batchRead(table, key) });

/**
 * Runs `fn` with its conditional writes batched (see the module comment). Wraps one invocation:
 * the dispatcher's run, a send function's SQS batch.
 */
export function batchingWrites<T>(fn: () => Promise<T>): Promise<T> {
  return scopes.run({ pending: [], scheduled: false, reads: [] }, fn);
}

/** Takes a conditional write into the scope's batch of this turn; `undefined` outside a scope. */
function batchWrite(write: ConditionalWrite): Promise<WriteOutcome> | undefined {
  const scope = scopes.getStore();
  if (!scope) return undefined;
  return new Promise((resolve, reject) => {
    scope.pending.push({ write, key: keyOf(write), resolve, reject });
    if (scope.scheduled) return;
    scope.scheduled = true;
    // After the current turn: every handler that reached its write by then goes in this batch.
    setImmediate(() => {
      const pending = scope.pending;
      scope.pending = [];
      scope.scheduled = false;
      // One after the other: a second write of the same item follows the first, as it was issued.
      void (async () => {
        for (const chunk of chunks(pending))
          await send(chunk, 1).catch((error: unknown) => {
            for (const p of chunk) p.reject(error);
          });
      })();
    });
  });
}

/** Batches of at most {@link MAX_ITEMS} with no item twice (a transaction refuses that). */
function chunks(pending: readonly Pending[]): Pending[][] {
  const out: { items: Pending[]; keys: Set<string> }[] = [];
  for (const p of pending) {
    let chunk = out.find((c) => c.items.length < MAX_ITEMS && !c.keys.has(p.key));
    if (!chunk) {
      chunk = { items: [], keys: new Set() };
      out.push(chunk);
    }
    chunk.items.push(p);
    chunk.keys.add(p.key);
  }
  return out.map((c) => c.items);
}

async function send(batch: readonly Pending[], attempt: number): Promise<void> {
  if (batch.length === 1) {
    const [only] = batch;
    if (only) await writeAlone(only.write).then(only.resolve, only.reject);
    return;
  }
  try {
    await documentClient.send(
      new TransactWriteCommand({ TransactItems: batch.map((p) => transactItem(p.write)) }),
    );
    for (const p of batch) p.resolve({ written: true });
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string; Item?: Record<string, unknown> }[] })
      .CancellationReasons;
    if (!reasons) {
      for (const p of batch) p.reject(error);
      return;
    }
    const again: Pending[] = [];
    let conflict = false;
    let other = false;
    batch.forEach((p, i) => {
      const reason = reasons[i];
      if (reason?.Code === 'ConditionalCheckFailed') {
        p.resolve({ written: false, ...(reason.Item ? { old: unmarshall(reason.Item as never) } : {}) });
        return;
      }
      if (reason?.Code === 'TransactionConflict') conflict = true;
      // Anything but "not written because of another item" or a concurrent write (a validation
      // error, throttling) is each item's own to meet: those go alone and answer for themselves.
      else if (reason?.Code && reason.Code !== 'None') other = true;
      again.push(p);
    });
    const progress = again.length < batch.length;
    if (other || (conflict && attempt >= CONFLICT_ATTEMPTS) || (!conflict && !progress))
      await Promise.all(again.map((p) => writeAlone(p.write).then(p.resolve, p.reject)));
    else if (again.length) await send(again, attempt + 1);
  }
}

/** The write as an item of a transaction (which has no ReturnValues), the old item on a failed condition. */
function transactItem(write: ConditionalWrite) {
  if ('Put' in write)
    return { Put: { ...write.Put, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } };
  const { ReturnValues: _returnValues, ...update } = write.Update;
  return { Update: { ...update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } };
}

function keyOf(write: ConditionalWrite): string {
  const input = 'Put' in write ? write.Put : write.Update;
  const item = 'Put' in write ? write.Put.Item : write.Update.Key;
  return `${input.TableName}|${String(item?.PK)}|${String(item?.SK)}`;
}

/**
 * Takes a strongly consistent read of one item (PK, SK) into the scope's BatchGetItem of this
 * turn: the claims that went in one transaction, which returns no items, are read back together.
 * `undefined` outside a scope.
 */
function batchRead(
  table: string,
  key: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> | undefined {
  const scope = scopes.getStore();
  if (!scope) return undefined;
  return new Promise((resolve, reject) => {
    scope.reads.push({ table, key, resolve, reject });
    if (scope.reads.length > 1) return;
    setImmediate(() => {
      const reads = scope.reads;
      scope.reads = [];
      void readAll(reads).catch((error: unknown) => {
        for (const r of reads) r.reject(error);
      });
    });
  });
}

/** DynamoDB's limit of keys in one BatchGetItem. */
const MAX_KEYS = 100;

async function readAll(reads: readonly PendingRead[]): Promise<void> {
  const only = reads.length === 1 ? reads[0] : undefined;
  if (only) {
    await getAlone(only.table, only.key).then(only.resolve, only.reject);
    return;
  }
  const id = (table: string, key: Record<string, unknown>) => `${table}|${String(key.PK)}|${String(key.SK)}`;
  const found = new Map<string, Record<string, unknown>>();
  const wanted = [...new Map(reads.map((r) => [id(r.table, r.key), r])).values()];
  for (let i = 0; i < wanted.length; i += MAX_KEYS) {
    let left = wanted.slice(i, i + MAX_KEYS);
    // Keys DynamoDB leaves unprocessed (throttling) are asked again, as its documentation says.
    while (left.length) {
      const byTable: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: true }> = {};
      for (const r of left) {
        const entry = byTable[r.table] ?? { Keys: [], ConsistentRead: true };
        entry.Keys.push(r.key);
        byTable[r.table] = entry;
      }
      const out = await documentClient.send(new BatchGetCommand({ RequestItems: byTable }));
      for (const [table, items] of Object.entries(out.Responses ?? {}))
        for (const item of items) found.set(id(table, item), item);
      const unprocessed = new Set(
        Object.entries(out.UnprocessedKeys ?? {}).flatMap(([table, k]) =>
          (k.Keys ?? []).map((key) => id(table, key)),
        ),
      );
      left = left.filter((r) => unprocessed.has(id(r.table, r.key)));
    }
  }
  for (const r of reads) r.resolve(found.get(id(r.table, r.key)));
}
