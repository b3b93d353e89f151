/**
 * DynamoDB adapter for {@link ConversationRepository}. A kept message is the raw inbound item
 * itself (`INBOUND#{providerMessageId}` / `RAW`) marked `conversation` and linked to its participant
 * in the owner index, so the raw-message TTL, the export and the erasure cover it with nothing
 * more to do. The participant's profile carries `unreadMessages` and `unreadUrgent`, raised and
 * lowered in the same transaction as the mark on the message, so each message counts exactly once.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel } from '../../domain/channel.js';
import { type ConversationMessage, messageIdOf } from '../../domain/conversation.js';
import type { ConversationRepository } from '../../ports.js';
import { documentClient, queryAll, tableName } from './client.js';
import { inboundKeys, participantKeys } from './keys.js';
import { tableDefinition } from './table-definition.js';

/** A transaction refused because one of its conditions did not hold. */
const isCancelled = (error: unknown) =>
  error instanceof Error &&
  (error.name === 'TransactionCanceledException' || error.name === 'ConditionalCheckFailedException');

function toMessage(item: Record<string, unknown>): ConversationMessage {
  return {
    id: messageIdOf(String(item.providerMessageId)),
    receivedAt: String(item.receivedAt),
    channel: item.channel as Channel,
    text: String(item.body ?? ''),
    urgent: item.conversation === 'urgent',
    ...(typeof item.readAt === 'string' ? { readAt: item.readAt } : {}),
  };
}

async function* kept(participantId: string, onlyUnread: boolean) {
  const index = tableDefinition.indexes.byOwner;
  const owner = inboundKeys.byParticipant(participantId, '');
  yield* queryAll({
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    FilterExpression: `attribute_exists(conversation)${onlyUnread ? ' AND attribute_not_exists(readAt)' : ''}`,
    ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
    ExpressionAttributeValues: { ':pk': owner.GSI1PK, ':prefix': owner.GSI1SK },
    ScanIndexForward: false,
  });
}

/**
 * Writes a change to one raw message and moves the participant's counters with it, all or nothing;
 * false when a condition did not hold (already kept or read, not theirs, participant gone).
 */
async function withCounters(
  message: {
    Key: Record<string, string>;
    UpdateExpression: string;
    ConditionExpression: string;
    values: Record<string, unknown>;
  },
  participantId: string,
  delta: 1 | -1,
  urgent: boolean,
): Promise<boolean> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: message.Key,
              UpdateExpression: message.UpdateExpression,
              ConditionExpression: message.ConditionExpression,
              ExpressionAttributeValues: message.values,
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: participantKeys.item(participantId),
              UpdateExpression: 'ADD unreadMessages :delta, unreadUrgent :urgent',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':delta': delta, ':urgent': urgent ? delta : 0 },
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (isCancelled(error)) return false;
    throw error;
  }
}

/** Marks one message read and lowers the counters by it; false when it was not an unread one. */
const markOne = (participantId: string, providerMessageId: string, urgent: boolean, at: string) =>
  withCounters(
    {
      Key: inboundKeys.item(providerMessageId),
      UpdateExpression: 'SET readAt = :at',
      // Only the participant's own kept, unread message: an id of someone else's does nothing.
      ConditionExpression:
        'GSI1PK = :owner AND attribute_exists(conversation) AND attribute_not_exists(readAt)',
      values: { ':at': at, ':owner': inboundKeys.byParticipant(participantId, '').GSI1PK },
    },
    participantId,
    -1,
    urgent,
  );

/** The conversation in the single table. */
export const dynamoConversationRepository: ConversationRepository = {
  keep(message, participantId, urgent) {
    const owner = inboundKeys.byParticipant(participantId, message.receivedAt);
    return withCounters(
      {
        Key: inboundKeys.item(message.providerMessageId),
        UpdateExpression: 'SET conversation = :kind, GSI1PK = :gpk, GSI1SK = :gsk',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(conversation)',
        values: { ':kind': urgent ? 'urgent' : 'message', ':gpk': owner.GSI1PK, ':gsk': owner.GSI1SK },
      },
      participantId,
      1,
      urgent,
    );
  },

  async list(participantId, limit) {
    const out: ConversationMessage[] = [];
    for await (const item of kept(participantId, false)) {
      out.push(toMessage(item));
      if (out.length >= limit) break;
    }
    return out;
  },

  async markRead(participantId, providerMessageIds, at) {
    const targets: { providerMessageId: string; urgent: boolean }[] = [];
    if (providerMessageIds === 'all') {
      for await (const item of kept(participantId, true))
        targets.push({
          providerMessageId: String(item.providerMessageId),
          urgent: item.conversation === 'urgent',
        });
    } else {
      const items = await Promise.all(
        [...new Set(providerMessageIds)].map(async (id) => {
          const { Item } = await documentClient.send(
            new GetCommand({ TableName: tableName, Key: inboundKeys.item(id), ConsistentRead: true }),
          );
          return Item;
        }),
      );
      for (const item of items)
        if (item?.conversation && !item.readAt)
          targets.push({
            providerMessageId: String(item.providerMessageId),
            urgent: item.conversation === 'urgent',
          });
    }
    let marked = 0;
    for (const t of targets) if (await markOne(participantId, t.providerMessageId, t.urgent, at)) marked++;
    return marked;
  },
};
