/**
 * DynamoDB adapter for {@link ParticipantRepository}: the participant item, its links from its
 * contact addresses and its entry in the due index.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { CHANNELS } from '../../domain/channel.js';
import { addressOf, EDIT_GUARDS, type Participant } from '../../domain/participant.js';
import { ConflictError } from '../../errors.js';
import type { ParticipantRepository } from '../../ports.js';
import { documentClient, dueShards, queryAll, tableName, updateExpression } from './client.js';
import { dynamoExperimentMethods } from './experiments.js';
import {
  contactKeys,
  decodeCursor,
  dueKeys,
  encodeCursor,
  participantKeys,
  programKeys,
  shardOf,
} from './keys.js';
import { tableDefinition } from './table-definition.js';
import { conditionalWrite } from './write-batch.js';

const ENTITY = 'participant';
const DATA_FIELDS = [
  'id',
  'coachId',
  'name',
  'phone',
  'email',
  'timeZone',
  'programId',
  'channel',
  'status',
  'createdAt',
  'consentAt',
  'pausedUntil',
  'nextDueAt',
  'experimentsUntil',
  'addressSince',
  'coachName',
  'unreadMessages',
  'unreadUrgent',
] as const;

/** Strips table attributes from a participant item. */
export function toParticipant(item: Record<string, unknown>): Participant {
  const out: Record<string, unknown> = {};
  for (const field of DATA_FIELDS) if (item[field] !== undefined) out[field] = item[field];
  return out as unknown as Participant;
}

function dueAttributes(id: string, nextDueAt: string) {
  return dueKeys.participant(shardOf(id, dueShards()), nextDueAt, id);
}

/** The due-index attributes a change of `nextDueAt` sets or removes. */
function dueChange(id: string, nextDueAt: string | null | undefined) {
  if (nextDueAt === undefined) return {};
  return nextDueAt === null ? { duePK: null, dueSK: null } : dueAttributes(id, nextDueAt);
}

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/**
 * The writes of one new participant: its item (with its due timer) and a link from each of its
 * addresses, so an inbound message finds every enrolment of its sender. Any number of
 * enrolments may share an address.
 */
function itemsOf(participant: Participant): TransactItem[] {
  const links = CHANNELS.flatMap((channel) => {
    const address = addressOf(participant, channel);
    return address
      ? [
          {
            Put: {
              TableName: tableName,
              Item: {
                ...contactKeys.enrolment(channel, address, participant.id),
                entity: 'enrolment-link',
                version: 1,
                participantId: participant.id,
              },
            },
          },
        ]
      : [];
  });
  return [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...participantKeys.item(participant.id),
          ...participantKeys.byCoach(participant.coachId, participant.id),
          ...(participant.nextDueAt ? dueAttributes(participant.id, participant.nextDueAt) : {}),
          entity: ENTITY,
          version: 1,
          ...participant,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    ...links,
  ];
}

/**
 * Checked in the same transaction as the writes, so an archive that lands first always wins (a
 * built-in program has no item, and attribute_not_exists holds on a missing item).
 */
function programOpen(programId: string): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: programKeys.item(programId),
      ConditionExpression: 'attribute_not_exists(archivedAt)',
    },
  };
}

/** Deletes participants written by a `createAll` that then failed: their items and links. */
async function removeAll(participants: readonly Participant[]): Promise<void> {
  const deletes = participants.flatMap((participant) =>
    itemsOf(participant).flatMap((item) =>
      item.Put?.Item
        ? [{ Delete: { TableName: tableName, Key: { PK: item.Put.Item.PK, SK: item.Put.Item.SK } } }]
        : [],
    ),
  );
  for (let i = 0; i < deletes.length; i += 100)
    await documentClient.send(new TransactWriteCommand({ TransactItems: deletes.slice(i, i + 100) }));
}

/** Participants in the single table. */
export const dynamoParticipantRepository: ParticipantRepository = {
  async create(participant) {
    const items = [...itemsOf(participant), programOpen(participant.programId)];
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if (reasons?.[items.length - 1]?.Code === 'ConditionalCheckFailed')
        throw new ConflictError('programId', 'the program is archived: it takes no new enrolments');
      throw error;
    }
  },

  async createAll(participants) {
    // One transaction holds 100 items: the participants go in as few as fit, each with a check
    // that its program is still open. A later one failing undoes the earlier ones, so an import
    // racing an archive leaves nothing behind.
    const batches: { participants: Participant[]; items: TransactItem[] }[] = [];
    let batch: { participants: Participant[]; items: TransactItem[]; programs: Set<string> } | undefined;
    for (const participant of participants) {
      const items = itemsOf(participant);
      const newProgram = batch && !batch.programs.has(participant.programId) ? 1 : 0;
      if (!batch || batch.items.length + batch.programs.size + items.length + newProgram > 100) {
        batch = { participants: [], items: [], programs: new Set() };
        batches.push(batch);
      }
      batch.participants.push(participant);
      batch.items.push(...items);
      batch.programs.add(participant.programId);
    }
    const written: Participant[] = [];
    for (const { participants: some, items } of batches) {
      const programs = [...new Set(some.map((p) => p.programId))];
      const transaction = [...items, ...programs.map(programOpen)];
      try {
        await documentClient.send(new TransactWriteCommand({ TransactItems: transaction }));
      } catch (error) {
        await removeAll(written);
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        if (reasons?.slice(items.length).some((r) => r.Code === 'ConditionalCheckFailed'))
          throw new ConflictError('programId', 'the program was archived meanwhile: nothing was imported');
        throw error;
      }
      written.push(...some);
    }
  },

  async get(participantId) {
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: tableName,
        Key: participantKeys.item(participantId),
        ConsistentRead: true,
      }),
    );
    return Item ? toParticipant(Item) : undefined;
  },

  async listForCoach(coachId, page) {
    const index = tableDefinition.indexes.byOwner;
    const prefix = participantKeys.byCoach(coachId, '');
    const startKey = decodeCursor(page?.cursor, {
      [index.partitionKey]: { equals: prefix.GSI1PK },
      [index.sortKey]: { prefix: prefix.GSI1SK },
      PK: { prefix: participantKeys.item('').PK },
      SK: { equals: participantKeys.item('').SK },
    });
    const out: Participant[] = [];
    let lastKey: Record<string, unknown> | undefined = startKey;
    do {
      const result = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index.name,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
          ExpressionAttributeValues: { ':pk': prefix.GSI1PK, ':prefix': prefix.GSI1SK },
          ...(page ? { Limit: page.limit - out.length } : {}),
          ExclusiveStartKey: lastKey,
        }),
      );
      out.push(...(result.Items ?? []).map(toParticipant));
      lastKey = result.LastEvaluatedKey;
    } while (lastKey && (!page || out.length < page.limit));
    const cursor = encodeCursor(lastKey);
    return cursor ? { items: out, cursor } : { items: out };
  },

  async listForProgram(coachId, programId) {
    const index = tableDefinition.indexes.byOwner;
    const prefix = participantKeys.byCoach(coachId, '');
    const out: Participant[] = [];
    for await (const item of queryAll({
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      FilterExpression: '#programId = :programId',
      ExpressionAttributeNames: {
        '#pk': index.partitionKey,
        '#sk': index.sortKey,
        '#programId': 'programId',
      },
      ExpressionAttributeValues: { ':pk': prefix.GSI1PK, ':prefix': prefix.GSI1SK, ':programId': programId },
    })) {
      out.push(toParticipant(item));
    }
    return out;
  },

  ...dynamoExperimentMethods,

  async findByAddress(channel, address) {
    const ids: string[] = [];
    for await (const item of queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': contactKeys.partition(channel, address),
        ':prefix': contactKeys.enrolmentPrefix,
      },
      ConsistentRead: true,
    })) {
      if (typeof item.participantId === 'string') ids.push(item.participantId);
    }
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((p): p is Participant => p !== undefined);
  },

  async edit(read, change) {
    const update = updateExpression({ ...change, ...dueChange(read.id, change.nextDueAt) });
    const names: Record<string, string> = { ...update.ExpressionAttributeNames };
    const values: Record<string, unknown> = { ...update.ExpressionAttributeValues };
    // Every field the edit was computed from must still hold what was read.
    const conditions = ['attribute_exists(PK)'];
    for (const field of EDIT_GUARDS) {
      names[`#was_${field}`] = field;
      const value = read[field];
      if (value === undefined) {
        conditions.push(`attribute_not_exists(#was_${field})`);
      } else {
        conditions.push(`#was_${field} = :was_${field}`);
        values[`:was_${field}`] = value;
      }
    }
    // The links from addresses move in the same transaction: an inbound message finds the
    // enrolment at its new address, and no longer at its old one.
    const links = CHANNELS.flatMap((channel) => {
      const before = addressOf(read, channel);
      const after = addressOf({ ...read, ...change }, channel);
      if (before === after) return [];
      return [
        ...(before
          ? [{ Delete: { TableName: tableName, Key: contactKeys.enrolment(channel, before, read.id) } }]
          : []),
        ...(after
          ? [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...contactKeys.enrolment(channel, after, read.id),
                    entity: 'enrolment-link',
                    version: 1,
                    participantId: read.id,
                  },
                },
              },
            ]
          : []),
      ];
    });
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: participantKeys.item(read.id),
                UpdateExpression: update.UpdateExpression,
                ConditionExpression: conditions.join(' AND '),
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            ...links,
          ],
        }),
      );
      return true;
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if (reasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  },

  async update(participantId, change, expected = {}) {
    const update = updateExpression({ ...change, ...dueChange(participantId, change.nextDueAt) });
    const names: Record<string, string> = { ...update.ExpressionAttributeNames };
    const values: Record<string, unknown> = { ...update.ExpressionAttributeValues };
    const conditions = ['attribute_exists(PK)'];
    if (expected.dueAt !== undefined) {
      names['#nextDueAt'] = 'nextDueAt';
      if (expected.dueAt === null) {
        conditions.push('attribute_not_exists(#nextDueAt)');
      } else {
        conditions.push('#nextDueAt = :expectedDueAt');
        values[':expectedDueAt'] = expected.dueAt;
      }
    }
    if (expected.status !== undefined) {
      names['#status'] = 'status';
      conditions.push('#status = :expectedStatus');
      values[':expectedStatus'] = expected.status;
    }
    // Batched with the invocation's other writes of the moment: the dispatcher moves every due
    // participant's timer at once (see write-batch.ts).
    const outcome = await conditionalWrite({
      Update: {
        TableName: tableName,
        Key: participantKeys.item(participantId),
        UpdateExpression: update.UpdateExpression,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
    return outcome.written;
  },
};
