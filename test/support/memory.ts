/**
 * In-memory adapters of the ports, for the use-case test tier: no environment, no emulator, the
 * same contracts as the DynamoDB adapters (conditional writes included), so a use case can be
 * driven through every branch in milliseconds. The end-to-end tier checks the real adapters.
 */

import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import type { ContactState } from '../../shared/domain/channel.js';
import { type ConversationMessage, messageIdOf } from '../../shared/domain/conversation.js';
import type { ErasedContact } from '../../shared/domain/erased-contact.js';
import type { Experiment } from '../../shared/domain/experiment.js';
import { EDIT_GUARDS, type Participant } from '../../shared/domain/participant.js';
import { BUILT_IN_PROGRAMS } from '../../shared/domain/program.js';
import { isTimedKind, type Prompt } from '../../shared/domain/prompt.js';
import {
  type AnswerCell,
  isoWeekOf,
  type QuestionMeta,
  questionKey,
  questionMeta,
  type SummaryRecord,
  weekClosesAt,
} from '../../shared/domain/summary.js';
import { ConflictError } from '../../shared/errors.js';
import type {
  Answer,
  AuditEntry,
  AuditLog,
  Clock,
  CoachProfile,
  CoachRepository,
  ContactRepository,
  ConversationRepository,
  DueTimer,
  EmailSender,
  ErasedContactRepository,
  InboundMessage,
  InboundOutcome,
  MetricName,
  OutboundEmail,
  OutboundSms,
  ParticipantDataStore,
  ParticipantRepository,
  ProgramRepository,
  PromptRef,
  PromptRepository,
  RateLimiter,
  RawMailStore,
  ReplyRepository,
  SendQueue,
  SendRequest,
  StoredProgram,
  SummaryRepository,
  TimerIndex,
} from '../../shared/ports.js';

/** A clock the test sets. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next) => (now = new Date(next)) };
}

const refKey = (ref: PromptRef) => `${ref.participantId}|${ref.scheduledFor}|${ref.kind ?? 'prompt'}`;

/** Every port in memory, plus what the test inspects. */
export function memoryAdapters() {
  const programs = new Map<string, StoredProgram>(BUILT_IN_PROGRAMS.map((p) => [p.id, p]));
  const experiments = new Map<string, Experiment>();
  const participants = new Map<string, Participant>();
  const contacts = new Map<string, ContactState>();
  const prompts = new Map<string, Prompt>();
  const inbound = new Map<
    string,
    InboundMessage & {
      outcome?: InboundOutcome;
      conversation?: { participantId: string; urgent: boolean; readAt?: string };
    }
  >();
  const answers = new Map<string, Answer>();
  const queued: SendRequest[] = [];
  const deadLettered: { request: SendRequest; reason: string }[] = [];
  const metrics: MetricName[] = [];
  const sentSms: OutboundSms[] = [];
  const sentEmail: OutboundEmail[] = [];
  const contactKey = (channel: string, address: string) => `${channel}#${address}`;
  // Participant-weeks as the DynamoDB adapter keeps them: keyed cells, figures computed on read.
  interface MutableSummary {
    participantId: string;
    coachId: string;
    week: string;
    timeZone: string;
    programId?: string;
    push?: { sendAt: string; skipped?: boolean };
    opened: boolean;
    sent: Record<string, string>;
    cells: Map<string, AnswerCell>;
    questions: Record<string, QuestionMeta>;
    annotation?: string;
  }
  const summaryItems = new Map<string, MutableSummary>();
  const coachWeeks = new Map<string, { coachId: string; week: string; closeAt: string; closedAt?: string }>();
  const summaryOf = (
    owner: { id: string; coachId: string; timeZone: string; programId?: string },
    week: string,
  ): MutableSummary => {
    const key = `${owner.id}|${week}`;
    const found = summaryItems.get(key);
    if (found) return found;
    const created: MutableSummary = {
      participantId: owner.id,
      coachId: owner.coachId,
      week,
      timeZone: owner.timeZone,
      ...(owner.programId ? { programId: owner.programId } : {}),
      opened: false,
      sent: {},
      cells: new Map(),
      questions: {},
    };
    summaryItems.set(key, created);
    return created;
  };
  const toRecord = (m: MutableSummary): SummaryRecord => ({
    participantId: m.participantId,
    coachId: m.coachId,
    week: m.week,
    timeZone: m.timeZone,
    ...(m.programId ? { programId: m.programId } : {}),
    sent: { ...m.sent },
    answers: [...m.cells.values()],
    questions: { ...m.questions },
    ...(m.annotation ? { annotation: m.annotation } : {}),
    ...(m.push ? { push: m.push } : {}),
  });

  const programRepo: ProgramRepository = {
    async create(p) {
      programs.set(p.id, p);
    },
    async get(coachId, id) {
      const p = programs.get(id);
      return p && (p.coachId === null || p.coachId === coachId) ? p : undefined;
    },
    async listForCoach(coachId) {
      return [...programs.values()].filter((p) => p.coachId === null || p.coachId === coachId);
    },
    async getById(id) {
      return programs.get(id);
    },
    async update(change) {
      const p = programs.get(change.id);
      if (!p || p.coachId === null || p.coachId !== change.coachId || p.archivedAt) return false;
      programs.set(p.id, { ...p, ...change });
      return true;
    },
    async archive(coachId, id, at) {
      const p = programs.get(id);
      if (!p || p.coachId === null || p.coachId !== coachId) return false;
      programs.set(id, { ...p, archivedAt: p.archivedAt ?? at });
      return true;
    },
  };

  const participantRepo: ParticipantRepository = {
    async create(p) {
      if (participants.has(p.id)) throw new Error('exists');
      if (programs.get(p.programId)?.archivedAt)
        throw new ConflictError('programId', 'the program is archived: it takes no new enrolments');
      participants.set(p.id, p);
    },
    async createAll(list) {
      if (list.some((p) => programs.get(p.programId)?.archivedAt))
        throw new ConflictError('programId', 'the program was archived meanwhile: nothing was imported');
      for (const p of list) participants.set(p.id, p);
    },
    async get(id) {
      return participants.get(id);
    },
    async listForCoach(coachId) {
      return { items: [...participants.values()].filter((p) => p.coachId === coachId) };
    },
    async findByAddress(channel, address) {
      return [...participants.values()].filter((p) => (channel === 'sms' ? p.phone : p.email) === address);
    },
    async update(id, change, expected = {}) {
      const p = participants.get(id);
      if (!p) return false;
      if (expected.dueAt !== undefined && (p.nextDueAt ?? null) !== expected.dueAt) return false;
      if (expected.status !== undefined && p.status !== expected.status) return false;
      const next: Record<string, unknown> = { ...p, ...change };
      for (const [k, v] of Object.entries(next)) if (v === null) delete next[k];
      participants.set(id, next as unknown as Participant);
      return true;
    },
    async edit(read, change) {
      const p = participants.get(read.id);
      if (!p || EDIT_GUARDS.some((field) => p[field] !== read[field])) return false;
      const next: Record<string, unknown> = { ...p, ...change };
      for (const [k, v] of Object.entries(next)) if (v === null) delete next[k];
      participants.set(read.id, next as unknown as Participant);
      return true;
    },
    async listForProgram(coachId, programId) {
      return [...participants.values()].filter((p) => p.coachId === coachId && p.programId === programId);
    },
    async addExperiment(e) {
      if (experiments.has(e.id)) throw new Error('exists');
      const p = participants.get(e.participantId);
      if (p && (p.experimentsUntil ?? '') < e.endDate)
        participants.set(p.id, { ...p, experimentsUntil: e.endDate });
      experiments.set(e.id, e);
    },
    async listExperiments(participantId) {
      return [...experiments.values()].filter((e) => e.participantId === participantId);
    },
    async endExperiment(participantId, experimentId, at) {
      const e = experiments.get(experimentId);
      if (!e || e.participantId !== participantId || e.endedAt) return false;
      experiments.set(experimentId, { ...e, endedAt: at });
      return true;
    },
  };

  const contactRepo: ContactRepository = {
    async get(channel, address) {
      return contacts.get(contactKey(channel, address));
    },
    async lookup(channel, address) {
      const state = contacts.get(contactKey(channel, address));
      const participantIds = [...participants.values()]
        .filter((p) => (channel === 'sms' ? p.phone : p.email) === address)
        .map((p) => p.id);
      return state ? { state, participantIds } : { participantIds };
    },
    async setOptOut(channel, address, optedOut, at) {
      const key = contactKey(channel, address);
      const c = contacts.get(key);
      if (c?.consentChangedAt && c.consentChangedAt > at) return false;
      contacts.set(key, { ...(c ?? { channel, address }), optedOut, consentChangedAt: at });
      return true;
    },
    async suppress(channel, address, reason) {
      const key = contactKey(channel, address);
      const c = contacts.get(key);
      if (c?.suppressed && reason !== 'complaint') return;
      contacts.set(key, { ...(c ?? { channel, address }), suppressed: reason });
    },
    async countSoftBounce(channel, address) {
      const key = contactKey(channel, address);
      const c = contacts.get(key) ?? { channel, address };
      const softBounces = (c.softBounces ?? 0) + 1;
      contacts.set(key, { ...c, softBounces });
      return softBounces;
    },
  };

  const promptRepo: PromptRepository = {
    async create(p) {
      const existing = prompts.get(refKey(p));
      if (existing) return { created: false, existing };
      prompts.set(refKey(p), p);
      return { created: true };
    },
    async get(ref) {
      return prompts.get(refKey(ref));
    },
    async claim(ref, at) {
      const p = prompts.get(refKey(ref));
      if (p?.status !== 'queued') return undefined;
      const claimed = {
        ...p,
        status: 'sending' as const,
        claimedAt: at.toISOString(),
        attempts: p.attempts + 1,
      };
      prompts.set(refKey(ref), claimed);
      return claimed;
    },
    async finish(ref, from, change) {
      const p = prompts.get(refKey(ref));
      if (p?.status !== from) return false;
      const { remindAt, sendAt, ...rest } = change;
      const next: Record<string, unknown> = { ...p, ...rest };
      if (remindAt === null) delete next.remindAt;
      else if (remindAt !== undefined) next.remindAt = remindAt;
      if (sendAt === null) delete next.sendAt;
      else if (sendAt !== undefined) next.sendAt = sendAt;
      prompts.set(refKey(ref), next as unknown as Prompt);
      return true;
    },
    async finishSent(ref, change, participant, prompt) {
      // As the DynamoDB adapter: the mark goes with the finish only into a week already opened.
      const finished = await promptRepo.finish(ref, 'sending', change);
      const week = isoWeekOf(prompt.scheduledFor, participant.timeZone);
      if (!finished || !summaryItems.get(`${participant.id}|${week}`)?.opened)
        return { finished, marked: false };
      await summaries.markSent(participant, prompt, change.sentAt ?? '');
      return { finished, marked: true };
    },
    async moveReminder(ref, remindAt, expected) {
      const p = prompts.get(refKey(ref));
      if (!p || p.remindAt !== expected || p.answeredAt) return false;
      const next: Record<string, unknown> = { ...p, remindAt };
      if (remindAt === null) delete next.remindAt;
      prompts.set(refKey(ref), next as unknown as Prompt);
      return true;
    },
    async recordDelivery(ref, deliveryStatus, errorCode, rank) {
      const p = prompts.get(refKey(ref)) as (Prompt & { deliveryRank?: number }) | undefined;
      if (!p) return false;
      if (rank !== undefined && p.deliveryRank !== undefined && p.deliveryRank >= rank) return false;
      prompts.set(refKey(ref), {
        ...p,
        deliveryStatus,
        ...(errorCode ? { deliveryErrorCode: errorCode } : {}),
        ...(rank !== undefined ? { deliveryRank: rank } : {}),
      } as Prompt);
      return true;
    },
    async latestSent(participantId) {
      // Prompts, and pushes that ask an exercise question, like the DynamoDB adapter.
      return [...prompts.values()]
        .filter(
          (p) =>
            p.participantId === participantId &&
            ((p.kind ?? 'prompt') === 'prompt' || (p.kind === 'push' && p.questions.length > 0)),
        )
        .filter((p) => p.status === 'sent' || p.status === 'unknown')
        .sort((a, b) => (b.sentAt ?? b.scheduledFor).localeCompare(a.sentAt ?? a.scheduledFor))[0];
    },
    async movePush(ref, sendAt, expected) {
      const p = prompts.get(refKey(ref));
      if (!p || p.sendAt !== expected) return false;
      const next: Record<string, unknown> = { ...p, sendAt };
      if (sendAt === null) delete next.sendAt;
      prompts.set(refKey(ref), next as unknown as Prompt);
      return true;
    },
    async listPushes(participantId, limit) {
      return [...prompts.values()]
        .filter((p) => p.participantId === participantId && p.kind === 'push')
        .sort((a, b) => b.scheduledFor.localeCompare(a.scheduledFor))
        .slice(0, limit);
    },
    async recordExerciseAnswer(message, ref, answer, outcome) {
      const p = prompts.get(refKey(ref));
      if (!p) throw new Error('no such push');
      prompts.set(refKey(ref), { ...p, answer, answeredAt: p.answeredAt ?? answer.receivedAt });
      inbound.set(message.providerMessageId, { ...message, outcome });
    },
    async markClarified(ref) {
      const p = prompts.get(refKey(ref));
      if (!p || p.clarified) return false;
      prompts.set(refKey(ref), { ...p, clarified: true });
      return true;
    },
    async list(participantId, limit) {
      return [...prompts.values()]
        .filter((p) => p.participantId === participantId)
        .sort((a, b) => b.scheduledFor.localeCompare(a.scheduledFor))
        .slice(0, limit);
    },
    async recent(participantId, kind, limit, before) {
      return [...prompts.values()]
        .filter((p) => p.participantId === participantId && (p.kind ?? 'prompt') === kind)
        .filter((p) => before === undefined || p.scheduledFor < before)
        .sort((a, b) => b.scheduledFor.localeCompare(a.scheduledFor))
        .slice(0, limit);
    },
    async streakRecords(participantId, limit, before) {
      return (await this.recent(participantId, 'prompt', limit, before)).map(
        ({ scheduledFor, status, answeredAt, participantSkippedAt, kind }) => ({
          scheduledFor,
          status,
          ...(answeredAt ? { answeredAt } : {}),
          ...(participantSkippedAt ? { participantSkippedAt } : {}),
          ...(kind ? { kind } : {}),
        }),
      );
    },
    async answeredQuestions(ref) {
      return [...answers.values()]
        .filter((a) => a.participantId === ref.participantId && a.scheduledFor === ref.scheduledFor)
        .map((a) => a.questionIndex);
    },
    async markSkipped(ref, at) {
      const p = prompts.get(refKey(ref));
      if (!p || p.answeredAt) return false;
      const { remindAt: _cancelled, ...rest } = p;
      prompts.set(refKey(ref), { ...rest, participantSkippedAt: at });
      return true;
    },
  };

  // The outcome is written beside what else the stored message carries (its conversation mark).
  const keepOutcome = (message: InboundMessage, outcome: InboundOutcome) => {
    const kept = inbound.get(message.providerMessageId)?.conversation;
    inbound.set(message.providerMessageId, { ...message, outcome, ...(kept ? { conversation: kept } : {}) });
  };
  const replyRepo: ReplyRepository = {
    async storeRaw(message) {
      const existing = inbound.get(message.providerMessageId);
      if (!existing) {
        inbound.set(message.providerMessageId, message);
        return { duplicate: false };
      }
      // The same 30 s lease as the DynamoDB adapter, from the first delivery's receipt.
      const withinLease = Date.parse(message.receivedAt) - Date.parse(existing.receivedAt) < 30_000;
      if (!existing.outcome && !withinLease) return { duplicate: false };
      if (!existing.outcome) return { duplicate: true, inFlight: true };
      return !withinLease ? { duplicate: true, outcome: existing.outcome } : { duplicate: true };
    },
    async recordAnswers(message, list, outcome, known) {
      for (const a of list) answers.set(`${a.participantId}|${a.scheduledFor}|${a.questionIndex}`, a);
      const owner = known ?? (list[0] ? participants.get(list[0].participantId) : undefined);
      if (owner) {
        for (const a of list) {
          const summary = summaryOf(owner, isoWeekOf(a.scheduledFor, owner.timeZone));
          const key = questionKey(a.questionIndex, a.experimentId);
          summary.cells.set(`${a.scheduledFor}#${a.questionIndex}`, {
            scheduledFor: a.scheduledFor,
            questionIndex: a.questionIndex,
            key,
            ...(a.value !== undefined ? { value: a.value } : {}),
            ...(a.text !== undefined ? { text: a.text } : {}),
            ...(a.comment ? { comment: a.comment } : {}),
            at: a.receivedAt,
          });
          summary.questions[key] ??= { text: a.question, type: a.value === undefined ? 'text' : 'scale' };
        }
      }
      const first = list[0];
      if (first) {
        const key = refKey(first);
        const p = prompts.get(key);
        if (p && !p.answeredAt) prompts.set(key, { ...p, answeredAt: message.receivedAt });
      }
      keepOutcome(message, outcome);
    },
    async recordOutcome(message, outcome) {
      keepOutcome(message, outcome);
    },
    async listAnswers(participantId) {
      return { items: [...answers.values()].filter((a) => a.participantId === participantId) };
    },
  };

  const sendQueue: SendQueue = {
    async enqueue(requests) {
      queued.push(...requests);
    },
    async deadLetter(request, reason) {
      deadLettered.push({ request, reason });
    },
  };

  const coachProfiles = new Map<string, CoachProfile>();
  const coaches: CoachRepository = {
    async get(coachId) {
      return coachProfiles.get(coachId);
    },
    async remember(profile) {
      coachProfiles.set(profile.coachId, profile);
    },
  };

  const summaries: SummaryRepository = {
    async markSent(participant, prompt, sentAt) {
      const week = isoWeekOf(prompt.scheduledFor, participant.timeZone);
      const summary = summaryOf(participant, week);
      summary.sent[prompt.scheduledFor] = sentAt;
      prompt.questions.forEach((q, i) => {
        summary.questions[questionKey(i, q.experimentId)] = questionMeta(q);
      });
      if (summary.opened) return;
      summary.opened = true;
      const closeAt = weekClosesAt(week, participant.timeZone).toISOString();
      const key = `${participant.coachId}|${week}`;
      const cw = coachWeeks.get(key);
      if (cw?.closedAt || (cw && cw.closeAt >= closeAt)) return;
      coachWeeks.set(key, { coachId: participant.coachId, week, closeAt });
    },
    async get(participantId, week) {
      const m = summaryItems.get(`${participantId}|${week}`);
      return m ? toRecord(m) : undefined;
    },
    async listForParticipant(participantId, from, to) {
      return [...summaryItems.values()]
        .filter((m) => m.participantId === participantId && m.week >= from && m.week <= to)
        .sort((a, b) => a.week.localeCompare(b.week))
        .map(toRecord);
    },
    async listForCoach(coachId, from, to) {
      return [...summaryItems.values()]
        .filter((m) => m.coachId === coachId && m.week >= from && m.week <= to)
        .map(toRecord);
    },
    async annotate(participant, week, text) {
      const summary = summaryOf(participant, week);
      if (text) summary.annotation = text;
      else delete summary.annotation;
    },
    async notePush(participant, week, push) {
      summaryOf(participant, week).push = push;
    },
    async dueWeeks(now) {
      return [...coachWeeks.values()]
        .filter((w) => !w.closedAt && w.closeAt <= now.toISOString())
        .map(({ coachId, week, closeAt }) => ({ coachId, week, closeAt }));
    },
    async closeWeek(coachId, week, at) {
      const cw = coachWeeks.get(`${coachId}|${week}`);
      if (!cw || cw.closedAt) return false;
      cw.closedAt = at;
      return true;
    },
    async coachesOfWeek(week) {
      return [...coachWeeks.values()].filter((w) => w.week === week).map((w) => w.coachId);
    },
    async contactStates(list) {
      return list.flatMap((a) => {
        const c = contacts.get(contactKey(a.channel, a.address));
        return c ? [c] : [];
      });
    },
  };

  const rateLimiter: RateLimiter & { counts: Map<string, number> } = {
    counts: new Map(),
    async take(key, windowStart, limit) {
      const k = `${key}|${windowStart}`;
      const n = rateLimiter.counts.get(k) ?? 0;
      if (n >= limit) return false;
      rateLimiter.counts.set(k, n + 1);
      return true;
    },
    async takeMany(key, windowStart, limit, count) {
      const k = `${key}|${windowStart}`;
      const n = rateLimiter.counts.get(k) ?? 0;
      if (n + count > limit) return false;
      rateLimiter.counts.set(k, n + count);
      return true;
    },
    async release(key, windowStart, count) {
      const k = `${key}|${windowStart}`;
      rateLimiter.counts.set(k, Math.max(0, (rateLimiter.counts.get(k) ?? 0) - count));
    },
  };

  const auditEntries: AuditEntry[] = [];
  const audit: AuditLog = {
    async record(entry) {
      auditEntries.push(entry);
    },
    async list(coachId, page) {
      const mine = auditEntries.filter((e) => e.coachId === coachId).reverse();
      return { items: mine.slice(0, page.limit) };
    },
  };

  // Kept messages are the raw inbound ones, marked; counters on the participant, as in DynamoDB.
  const bump = (participantId: string, messages: number, urgent: number) => {
    const p = participants.get(participantId);
    if (!p) return false;
    participants.set(participantId, {
      ...p,
      unreadMessages: (p.unreadMessages ?? 0) + messages,
      unreadUrgent: (p.unreadUrgent ?? 0) + urgent,
    });
    return true;
  };
  const keptOf = (participantId: string) =>
    [...inbound.values()]
      .filter((m) => m.conversation?.participantId === participantId)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  const conversations: ConversationRepository = {
    async keep(message, participantId, urgent) {
      const stored = inbound.get(message.providerMessageId);
      if (!stored || stored.conversation || !participants.has(participantId)) return false;
      inbound.set(message.providerMessageId, { ...stored, conversation: { participantId, urgent } });
      return bump(participantId, 1, urgent ? 1 : 0);
    },
    async list(participantId, limit) {
      return keptOf(participantId)
        .slice(0, limit)
        .map(
          (m): ConversationMessage => ({
            id: messageIdOf(m.providerMessageId),
            receivedAt: m.receivedAt,
            channel: m.channel,
            text: m.body,
            urgent: m.conversation?.urgent ?? false,
            ...(m.conversation?.readAt ? { readAt: m.conversation.readAt } : {}),
          }),
        );
    },
    async markRead(participantId, ids, at) {
      let marked = 0;
      for (const m of keptOf(participantId)) {
        const c = m.conversation;
        if (!c || c.readAt || (ids !== 'all' && !ids.includes(m.providerMessageId))) continue;
        inbound.set(m.providerMessageId, { ...m, conversation: { ...c, readAt: at } });
        bump(participantId, -1, c.urgent ? -1 : 0);
        marked++;
      }
      return marked;
    },
  };
  const email: EmailSender = {
    async send(message) {
      sentEmail.push(message);
      return { providerMessageId: `mem-email-${sentEmail.length}` };
    },
  };

  // Raw inbound emails by `bucket/key`, as SES receiving would have stored them.
  const rawMailObjects = new Map<string, Buffer>();
  const rawMail: RawMailStore = {
    async get({ bucket, key }) {
      const body = rawMailObjects.get(`${bucket}/${key}`);
      if (!body) throw new Error('NoSuchKey');
      return body;
    },
    async delete({ bucket, key }) {
      rawMailObjects.delete(`${bucket}/${key}`);
    },
  };

  // The same rules as the DynamoDB adapter, over the maps above.
  // Attributed to the participant, or attributed to nobody and from (or about) one of their addresses.
  const ownMessage = (participant: Participant, m: InboundMessage & { outcome?: InboundOutcome }) => {
    if (m.outcome?.participantId) return m.outcome.participantId === participant.id;
    const concerns = m.outcome?.about ?? m.from;
    return concerns === (m.channel === 'sms' ? participant.phone : participant.email);
  };
  const participantData: ParticipantDataStore = {
    async collect(participant) {
      const own = <T extends { participantId?: string }>(values: Iterable<T>) =>
        [...values].filter((v) => v.participantId === participant.id);
      const addresses = [
        participant.phone ? contacts.get(contactKey('sms', participant.phone)) : undefined,
        participant.email ? contacts.get(contactKey('email', participant.email)) : undefined,
      ];
      return {
        items: [
          { entity: 'participant', ...participant },
          ...own(prompts.values()).map((p) => ({ entity: 'prompt', ...p })),
          ...own(answers.values()).map((a) => ({ entity: 'answer', ...a })),
        ],
        inbound: [...inbound.values()]
          .filter((m) => ownMessage(participant, m) || m.conversation?.participantId === participant.id)
          .map((m) => ({ entity: 'inbound-message', ...m })),
        contacts: addresses.filter((c): c is ContactState => c !== undefined),
      };
    },
    async erase(participant) {
      let deleted = 0;
      let kept = 0;
      for (const [k, p] of prompts) if (p.participantId === participant.id && prompts.delete(k)) deleted++;
      for (const [k, a] of answers) {
        if (a.participantId !== participant.id) continue;
        if (typeof a.value === 'number') {
          const { text: _t, comment: _c, providerMessageId: _m, ...anonymous } = a;
          answers.set(k, anonymous as Answer);
          kept++;
        } else if (answers.delete(k)) deleted++;
      }
      for (const [k, m] of inbound)
        if (
          (ownMessage(participant, m) || m.conversation?.participantId === participant.id) &&
          inbound.delete(k)
        )
          deleted++;
      for (const [channel, address] of [
        ['sms', participant.phone],
        ['email', participant.email],
      ] as const) {
        if (!address) continue;
        const others = [...participants.values()].some(
          (p) => p.id !== participant.id && (channel === 'sms' ? p.phone : p.email) === address,
        );
        if (!others && contacts.delete(contactKey(channel, address))) deleted++;
      }
      if (participants.delete(participant.id)) deleted++;
      return { deleted, kept };
    },
  };

  // The due index as the DynamoDB adapter derives it: participants' nextDueAt, a push's sendAt,
  // a prompt's remindAt; earliest first.
  const dueTimers = (until: Date): DueTimer[] => {
    const limit = until.toISOString();
    const out: DueTimer[] = [];
    for (const participant of participants.values())
      if (participant.nextDueAt && participant.nextDueAt <= limit)
        out.push({ kind: 'participant', participant, dueAt: participant.nextDueAt });
    for (const prompt of prompts.values()) {
      if (isTimedKind(prompt.kind) && prompt.sendAt && prompt.sendAt <= limit)
        out.push({ kind: 'push', prompt, dueAt: prompt.sendAt });
      else if (!isTimedKind(prompt.kind) && prompt.remindAt && prompt.remindAt <= limit)
        out.push({ kind: 'reminder', prompt, dueAt: prompt.remindAt });
    }
    return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  };
  // Erased addresses' kept "no", by keyed hash: what the table's ERASED# items hold.
  const erasedContacts = new Map<string, ErasedContact>();
  const erasedContactRepo: ErasedContactRepository = {
    async get(digest) {
      return erasedContacts.get(digest);
    },
    async set(digest, kept) {
      if (kept) erasedContacts.set(digest, kept);
      else erasedContacts.delete(digest);
    },
  };

  const timers: TimerIndex = {
    async *listDue(until) {
      yield* dueTimers(until);
    },
    async earliestDue() {
      const first = dueTimers(new Date(8.64e15))[0];
      return first ? new Date(first.dueAt) : undefined;
    },
  };

  return {
    store: {
      programs,
      participants,
      experiments,
      contacts,
      prompts,
      inbound,
      answers,
      queued,
      deadLettered,
      metrics,
      sentSms,
      sentEmail,
      auditEntries,
      rawMailObjects,
      summaryItems,
      coachWeeks,
      erasedContacts,
    },
    // The SMS channel's own limits and costs: pure, so the real one serves the use-case tier too.
    smsPolicy,
    audit,
    participantData,
    rawMail,
    programs: programRepo,
    participants: participantRepo,
    contacts: contactRepo,
    prompts: promptRepo,
    replies: replyRepo,
    conversations,
    email,
    publicBaseUrl: 'https://api.example',
    dashboardUrl: 'https://coach.example/app/',
    sendQueue,
    timers,
    rateLimiter,
    coaches,
    summaries,
    metrics: { count: (name: MetricName) => void metrics.push(name) },
    erasedContacts: erasedContactRepo,
    addressKey: async () => 'memory-address-hash-key-for-use-case-tests',
  };
}

/** An email sender for the use-case tier: what it "sends" lands in `outbox`, oldest first. */
export function memoryEmailSender(outbox: OutboundEmail[]): EmailSender {
  return {
    async send(message) {
      outbox.push(message);
      return { providerMessageId: `mem-${outbox.length}` };
    },
  };
}
