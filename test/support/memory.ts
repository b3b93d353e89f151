/**
 * In-memory adapters of the ports, for the use-case test tier: no environment, no emulator, the
 * same contracts as the DynamoDB adapters (conditional writes included), so a use case can be
 * driven through every branch in milliseconds. The end-to-end tier checks the real adapters.
 */
import type { ContactState } from '../../shared/domain/channel.js';
import type { Participant } from '../../shared/domain/participant.js';
import { BUILT_IN_PROGRAMS, type Program } from '../../shared/domain/program.js';
import type { Prompt } from '../../shared/domain/prompt.js';
import {
  type AnswerCell,
  isoWeekOf,
  type QuestionMeta,
  questionKey,
  questionMeta,
  type SummaryRecord,
  weekClosesAt,
} from '../../shared/domain/summary.js';
import type {
  Answer,
  Clock,
  CoachProfile,
  CoachRepository,
  ContactRepository,
  InboundMessage,
  InboundOutcome,
  MetricName,
  OutboundEmail,
  OutboundSms,
  ParticipantRepository,
  ProgramRepository,
  PromptRef,
  PromptRepository,
  RateLimiter,
  ReplyRepository,
  SendQueue,
  SendRequest,
  SummaryRepository,
} from '../../shared/ports.js';

/** A clock the test sets. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next) => (now = new Date(next)) };
}

const refKey = (ref: PromptRef) => `${ref.participantId}|${ref.scheduledFor}|${ref.kind ?? 'prompt'}`;

/** Every port in memory, plus what the test inspects. */
export function memoryAdapters() {
  const programs = new Map<string, Program>(BUILT_IN_PROGRAMS.map((p) => [p.id, p]));
  const participants = new Map<string, Participant>();
  const contacts = new Map<string, ContactState>();
  const prompts = new Map<string, Prompt>();
  const inbound = new Map<string, InboundMessage & { outcome?: InboundOutcome }>();
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
  };

  const participantRepo: ParticipantRepository = {
    async create(p) {
      if (participants.has(p.id)) throw new Error('exists');
      participants.set(p.id, p);
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
  };

  const contactRepo: ContactRepository = {
    async get(channel, address) {
      return contacts.get(contactKey(channel, address));
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
      const { remindAt, ...rest } = change;
      const next: Record<string, unknown> = { ...p, ...rest };
      if (remindAt === null) delete next.remindAt;
      else if (remindAt !== undefined) next.remindAt = remindAt;
      prompts.set(refKey(ref), next as unknown as Prompt);
      return true;
    },
    async moveReminder(ref, remindAt, expected) {
      const p = prompts.get(refKey(ref));
      if (!p || p.remindAt !== expected || p.answeredAt) return false;
      const next: Record<string, unknown> = { ...p, remindAt };
      if (remindAt === null) delete next.remindAt;
      prompts.set(refKey(ref), next as unknown as Prompt);
      return true;
    },
    async recordDelivery(ref, deliveryStatus) {
      const p = prompts.get(refKey(ref));
      if (p) prompts.set(refKey(ref), { ...p, deliveryStatus });
    },
    async latestSent(participantId) {
      return [...prompts.values()]
        .filter((p) => p.participantId === participantId && (p.kind ?? 'prompt') === 'prompt')
        .filter((p) => p.status === 'sent' || p.status === 'unknown')
        .sort((a, b) => b.scheduledFor.localeCompare(a.scheduledFor))[0];
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
  };

  const replyRepo: ReplyRepository = {
    async storeRaw(message) {
      const existing = inbound.get(message.providerMessageId);
      if (!existing) {
        inbound.set(message.providerMessageId, message);
        return { duplicate: false };
      }
      return existing.outcome ? { duplicate: true, outcome: existing.outcome } : { duplicate: true };
    },
    async recordAnswers(message, list, outcome) {
      for (const a of list) answers.set(`${a.participantId}|${a.scheduledFor}|${a.questionIndex}`, a);
      const owner = list[0] ? participants.get(list[0].participantId) : undefined;
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
      inbound.set(message.providerMessageId, { ...message, outcome });
    },
    async recordOutcome(message, outcome) {
      inbound.set(message.providerMessageId, { ...message, outcome });
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
  };

  return {
    store: {
      programs,
      participants,
      contacts,
      prompts,
      inbound,
      answers,
      queued,
      deadLettered,
      metrics,
      sentSms,
      sentEmail,
      summaryItems,
      coachWeeks,
    },
    programs: programRepo,
    participants: participantRepo,
    contacts: contactRepo,
    prompts: promptRepo,
    replies: replyRepo,
    sendQueue,
    rateLimiter,
    coaches,
    summaries,
    metrics: { count: (name: MetricName) => void metrics.push(name) },
  };
}
