/**
 * DynamoDB adapter for {@link ReplyRepository}: raw inbound messages (idempotent on the provider's
 * message id) and the answers parsed from them.
 */
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Answer, InboundMessage, InboundOutcome, ReplyRepository } from '../../ports.js';
import { documentClient, isConditionFailure, queryAll, tableName, updateExpression } from './client.js';
import { inboundKeys, promptKeys } from './keys.js';

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

/** Replies in the single table. */
export const dynamoReplyRepository: ReplyRepository = {
  async storeRaw(message) {
    try {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...inboundKeys.item(message.providerMessageId),
            entity: 'inbound-message',
            version: 1,
            ...message,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return { duplicate: false };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { Item } = await documentClient.send(
        new GetCommand({
          TableName: tableName,
          Key: inboundKeys.item(message.providerMessageId),
          ConsistentRead: true,
        }),
      );
      const outcome = Item?.outcome as InboundOutcome | undefined;
      return outcome ? { duplicate: true, outcome } : { duplicate: true };
    }
  },

  async recordAnswers(message, answers, outcome) {
    const first = answers[0];
    if (!first) throw new Error('recordAnswers needs at least one answer');
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
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
        ],
      }),
    );
  },

  async recordOutcome(message, outcome) {
    await documentClient.send(new UpdateCommand(outcomeUpdate(message, outcome)));
  },

  async listAnswers(participantId) {
    const answers: Answer[] = [];
    for await (const item of queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': promptKeys.partition(participantId),
        ':prefix': promptKeys.answerPrefix,
      },
    })) {
      const { PK: _pk, SK: _sk, entity: _e, version: _v, ...answer } = item;
      answers.push(answer as unknown as Answer);
    }
    return answers;
  },
};
