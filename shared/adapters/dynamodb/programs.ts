/**
 * DynamoDB adapter for {@link ProgramRepository}. A program is keyed by its id, so the lookups on
 * the send and reply paths are strongly consistent reads (an index would lag: a participant enrolled
 * a second after their program was created could miss their first prompt); the coach's list comes
 * from the owner index.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { BUILT_IN_PROGRAMS, type Program } from '../../domain/program.js';
import type { ProgramRepository, StoredProgram } from '../../ports.js';
import { documentClient, queryAll, tableName, updateExpression } from './client.js';
import { writeAlone } from './conditional-write.js';
import { programKeys } from './keys.js';
import { tableDefinition } from './table-definition.js';

const ENTITY = 'program';
const builtIn = (id: string) => BUILT_IN_PROGRAMS.find((p) => p.id === id);

function toProgram(item: Record<string, unknown>): StoredProgram {
  return {
    id: String(item.id),
    coachId: item.coachId === undefined ? null : String(item.coachId),
    name: String(item.name),
    questions: item.questions as Program['questions'],
    schedule: item.schedule as Program['schedule'],
    createdAt: String(item.createdAt),
    ...(typeof item.updatedAt === 'string' ? { updatedAt: item.updatedAt } : {}),
    ...(typeof item.archivedAt === 'string' ? { archivedAt: item.archivedAt } : {}),
    ...(item.reportCard === false ? { reportCard: false } : {}),
  };
}

/** A conditional update of a coach's program; false when the condition does not hold. */
async function updateOwn(
  coachId: string,
  programId: string,
  update: ReturnType<typeof updateExpression>,
  extraCondition = '',
): Promise<boolean> {
  const { written } = await writeAlone({
    Update: {
      TableName: tableName,
      Key: programKeys.item(programId),
      UpdateExpression: update.UpdateExpression,
      ConditionExpression: `attribute_exists(PK) AND #owner = :owner${extraCondition}`,
      ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#owner': 'coachId' },
      ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':owner': coachId },
    },
  });
  return written;
}

/** Programs in the single table. */
export const dynamoProgramRepository: ProgramRepository = {
  async create(program) {
    if (!program.coachId) throw new Error('only coach programs are stored');
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...programKeys.item(program.id),
          ...programKeys.byCoach(program.coachId, program.id),
          entity: ENTITY,
          version: 1,
          ...program,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  },

  async get(coachId, programId) {
    const program = await this.getById(programId);
    return program && (program.coachId === null || program.coachId === coachId) ? program : undefined;
  },

  async getById(programId) {
    const found = builtIn(programId);
    if (found) return found;
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: programKeys.item(programId), ConsistentRead: true }),
    );
    return Item ? toProgram(Item) : undefined;
  },

  async listForCoach(coachId) {
    const index = tableDefinition.indexes.byOwner;
    const prefix = programKeys.byCoach(coachId, '');
    const programs: Program[] = [];
    for await (const item of queryAll({
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
      ExpressionAttributeValues: { ':pk': prefix.GSI1PK, ':prefix': prefix.GSI1SK },
    })) {
      programs.push(toProgram(item));
    }
    return [...BUILT_IN_PROGRAMS, ...programs];
  },

  async update({ id, coachId, name, questions, schedule, reportCard, updatedAt }) {
    if (builtIn(id)) return false;
    const update = updateExpression({ name, questions, schedule, reportCard: reportCard ?? true, updatedAt });
    // Archived programs are read-only: the condition also covers an archive racing this edit.
    update.ExpressionAttributeNames['#archivedAt'] = 'archivedAt';
    return updateOwn(coachId, id, update, ' AND attribute_not_exists(#archivedAt)');
  },

  async archive(coachId, programId, at) {
    if (builtIn(programId)) return false;
    const update = updateExpression({}, ['#archivedAt = if_not_exists(#archivedAt, :at)']);
    update.ExpressionAttributeNames['#archivedAt'] = 'archivedAt';
    update.ExpressionAttributeValues[':at'] = at;
    return updateOwn(coachId, programId, update);
  },
};
