/**
 * {@link CoachRepository} over the coach user pool: on AWS a coach's address is the `email`
 * attribute of their Cognito user, looked up when it is needed (the weekly email), so a coach who
 * never called the API is still reached. Cognito is the source of truth: nothing is remembered.
 */
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { awsConfig, coachDirectoryConfig } from '../../config.js';
import type { CoachProfile, CoachRepository } from '../../ports.js';

/** Where the adapter finds the user pool. */
export interface CoachDirectory {
  readonly client: () => CognitoIdentityProviderClient;
  readonly userPoolId: () => string;
}

/**
 * A {@link CoachRepository} reading coaches from one user pool. The pool signs in by email
 * (`signInAliases: { email: true }`), so every user's username is its generated `sub`, which is
 * the coach id: one AdminGetUser per coach, no ListUsers search.
 */
export function coachRepositoryOver(directory: CoachDirectory): CoachRepository {
  return {
    async get(coachId) {
      try {
        const out = await directory
          .client()
          .send(new AdminGetUserCommand({ UserPoolId: directory.userPoolId(), Username: coachId }));
        const attribute = (name: string) => {
          const value = out.UserAttributes?.find((a) => a.Name === name)?.Value?.trim();
          return value ? value : undefined;
        };
        const email = attribute('email');
        const name = attribute('name') ?? attribute('given_name');
        const profile: CoachProfile = { coachId, ...(email ? { email } : {}), ...(name ? { name } : {}) };
        return profile;
      } catch (error) {
        // A coach removed from the pool has no address any more; the week still closes.
        if (error instanceof UserNotFoundException) return undefined;
        throw error;
      }
    },
    async remember() {
      // Cognito is the source: the profile is read from it, never written.
    },
  };
}

let client: CognitoIdentityProviderClient | undefined;

/** The coach user pool named by `COACH_USER_POOL_ID` (AWS only). */
export const cognitoCoachRepository: CoachRepository = coachRepositoryOver({
  client: () => {
    if (!client) client = new CognitoIdentityProviderClient({ region: awsConfig().AWS_REGION });
    return client;
  },
  userPoolId: () => {
    const { COACH_USER_POOL_ID } = coachDirectoryConfig();
    if (!COACH_USER_POOL_ID)
      throw new Error('nanocoach configuration (coach directory): COACH_USER_POOL_ID is not set');
    return COACH_USER_POOL_ID;
  },
});
