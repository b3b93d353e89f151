/**
 * The DynamoDB document client, one per process (reused across Lambda invocations). Every request
 * asks for consumed capacity and is counted, so `npm run bench` can report requests and capacity
 * per prompt from the real adapter path; on AWS the extra response field costs nothing.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { awsConfig, tableConfig } from '../../config.js';

/** Request and capacity counters per DynamoDB operation since the last reset. */
export interface DynamoStats {
  readonly requests: Record<string, number>;
  readonly capacityUnits: Record<string, number>;
}

const stats = { requests: {} as Record<string, number>, capacityUnits: {} as Record<string, number> };

/** Counters of requests and consumed capacity, by operation name (PutItem, Query, ...). */
export function dynamoStats(): DynamoStats {
  return { requests: { ...stats.requests }, capacityUnits: { ...stats.capacityUnits } };
}

/** Resets {@link dynamoStats}. */
export function resetDynamoStats(): void {
  stats.requests = {};
  stats.capacityUnits = {};
}

let askCapacity = true;

/**
 * Whether requests ask for their consumed capacity (on unless turned off). The load bench turns it
 * off: DynamoDB Local spends about a quarter more CPU on a request that reports its capacity
 * (DynamoDB itself nothing), which on one shared machine would be measured as the handler's.
 */
export function countCapacity(on: boolean): void {
  askCapacity = on;
}

interface CapacityLike {
  CapacityUnits?: number;
}

const { TABLE_NAME, DYNAMODB_ENDPOINT } = tableConfig();
const base = new DynamoDBClient({
  region: awsConfig().AWS_REGION,
  ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}),
});

base.middlewareStack.add(
  (next, context) => async (args) => {
    const operation = context.commandName?.replace(/Command$/u, '') ?? 'unknown';
    const input = args.input as Record<string, unknown>;
    if (askCapacity && !('ReturnConsumedCapacity' in input)) input.ReturnConsumedCapacity = 'TOTAL';
    stats.requests[operation] = (stats.requests[operation] ?? 0) + 1;
    const result = await next(args);
    const consumed = (result.output as { ConsumedCapacity?: CapacityLike | CapacityLike[] }).ConsumedCapacity;
    const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce(
      (sum, c) => sum + (c.CapacityUnits ?? 0),
      0,
    );
    stats.capacityUnits[operation] = (stats.capacityUnits[operation] ?? 0) + units;
    return result;
  },
  { step: 'initialize', name: 'nanocoachCapacityCounter' },
);

/** Shared document client; plain JS values in and out, `undefined` attributes dropped. */
export const documentClient = DynamoDBDocumentClient.from(base, {
  marshallOptions: { removeUndefinedValues: true },
});
// The SDK's logger middleware filters every request's input and output for a log line even with no
// logger configured (its default logger has no-op methods, so the arguments are still built): about
// a tenth of the client's CPU per request. Nothing here logs through the SDK.
documentClient.middlewareStack.remove('loggerMiddleware');

/** The table every repository uses. */
export const tableName = TABLE_NAME;

/** Partitions of the due index. */
export const dueShards = (): number => tableConfig().DUE_SHARDS;

/** Runs a query to its last page, yielding items as they arrive. */
export async function* queryAll(
  input: Omit<QueryCommandInput, 'TableName'>,
): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: startKey }),
    );
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/**
 * The update expression of a change, for every adapter: `undefined` fields are left alone, `null`
 * fields are removed, the others set, and the item's `version` goes up. `extraSet` adds raw SET
 * clauses such as counters (they may use `:one`).
 */
export function updateExpression(change: Record<string, unknown>, extraSet: readonly string[] = []) {
  const entries = Object.entries(change).filter(([, v]) => v !== undefined);
  const kept = entries.filter(([, v]) => v !== null);
  const removed = entries.filter(([, v]) => v === null).map(([k]) => `#${k}`);
  const set = [...kept.map(([k]) => `#${k} = :${k}`), '#version = #version + :one', ...extraSet];
  return {
    UpdateExpression: `SET ${set.join(', ')}${removed.length ? ` REMOVE ${removed.join(', ')}` : ''}`,
    ExpressionAttributeNames: {
      '#version': 'version',
      ...Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
    } as Record<string, string>,
    ExpressionAttributeValues: {
      ':one': 1,
      ...Object.fromEntries(kept.map(([k, v]) => [`:${k}`, v])),
    } as Record<string, unknown>,
  };
}

/** Whether an error is DynamoDB's "condition not met". */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
