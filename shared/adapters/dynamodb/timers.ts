/**
 * DynamoDB adapter for {@link TimerIndex}: the sparse due index, read shard by shard with a range
 * condition on time — never a Scan, however long the dispatcher was away.
 */
import { isTimedKind } from '../../domain/prompt.js';
import type { DueTimer, TimerIndex } from '../../ports.js';
import { dueShards, queryAll } from './client.js';
import { dueKeys } from './keys.js';
import { toParticipant } from './participants.js';
import { toPrompt } from './prompts.js';
import { tableDefinition } from './table-definition.js';

const index = tableDefinition.indexes.due;
const names = { '#pk': index.partitionKey, '#sk': index.sortKey };

function toTimer(item: Record<string, unknown>): DueTimer | undefined {
  const dueAt = dueKeys.instantOf(String(item[index.sortKey] ?? ''));
  if (item.entity === 'participant') return { kind: 'participant', participant: toParticipant(item), dueAt };
  if (item.entity === 'prompt') {
    const prompt = toPrompt(item);
    return isTimedKind(prompt.kind) ? { kind: 'push', prompt, dueAt } : { kind: 'reminder', prompt, dueAt };
  }
  return undefined;
}

/** The due index of the single table. */
export const dynamoTimerIndex: TimerIndex = {
  async *listDue(until) {
    for (let shard = 0; shard < dueShards(); shard++) {
      for await (const item of queryAll({
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk <= :until',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':pk': dueKeys.shardPK(shard), ':until': dueKeys.until(until) },
      })) {
        const timer = toTimer(item);
        if (timer) yield timer;
      }
    }
  },

  async earliestDue() {
    let earliest: string | undefined;
    for (let shard = 0; shard < dueShards(); shard++) {
      const first = await queryAll({
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': dueKeys.shardPK(shard) },
        Limit: 1,
      }).next();
      const dueAt = first.done ? undefined : dueKeys.instantOf(String(first.value[index.sortKey] ?? ''));
      if (dueAt && (!earliest || dueAt < earliest)) earliest = dueAt;
    }
    return earliest ? new Date(earliest) : undefined;
  },
};
