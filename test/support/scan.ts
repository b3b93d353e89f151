/**
 * Reads a test system's whole table, as tests do to prove what is (not) stored anywhere; a test
 * may scan, the product never does.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TestSystem } from './system.js';

/** A function returning every item of the system's table (its name from `TABLE_NAME`). */
export function tableScanner(t: TestSystem): () => Promise<Record<string, unknown>[]> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: t.system.dynamoEndpoint, region: 'us-east-1' }),
  );
  const name = process.env.TABLE_NAME ?? '';
  return async () => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: name, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  };
}
