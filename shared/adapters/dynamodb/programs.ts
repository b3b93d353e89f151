/**
 * DynamoDB adapter for {@link ProgramRepository}.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { BUILT_IN_PROGRAMS, type Program } from '../../domain/program.js';
import type { ProgramRepository } from '../../ports.js';
import { documentClient, queryAll, tableName } from './client.js';
import { programKeys } from './keys.js';
import { tableDefinition } from './table-definition.js';

const ENTITY = 'program';
const builtIn = (id: string) => BUILT_IN_PROGRAMS.find((p) => p.id === id);

function toProgram(item: Record<string, unknown>): Program {
  return {
    id: String(item.id),
    coachId: item.coachId === undefined ? null : String(item.coachId),
    name: String(item.name),
    questions: item.questions as Program['questions'],
    schedule: item.schedule as Program['schedule'],
    createdAt: String(item.createdAt),
  };
}

/** Programs in the single table. */
export const dynamoProgramRepository: ProgramRepository = {
  async create(program) {
    if (!program.coachId) throw new Error('only coach programs are stored');
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...programKeys.item(program.coachId, program.id),
          ...programKeys.byId(program.id),
          entity: ENTITY,
          version: 1,
          ...program,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  },

  async get(coachId, programId) {
    const found = builtIn(programId);
    if (found) return found;
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: programKeys.item(coachId, programId) }),
    );
    return Item ? toProgram(Item) : undefined;
  },

  async getById(programId) {
    const found = builtIn(programId);
    if (found) return found;
    const index = tableDefinition.indexes.byOwner;
    const keys = programKeys.byId(programId);
    const { Items } = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk = :sk',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: { ':pk': keys.GSI1PK, ':sk': keys.GSI1SK },
      }),
    );
    const item = Items?.[0];
    return item ? toProgram(item) : undefined;
  },

  async listForCoach(coachId) {
    const { PK, SKPrefix } = programKeys.coachPrefix(coachId);
    const programs: Program[] = [];
    for await (const item of queryAll({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': PK, ':sk': SKPrefix },
    })) {
      programs.push(toProgram(item));
    }
    return [...BUILT_IN_PROGRAMS, ...programs];
  },
};
