/**
 * DynamoDB adapter for {@link ReplyRepository}: raw inbound messages (idempotent on the provider's
 * message id) and the answers parsed from them.
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { retentionConfig } from '../../config.js';
import type { Answer, InboundMessage, InboundOutcome, ReplyRepository, SummaryOwner } from '../../ports.js';
import { documentClient, isConditionFailure, tableName, updateExpression } from './client.js';
import { decodeCursor, encodeCursor, inboundKeys, participantKeys, promptKeys } from './keys.js';
import { summaryAnswersUpdate } from './summaries.js';

/**
 * How long the first delivery of a message holds it, from its receipt. A duplicate arriving
 * meanwhile is answered with nothing: parallel deliveries never make a second reply. One arriving
 * later is the provider retrying after its own timeout (Twilio's is 15 s), which means the first
 * answer never reached it: it gets the same answer again, or, when the first delivery died without
 * an outcome, takes the message over so it is still handled.
 */
const PROCESSING_LEASE_MS = 30_000;

function outcomeUpdate(message: InboundMessage, { about, ...outcome }: InboundOutcome) {
  // Attributed: it moves to its participant. Otherwise it stays under its sender's address (set
  // when it was stored), or under the address it concerns.
  const owner = outcome.participantId
    ? inboundKeys.byParticipant(outcome.participantId, message.receivedAt)
    : about
      ? inboundKeys.byAddress(message.channel, about, message.receivedAt)
      : {};
  return {
    TableName: tableName,
    Key: inboundKeys.item(message.providerMessageId),
    ...updateExpression({ ...owner, outcome, processedAt: new Date().toISOString() }),
  };
}

const ANSWER_META = new Set(['PK', 'SK', 'entity', 'version']);

/** Epoch seconds after which a raw message received at `receivedAt` may be deleted. */
export function expiresAtOf(receivedAt: string): number {
  const days = retentionConfig().RAW_MESSAGE_RETENTION_DAYS;
  const received = Date.parse(receivedAt);
  return Math.floor((Number.isNaN(received) ? Date.now() : received) / 1000) + days * 86_400;
}

/** The summary owner of a participant, read from their item (coach, zone, program). */
async function ownerOf(participantId: string): Promise<SummaryOwner | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({
      TableName: tableName,
      Key: participantKeys.item(participantId),
      ProjectionExpression: 'coachId, #zone, programId',
      ExpressionAttributeNames: { '#zone': 'timeZone' },
    }),
  );
  if (typeof Item?.coachId !== 'string' || typeof Item.timeZone !== 'string') return undefined;
  return {
    id: participantId,
    coachId: Item.coachId,
    timeZone: Item.timeZone,
    ...(typeof Item.programId === 'string' ? { programId: Item.programId } : {}),
  };
}

/** Replies in the single table. */
export const dynamoReplyRepository: ReplyRepository = {
  async storeRaw(message) {
    // Receipt time, not the wall clock: the lease is about when the deliveries arrived.
    const now = Date.parse(message.receivedAt);
    try {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...inboundKeys.item(message.providerMessageId),
            entity: 'inbound-message',
            version: 1,
            ...message,
            // Found by its sender's address until it is attributed (and if it never is).
            ...inboundKeys.byAddress(message.channel, message.from, message.receivedAt),
            processingUntil: now + PROCESSING_LEASE_MS,
            // Raw text is kept only for the retention period; the table's TTL removes it after.
            expiresAt: expiresAtOf(message.receivedAt),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return { duplicate: false };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // Stored before. Take it over only if it has no outcome and its first handler's lease ran out.
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName,
          Key: inboundKeys.item(message.providerMessageId),
          UpdateExpression: 'SET processingUntil = :until',
          ConditionExpression: 'attribute_not_exists(outcome) AND processingUntil < :now',
          ExpressionAttributeValues: { ':until': now + PROCESSING_LEASE_MS, ':now': now },
        }),
      );
      return { duplicate: false };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: tableName,
        Key: inboundKeys.item(message.providerMessageId),
        ConsistentRead: true,
      }),
    );
    const outcome = Item?.outcome as InboundOutcome | undefined;
    if (!outcome) return { duplicate: true, inFlight: true };
    const withinLease = Number(Item?.processingUntil ?? 0) > now;
    return withinLease ? { duplicate: true } : { duplicate: true, outcome };
  },

  async recordAnswers(message, answers, outcome, known) {
    const first = answers[0];
    if (!first) throw new Error('recordAnswers needs at least one answer');
    // The weekly summary is updated in the same transaction; its key needs the participant's zone.
    // Callers hold the participant already; reading it here is for those that do not.
    const owner = known ?? (await ownerOf(first.participantId));
    const summary = owner ? [{ Update: summaryAnswersUpdate(owner, answers) }] : [];
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          // Keyed by prompt and question: a second answer to the same question replaces the first.
          ...answers.map((answer) => ({
            Put: {
              TableName: tableName,
              Item: {
                ...promptKeys.answer(answer.participantId, answer.scheduledFor, answer.questionIndex),
                entity: 'answer',
                version: 1,
                ...answer,
              },
            },
          })),
          {
            Update: {
              TableName: tableName,
              Key: promptKeys.item(first.participantId, first.scheduledFor),
              // Answering also cancels a pending reminder: it leaves the due index with the timer.
              UpdateExpression:
                'SET answeredAt = if_not_exists(answeredAt, :at), lastAnswerAt = :at REMOVE remindAt, duePK, dueSK',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':at': message.receivedAt },
            },
          },
          { Update: outcomeUpdate(message, outcome) },
          ...summary,
        ],
      }),
    );
  },

  async recordOutcome(message, outcome) {
    await documentClient.send(new UpdateCommand(outcomeUpdate(message, outcome)));
  },

  async listAnswers(participantId, page) {
    const startKey = decodeCursor(page?.cursor, {
      PK: { equals: promptKeys.partition(participantId) },
      SK: { prefix: promptKeys.answerPrefix },
    });
    const answers: Answer[] = [];
    let lastKey: Record<string, unknown> | undefined = startKey;
    do {
      const result = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: {
            ':pk': promptKeys.partition(participantId),
            ':prefix': promptKeys.answerPrefix,
          },
          ...(page ? { Limit: page.limit - answers.length } : {}),
          ExclusiveStartKey: lastKey,
        }),
      );
      for (const item of result.Items ?? []) {
        answers.push(
          Object.fromEntries(Object.entries(item).filter(([k]) => !ANSWER_META.has(k))) as unknown as Answer,
        );
      }
      lastKey = result.LastEvaluatedKey;
    } while (lastKey && (!page || answers.length < page.limit));
    const cursor = encodeCursor(lastKey);
    return cursor ? { items: answers, cursor } : { items: answers };
  },
};
