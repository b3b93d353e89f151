/**
 * DynamoDB adapter for {@link SummaryRepository}. One item per participant-week holds keyed cells
 * as flat attributes (DynamoDB cannot SET a nested key of a map that does not exist yet):
 * - `s#{scheduledFor}` = sentAt, one per prompt sent;
 * - `a#{scheduledFor}#{questionIndex}` = `{k, v?, t?, c?, at}`, the latest answer to one question
 *   of one prompt (a second click or a correction overwrites it: nothing counts twice);
 * - `q#{questionKey}` = the question's description.
 * Figures are computed from the cells on read (`domain/summary.ts`). A coach-week item keeps the
 * week open (sparse GSI1 entry under `WEEKS#open`) until the hourly job closes it.
 */
import { BatchGetCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactState } from '../../domain/channel.js';
import type { Participant } from '../../domain/participant.js';
import type { Prompt } from '../../domain/prompt.js';
import {
  type AnswerCell,
  isoWeekOf,
  type QuestionMeta,
  questionKey,
  questionMeta,
  type SummaryRecord,
  weekClosesAt,
} from '../../domain/summary.js';
import type { Answer, SummaryRepository } from '../../ports.js';
import { documentClient, queryAll, tableName } from './client.js';
import { writeAlone } from './conditional-write.js';
import { contactKeys, summaryKeys } from './keys.js';
import { tableDefinition } from './table-definition.js';

const ENTITY = 'summary';
type Owner = Pick<Participant, 'id' | 'coachId' | 'timeZone'> & { readonly programId?: string };

/** SET clauses naming the record's owner (every write may be the one that creates the item). */
function identity(owner: Owner, week: string) {
  const values: Record<string, unknown> = {
    ':entity': ENTITY,
    ':participantId': owner.id,
    ':coachId': owner.coachId,
    ':week': week,
    ':timeZone': owner.timeZone,
    ':zero': 0,
    ':one': 1,
    ...Object.fromEntries(
      Object.entries(summaryKeys.byCoach(owner.coachId, week, owner.id)).map(([k, v]) => [`:${k}`, v]),
    ),
    ...(owner.programId ? { ':programId': owner.programId } : {}),
  };
  const set = [
    'entity = :entity',
    'participantId = :participantId',
    'coachId = :coachId',
    '#week = :week',
    '#timeZone = :timeZone',
    'GSI1PK = :GSI1PK',
    'GSI1SK = :GSI1SK',
    '#version = if_not_exists(#version, :zero) + :one',
    ...(owner.programId ? ['programId = if_not_exists(programId, :programId)'] : []),
  ];
  return { set, names: { '#week': 'week', '#version': 'version', '#timeZone': 'timeZone' }, values };
}

/** The UpdateItem input of a participant-week's item from its SET clauses. */
function weekUpdate(
  participantId: string,
  week: string,
  set: readonly string[],
  names: Record<string, string>,
  values: Record<string, unknown>,
) {
  return {
    TableName: tableName,
    Key: summaryKeys.item(participantId, week),
    UpdateExpression: `SET ${set.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * The Update of a participant-week for answers, for the answers' own transaction. The answers must
 * all belong to one prompt (they do: one message answers one prompt).
 */
export function summaryAnswersUpdate(owner: Owner, answers: readonly Answer[]) {
  const first = answers[0];
  if (!first) throw new Error('no answers');
  const week = isoWeekOf(first.scheduledFor, owner.timeZone);
  const id = identity(owner, week);
  const names: Record<string, string> = { ...id.names };
  const values: Record<string, unknown> = { ...id.values };
  const set = [...id.set];
  answers.forEach((a, i) => {
    const key = questionKey(a.questionIndex, a.experimentId);
    names[`#a${i}`] = `a#${a.scheduledFor}#${a.questionIndex}`;
    values[`:a${i}`] = {
      k: key,
      ...(a.value !== undefined ? { v: a.value } : {}),
      ...(a.text !== undefined ? { t: a.text } : {}),
      ...(a.comment ? { c: a.comment } : {}),
      at: a.receivedAt,
    };
    set.push(`#a${i} = :a${i}`);
    // Describes the question only if the send path has not (it knows the type; this does not).
    names[`#q${i}`] = `q#${key}`;
    values[`:q${i}`] = {
      text: a.question || `Question ${a.questionIndex + 1}`,
      type: a.value === undefined ? 'text' : 'scale',
      ...(a.experimentId ? { experimentId: a.experimentId } : {}),
    } satisfies QuestionMeta;
    set.push(`#q${i} = if_not_exists(#q${i}, :q${i})`);
  });
  return weekUpdate(owner.id, week, set, names, values);
}

/**
 * The Update marking a sent prompt in its participant-week: its send time, the description of its
 * questions, and the week's `opened` mark. With `whenOpened` it applies only to a week already
 * opened (the send path's transaction; the week's first send also opens the coach's week).
 */
export function summarySentUpdate(
  owner: Owner,
  prompt: Pick<Prompt, 'scheduledFor' | 'questions'>,
  sentAt: string,
  options: { whenOpened?: boolean } = {},
) {
  const week = isoWeekOf(prompt.scheduledFor, owner.timeZone);
  const id = identity(owner, week);
  const names: Record<string, string> = { ...id.names, '#s': `s#${prompt.scheduledFor}` };
  const values: Record<string, unknown> = { ...id.values, ':sentAt': sentAt };
  const set = [...id.set, '#s = :sentAt', 'opened = :one'];
  prompt.questions.forEach((q, i) => {
    names[`#q${i}`] = `q#${questionKey(i, q.experimentId)}`;
    values[`:q${i}`] = questionMeta(q);
    set.push(`#q${i} = :q${i}`);
  });
  return {
    ...weekUpdate(owner.id, week, set, names, values),
    ...(options.whenOpened ? { ConditionExpression: 'attribute_exists(opened)' } : {}),
  };
}

const META = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'entity', 'version', 'opened']);

/** A stored item as a {@link SummaryRecord}. */
export function toSummaryRecord(item: Record<string, unknown>): SummaryRecord {
  const sent: Record<string, string> = {};
  const answers: AnswerCell[] = [];
  const questions: Record<string, QuestionMeta> = {};
  for (const [name, value] of Object.entries(item)) {
    if (META.has(name)) continue;
    if (name.startsWith('s#')) sent[name.slice(2)] = String(value);
    else if (name.startsWith('q#')) questions[name.slice(2)] = value as QuestionMeta;
    else if (name.startsWith('a#')) {
      const [, scheduledFor = '', index = '0'] = name.split('#');
      const cell = value as { k: string; v?: number; t?: string; c?: string; at: string };
      answers.push({
        scheduledFor,
        questionIndex: Number(index),
        key: cell.k,
        ...(cell.v !== undefined ? { value: Number(cell.v) } : {}),
        ...(cell.t !== undefined ? { text: cell.t } : {}),
        ...(cell.c !== undefined ? { comment: cell.c } : {}),
        at: cell.at,
      });
    }
  }
  return {
    participantId: String(item.participantId),
    coachId: String(item.coachId),
    week: String(item.week),
    timeZone: String(item.timeZone),
    ...(typeof item.programId === 'string' ? { programId: item.programId } : {}),
    sent,
    answers,
    questions,
    ...(typeof item.annotation === 'string' && item.annotation ? { annotation: item.annotation } : {}),
    ...(isPushMark(item.push) ? { push: item.push } : {}),
  };
}

function isPushMark(value: unknown): value is { sendAt: string; skipped?: boolean } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { sendAt?: unknown }).sendAt === 'string'
  );
}

const CONTACT_FIELDS = ['optedOut', 'consentChangedAt', 'suppressed', 'softBounces'] as const;

/** Summaries in the single table. */
export const dynamoSummaryRepository: SummaryRepository = {
  async markSent(participant, prompt, sentAt) {
    const week = isoWeekOf(prompt.scheduledFor, participant.timeZone);
    const { Attributes } = await documentClient.send(
      new UpdateCommand({ ...summarySentUpdate(participant, prompt, sentAt), ReturnValues: 'UPDATED_OLD' }),
    );
    // The participant's close time is the same all week: only the week's first send moves it.
    if (Attributes?.opened !== undefined) return;
    const closeAt = weekClosesAt(week, participant.timeZone).toISOString();
    await writeAlone({
      Update: {
        TableName: tableName,
        Key: summaryKeys.coachWeek(week, participant.coachId),
        UpdateExpression:
          'SET entity = :entity, coachId = :coachId, #week = :week, closeAt = :closeAt, GSI1PK = :gpk, GSI1SK = :gsk',
        // The latest zone decides; a closed week is never reopened (its email went out).
        ConditionExpression:
          'attribute_not_exists(closedAt) AND (attribute_not_exists(closeAt) OR closeAt < :closeAt)',
        ExpressionAttributeNames: { '#week': 'week' },
        ExpressionAttributeValues: {
          ':entity': 'coach-week',
          ':coachId': participant.coachId,
          ':week': week,
          ':closeAt': closeAt,
          ':gpk': summaryKeys.open(closeAt, participant.coachId, week).GSI1PK,
          ':gsk': summaryKeys.open(closeAt, participant.coachId, week).GSI1SK,
        },
      },
    });
  },

  async get(participantId, week) {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: summaryKeys.item(participantId, week) }),
    );
    return Item ? toSummaryRecord(Item) : undefined;
  },

  async listForParticipant(participantId, fromWeek, toWeek) {
    const records: SummaryRecord[] = [];
    for await (const item of queryAll({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': summaryKeys.item(participantId, fromWeek).PK,
        ':from': `${summaryKeys.prefix}${fromWeek}`,
        ':to': `${summaryKeys.prefix}${toWeek}`,
      },
    }))
      records.push(toSummaryRecord(item));
    return records;
  },

  async listForCoach(coachId, fromWeek, toWeek) {
    const records: SummaryRecord[] = [];
    for await (const item of queryAll({
      IndexName: tableDefinition.indexes.byOwner.name,
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': `COACH#${coachId}`,
        ':from': `${summaryKeys.prefix}${fromWeek}#`,
        ':to': `${summaryKeys.prefix}${toWeek}#~`,
      },
    }))
      records.push(toSummaryRecord(item));
    return records;
  },

  async annotate(participant, week, text) {
    const id = identity(participant, week);
    const values: Record<string, unknown> = { ...id.values };
    if (text) values[':annotation'] = text;
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: summaryKeys.item(participant.id, week),
        UpdateExpression: `SET ${[...id.set, ...(text ? ['annotation = :annotation'] : [])].join(', ')}${text ? '' : ' REMOVE annotation'}`,
        ExpressionAttributeNames: id.names,
        ExpressionAttributeValues: values,
      }),
    );
  },

  async notePush(participant, week, push) {
    const id = identity(participant, week);
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: summaryKeys.item(participant.id, week),
        UpdateExpression: `SET ${[...id.set, '#push = :push'].join(', ')}`,
        ExpressionAttributeNames: { ...id.names, '#push': 'push' },
        ExpressionAttributeValues: { ...id.values, ':push': push },
      }),
    );
  },

  async dueWeeks(now) {
    const due: { coachId: string; week: string; closeAt: string }[] = [];
    for await (const item of queryAll({
      IndexName: tableDefinition.indexes.byOwner.name,
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK <= :until',
      ExpressionAttributeValues: { ':pk': summaryKeys.openPartition, ':until': `${now.toISOString()}#~` },
    }))
      due.push({ coachId: String(item.coachId), week: String(item.week), closeAt: String(item.closeAt) });
    return due;
  },

  async closeWeek(coachId, week, at) {
    const { written } = await writeAlone({
      Update: {
        TableName: tableName,
        Key: summaryKeys.coachWeek(week, coachId),
        UpdateExpression: 'SET closedAt = :at REMOVE GSI1PK, GSI1SK',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(closedAt)',
        ExpressionAttributeValues: { ':at': at },
      },
    });
    return written;
  },

  async coachesOfWeek(week) {
    const coaches: string[] = [];
    for await (const item of queryAll({
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': summaryKeys.weekPartition(week) },
    }))
      coaches.push(String(item.coachId));
    return coaches;
  },

  async contactStates(addresses) {
    const unique = [...new Map(addresses.map((a) => [`${a.channel}#${a.address}`, a])).values()];
    const states: ContactState[] = [];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique
        .slice(i, i + 100)
        .map((a) => contactKeys.state(a.channel, a.address));
      while (keys.length) {
        const result = await documentClient.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[tableName] ?? []) {
          const [, channel, ...rest] = String(item.PK).split('#');
          const state: Record<string, unknown> = { channel, address: rest.join('#') };
          for (const field of CONTACT_FIELDS) if (item[field] !== undefined) state[field] = item[field];
          states.push(state as unknown as ContactState);
        }
        keys = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return states;
  },
};

/**
 * A summary item without anything a person wrote: each answer cell keeps its number and time,
 * loses its free text (`t`) and comment (`c`). Used when a participant is erased.
 */
export function anonymousSummaryItem(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(item).map(([key, value]) => {
      if (!key.startsWith('a#') || typeof value !== 'object' || value === null) return [key, value];
      const { t: _text, c: _comment, ...numbers } = value as Record<string, unknown>;
      return [key, numbers];
    }),
  );
}
