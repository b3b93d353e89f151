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
import { ValidationError } from '../../errors.js';
import type { Answer, InboundMessage, InboundOutcome, ReplyRepository } from '../../ports.js';
import { documentClient, isConditionFailure, tableName, updateExpression } from './client.js';
import { decodeCursor, encodeCursor, inboundKeys, participantKeys, promptKeys } from './keys.js';
import { summaryAnswersUpdate } from './summaries.js';

/**
 * How long the first delivery of a message holds it. A duplicate arriving meanwhile is answered
 * with nothing (never a second reply); one arriving later, when the first died without an outcome,
 * takes it over so the message is still handled.
 */
const PROCESSING_LEASE_MS = 30_000;

function outcomeUpdate(message: InboundMessage, outcome: InboundOutcome) {
  const owner = outcome.participantId
    ? inboundKeys.byParticipant(outcome.participantId, message.receivedAt)
    : {};
  return {
    TableName: tableName,
    Key: inboundKeys.item(message.providerMessageId),
    ...updateExpression({ ...owner, outcome, processedAt: new Date().toISOString() }),
  };
}

const ANSWER_META = new Set(['PK', 'SK', 'entity', 'version']);

/** Replies in the single table. */
export const dynamoReplyRepository: ReplyRepository = {
  async storeRaw(message) {
    const now = Date.now();
    try {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...inboundKeys.item(message.providerMessageId),
            entity: 'inbound-message',
            version: 1,
            ...message,
            processingUntil: now + PROCESSING_LEASE_MS,
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
    return outcome ? { duplicate: true, outcome } : { duplicate: true };
  },

  async recordAnswers(message, answers, outcome) {
    const first = answers[0];
    if (!first) throw new Error('recordAnswers needs at least one answer');
    // The weekly summary is updated in the same transaction; its key needs the participant's zone.
    const { Item: owner } = await documentClient.send(
      new GetCommand({
        TableName: tableName,
        Key: participantKeys.item(first.participantId),
        ProjectionExpression: 'coachId, #zone, programId',
        ExpressionAttributeNames: { '#zone': 'timeZone' },
      }),
    );
    const summary =
      typeof owner?.coachId === 'string' && typeof owner.timeZone === 'string'
        ? [
            {
              Update: summaryAnswersUpdate(
                {
                  id: first.participantId,
                  coachId: owner.coachId,
                  timeZone: owner.timeZone,
                  ...(typeof owner.programId === 'string' ? { programId: owner.programId } : {}),
                },
                answers,
              ),
            },
          ]
        : [];
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
    const startKey = decodeCursor(page?.cursor);
    if (page?.cursor && !startKey)
      throw new ValidationError('cursor', 'expected a cursor from a previous page');
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
