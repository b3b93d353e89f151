/**
 * Data-subject rights: a participant's data export (everything stored about them) and erasure
 * (personal data and raw messages removed, anonymous aggregates kept), each written to the coach's
 * audit trail, which the coach can read. Only the participant's own coach may do either; another
 * coach's participant is "not found".
 */

import type { ContactState } from '../domain/channel.js';
import type { Participant } from '../domain/participant.js';
import { parseRawMailRef } from '../domain/raw-mail-ref.js';
import type { AuditEntry, Deps, Page } from '../ports.js';
import { keepConsentOfErased } from './erased-consent.js';
import { ownParticipant } from './ownership.js';

/** Raw messages deleted at once: hundreds of email replies still fit the function's timeout. */
const DELETE_CONCURRENCY = 10;

/** A participant's data export. */
export interface ParticipantExport {
  readonly exportedAt: string;
  readonly participant: Participant;
  /** Consent and suppression of their addresses. */
  readonly contacts: readonly ContactState[];
  /** Their check-in answers. */
  readonly answers: readonly Record<string, unknown>[];
  /** Prompts, reminders, opt-in requests, welcomes and pushes sent (or not) to them. */
  readonly messagesSent: readonly Record<string, unknown>[];
  /**
   * Raw messages they sent, while retained: those attributed to them, and those no enrolment took
   * that came from (or concern) their number or address.
   */
  readonly messagesReceived: readonly Record<string, unknown>[];
  /** Everything else stored in their partition (weekly summaries, annotations…), by entity. */
  readonly other: Readonly<Record<string, readonly Record<string, unknown>[]>>;
}

/** `GET /api/participants/{id}/export`: everything stored about the participant, as JSON. */
export async function exportParticipant(
  deps: Pick<Deps, 'participants' | 'participantData' | 'audit' | 'clock'>,
  coachId: string,
  participantId: string,
): Promise<ParticipantExport> {
  const participant = await ownParticipant(deps, coachId, participantId);
  const records = await deps.participantData.collect(participant);
  const other: Record<string, Record<string, unknown>[]> = {};
  const answers: Record<string, unknown>[] = [];
  const messagesSent: Record<string, unknown>[] = [];
  for (const item of records.items) {
    const entity = String(item.entity ?? 'unknown');
    if (entity === 'participant') continue;
    const { entity: _entity, ...data } = item;
    if (entity === 'answer') answers.push(data);
    else if (entity === 'prompt') messagesSent.push(data);
    else other[entity] = [...(other[entity] ?? []), data];
  }
  const now = deps.clock.now().toISOString();
  // Audited before it is handed out: an export that was served is always on the trail.
  await deps.audit.record({ at: now, action: 'export', coachId, participantId });
  return {
    exportedAt: now,
    participant,
    contacts: records.contacts,
    answers,
    messagesSent,
    messagesReceived: records.inbound.map(({ entity: _entity, ...data }) => data),
    other,
  };
}

/**
 * `DELETE /api/participants/{id}`: erases the participant, the raw emails they sent included;
 * safe to repeat until it is gone. Their addresses' opt-outs and suppressions are kept first, by
 * keyed hash only, so an interrupted erasure never loses a "no".
 */
export async function eraseParticipant(
  deps: Pick<
    Deps,
    'participants' | 'participantData' | 'rawMail' | 'audit' | 'clock' | 'erasedContacts' | 'addressKey'
  >,
  coachId: string,
  participantId: string,
): Promise<void> {
  const participant = await ownParticipant(deps, coachId, participantId);
  // Off the due index first, so nothing more is created for them while their data goes.
  await deps.participants.update(participantId, { nextDueAt: null });
  // The stored MIME goes before the items that point to it: an interrupted erasure run again still
  // finds every object to delete.
  const { inbound, contacts } = await deps.participantData.collect(participant);
  await keepConsentOfErased(deps, participant, contacts);
  const objects = inbound.flatMap((item) => {
    const ref = typeof item.rawRef === 'string' ? parseRawMailRef(item.rawRef) : undefined;
    return ref ? [ref] : [];
  });
  for (let i = 0; i < objects.length; i += DELETE_CONCURRENCY) {
    await Promise.all(objects.slice(i, i + DELETE_CONCURRENCY).map((ref) => deps.rawMail.delete(ref)));
  }
  await deps.participantData.erase(participant);
  await deps.audit.record({ at: deps.clock.now().toISOString(), action: 'erase', coachId, participantId });
}

/** `GET /api/audit`: the coach's audit trail, newest first. */
export async function listAudit(
  deps: Pick<Deps, 'audit'>,
  coachId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<AuditEntry>> {
  return deps.audit.list(coachId, page);
}
