/**
 * DynamoDB part of {@link ParticipantRepository} for personal experiments: items in the
 * participant's partition, so the dispatcher reads a participant's experiments with one short
 * Query next to their prompts, and the coach API lists them the same way. The participant item
 * keeps `experimentsUntil`, so the dispatcher skips that Query for everyone else.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Experiment } from '../../domain/experiment.js';
import type { ParticipantRepository } from '../../ports.js';
import { documentClient, queryAll, tableName, updateExpression } from './client.js';
import { writeAlone } from './conditional-write.js';
import { experimentKeys, participantKeys, promptKeys } from './keys.js';

const META = new Set(['PK', 'SK', 'entity', 'version']);

function toExperiment(item: Record<string, unknown>): Experiment {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !META.has(k))) as unknown as Experiment;
}

/** The experiment methods of the participant repository. */
export const dynamoExperimentMethods: Pick<
  ParticipantRepository,
  'addExperiment' | 'listExperiments' | 'endExperiment'
> = {
  async addExperiment(experiment) {
    // The marker first: if the experiment's write then fails, the marker is only too late (one
    // needless read per prompt), never too early (a question left out). Conditional, so concurrent
    // adds keep the latest end date.
    await writeAlone({
      Update: {
        TableName: tableName,
        Key: participantKeys.item(experiment.participantId),
        UpdateExpression: 'SET #until = :until',
        ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(#until) OR #until < :until)',
        ExpressionAttributeNames: { '#until': 'experimentsUntil' },
        ExpressionAttributeValues: { ':until': experiment.endDate },
      },
    });
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...experimentKeys.item(experiment.participantId, experiment.id),
          entity: 'experiment',
          version: 1,
          ...experiment,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  },

  async listExperiments(participantId) {
    const out: Experiment[] = [];
    for await (const item of queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': promptKeys.partition(participantId),
        ':prefix': experimentKeys.prefix,
      },
      ConsistentRead: true,
    })) {
      out.push(toExperiment(item));
    }
    return out;
  },

  async endExperiment(participantId, experimentId, at) {
    const update = updateExpression({ endedAt: at });
    const { written } = await writeAlone({
      Update: {
        TableName: tableName,
        Key: experimentKeys.item(participantId, experimentId),
        UpdateExpression: update.UpdateExpression,
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#endedAt)',
        ExpressionAttributeNames: update.ExpressionAttributeNames,
        ExpressionAttributeValues: update.ExpressionAttributeValues,
      },
    });
    return written;
  },
};
