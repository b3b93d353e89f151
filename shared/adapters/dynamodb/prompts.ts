/**
 * DynamoDB adapter for {@link PromptRepository}. Every status transition is a conditional update
 * on the current status, which is what makes "never twice" hold under concurrency.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { isTimedKind, type Prompt, type PromptKind } from '../../domain/prompt.js';
import type { StreakRecord } from '../../domain/streak.js';
import type { PromptChange, PromptRef, PromptRepository } from '../../ports.js';
import { documentClient, dueShards, queryAll, tableName, updateExpression } from './client.js';
import { conditionalWrite, consistentGet } from './conditional-write.js';
import { dueKeys, inboundKeys, promptKeys, shardOf } from './keys.js';
import { summarySentUpdate } from './summaries.js';

const ENTITY = 'prompt';
const META = new Set(['PK', 'SK', 'entity', 'version', 'GSI1PK', 'GSI1SK', 'duePK', 'dueSK', 'expiresAt']);

/** Strips table attributes from a prompt item. */
export function toPrompt(item: Record<string, unknown>): Prompt {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !META.has(k))) as unknown as Prompt;
}

/** The UpdateItem input of a change to a prompt under a condition (for a request or a transaction). */
function conditionalUpdateInput(
  key: ReturnType<typeof promptKeys.item>,
  change: Record<string, unknown>,
  condition: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
  extraSet: readonly string[] = [],
) {
  const update = updateExpression(change, extraSet);
  return {
    TableName: tableName,
    Key: key,
    UpdateExpression: update.UpdateExpression,
    ConditionExpression: condition.expression,
    ExpressionAttributeNames: { ...update.ExpressionAttributeNames, ...condition.names },
    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...condition.values },
  };
}

/**
 * A conditional update; batched with the invocation's other writes of the moment (see
 * `write-batch.ts`). `returnNew` gives the item after the update, read back when the write went in
 * a transaction (which returns none).
 */
async function conditionalUpdate(
  key: ReturnType<typeof promptKeys.item>,
  change: Record<string, unknown>,
  condition: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
  returnNew = false,
  extraSet: readonly string[] = [],
): Promise<Record<string, unknown> | undefined | false> {
  const outcome = await conditionalWrite({
    Update: {
      ...conditionalUpdateInput(key, change, condition, extraSet),
      ...(returnNew ? { ReturnValues: 'ALL_NEW' as const } : {}),
    },
  });
  if (!outcome.written) return false;
  if (!returnNew || outcome.attributes) return outcome.attributes;
  return consistentGet(tableName, key);
}

const keyOf = (ref: PromptRef) => promptKeys.item(ref.participantId, ref.scheduledFor, ref.kind);
const fromStatus = (from: string) => ({
  expression: '#fromStatus = :from',
  names: { '#fromStatus': 'status' },
  values: { ':from': from },
});
const ALWAYS = { expression: 'attribute_exists(PK)', names: {}, values: {} };

/**
 * A change plus the timer's due-index keys, set or removed with `remindAt` (a reminder) or `sendAt`
 * (a push).
 */
function withTimer(ref: PromptRef, change: PromptChange): Record<string, unknown> {
  const { remindAt, sendAt } = change;
  if (sendAt === null) return { ...change, duePK: null, dueSK: null };
  if (sendAt !== undefined) {
    const shard = shardOf(ref.participantId, dueShards());
    return { ...change, ...dueKeys.push(shard, sendAt, ref.participantId, ref.scheduledFor) };
  }
  if (remindAt === undefined) return change;
  if (remindAt === null) return { ...change, duePK: null, dueSK: null };
  const shard = shardOf(ref.participantId, dueShards());
  return { ...change, ...dueKeys.reminder(shard, remindAt, ref.participantId, ref.scheduledFor) };
}

/**
 * A Query of one kind of a participant's send records, newest first, going on below `before` (a
 * record read earlier: its key is the position, as DynamoDB's own paging uses it).
 */
function kindPage(
  participantId: string,
  kind: PromptKind,
  limit: number,
  before: string | undefined,
  projection?: { expression: string; names: Record<string, string> },
) {
  const key = promptKeys.item(participantId, '', kind);
  return new QueryCommand({
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': key.PK, ':prefix': key.SK },
    ...(projection
      ? { ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names }
      : {}),
    ...(before ? { ExclusiveStartKey: promptKeys.item(participantId, before, kind) } : {}),
    ScanIndexForward: false,
    Limit: limit,
  });
}

/** What a streak reads of a prompt (`status` is a reserved word): no question snapshots, no texts. */
const STREAK_FIELDS = {
  expression: 'scheduledFor, #status, answeredAt, participantSkippedAt, kind',
  names: { '#status': 'status' },
};

/** Prompts in the participant's partition of the single table. */
export const dynamoPromptRepository: PromptRepository = {
  async create(prompt) {
    // A push or report card waiting for its time is in the due index from the start.
    const timer =
      isTimedKind(prompt.kind) && prompt.sendAt && prompt.status === 'queued'
        ? dueKeys.push(
            shardOf(prompt.participantId, dueShards()),
            prompt.sendAt,
            prompt.participantId,
            prompt.scheduledFor,
          )
        : {};
    const outcome = await conditionalWrite({
      Put: {
        TableName: tableName,
        Item: { ...keyOf(prompt), entity: ENTITY, version: 1, ...prompt, ...timer },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
    if (outcome.written) return { created: true };
    // The old item comes back with the failure, so a second dispatcher needs no extra read.
    const existing = outcome.old ? toPrompt(outcome.old) : await this.get(prompt);
    if (!existing) throw new Error('prompt create refused, and no prompt found');
    return { created: false, existing };
  },

  async get(ref) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: keyOf(ref), ConsistentRead: true }),
    );
    return Item ? toPrompt(Item) : undefined;
  },

  async claim(ref, at) {
    const updated = await conditionalUpdate(
      keyOf(ref),
      { status: 'sending', claimedAt: at.toISOString() },
      { expression: '#status = :queued', names: { '#status': 'status' }, values: { ':queued': 'queued' } },
      true,
      ['attempts = attempts + :one'],
    );
    return updated ? toPrompt(updated) : undefined;
  },

  async finish(ref, from, change) {
    const updated = await conditionalUpdate(keyOf(ref), withTimer(ref, change), fromStatus(from));
    return updated !== false;
  },

  async finishSent(ref, change, participant, prompt) {
    // One request for both writes while the participant-week is open (every send of the week
    // but its first): the summary's update is conditional on the week's `opened` mark. The
    // week's first send, or a prompt no longer `sending`, falls back to the plain finish, and the
    // caller marks the summary as before (which also opens the coach's week).
    // A status callback landing on the prompt at the same moment makes the transaction conflict:
    // tried again (twice) rather than paying for the two-step path.
    for (let attempt = 1; ; attempt++) {
      try {
        await documentClient.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: conditionalUpdateInput(keyOf(ref), withTimer(ref, change), fromStatus('sending')) },
              { Update: summarySentUpdate(participant, prompt, change.sentAt ?? '', { whenOpened: true }) },
            ],
          }),
        );
        return { finished: true, marked: true };
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        // Not a cancelled transaction (the table unreachable after the SDK's own retries, the
        // process stopping): the status write did not happen, and a second write now would only
        // race the queue's redelivery, which finds the claim and settles it as `unknown`.
        if (!reasons) throw error;
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return { finished: false, marked: false };
        if (attempt < 3 && reasons.some((r) => r.Code === 'TransactionConflict')) continue;
        return { finished: await this.finish(ref, 'sending', change), marked: false };
      }
    }
  },

  async moveReminder(ref, remindAt, expected) {
    const updated = await conditionalUpdate(keyOf(ref), withTimer(ref, { remindAt }), {
      expression: '#remindAt = :expected AND attribute_not_exists(#answeredAt)',
      names: { '#remindAt': 'remindAt', '#answeredAt': 'answeredAt' },
      values: { ':expected': expected },
    });
    return updated !== false;
  },

  async recordDelivery(ref, deliveryStatus, errorCode, rank) {
    if (rank === undefined) {
      return (
        (await conditionalUpdate(keyOf(ref), { deliveryStatus, deliveryErrorCode: errorCode }, ALWAYS)) !==
        false
      );
    }
    // One conditional write that refuses to go backwards: a repeated or late callback fails the
    // condition and changes nothing.
    const updated = await conditionalUpdate(
      keyOf(ref),
      { deliveryStatus, deliveryErrorCode: errorCode, deliveryRank: rank },
      {
        expression: 'attribute_exists(PK) AND (attribute_not_exists(#rank) OR #rank < :newRank)',
        names: { '#rank': 'deliveryRank' },
        values: { ':newRank': rank },
      },
    );
    return updated !== false;
  },

  async latestSent(participantId) {
    // Newest first; a participant's partition holds a few prompts a day, so this stays short.
    const newest = async (prefix: string, open: (p: Prompt) => boolean) => {
      for await (const item of queryAll({
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': promptKeys.partition(participantId), ':prefix': prefix },
        ScanIndexForward: false,
        Limit: 20,
      })) {
        const prompt = toPrompt(item);
        if ((prompt.status === 'sent' || prompt.status === 'unknown') && open(prompt)) return prompt;
      }
      return undefined;
    };
    // A push with an exercise is an open prompt too: a reply after it answers its question.
    const [prompt, push] = await Promise.all([
      newest(promptKeys.prefix, () => true),
      newest(promptKeys.pushPrefix, (p) => p.questions.length > 0),
    ]);
    if (!push) return prompt;
    if (!prompt) return push;
    return (push.sentAt ?? push.scheduledFor) > (prompt.sentAt ?? prompt.scheduledFor) ? push : prompt;
  },

  async markClarified(ref) {
    // Conditional, so two replies handled at once cannot both send the one clarification.
    const updated = await conditionalUpdate(
      keyOf(ref),
      { clarified: true },
      {
        expression: 'attribute_exists(PK) AND attribute_not_exists(#clarified)',
        names: { '#clarified': 'clarified' },
        values: {},
      },
    );
    return updated !== false;
  },

  async movePush(ref, sendAt, expected) {
    const updated = await conditionalUpdate(keyOf(ref), withTimer(ref, { sendAt }), {
      // Only on the timer's value: a push claimed by its sender meanwhile still loses its timer.
      expression: '#sendAt = :expected',
      names: { '#sendAt': 'sendAt' },
      values: { ':expected': expected },
    });
    return updated !== false;
  },

  async listPushes(participantId, limit) {
    const { Items } = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': promptKeys.partition(participantId),
          ':prefix': promptKeys.pushPrefix,
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(toPrompt);
  },

  async recordExerciseAnswer(message, ref, answer, outcome) {
    const owner = outcome.participantId
      ? inboundKeys.byParticipant(outcome.participantId, message.receivedAt)
      : {};
    const processed = updateExpression({ ...owner, outcome, processedAt: new Date().toISOString() });
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: keyOf(ref),
              UpdateExpression: 'SET answer = :answer, answeredAt = if_not_exists(answeredAt, :at)',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':answer': answer, ':at': answer.receivedAt },
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: inboundKeys.item(message.providerMessageId),
              ...processed,
            },
          },
        ],
      }),
    );
  },

  async list(participantId, limit) {
    const out: Prompt[] = [];
    for (const prefix of promptKeys.allPrefixes) {
      const page = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': promptKeys.partition(participantId), ':prefix': prefix },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      out.push(...(page.Items ?? []).map(toPrompt));
    }
    return out.sort((a, b) => b.scheduledFor.localeCompare(a.scheduledFor)).slice(0, limit);
  },

  async answeredQuestions(ref) {
    // Answers sit next to their prompt: `ANSWER#<scheduledFor>#<index>`, at most ten per prompt.
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': promptKeys.partition(ref.participantId),
          ':prefix': `${promptKeys.answerPrefix}${ref.scheduledFor}#`,
        },
        ProjectionExpression: 'questionIndex',
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((item) => Number(item.questionIndex)).filter(Number.isInteger);
  },

  async markSkipped(ref, at) {
    // Leaves the due index with its reminder timer, unless an answer got there first.
    const updated = await conditionalUpdate(
      keyOf(ref),
      { participantSkippedAt: at, remindAt: null, duePK: null, dueSK: null },
      {
        expression: 'attribute_exists(PK) AND attribute_not_exists(#answeredAt)',
        names: { '#answeredAt': 'answeredAt' },
        values: {},
      },
    );
    return updated !== false;
  },

  // The reply paths read one kind a page at a time: `list` reads all six kinds in full.
  async recent(participantId, kind, limit, before) {
    const { Items } = await documentClient.send(kindPage(participantId, kind, limit, before));
    return (Items ?? []).map(toPrompt);
  },

  async streakRecords(participantId, limit, before) {
    const { Items } = await documentClient.send(
      kindPage(participantId, 'prompt', limit, before, STREAK_FIELDS),
    );
    return (Items ?? []).map((item) => toPrompt(item) as StreakRecord);
  },
};
