import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
export const x = [getSecret];
