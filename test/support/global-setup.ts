/**
 * Starts one DynamoDB Local for the whole test run (about 2 s and 180 MB, so not one per file)
 * and hands its endpoint to the test files.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal({ port: 0 });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => dynamo.stop();
}
