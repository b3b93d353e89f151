/**
 * Key builders for the single table. Every key the code writes or reads is built here.
 *
 * Access patterns (entity — PK / SK — index):
 * - Program of a coach ........ COACH#{coachId} / PROGRAM#{programId}
 *   Program by id ............. GSI1: PROGRAM#{programId} / PROGRAM
 * - Participant ............... PARTICIPANT#{id} / PROFILE
 *   Coach's participants ...... GSI1: COACH#{coachId} / PARTICIPANT#{id}
 *   Next prompt due ........... DueIndex: DUE#{shard} / {nextDueAt}#P#{id}   (sparse)
 * - Phone number claim ........ PHONE#{e164} / PHONE   (one participant per number; inbound lookup)
 * - Prompt .................... PARTICIPANT#{id} / PROMPT#{scheduledFor}
 *   Reminder timer ............ DueIndex: DUE#{shard} / {remindAt}#R#{id}#{scheduledFor}   (sparse)
 * - Reminder (sent record) .... PARTICIPANT#{id} / REMINDER#{scheduledFor}
 * - SMS opt-in request ........ PARTICIPANT#{id} / OPTIN#{scheduledFor}
 * - Answer .................... PARTICIPANT#{id} / ANSWER#{scheduledFor}#{questionIndex:02}
 * - Raw inbound message ....... INBOUND#{providerMessageId} / RAW   (idempotency on the provider id)
 *   Participant's messages .... GSI1: PARTICIPANT#{id} / INBOUND#{receivedAt}
 *
 * ISO-8601 instants in UTC with milliseconds sort lexicographically, so time-ordered sort keys
 * are plain strings.
 */

import type { PromptKind } from '../../domain/prompt.js';

/** Sort-key prefix of each kind of send record. */
const KIND_PREFIX: Record<PromptKind, string> = {
  prompt: 'PROMPT#',
  reminder: 'REMINDER#',
  'opt-in': 'OPTIN#',
};

/** Primary key of an item. */
export interface Key {
  readonly PK: string;
  readonly SK: string;
  readonly [attribute: string]: string;
}

/** Keys of programs. */
export const programKeys = {
  item: (coachId: string, programId: string): Key => ({ PK: `COACH#${coachId}`, SK: `PROGRAM#${programId}` }),
  byId: (programId: string) => ({ GSI1PK: `PROGRAM#${programId}`, GSI1SK: 'PROGRAM' }),
  coachPrefix: (coachId: string) => ({ PK: `COACH#${coachId}`, SKPrefix: 'PROGRAM#' }),
};

/** Keys of participants. */
export const participantKeys = {
  item: (id: string): Key => ({ PK: `PARTICIPANT#${id}`, SK: 'PROFILE' }),
  byCoach: (coachId: string, id: string) => ({ GSI1PK: `COACH#${coachId}`, GSI1SK: `PARTICIPANT#${id}` }),
  phone: (phone: string): Key => ({ PK: `PHONE#${phone}`, SK: 'PHONE' }),
};

/** Keys of the due-time index. */
export const dueKeys = {
  shardPK: (shard: number) => `DUE#${shard}`,
  participant: (shard: number, dueAt: string, id: string) => ({
    duePK: `DUE#${shard}`,
    dueSK: `${dueAt}#P#${id}`,
  }),
  reminder: (shard: number, remindAt: string, id: string, scheduledFor: string) => ({
    duePK: `DUE#${shard}`,
    dueSK: `${remindAt}#R#${id}#${scheduledFor}`,
  }),
  /** The instant a due-index sort key stands for. */
  instantOf: (dueSK: string) => dueSK.slice(0, dueSK.indexOf('#')),
  /** Upper bound for "everything due at or before `until`" within a shard. */
  until: (until: Date) => `${until.toISOString()}#~`,
};

/** Keys of prompts and answers, which live in the participant's partition. */
export const promptKeys = {
  item: (participantId: string, scheduledFor: string, kind: PromptKind = 'prompt'): Key => ({
    PK: `PARTICIPANT#${participantId}`,
    SK: `${KIND_PREFIX[kind]}${scheduledFor}`,
  }),
  prefix: 'PROMPT#',
  /** Sort-key prefixes of every kind of send record. */
  allPrefixes: Object.values(KIND_PREFIX),
  answer: (participantId: string, scheduledFor: string, questionIndex: number): Key => ({
    PK: `PARTICIPANT#${participantId}`,
    SK: `ANSWER#${scheduledFor}#${String(questionIndex).padStart(2, '0')}`,
  }),
  answerPrefix: 'ANSWER#',
  partition: (participantId: string) => `PARTICIPANT#${participantId}`,
};

/** Keys of raw inbound messages. */
export const inboundKeys = {
  item: (providerMessageId: string): Key => ({ PK: `INBOUND#${providerMessageId}`, SK: 'RAW' }),
  byParticipant: (participantId: string, receivedAt: string) => ({
    GSI1PK: `PARTICIPANT#${participantId}`,
    GSI1SK: `INBOUND#${receivedAt}`,
  }),
};

/** Stable shard of a participant in the due index (FNV-1a of the id). */
export function shardOf(id: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}
