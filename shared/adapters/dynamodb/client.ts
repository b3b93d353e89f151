/**
 * The DynamoDB document client, one per process (reused across Lambda invocations). The benches
 * and the tests that count requests install their counter on it from outside
 * (`test/support/dynamo-stats.ts`); the product counts nothing.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { awsConfig, tableConfig } from '../../config.js';

const { TABLE_NAME, DYNAMODB_ENDPOINT } = tableConfig();
const base = new DynamoDBClient({
  region: awsConfig().AWS_REGION,
  ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}),
});

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
