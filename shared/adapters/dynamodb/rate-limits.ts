/**
 * DynamoDB adapter for {@link RateLimiter}: one counter item per key and window, incremented with a
 * condition, so concurrent requests cannot overshoot the limit. Expired windows are removed by TTL.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter } from '../../ports.js';
import { documentClient, isConditionFailure, tableName } from './client.js';
import { rateKeys } from './keys.js';

/** Counters live a day past their window, long enough for any audit of a burst. */
const KEEP_SECONDS = 24 * 3600;

/** Rate limits in the single table. */
export const dynamoRateLimiter: RateLimiter = {
  async take(key, windowStart, limit) {
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName,
          Key: rateKeys.item(key, windowStart),
          UpdateExpression: 'SET entity = :entity, expiresAt = :expires ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':entity': 'rate-limit',
            ':expires': Math.floor(Date.parse(windowStart) / 1000) + KEEP_SECONDS,
            ':one': 1,
            ':limit': limit,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async takeMany(key, windowStart, limit, count) {
    if (count > limit) return false;
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName,
          Key: rateKeys.item(key, windowStart),
          UpdateExpression: 'SET entity = :entity, expiresAt = :expires ADD #count :n',
          ConditionExpression: 'attribute_not_exists(#count) OR #count <= :room',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: {
            ':entity': 'rate-limit',
            ':expires': Math.floor(Date.parse(windowStart) / 1000) + KEEP_SECONDS,
            ':n': count,
            ':room': limit - count,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async release(key, windowStart, count) {
    await documentClient
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: rateKeys.item(key, windowStart),
          UpdateExpression: 'ADD #count :minus',
          ConditionExpression: 'attribute_exists(#count)',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':minus': -count },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  },
};
