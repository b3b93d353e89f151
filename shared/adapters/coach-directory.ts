/**
 * Where a function that emails a coach finds them. On AWS the coach's address is their Cognito
 * user's, even if they never called the API. There is no local Cognito: locally it is the profile
 * remembered from the `/dev/token` claims.
 */
import { coachDirectoryConfig } from '../config.js';
import type { CoachRepository } from '../ports.js';
import { cognitoCoachRepository } from './cognito/coaches.js';
import { dynamoCoachRepository } from './dynamodb/coaches.js';

/** The coach repository of this deployment: Cognito when `COACH_USER_POOL_ID` is set. */
export function coachDirectory(): CoachRepository {
  return coachDirectoryConfig().COACH_USER_POOL_ID ? cognitoCoachRepository : dynamoCoachRepository;
}
