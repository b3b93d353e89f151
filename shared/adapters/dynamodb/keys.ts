/**
 * Key builders for the single table. Every key the code writes or reads is built here.
 *
 * Access patterns (entity — PK / SK — index):
 * - Coach profile ............. COACH#{coachId} / PROFILE   (email, name from the identity token)
 * - Program ................... PROGRAM#{programId} / PROGRAM   (read strongly consistently by id)
 *   Coach's programs .......... GSI1: COACH#{coachId} / PROGRAM#{programId}
 * - Participant (enrolment) ... PARTICIPANT#{id} / PROFILE
 *   Coach's participants ...... GSI1: COACH#{coachId} / PARTICIPANT#{id}
 *   A program's participants .. GSI1: COACH#{coachId} / PARTICIPANT# filtered on programId.
 *     A program's participants are always its coach's (coach programs are private; built-in
 *     ones are never edited), so this reads at most the coach's own participants — tens to a few
 *     hundred items, once per program edit — and needs no extra item per enrolment to keep in
 *     step when a participant moves program (a PROGRAM#/ENROLMENT# link would cost a write on
 *     every enrolment and move, and would miss participants enrolled before it existed).
 *   Personal experiment ....... PARTICIPANT#{id} / EXPERIMENT#{experimentId}
 *   Next prompt due ........... DueIndex: DUE#{shard} / {nextDueAt}#P#{id}   (sparse)
 * - Contact address state ..... CONTACT#{channel}#{address} / STATE   (consent, suppression)
 *   Enrolments of an address .. CONTACT#{channel}#{address} / ENROLMENT#{participantId}
 * - Erased address's "no" ...... ERASED#{HMAC of channel:address} / CONSENT   (no address, no person)
 * - Prompt .................... PARTICIPANT#{id} / PROMPT#{scheduledFor}
 *   (deliveryStatus + deliveryRank: provider delivery status, only ever moved forward)
 *   Reminder timer ............ DueIndex: DUE#{shard} / {remindAt}#R#{id}#{scheduledFor}   (sparse)
 * - Reminder (sent record) .... PARTICIPANT#{id} / REMINDER#{scheduledFor}
 * - SMS opt-in request ........ PARTICIPANT#{id} / OPTIN#{scheduledFor}
 * - Email welcome ............. PARTICIPANT#{id} / WELCOME#{scheduledFor}
 * - Answer .................... PARTICIPANT#{id} / ANSWER#{scheduledFor}#{questionIndex:02}
 * - Coach push ................ PARTICIPANT#{id} / PUSH#{scheduledFor}   (its exercise answer inside)
 *   Push timer ................ DueIndex: DUE#{shard} / {sendAt}#U#{id}#{scheduledFor}   (sparse)
 * - Audit entry ............... AUDIT#{coachId} / {at}#{random}   (exports, erasures, pushes…)
 * - Weekly summary ............ PARTICIPANT#{id} / SUMMARY#{week}   (ISO week in the participant's zone)
 *   Coach's week(s) ........... GSI1: COACH#{coachId} / SUMMARY#{week}#{participantId}
 * - Coach-week ................ WEEK#{week} / COACH#{coachId}   (close time, closed/emailed marker)
 *   Open coach-weeks .......... GSI1: WEEKS#open / {closeAt}#{coachId}#{week}   (sparse: removed on close)
 * - Rate-limit counter ........ RATE#{key} / {windowStart}   (expires by TTL)
 * - Idempotency key ........... IDEMPOTENCY#{coachId} / {key}   (request hash + response; TTL)
 * - Raw inbound message ....... INBOUND#{providerMessageId} / RAW   (idempotency on the provider id)
 *   Participant's messages .... GSI1: PARTICIPANT#{id} / INBOUND#{receivedAt}
 *   An address's unattributed . GSI1: ADDRESS#{channel}#{address} / INBOUND#{receivedAt}
 *     Every raw message starts here (keyed by its sender) and moves to its participant when it is
 *     attributed; what no enrolment took (an SMS with nothing open, an out-of-office, a reply that
 *     failed the sender check, a keyword to a shared number) stays, found by address on export
 *     and erasure without a scan.
 *
 * ISO-8601 instants in UTC with milliseconds sort lexicographically, so time-ordered sort keys
 * are plain strings.
 */

import type { Channel } from '../../domain/channel.js';
import type { PromptKind } from '../../domain/prompt.js';
import { ValidationError } from '../../errors.js';

/** Sort-key prefix of each kind of send record. */
const KIND_PREFIX: Record<PromptKind, string> = {
  prompt: 'PROMPT#',
  reminder: 'REMINDER#',
  'opt-in': 'OPTIN#',
  welcome: 'WELCOME#',
  push: 'PUSH#',
  report: 'REPORT#',
};

/** Primary key of an item. */
export interface Key {
  readonly PK: string;
  readonly SK: string;
  readonly [attribute: string]: string;
}

/** Keys of coach profiles. */
export const coachKeys = {
  item: (coachId: string): Key => ({ PK: `COACH#${coachId}`, SK: 'PROFILE' }),
};

/** Keys of programs. */
export const programKeys = {
  item: (programId: string): Key => ({ PK: `PROGRAM#${programId}`, SK: 'PROGRAM' }),
  byCoach: (coachId: string, programId: string) => ({
    GSI1PK: `COACH#${coachId}`,
    GSI1SK: `PROGRAM#${programId}`,
  }),
};

/** Keys of participants. */
export const participantKeys = {
  item: (id: string): Key => ({ PK: `PARTICIPANT#${id}`, SK: 'PROFILE' }),
  byCoach: (coachId: string, id: string) => ({ GSI1PK: `COACH#${coachId}`, GSI1SK: `PARTICIPANT#${id}` }),
};

/** Keys of a participant's personal experiments, in the participant's partition. */
export const experimentKeys = {
  item: (participantId: string, experimentId: string): Key => ({
    PK: `PARTICIPANT#${participantId}`,
    SK: `EXPERIMENT#${experimentId}`,
  }),
  prefix: 'EXPERIMENT#',
};

/** Keys of contact addresses: their state and the enrolments that use them. */
export const contactKeys = {
  partition: (channel: Channel, address: string) => `CONTACT#${channel}#${address}`,
  state: (channel: Channel, address: string): Key => ({
    PK: contactKeys.partition(channel, address),
    SK: 'STATE',
  }),
  enrolment: (channel: Channel, address: string, participantId: string): Key => ({
    PK: contactKeys.partition(channel, address),
    SK: `ENROLMENT#${participantId}`,
  }),
  enrolmentPrefix: 'ENROLMENT#',
};

/** Keys of what erasure keeps of an address: its opt-out or suppression, by keyed hash. */
export const erasedContactKeys = {
  item: (digest: string): Key => ({ PK: `ERASED#${digest}`, SK: 'CONSENT' }),
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
  push: (shard: number, sendAt: string, id: string, scheduledFor: string) => ({
    duePK: `DUE#${shard}`,
    dueSK: `${sendAt}#U#${id}#${scheduledFor}`,
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
  pushPrefix: KIND_PREFIX.push,
  /** Sort-key prefixes of every kind of send record. */
  allPrefixes: Object.values(KIND_PREFIX),
  answer: (participantId: string, scheduledFor: string, questionIndex: number): Key => ({
    PK: `PARTICIPANT#${participantId}`,
    SK: `ANSWER#${scheduledFor}#${String(questionIndex).padStart(2, '0')}`,
  }),
  answerPrefix: 'ANSWER#',
  partition: (participantId: string) => `PARTICIPANT#${participantId}`,
};

/** Keys of the coaches' audit trails. */
export const auditKeys = {
  partition: (coachId: string) => `AUDIT#${coachId}`,
  item: (coachId: string, at: string, unique: string): Key => ({
    PK: `AUDIT#${coachId}`,
    SK: `${at}#${unique}`,
  }),
};

/** Keys of weekly summaries and coach-weeks. */
export const summaryKeys = {
  item: (participantId: string, week: string): Key => ({
    PK: `PARTICIPANT#${participantId}`,
    SK: `SUMMARY#${week}`,
  }),
  prefix: 'SUMMARY#',
  byCoach: (coachId: string, week: string, participantId: string) => ({
    GSI1PK: `COACH#${coachId}`,
    GSI1SK: `SUMMARY#${week}#${participantId}`,
  }),
  coachWeek: (week: string, coachId: string): Key => ({ PK: `WEEK#${week}`, SK: `COACH#${coachId}` }),
  weekPartition: (week: string) => `WEEK#${week}`,
  openPartition: 'WEEKS#open',
  open: (closeAt: string, coachId: string, week: string) => ({
    GSI1PK: 'WEEKS#open',
    GSI1SK: `${closeAt}#${coachId}#${week}`,
  }),
};

/** Keys of rate-limit counters. */
export const rateKeys = {
  item: (key: string, windowStart: string): Key => ({ PK: `RATE#${key}`, SK: windowStart }),
};

/** Keys of the coach API's idempotency records: keys are per coach. */
export const idempotencyKeys = {
  item: (scope: string, key: string): Key => ({ PK: `IDEMPOTENCY#${scope}`, SK: key }),
};

/** Keys of raw inbound messages. */
export const inboundKeys = {
  item: (providerMessageId: string): Key => ({ PK: `INBOUND#${providerMessageId}`, SK: 'RAW' }),
  byParticipant: (participantId: string, receivedAt: string) => ({
    GSI1PK: `PARTICIPANT#${participantId}`,
    GSI1SK: `INBOUND#${receivedAt}`,
  }),
  byAddress: (channel: Channel, address: string, receivedAt: string) => ({
    GSI1PK: `ADDRESS#${channel}#${address}`,
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

/** An opaque page cursor from a DynamoDB `LastEvaluatedKey` (all our key attributes are strings). */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/**
 * What a cursor of one listing may contain: each key attribute of its `LastEvaluatedKey` and the
 * value it must equal (`equals`) or start with (`prefix`).
 */
export type CursorShape = Readonly<Record<string, { readonly equals: string } | { readonly prefix: string }>>;

/**
 * The `ExclusiveStartKey` of a cursor, checked against the listing's own partition and key
 * attributes. A cursor edited by hand (another coach's partition, a missing or extra attribute, a
 * sort key outside the listing) would otherwise reach DynamoDB, which answers a ValidationException
 * — a 500 — or worse; here it is a 400 naming `cursor`.
 */
export function decodeCursor(
  cursor: string | undefined,
  shape: CursorShape,
): Record<string, string> | undefined {
  if (!cursor) return undefined;
  const invalid = new ValidationError('cursor', 'expected the cursor returned with the previous page');
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid;
  const entries = Object.entries(key);
  const names = Object.keys(shape);
  if (entries.length !== names.length) throw invalid;
  for (const [name, value] of entries) {
    const rule = shape[name];
    if (!rule || typeof value !== 'string' || value.length === 0) throw invalid;
    if ('equals' in rule ? value !== rule.equals : !value.startsWith(rule.prefix)) throw invalid;
  }
  return key as Record<string, string>;
}
