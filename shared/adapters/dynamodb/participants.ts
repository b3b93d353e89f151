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
import { conditionalWrite } from './conditional-write.js';
import { enrolmentIdsOf } from './contacts.js';
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
 * The participant item's `contactWatch`: false while none of its addresses can hold a contact
 * state that changes what its coach sees, so the week listing skips reading their states. It is
 * written false only by an enrolment whose transaction checked ({@link quietAddress}) that no
 * address of it was watched, opted out or suppressed, and set true (for good) by every opt-out,
 * bounce or complaint of one of its addresses (`contacts.ts`) and by an edit moving an address.
 * Items stored before the attribute existed lack it and are read as watched.
 */
const WATCH = 'contactWatch';

/**
 * Checked in an enrolment's transaction when it is stored unwatched: the address's state item is
 * absent or benign (never marked watched, not opted out, not suppressed). An opt-out or a
 * suppression marks the state item watched before it looks for enrolments to flag, so an
 * enrolment committing after that mark fails this check and is stored watched instead, and one
 * committing before it is found and flagged.
 */
function quietAddress(channel: (typeof CHANNELS)[number], address: string): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: contactKeys.state(channel, address),
      ConditionExpression:
        'attribute_not_exists(watched) AND attribute_not_exists(suppressed) AND (attribute_not_exists(optedOut) OR optedOut = :no)',
      ExpressionAttributeValues: { ':no': false },
    },
  };
}

/** The state checks an unwatched enrolment needs, one per address, keyed by the state item. */
function quietChecks(participant: Participant): Map<string, TransactItem> {
  return new Map(
    CHANNELS.flatMap((channel) => {
      const address = addressOf(participant, channel);
      return address
        ? [[contactKeys.partition(channel, address), quietAddress(channel, address)] as const]
        : [];
    }),
  );
}

/** Whether a cancelled transaction failed (only) on checks at `indexes`; the others passed. */
function failedOnlyAt(error: unknown, indexes: ReadonlySet<number>): number[] | undefined {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  if (!reasons) return undefined;
  const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
  return failed.length > 0 && failed.every((i) => indexes.has(i)) ? failed : undefined;
}

/**
 * The writes of one new participant: its item (with its due timer) and a link from each of its
 * addresses, so an inbound message finds every enrolment of its sender. Any number of
 * enrolments may share an address.
 */
function itemsOf(participant: Participant, watched = true): TransactItem[] {
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
          [WATCH]: watched,
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
    // Stored unwatched if every address is quiet; an address that is not (or becomes not before
    // this commits) fails its check, and the enrolment is stored watched, without checks.
    for (const watched of [false, true]) {
      const checks = watched ? [] : [...quietChecks(participant).values()];
      const writes = itemsOf(participant, watched);
      const items = [...writes, programOpen(participant.programId), ...checks];
      try {
        await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        const checkIndexes = new Set(checks.map((_, i) => writes.length + 1 + i));
        if (!watched && failedOnlyAt(error, checkIndexes)) continue;
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        if (reasons?.[writes.length]?.Code === 'ConditionalCheckFailed')
          throw new ConflictError('programId', 'the program is archived: it takes no new enrolments');
        throw error;
      }
    }
  },

  async createAll(participants) {
    // One transaction holds 100 items: the participants go in as few as fit, each with a check
    // that its program is still open. A later one failing undoes the earlier ones, so an import
    // racing an archive leaves nothing behind.
    // Each participant also brings the checks that let it be stored unwatched (one per address,
    // shared by participants of a batch with the same address: a transaction names an item once).
    type Batch = { participants: Participant[]; items: number; programs: Set<string>; checks: Set<string> };
    const batches: Batch[] = [];
    let batch: Batch | undefined;
    for (const participant of participants) {
      const items = itemsOf(participant).length;
      const checks = [...quietChecks(participant).keys()];
      const newProgram = batch && !batch.programs.has(participant.programId) ? 1 : 0;
      const newChecks = batch ? checks.filter((c) => !batch?.checks.has(c)).length : checks.length;
      if (
        !batch ||
        batch.items + batch.programs.size + batch.checks.size + items + newProgram + newChecks > 100
      ) {
        batch = { participants: [], items: 0, programs: new Set(), checks: new Set() };
        batches.push(batch);
      }
      batch.participants.push(participant);
      batch.items += items;
      batch.programs.add(participant.programId);
      for (const c of checks) batch.checks.add(c);
    }
    const written: Participant[] = [];
    for (const { participants: some } of batches) {
      // Addresses found not quiet: their participants go in watched, without the check. Each
      // retry watches at least one more address, so this ends.
      const loud = new Set<string>();
      for (;;) {
        // A participant is watched if any address of it is loud; the others need every check.
        const isWatched = (p: Participant) => [...quietChecks(p).keys()].some((k) => loud.has(k));
        const items = some.flatMap((p) => itemsOf(p, isWatched(p)));
        const checks = new Map<string, TransactItem>();
        for (const p of some)
          if (!isWatched(p)) for (const [k, check] of quietChecks(p)) checks.set(k, check);
        const programs = [...new Set(some.map((p) => p.programId))];
        const checkKeys = [...checks.keys()];
        const transaction = [...items, ...programs.map(programOpen), ...checks.values()];
        try {
          await documentClient.send(new TransactWriteCommand({ TransactItems: transaction }));
          break;
        } catch (error) {
          const offset = items.length + programs.length;
          const failed = failedOnlyAt(error, new Set(checkKeys.map((_, i) => offset + i)));
          if (failed) {
            for (const i of failed) loud.add(checkKeys[i - offset] ?? '');
            continue;
          }
          await removeAll(written);
          const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
          if (reasons?.slice(items.length, offset).some((r) => r.Code === 'ConditionalCheckFailed'))
            throw new ConflictError('programId', 'the program was archived meanwhile: nothing was imported');
          throw error;
        }
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
    const stateless = new Set<string>();
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
      for (const item of result.Items ?? []) {
        const participant = toParticipant(item);
        out.push(participant);
        if (item[WATCH] === false) stateless.add(participant.id);
      }
      lastKey = result.LastEvaluatedKey;
    } while (lastKey && (!page || out.length < page.limit));
    const cursor = encodeCursor(lastKey);
    return cursor ? { items: out, cursor, stateless } : { items: out, stateless };
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
    const ids = await enrolmentIdsOf(channel, address);
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter((p): p is Participant => p !== undefined);
  },

  async edit(read, change) {
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
    // A moved address may hold any state: the enrolment is watched from now on (see WATCH).
    const update = updateExpression({
      ...change,
      ...dueChange(read.id, change.nextDueAt),
      ...(links.length > 0 ? { [WATCH]: true } : {}),
    });
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
