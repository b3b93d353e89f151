/**
 * DynamoDB adapter for {@link ErasedContactRepository}: one item per erased address that said no,
 * keyed by the keyed hash of the address and holding only the consent facts.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ErasedContact } from '../../domain/erased-contact.js';
import type { ErasedContactRepository } from '../../ports.js';
import { documentClient, tableName } from './client.js';
import { erasedContactKeys } from './keys.js';

/** Erased addresses' consent in the single table. */
export const dynamoErasedContactRepository: ErasedContactRepository = {
  async get(digest) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: erasedContactKeys.item(digest), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const kept: ErasedContact = {
      ...(Item.optedOut === true ? { optedOut: true as const } : {}),
      ...(typeof Item.consentChangedAt === 'string' ? { consentChangedAt: Item.consentChangedAt } : {}),
      ...(Item.suppressed === 'hard-bounce' || Item.suppressed === 'complaint'
        ? { suppressed: Item.suppressed }
        : {}),
    };
    return kept;
  },

  async set(digest, kept) {
    const Key = erasedContactKeys.item(digest);
    if (!kept) {
      await documentClient.send(new DeleteCommand({ TableName: tableName, Key }));
      return;
    }
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...Key, entity: 'erased-contact', version: 1, ...kept },
      }),
    );
  },
};
