/**
 * DynamoDB adapter for {@link AuditLog}: one partition per coach, entries sorted by time, so the
 * trail reads newest first with one query and is never mixed with another coach's.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditLog } from '../../ports.js';
import { documentClient, tableName } from './client.js';
import { auditKeys, decodeCursor, encodeCursor } from './keys.js';

/** The audit trail in the single table. */
export const dynamoAuditLog: AuditLog = {
  async record(entry) {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...auditKeys.item(entry.coachId, entry.at, randomUUID().slice(0, 8)),
          entity: 'audit',
          version: 1,
          ...entry,
        },
      }),
    );
  },

  async list(coachId, page) {
    const startKey = decodeCursor(page.cursor, {
      PK: { equals: auditKeys.partition(coachId) },
      SK: { prefix: '' },
    });
    const { Items, LastEvaluatedKey } = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': auditKeys.partition(coachId) },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const items = (Items ?? []).map(
      ({ at, action, coachId: by, participantId, count }): AuditEntry => ({
        at: String(at),
        action: action as AuditEntry['action'],
        coachId: String(by),
        ...(typeof participantId === 'string' ? { participantId } : {}),
        ...(typeof count === 'number' ? { count } : {}),
      }),
    );
    const cursor = encodeCursor(LastEvaluatedKey);
    return cursor ? { items, cursor } : { items };
  },
};
