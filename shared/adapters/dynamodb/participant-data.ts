/**
 * DynamoDB adapter for {@link ParticipantDataStore}: everything stored about one participant, found
 * by key (their partition, their raw messages in the owner index, their addresses' items) — never
 * by scanning — and erased the same way.
 *
 * What erasure keeps: numeric answers and summary counters, stripped of every free-text field, in a
 * partition named by a random id that nothing links to a person any more (the profile, with name,
 * phone and email, is deleted last, so an interrupted erasure can simply be run again).
 */
import { BatchWriteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CHANNELS, type ContactState } from '../../domain/channel.js';
import { addressOf, type Participant } from '../../domain/participant.js';
import type { ParticipantDataStore } from '../../ports.js';
import { documentClient, queryAll, tableName } from './client.js';
import { contactKeys, inboundKeys, participantKeys, promptKeys } from './keys.js';
import { anonymousSummaryItem } from './summaries.js';
import { tableDefinition } from './table-definition.js';

const TABLE_ATTRIBUTES = new Set([
  'PK',
  'SK',
  'version',
  'GSI1PK',
  'GSI1SK',
  'duePK',
  'dueSK',
  'expiresAt',
  'processingUntil',
  // Read-skipping marks of the week listing (participants.ts, contacts.ts), not the person's data.
  'contactWatch',
  'watched',
]);

/** Fields that may hold what a person wrote or who they are; gone from anything erasure keeps. */
const PERSONAL_FIELDS = [
  'name',
  'phone',
  'email',
  'text',
  'comment',
  'comments',
  'texts',
  'annotation',
  'body',
  'from',
  'providerMessageId',
  'rawRef',
  'answer',
];

const strip = (item: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !TABLE_ATTRIBUTES.has(k)));

/** Whether an item of the participant's partition survives erasure as an anonymous aggregate. */
function aggregate(item: Record<string, unknown>): boolean {
  const entity = String(item.entity ?? '');
  if (entity === 'answer') return typeof item.value === 'number';
  return entity.includes('summary');
}

type Write =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

async function batchWrite(writes: readonly Write[]): Promise<void> {
  for (let i = 0; i < writes.length; i += 25) {
    let pending: Write[] | undefined = writes.slice(i, i + 25);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      const out = await documentClient.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = out.UnprocessedItems?.[tableName] as Write[] | undefined;
    }
  }
}

const partitionItems = (participantId: string) =>
  queryAll({
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': promptKeys.partition(participantId) },
    ConsistentRead: true,
  });

/**
 * The participant's raw messages: those attributed to them, and those no enrolment took that came
 * from (or concern) one of their addresses.
 */
async function* inboundItems(participant: Participant): AsyncGenerator<Record<string, unknown>> {
  const index = tableDefinition.indexes.byOwner;
  const owners = [
    inboundKeys.byParticipant(participant.id, ''),
    ...CHANNELS.flatMap((channel) => {
      const address = addressOf(participant, channel);
      return address ? [inboundKeys.byAddress(channel, address, '')] : [];
    }),
  ];
  for (const owner of owners) {
    yield* queryAll({
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
      ExpressionAttributeValues: { ':pk': owner.GSI1PK, ':prefix': owner.GSI1SK },
    });
  }
}

async function collectAll(source: AsyncIterable<Record<string, unknown>>) {
  const out: Record<string, unknown>[] = [];
  for await (const item of source) out.push(item);
  return out;
}

/** Participant data in the single table. */
export const dynamoParticipantDataStore: ParticipantDataStore = {
  async collect(participant) {
    const [items, inbound, contacts] = await Promise.all([
      collectAll(partitionItems(participant.id)),
      collectAll(inboundItems(participant)),
      Promise.all(
        CHANNELS.flatMap((channel) => {
          const address = addressOf(participant, channel);
          if (!address) return [];
          return [
            documentClient
              .send(
                new GetCommand({
                  TableName: tableName,
                  Key: contactKeys.state(channel, address),
                  ConsistentRead: true,
                }),
              )
              .then(({ Item }) =>
                Item ? ({ channel, address, ...strip(Item) } as unknown as ContactState) : undefined,
              ),
          ];
        }),
      ),
    ]);
    return {
      items: items.map(strip),
      inbound: inbound.map(strip),
      contacts: contacts.filter((c): c is ContactState => c !== undefined),
    };
  },

  async erase(participant) {
    const profile = participantKeys.item(participant.id);
    const writes: Write[] = [];
    let kept = 0;
    for await (const item of partitionItems(participant.id)) {
      if (item.SK === profile.SK) continue; // last, below
      if (aggregate(item)) {
        const anonymous = Object.fromEntries(
          Object.entries(anonymousSummaryItem(item)).filter(([k]) => !PERSONAL_FIELDS.includes(k)),
        );
        writes.push({ PutRequest: { Item: anonymous } });
        kept++;
      } else {
        writes.push({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } });
      }
    }
    for await (const item of inboundItems(participant)) {
      writes.push({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } });
    }
    for (const channel of CHANNELS) {
      const address = addressOf(participant, channel);
      if (address)
        writes.push({ DeleteRequest: { Key: contactKeys.enrolment(channel, address, participant.id) } });
    }
    await batchWrite(writes);
    let deleted = writes.length - kept;

    // An address's consent state goes with its last enrolment: nobody else's messages depend on it.
    const orphaned: Write[] = [];
    for (const channel of CHANNELS) {
      const address = addressOf(participant, channel);
      if (!address) continue;
      const { Items } = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: {
            ':pk': contactKeys.partition(channel, address),
            ':prefix': contactKeys.enrolmentPrefix,
          },
          ConsistentRead: true,
          Limit: 1,
        }),
      );
      if ((Items ?? []).length === 0)
        orphaned.push({ DeleteRequest: { Key: contactKeys.state(channel, address) } });
    }
    await batchWrite([...orphaned, { DeleteRequest: { Key: profile } }]);
    deleted += orphaned.length + 1;
    return { deleted, kept };
  },
};
