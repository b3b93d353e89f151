/**
 * DynamoDB adapter for {@link IdempotencyStore}: one item per coach and key, claimed with a
 * conditional put (so of 20 concurrent requests exactly one runs), then holding the response.
 * Released keys and lapsed leases can be claimed again; TTL removes old keys.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyClaim, IdempotencyStore, StoredResponse } from '../../ports.js';
import { documentClient, isConditionFailure, tableName } from './client.js';
import { writeAlone } from './conditional-write.js';
import { idempotencyKeys } from './keys.js';

const ENTITY = 'idempotency-key';

function isResponse(value: unknown): value is StoredResponse {
  const r = value as Partial<StoredResponse> | null;
  return typeof r?.statusCode === 'number' && typeof r.body === 'string' && typeof r.headers === 'object';
}

/** Idempotency keys in the single table. */
export const dynamoIdempotencyStore: IdempotencyStore = {
  async claim(scope, key, requestHash, now, leaseMs) {
    const nowMs = now.getTime();
    try {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...idempotencyKeys.item(scope, key),
            entity: ENTITY,
            version: 1,
            state: 'pending',
            requestHash,
            leaseUntil: nowMs + leaseMs,
            // A pending key whose request died is gone a day later at the latest.
            expiresAt: Math.floor(nowMs / 1000) + 86_400,
          },
          ConditionExpression:
            'attribute_not_exists(PK) OR #state = :released OR expiresAt < :nowSeconds OR (#state = :pending AND leaseUntil < :nowMs)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':released': 'released',
            ':pending': 'pending',
            ':nowSeconds': Math.floor(nowMs / 1000),
            ':nowMs': nowMs,
          },
        }),
      );
      return { state: 'claimed' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: idempotencyKeys.item(scope, key), ConsistentRead: true }),
    );
    const hash = String(Item?.requestHash ?? '');
    if (Item?.state === 'done' && isResponse(Item.response))
      return { state: 'done', requestHash: hash, response: Item.response } satisfies IdempotencyClaim;
    // Released or lapsed meanwhile: the caller asks again.
    return { state: 'pending', requestHash: hash };
  },

  async complete(scope, key, response, expiresAt) {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: idempotencyKeys.item(scope, key),
        UpdateExpression: 'SET #state = :done, #response = :response, expiresAt = :expires REMOVE leaseUntil',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: {
          ':done': 'done',
          ':response': response,
          ':expires': Math.floor(expiresAt.getTime() / 1000),
        },
      }),
    );
  },

  async release(scope, key) {
    await writeAlone({
      Update: {
        TableName: tableName,
        Key: idempotencyKeys.item(scope, key),
        UpdateExpression: 'SET #state = :released',
        ConditionExpression: '#state = :pending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':released': 'released', ':pending': 'pending' },
      },
    });
  },
};
