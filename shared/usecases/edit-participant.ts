/**
 * A coach edits a participant: name, time zone, phone, email, preferred channel.
 *
 * - **Consent follows the address.** When the address the participant is reached at changes (a
 *   new phone or email on their channel, or another channel), consent restarts there: by SMS the
 *   enrolment is `pending` again and a new opt-in request goes out through the normal send path;
 *   by email a new welcome goes to the new address. An address that said STOP, or that bounced or
 *   complained, stays as it is — nothing is sent to it, and the coach sees `pending` as for anyone
 *   who has not answered yet (what the address told another enrolment stays hidden). Consent and
 *   suppression live on the address item, which an edit never touches.
 * - **Schedules follow the zone.** The next prompt is recomputed in the new zone with one rule: one
 *   prompt per participant-local day (see `nextDueAfterZoneChange`).
 * - **All or nothing.** The edit is one conditional transaction on the values it was computed from;
 *   when the dispatcher moved the timer meanwhile it is recomputed (a few times), when anything
 *   else changed the coach gets 409.
 */
import { addressOf, type Participant } from '../domain/participant.js';
import type { ParticipantEdit } from '../domain/participant-input.js';
import { smsNumberProblem } from '../domain/phone.js';
import type { Program } from '../domain/program.js';
import { firstNonQuietInstant, firstSendOnOrAfter } from '../domain/schedule.js';
import { localDateOf } from '../domain/zone.js';
import { nextDueAfterZoneChange } from '../domain/zone-change.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Deps, ParticipantProfileChange } from '../ports.js';
import { restoreErasedConsent } from './erased-consent.js';
import { ownParticipant } from './ownership.js';
import { contactOf, type ParticipantView, sendEnrolmentMessage, view } from './participants.js';

type EditDeps = Pick<
  Deps,
  | 'participants'
  | 'contacts'
  | 'programs'
  | 'prompts'
  | 'sendQueue'
  | 'clock'
  | 'smsAllowedCountries'
  | 'erasedContacts'
  | 'addressKey'
>;

/** The participant after the edit, and what it set in motion. */
export type EditedView = ParticipantView & {
  /** The address the participant is reached at changed: a new opt-in request or welcome is on its way (or held). */
  readonly consentRestarted: boolean;
};

const FIELDS = ['name', 'phone', 'email', 'timeZone', 'channel'] as const;

/** How many times an edit is recomputed when the dispatcher moved the timer meanwhile. */
const ATTEMPTS = 3;

/**
 * Applies a coach's edit to their participant.
 * @throws ValidationError naming the field (an address the channel needs is missing, a number that cannot be enrolled)
 * @throws NotFoundError when it is not the coach's participant
 * @throws ConflictError when the participant changed meanwhile
 */
export async function editParticipant(
  deps: EditDeps,
  coachId: string,
  participantId: string,
  input: ParticipantEdit,
): Promise<EditedView> {
  let read = await ownParticipant(deps, coachId, participantId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const edit = await planEdit(deps, read, input);
    if (!edit) return { ...view(read, await contactOf(deps, read)), consentRestarted: false };
    if (await deps.participants.edit(read, edit.change)) {
      const edited = withChange(read, edit.change);
      if (edit.sendConsentAt) await sendEnrolmentMessage(deps, edited, edit.sendConsentAt, deps.clock.now());
      const stored = (await deps.participants.get(participantId)) ?? edited;
      return { ...view(stored, await contactOf(deps, stored)), consentRestarted: edit.consentRestarted };
    }
    const again = await deps.participants.get(participantId);
    if (!again || again.coachId !== coachId) throw new NotFoundError('participant not found');
    // Only the dispatcher moving the timer is worth recomputing; anything else is another edit.
    const { nextDueAt: _a, ...before } = read;
    const { nextDueAt: _b, ...now } = again;
    if (JSON.stringify(sorted(before)) !== JSON.stringify(sorted(now))) break;
    read = again;
  }
  throw new ConflictError('id', 'the participant changed meanwhile; read it again and retry');
}

interface PlannedEdit {
  readonly change: ParticipantProfileChange;
  /** The enrolment message to queue right after the write (its timer's instant). */
  readonly sendConsentAt?: string;
  readonly consentRestarted: boolean;
}

/** What the edit writes, or undefined when it changes nothing. */
async function planEdit(
  deps: EditDeps,
  read: Participant,
  input: ParticipantEdit,
): Promise<PlannedEdit | undefined> {
  const fields: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = input[field];
    if (value !== undefined && value !== read[field]) fields[field] = value;
  }
  if (Object.keys(fields).length === 0) return undefined;
  const after = { ...read, ...fields } as Participant;
  const address = addressOf(after, after.channel);
  if (!address)
    throw new ValidationError(
      after.channel === 'sms' ? 'phone' : 'email',
      `is required for the ${after.channel} channel`,
    );
  if (fields.phone) {
    const problem = smsNumberProblem(fields.phone, deps.smsAllowedCountries);
    if (problem) throw new ValidationError('phone', problem);
  }
  const program = await deps.programs.getById(read.programId);
  if (!program) throw new NotFoundError('program not found');
  const now = deps.clock.now();
  if (after.channel !== read.channel || address !== addressOf(read, read.channel))
    return restartConsent(deps, read, fields, after, address, program, now);
  if (!fields.timeZone) return { change: fields, consentRestarted: false };
  const nextDueAt = await dueInNewZone(deps, read, after.timeZone, program, now);
  return { change: { ...fields, ...(nextDueAt ? { nextDueAt } : {}) }, consentRestarted: false };
}

/**
 * A new address to reach the participant at: consent restarts there, as at enrolment. A pause
 * ends with it (the person is asked again, from scratch).
 */
async function restartConsent(
  deps: EditDeps,
  read: Participant,
  fields: Record<string, string>,
  after: Participant,
  address: string,
  program: Program,
  now: Date,
): Promise<PlannedEdit> {
  const nowIso = now.toISOString();
  const base = { ...fields, addressSince: nowIso, pausedUntil: null };
  // An erased participant's "no" comes back with their address, however it reaches us again.
  await restoreErasedConsent(deps, after.channel, address);
  const contact = await deps.contacts.get(after.channel, address);
  if (contact?.optedOut || contact?.suppressed) {
    // Nothing may go to it; a START or YES from it starts the enrolment, as after enrolment.
    return {
      change: { ...base, status: 'pending', consentAt: null, nextDueAt: null },
      consentRestarted: true,
    };
  }
  const sendAt = firstNonQuietInstant(program.schedule, after.timeZone, now).toISOString();
  const deferred = sendAt > nowIso;
  if (after.channel === 'sms' || deferred) {
    // SMS waits for YES; a deferred welcome starts the email schedule when the dispatcher sends it.
    return {
      change: { ...base, status: 'pending', consentAt: null, nextDueAt: sendAt },
      ...(deferred ? {} : { sendConsentAt: sendAt }),
      consentRestarted: true,
    };
  }
  // Email, outside quiet hours: the welcome goes now and the schedule carries on at the new address.
  const lastPromptDay = await lastPromptDayOf(deps, read.id, read.timeZone);
  const nextDueAt = nextDueAfterZoneChange(program.schedule, {
    zone: after.timeZone,
    now,
    lastPromptDay,
  }).toISOString();
  return {
    change: { ...base, status: 'active', consentAt: nowIso, nextDueAt },
    sendConsentAt: sendAt,
    consentRestarted: true,
  };
}

/**
 * The timer after a zone change, or undefined to leave it: no timer (waiting for YES, opted out),
 * or one already due, which the dispatcher owns and sends as it was scheduled.
 */
async function dueInNewZone(
  deps: EditDeps,
  read: Participant,
  zone: string,
  program: Program,
  now: Date,
): Promise<string | undefined> {
  if (!read.nextDueAt || Date.parse(read.nextDueAt) <= now.getTime()) return undefined;
  if (read.status === 'pending') return firstNonQuietInstant(program.schedule, zone, now).toISOString();
  if (read.status === 'paused' && read.pausedUntil) {
    const [year, month, day] = read.pausedUntil.split('-').map(Number) as [number, number, number];
    return firstSendOnOrAfter(program.schedule, zone, { year, month, day }).toISOString();
  }
  const lastPromptDay = await lastPromptDayOf(deps, read.id, read.timeZone);
  return nextDueAfterZoneChange(program.schedule, { zone, now, lastPromptDay }).toISOString();
}

/** The local date, in the zone it was scheduled in, of the participant's latest scheduled prompt. */
async function lastPromptDayOf(
  deps: Pick<Deps, 'prompts'>,
  participantId: string,
  zone: string,
): Promise<string | undefined> {
  const records = await deps.prompts.list(participantId, 20);
  const latest = records
    .filter((p) => (p.kind ?? 'prompt') === 'prompt')
    .map((p) => p.scheduledFor)
    .sort()
    .at(-1);
  return latest ? localDateOf(new Date(latest), zone) : undefined;
}

function withChange(read: Participant, change: ParticipantProfileChange): Participant {
  const next: Record<string, unknown> = { ...read, ...change };
  for (const [k, v] of Object.entries(next)) if (v === null) delete next[k];
  return next as unknown as Participant;
}

function sorted(value: object): [string, unknown][] {
  return Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
}
