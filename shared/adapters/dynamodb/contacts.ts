/**
 * DynamoDB adapter for {@link ContactRepository}: one state item per address, shared by every
 * enrolment that uses it. Consent changes are conditional on time, so a STOP and a START processed
 * out of order still end as the person said them last.
 *
 * Before an opt-out or a suppression is written, every enrolment of the address is flagged
 * `contactWatch` (see `participants.ts`): the week listing reads the states of flagged enrolments
 * only. The order makes a crash harmless: the state item is first marked `watched` (an enrolment
 * committing from then on checks that mark and is stored flagged), then the enrolments already
 * linked are flagged, and only then does the state change. A crash in between leaves enrolments
 * flagged whose state says nothing yet, which costs a read, never a wrong status.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel, ContactState } from '../../domain/channel.js';
import type { ContactRepository } from '../../ports.js';
import { documentClient, isConditionFailure, queryAll, tableName } from './client.js';
import { writeAlone } from './conditional-write.js';
import { contactKeys, participantKeys } from './keys.js';

/** The ids of every enrolment linked to an address (strongly consistent: links are written first). */
export async function enrolmentIdsOf(channel: Channel, address: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const item of queryAll({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: {
      ':pk': contactKeys.partition(channel, address),
      ':prefix': contactKeys.enrolmentPrefix,
    },
    ConsistentRead: true,
  }))
    if (typeof item.participantId === 'string') ids.push(item.participantId);
  return ids;
}

const FIELDS = ['optedOut', 'consentChangedAt', 'suppressed', 'softBounces'] as const;

/** The state of an address from its item. */
function toState(channel: Channel, address: string, item: Record<string, unknown>) {
  const state: Record<string, unknown> = { channel, address };
  for (const field of FIELDS) if (item[field] !== undefined) state[field] = item[field];
  return state as unknown as ContactState;
}

/**
 * Marks the address watched and flags every enrolment linked to it, before a change that a coach
 * would see (an opt-out, a suppression). An opt-in needs none: it can only clear what a flagged
 * enrolment shows, and leaves the state benign for enrolments that never saw a "no".
 */
async function watch(channel: Channel, address: string): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName,
      Key: contactKeys.state(channel, address),
      UpdateExpression:
        'SET watched = :yes, entity = :entity, version = if_not_exists(version, :zero) + :one',
      ExpressionAttributeValues: { ':yes': true, ':entity': 'contact', ':zero': 0, ':one': 1 },
    }),
  );
  const ids = await enrolmentIdsOf(channel, address);
  await Promise.all(
    ids.map((id) =>
      documentClient
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: participantKeys.item(id),
            UpdateExpression: 'SET contactWatch = :yes',
            // An enrolment erased meanwhile is not brought back as a bare flag.
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':yes': true },
          }),
        )
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        }),
    ),
  );
}

/** Contact address state in the single table. */
export const dynamoContactRepository: ContactRepository = {
  async get(channel, address) {
    const { Item } = await documentClient.send(
      new GetCommand({
        TableName: tableName,
        Key: contactKeys.state(channel, address),
        ConsistentRead: true,
      }),
    );
    return Item ? toState(channel, address, Item) : undefined;
  },

  async lookup(channel, address) {
    // The address's partition holds its state and a link per enrolment ("ENROLMENT#…" sorts before
    // "STATE"): one Query reads both, where a Query and a GetItem did.
    const stateKey = contactKeys.state(channel, address);
    const participantIds: string[] = [];
    let state: ContactState | undefined;
    for await (const item of queryAll({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
      ExpressionAttributeValues: {
        ':pk': stateKey.PK,
        ':first': contactKeys.enrolmentPrefix,
        ':last': stateKey.SK,
      },
      ConsistentRead: true,
    })) {
      if (item.SK === stateKey.SK) state = toState(channel, address, item);
      else if (
        String(item.SK).startsWith(contactKeys.enrolmentPrefix) &&
        typeof item.participantId === 'string'
      )
        participantIds.push(item.participantId);
    }
    return state ? { state, participantIds } : { participantIds };
  },

  async setOptOut(channel, address, optedOut, at) {
    if (optedOut) await watch(channel, address);
    const { written } = await writeAlone({
      Update: {
        TableName: tableName,
        Key: contactKeys.state(channel, address),
        UpdateExpression:
          'SET optedOut = :optedOut, consentChangedAt = :at, entity = :entity, version = if_not_exists(version, :zero) + :one',
        // Later messages win: one received earlier but processed later changes nothing.
        ConditionExpression: 'attribute_not_exists(consentChangedAt) OR consentChangedAt <= :at',
        ExpressionAttributeValues: {
          ':optedOut': optedOut,
          ':at': at,
          ':entity': 'contact',
          ':zero': 0,
          ':one': 1,
        },
      },
    });
    return written;
  },

  async suppress(channel, address, reason) {
    await watch(channel, address);
    await writeAlone({
      Update: {
        TableName: tableName,
        Key: contactKeys.state(channel, address),
        // A complaint outranks a bounce; neither is ever lifted automatically.
        UpdateExpression:
          'SET suppressed = :reason, entity = :entity, version = if_not_exists(version, :zero) + :one',
        ConditionExpression: 'attribute_not_exists(suppressed) OR :reason = :complaint',
        ExpressionAttributeValues: {
          ':reason': reason,
          ':complaint': 'complaint',
          ':entity': 'contact',
          ':zero': 0,
          ':one': 1,
        },
      },
    });
  },

  async countSoftBounce(channel, address) {
    const { Attributes } = await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: contactKeys.state(channel, address),
        UpdateExpression:
          'SET softBounces = if_not_exists(softBounces, :zero) + :one, entity = :entity, version = if_not_exists(version, :zero) + :one',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':entity': 'contact' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.softBounces ?? 0);
  },
};
