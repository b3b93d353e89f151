/**
 * The single table's physical shape: keys, indexes, TTL. The CDK stateful stack and the local
 * stack both build the table from this object, so local and AWS can never drift apart.
 * What lives under these keys is described in `keys.ts`.
 */
export interface IndexDefinition {
  /** Index name as used in `Query` calls. */
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** Keys and indexes of the table; every attribute here is a string. */
export const tableDefinition = {
  partitionKey: 'PK',
  sortKey: 'SK',
  indexes: {
    /** Generic "list by owner" index: a coach's participants, a participant's raw messages. */
    byOwner: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    /**
     * Timer index: items with something due at a time (a participant's next prompt, a reminder)
     * sorted by that time within a small number of shards. Sparse: items without a timer are absent.
     */
    due: { name: 'DueIndex', partitionKey: 'duePK', sortKey: 'dueSK' },
  },
  /** Epoch-seconds attribute after which DynamoDB may delete an item (raw-message retention). */
  ttlAttribute: 'expiresAt',
} as const satisfies {
  partitionKey: string;
  sortKey: string;
  indexes: Record<string, IndexDefinition>;
  ttlAttribute: string;
};
