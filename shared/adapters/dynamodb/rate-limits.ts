/**
 * DynamoDB adapter for {@link RateLimiter}: one counter item per key and window, incremented with a
 * condition, so concurrent requests cannot overshoot the limit. Expired windows are removed by TTL.
 */
import type { RateLimiter } from '../../ports.js';
import { tableName } from './client.js';
import { writeAlone } from './conditional-write.js';
import { rateKeys } from './keys.js';

/** Counters live a day past their window, long enough for any audit of a burst. */
const KEEP_SECONDS = 24 * 3600;

/** Rate limits in the single table. */
export const dynamoRateLimiter: RateLimiter = {
  async take(key, windowStart, limit) {
    const { written } = await writeAlone({
      Update: {
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
      },
    });
    return written;
  },

  async takeMany(key, windowStart, limit, count) {
    if (count > limit) return false;
    const { written } = await writeAlone({
      Update: {
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
      },
    });
    return written;
  },

  async release(key, windowStart, count) {
    await writeAlone({
      Update: {
        TableName: tableName,
        Key: rateKeys.item(key, windowStart),
        UpdateExpression: 'ADD #count :minus',
        ConditionExpression: 'attribute_exists(#count)',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':minus': -count },
      },
    });
  },
};
