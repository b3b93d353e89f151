/**
 * DynamoDB adapter for {@link ParticipantRepository}: the participant item, its phone-number claim
 * and its entry in the due index.
 */
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../../config.js';
import type { Participant } from '../../domain/participant.js';
import { ConflictError } from '../../errors.js';
import type { ParticipantRepository } from '../../ports.js';
import { documentClient, isConditionFailure, queryAll, tableName, updateExpression } from './client.js';
import { dueKeys, participantKeys, shardOf } from './keys.js';
import { tableDefinition } from './table-definition.js';

const ENTITY = 'participant';
const DATA_FIELDS = [
  'id',
  'coachId',
  'name',
  'phone',
  'timeZone',
  'programId',
  'channel',
  'status',
  'createdAt',
  'consentAt',
  'pausedUntil',
  'nextDueAt',
] as const;

/** Strips table attributes from a participant item. */
export function toParticipant(item: Record<string, unknown>): Participant {
  const out: Record<string, unknown> = {};
  for (const field of DATA_FIELDS) if (item[field] !== undefined) out[field] = item[field];
  return out as unknown as Participant;
}

function dueAttributes(id: string, nextDueAt: string) {
  return dueKeys.participant(shardOf(id, config.DUE_SHARDS), nextDueAt, id);
}

/** Participants in the single table. */
export const dynamoParticipantRepository: ParticipantRepository = {
  async create(participant) {
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...participantKeys.item(participant.id),
                  ...participantKeys.byCoach(participant.coachId, participant.id),
                  ...(participant.nextDueAt ? dueAttributes(participant.id, participant.nextDueAt) : {}),
                  entity: ENTITY,
                  version: 1,
                  ...participant,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...participantKeys.phone(participant.phone),
                  entity: 'phone-claim',
                  version: 1,
                  participantId: participant.id,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if (reasons?.[1]?.Code === 'ConditionalCheckFailed') {
        throw new ConflictError('phone', 'this number is already enrolled');
      }
      throw error;
    }
  },

  async get(participantId) {
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: tableName,
        Key: participantKeys.item(participantId),
        ConsistentRead: true,
      }),
    );
    return Item ? toParticipant(Item) : undefined;
  },

  async listForCoach(coachId) {
    const index = tableDefinition.indexes.byOwner;
    const prefix = participantKeys.byCoach(coachId, '');
    const out: Participant[] = [];
    for await (const item of queryAll({
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
      ExpressionAttributeValues: { ':pk': prefix.GSI1PK, ':prefix': prefix.GSI1SK },
    })) {
      out.push(toParticipant(item));
    }
    return out;
  },

  async findByPhone(phone) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: participantKeys.phone(phone), ConsistentRead: true }),
    );
    return typeof Item?.participantId === 'string' ? this.get(Item.participantId) : undefined;
  },

  async update(participantId, change, expectedDueAt) {
    const { nextDueAt } = change;
    const due =
      nextDueAt === undefined
        ? {}
        : nextDueAt === null
          ? { duePK: null, dueSK: null }
          : dueAttributes(participantId, nextDueAt);
    const update = updateExpression({ ...change, ...due });
    const names: Record<string, string> = { ...update.ExpressionAttributeNames };
    const values: Record<string, unknown> = { ...update.ExpressionAttributeValues };
    const conditions = ['attribute_exists(PK)'];
    if (expectedDueAt !== undefined) {
      names['#nextDueAt'] = 'nextDueAt';
      if (expectedDueAt === null) {
        conditions.push('attribute_not_exists(#nextDueAt)');
      } else {
        conditions.push('#nextDueAt = :expectedDueAt');
        values[':expectedDueAt'] = expectedDueAt;
      }
    }
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName,
          Key: participantKeys.item(participantId),
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },
};
