/**
 * DynamoDB adapter for {@link PromptRepository}. Every status transition is a conditional update
 * on the current status, which is what makes "never twice" hold under concurrency.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Prompt } from '../../domain/prompt.js';
import type { PromptRepository } from '../../ports.js';
import { documentClient, isConditionFailure, queryAll, tableName } from './client.js';
import { promptKeys } from './keys.js';

const ENTITY = 'prompt';
const META = new Set(['PK', 'SK', 'entity', 'version', 'GSI1PK', 'GSI1SK', 'duePK', 'dueSK', 'expiresAt']);

function toPrompt(item: Record<string, unknown>): Prompt {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !META.has(k))) as unknown as Prompt;
}

/** Builds `SET a = :a, b = :b` from an object, skipping undefined values. */
function setExpression(change: Record<string, unknown>) {
  const entries = Object.entries(change).filter(([, v]) => v !== undefined);
  return {
    expression: entries.map(([k]) => `#${k} = :${k}`).join(', '),
    names: Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
    values: Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
  };
}

async function conditionalUpdate(
  key: ReturnType<typeof promptKeys.item>,
  change: Record<string, unknown>,
  condition: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
  returnNew = false,
  extraSet = '',
): Promise<Record<string, unknown> | undefined | false> {
  const set = setExpression(change);
  try {
    const out = await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET ${set.expression}, #version = #version + :one${extraSet}`,
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: { ...set.names, ...condition.names, '#version': 'version' },
        ExpressionAttributeValues: { ...set.values, ...condition.values, ':one': 1 },
        ReturnValues: returnNew ? 'ALL_NEW' : 'NONE',
      }),
    );
    return out.Attributes;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Prompts in the participant's partition of the single table. */
export const dynamoPromptRepository: PromptRepository = {
  async create(prompt) {
    try {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...promptKeys.item(prompt.participantId, prompt.scheduledFor),
            entity: ENTITY,
            version: 1,
            ...prompt,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The old item comes back with the failure, so a second dispatcher needs no extra read.
      const old = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      const existing = old
        ? toPrompt(unmarshall(old))
        : await this.get(prompt.participantId, prompt.scheduledFor);
      if (!existing) throw error;
      return { created: false, existing };
    }
  },

  async get(participantId, scheduledFor) {
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: tableName,
        Key: promptKeys.item(participantId, scheduledFor),
        ConsistentRead: true,
      }),
    );
    return Item ? toPrompt(Item) : undefined;
  },

  async claim(participantId, scheduledFor, at) {
    const updated = await conditionalUpdate(
      promptKeys.item(participantId, scheduledFor),
      { status: 'sending', claimedAt: at.toISOString() },
      { expression: '#status = :queued', names: { '#status': 'status' }, values: { ':queued': 'queued' } },
      true,
      ', attempts = attempts + :one',
    );
    return updated ? toPrompt(updated) : undefined;
  },

  async finish(participantId, scheduledFor, from, change) {
    const updated = await conditionalUpdate(promptKeys.item(participantId, scheduledFor), change, {
      expression: '#fromStatus = :from',
      names: { '#fromStatus': 'status' },
      values: { ':from': from },
    });
    return updated !== false;
  },

  async recordDelivery(participantId, scheduledFor, deliveryStatus, errorCode) {
    await conditionalUpdate(
      promptKeys.item(participantId, scheduledFor),
      { deliveryStatus, deliveryErrorCode: errorCode },
      { expression: 'attribute_exists(PK)', names: {}, values: {} },
    );
  },

  async latestSent(participantId) {
    // Newest first; a participant's partition holds a few prompts a day, so this stays short.
    for await (const item of queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': promptKeys.partition(participantId), ':prefix': promptKeys.prefix },
      ScanIndexForward: false,
      Limit: 20,
    })) {
      const prompt = toPrompt(item);
      if (prompt.status === 'sent' || prompt.status === 'unknown') return prompt;
    }
    return undefined;
  },

  async markClarified(participantId, scheduledFor) {
    await conditionalUpdate(
      promptKeys.item(participantId, scheduledFor),
      { clarified: true },
      { expression: 'attribute_exists(PK)', names: {}, values: {} },
    );
  },
};
