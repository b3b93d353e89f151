/**
 * DynamoDB adapter for {@link ContactRepository}: one state item per address, shared by every
 * enrolment that uses it. Consent changes are conditional on time, so a STOP and a START processed
 * out of order still end as the person said them last.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactState } from '../../domain/channel.js';
import type { ContactRepository } from '../../ports.js';
import { documentClient, isConditionFailure, tableName } from './client.js';
import { contactKeys } from './keys.js';

const FIELDS = ['optedOut', 'consentChangedAt', 'suppressed', 'softBounces'] as const;

/** Contact address state in the single table. */
export const dynamoContactRepository: ContactRepository = {
  async get(channel, address) {
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: tableName,
        Key: contactKeys.state(channel, address),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const state: Record<string, unknown> = { channel, address };
    for (const field of FIELDS) if (Item[field] !== undefined) state[field] = Item[field];
    return state as unknown as ContactState;
  },

  async setOptOut(channel, address, optedOut, at) {
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName,
          Key: contactKeys.state(channel, address),
          UpdateExpression:
            'SET optedOut = :optedOut, consentChangedAt = :at, entity = :entity, version = if_not_exists(version, :zero) + :one',
          // Later messages win: one received earlier but processed later changes nothing.
          ConditionExpression: 'attribute_not_exists(consentChangedAt) OR consentChangedAt <= :at',
          ExpressionAttributeValues: {
            ':optedOut': optedOut,
            ':at': at,
            ':entity': 'contact',
            ':zero': 0,
            ':one': 1,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async suppress(channel, address, reason) {
    await documentClient
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: contactKeys.state(channel, address),
          // A complaint outranks a bounce; neither is ever lifted automatically.
          UpdateExpression:
            'SET suppressed = :reason, entity = :entity, version = if_not_exists(version, :zero) + :one',
          ConditionExpression: 'attribute_not_exists(suppressed) OR :reason = :complaint',
          ExpressionAttributeValues: {
            ':reason': reason,
            ':complaint': 'complaint',
            ':entity': 'contact',
            ':zero': 0,
            ':one': 1,
          },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  },

  async countSoftBounce(channel, address) {
    const { Attributes } = await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: contactKeys.state(channel, address),
        UpdateExpression:
          'SET softBounces = if_not_exists(softBounces, :zero) + :one, entity = :entity, version = if_not_exists(version, :zero) + :one',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':entity': 'contact' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.softBounces ?? 0);
  },
};
