/**
 * Honest write capacity for transactions, for the benches. DynamoDB Local reports consumed
 * capacity correctly for single-item writes (table and index writes, by item size) but not for
 * TransactWriteItems: it reports 4 units for 3, 10 or 50 one-line items alike and 16 for two
 * small updates (checked against DynamoDB Local 1.25.1). So every transaction is audited here:
 * after it commits, its items are read back (with a client of its own, so the read is not
 * counted) and priced by AWS's rule — a transactional write costs 2 write units per KB of each
 * item, and each index holding the item (both indexes project ALL) is charged the same again,
 * also at the transactional rate (an upper bound: AWS may bill index propagation as standard
 * writes).
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

const INDEX_KEYS = ['GSI1PK', 'duePK'] as const;

/** Bytes of an attribute value by DynamoDB's item-size rules (numbers approximated by digits). */
function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\./gu, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((a, s) => a + Buffer.byteLength(s), 0);
  if (value.NS) return value.NS.reduce((a, n) => a + Math.ceil(n.length / 2) + 1, 0);
  if (value.L) return 3 + value.L.reduce((a, v) => a + 1 + valueBytes(v), 0);
  if (value.M) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  return 0;
}

/** Bytes of an item: attribute names plus values. */
export function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((a, [name, v]) => a + Buffer.byteLength(name) + valueBytes(v), 0);
}

/** Write units of one item in a transaction: 2 per KB, for the table and each index holding it. */
export function transactionalUnits(item: Record<string, AttributeValue>): number {
  const kb = Math.max(1, Math.ceil(itemBytes(item) / 1024));
  const copies = 1 + INDEX_KEYS.filter((k) => item[k] !== undefined).length;
  return 2 * kb * copies;
}

/** What the audit found since its last reset. */
export interface TransactionAudit {
  /** Transactions seen. */
  readonly transactions: number;
  /** Units DynamoDB Local reported for them (to subtract from its totals). */
  readonly reportedUnits: number;
  /** Units by AWS's rule, from the items' sizes after the write. */
  readonly estimatedUnits: number;
}

/**
 * Audits every TransactWriteItems sent through `client` (the app's shared document client) against
 * the table at `endpoint`.
 */
export function auditTransactions(client: DynamoDBDocumentClient, endpoint: string, table: string) {
  const reader = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let audit = { transactions: 0, reportedUnits: 0, estimatedUnits: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName !== 'TransactWriteItemsCommand') return result;
      const input = args.input as { TransactItems?: Record<string, { Key?: unknown; Item?: unknown }>[] };
      const keys = (input.TransactItems ?? []).flatMap((entry) =>
        Object.values(entry).flatMap((op) => {
          const source = (op.Key ?? op.Item) as Record<string, unknown> | undefined;
          if (!source) return [];
          const key = { PK: source.PK, SK: source.SK };
          // Already marshalled when the document client's own middleware ran first.
          return [
            typeof key.PK === 'string' ? marshall(key) : (key as unknown as Record<string, AttributeValue>),
          ];
        }),
      );
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number }[] })
        .ConsumedCapacity;
      const reported = (consumed ?? []).reduce((a, c) => a + (c.CapacityUnits ?? 0), 0);
      const read = await reader.send(
        new BatchGetItemCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
      );
      const items = read.Responses?.[table] ?? [];
      // A deleted item (none in our transactions) would cost as its size before; count 2 for it.
      const estimated =
        items.reduce((a, item) => a + transactionalUnits(item), 0) + 2 * (keys.length - items.length);
      audit = {
        transactions: audit.transactions + 1,
        reportedUnits: audit.reportedUnits + reported,
        estimatedUnits: audit.estimatedUnits + estimated,
      };
      return result;
    },
    { step: 'initialize', name: 'benchTransactionAudit', priority: 'low' },
  );
  return {
    current: (): TransactionAudit => ({ ...audit }),
    reset: () => {
      audit = { transactions: 0, reportedUnits: 0, estimatedUnits: 0 };
    },
  };
}
