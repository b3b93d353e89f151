/**
 * DynamoDB adapter for {@link CoachRepository}. The profile is rewritten only when the token's
 * claims changed, so calling it on every request costs a conditional write that usually fails —
 * and this process remembers the claims it last stored or found for each coach, so a warm Lambda
 * skips even that write until the claims change (nothing else writes or deletes a profile).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CoachRepository } from '../../ports.js';
import { documentClient, tableName } from './client.js';
import { writeAlone } from './conditional-write.js';
import { coachKeys } from './keys.js';

/** Claims (`email` NUL `name`) this process knows to be stored, by coach; bounded. */
const stored = new Map<string, string>();
const STORED_MAX = 10_000;

/** Coach profiles in the single table. */
export const dynamoCoachRepository: CoachRepository = {
  async get(coachId) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: coachKeys.item(coachId) }),
    );
    if (!Item) return undefined;
    return {
      coachId,
      ...(typeof Item.email === 'string' && Item.email ? { email: Item.email } : {}),
      ...(typeof Item.name === 'string' && Item.name ? { name: Item.name } : {}),
    };
  },

  async remember(profile) {
    const claims = `${profile.email ?? ''}\u0000${profile.name ?? ''}`;
    if (stored.get(profile.coachId) === claims) return;
    // Absent claims are stored as '' so that the comparison below holds for them too.
    const item = {
      ...coachKeys.item(profile.coachId),
      entity: 'coach',
      version: 1,
      coachId: profile.coachId,
      email: profile.email ?? '',
      name: profile.name ?? '',
    };
    await writeAlone({
      Put: {
        TableName: tableName,
        Item: item,
        // Written only when something changed: most calls fail this condition and write nothing.
        ConditionExpression: 'attribute_not_exists(PK) OR NOT (#email = :email AND #name = :name)',
        ExpressionAttributeNames: { '#email': 'email', '#name': 'name' },
        ExpressionAttributeValues: { ':email': profile.email ?? '', ':name': profile.name ?? '' },
      },
    });
    if (stored.size >= STORED_MAX) stored.clear();
    stored.set(profile.coachId, claims);
  },
};
