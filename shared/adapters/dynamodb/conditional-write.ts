/**
 * A conditional write of one item, and a strongly consistent read of one, as every adapter sends
 * them: alone, as PutItem / UpdateItem / GetItem, unless the invocation batches them (see
 * `write-batch.ts`, which only the functions that batch load, so the others' bundles do not carry
 * it).
 */
import { GetCommand, PutCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { documentClient, isConditionFailure } from './client.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * One conditional write of one item, as a transaction takes it; an update may ask for the item
 * after it (`ReturnValues: 'ALL_NEW'`), which only a write sent alone returns.
 */
export type ConditionalWrite =
  | { readonly Put: NonNullable<TransactItem['Put']> }
  | { readonly Update: NonNullable<TransactItem['Update']> & { readonly ReturnValues?: 'ALL_NEW' } };

/**
 * What became of a write. `attributes` is the item after the write when the write went alone and
 * asked for `ReturnValues` (a transaction returns none: the caller reads the item if it needs it).
 */
export type WriteOutcome =
  | { readonly written: true; readonly attributes?: Record<string, unknown> }
  | { readonly written: false; readonly old?: Record<string, unknown> };

/** Takes a write or read into the current invocation's batch; `undefined` when there is none. */
export interface Batching {
  write(write: ConditionalWrite): Promise<WriteOutcome> | undefined;
  read(table: string, key: Record<string, unknown>): Promise<Record<string, unknown> | undefined> | undefined;
}

let batching: Batching | undefined;

/** Called once by `write-batch.ts` when it is loaded. */
export function installBatching(b: Batching): void {
  batching = b;
}

/** Sends a conditional write: in the invocation's batch if it has one, else alone. */
export function conditionalWrite(write: ConditionalWrite): Promise<WriteOutcome> {
  return batching?.write(write) ?? writeAlone(write);
}

/** Reads one item (PK, SK), strongly consistent: in the invocation's batch if it has one, else alone. */
export function consistentGet(
  table: string,
  key: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  return batching?.read(table, key) ?? getAlone(table, key);
}

/** The write as its own PutItem / UpdateItem, with the old item on a failed condition. */
export async function writeAlone(write: ConditionalWrite): Promise<WriteOutcome> {
  try {
    const out =
      'Put' in write
        ? await documentClient.send(
            new PutCommand({ ...write.Put, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
          )
        : await documentClient.send(
            new UpdateCommand({ ...write.Update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
          );
    return { written: true, ...(out.Attributes ? { attributes: out.Attributes } : {}) };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const old = (error as { Item?: Record<string, unknown> }).Item;
    return { written: false, ...(old ? { old: unmarshall(old as never) } : {}) };
  }
}

/** The read as its own GetItem. */
export async function getAlone(table: string, key: Record<string, unknown>) {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: table, Key: key, ConsistentRead: true }),
  );
  return Item;
}
