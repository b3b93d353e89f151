/**
 * Coach use cases on programs: create, list, change, archive, copy, and moving a participant to
 * another program. A coach sees and changes only their own programs (another coach's is "not
 * found"); built-in programs can be used and copied, never changed.
 *
 * Changes apply from the next prompt: each prompt snapshots its questions when it is created and
 * each answer keeps the text of the question it answered, so history never changes. A schedule
 * change moves every participant's next due time, each with a condition on the old one.
 */

import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { SmsCost } from '../domain/channel.js';
import { type Participant, viewStatus } from '../domain/participant.js';
import type { NewProgram, Program } from '../domain/program.js';
import { firstSendOnOrAfter, nextSendTime } from '../domain/schedule.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Deps, SmsPolicy, StoredProgram } from '../ports.js';
import { ownParticipant } from './ownership.js';
import type { ParticipantView } from './participants.js';

/** Body of `POST /api/programs/{id}/copy` (optional): the copy's name, default "Copy of …". */
export const CopyProgramSchema = z.object({ name: z.string().trim().min(1).max(80).optional() }).optional();

/** Body of `POST /api/participants/{id}/program`. */
export const MoveParticipantSchema = z.object({ programId: z.string().trim().min(1).max(64) });

/** A program as the coach API shows it, with what its prompt costs as one SMS. */
export type ProgramView = StoredProgram & {
  /** Built-in programs can be used and copied, not changed or archived. */
  readonly builtIn: boolean;
  /** Whether participants get their weekly report card (stored programs without the field: yes). */
  readonly reportCard: boolean;
  /**
   * The program's prompt SMS exactly as sent (Twilio's own segment calculator): encoding and
   * segments. A participant's running experiment adds its question to their prompts.
   */
  readonly smsCost: SmsCost;
};

/** The view of a program. */
export function programView(program: StoredProgram, smsPolicy: Pick<SmsPolicy, 'promptCost'>): ProgramView {
  return {
    ...program,
    builtIn: program.coachId === null,
    reportCard: program.reportCard !== false,
    smsCost: smsPolicy.promptCost(program.questions),
  };
}

/** Creates a program owned by the coach. */
export async function createProgram(
  deps: Pick<Deps, 'programs' | 'clock' | 'smsPolicy'>,
  coachId: string,
  input: NewProgram,
): Promise<ProgramView> {
  const program: Program = { ...input, id: randomUUID(), coachId, createdAt: deps.clock.now().toISOString() };
  await deps.programs.create(program);
  return programView(program, deps.smsPolicy);
}

/** The coach's own programs and the built-in ones. */
export async function listPrograms(
  deps: Pick<Deps, 'programs' | 'smsPolicy'>,
  coachId: string,
): Promise<ProgramView[]> {
  return (await deps.programs.listForCoach(coachId)).map((p) => programView(p, deps.smsPolicy));
}

/** One program the coach may use; another coach's is "not found". */
async function usableProgram(
  deps: Pick<Deps, 'programs'>,
  coachId: string,
  programId: string,
): Promise<StoredProgram> {
  const program = await deps.programs.get(coachId, programId);
  if (!program) throw new NotFoundError('program not found');
  return program;
}

function refuseBuiltIn(program: StoredProgram, action: string): void {
  if (program.coachId === null)
    throw new ConflictError(
      'id',
      `the built-in program cannot be ${action}; copy it with POST /api/programs/${program.id}/copy`,
    );
}

/** What a program change did. */
export type UpdatedProgramView = ProgramView & {
  /** Participants whose next prompt moved to the new schedule. */
  readonly rescheduled: number;
};

/**
 * Replaces a program's name, questions and schedule. The next prompt of every participant uses the
 * new questions; each next due time is recomputed for the new schedule.
 */
export async function updateProgram(
  deps: Pick<Deps, 'programs' | 'participants' | 'clock' | 'smsPolicy'>,
  coachId: string,
  programId: string,
  input: NewProgram,
): Promise<UpdatedProgramView> {
  const existing = await usableProgram(deps, coachId, programId);
  refuseBuiltIn(existing, 'changed');
  if (existing.archivedAt) throw new ConflictError('id', 'the program is archived; copy it to change it');
  const now = deps.clock.now();
  // A PUT replaces: a body without `reportCard` switches the report card back on, as at creation.
  const change = {
    ...input,
    reportCard: input.reportCard ?? true,
    id: programId,
    coachId,
    updatedAt: now.toISOString(),
  };
  if (!(await deps.programs.update(change)))
    throw new ConflictError('id', 'the program was archived meanwhile; read it again');
  const program: StoredProgram = { ...existing, ...change };
  let rescheduled = 0;
  const participants = await deps.participants.listForProgram(coachId, programId);
  // A few at a time: a coach's participants are tens to hundreds.
  for (let i = 0; i < participants.length; i += 16) {
    const moved = await Promise.all(
      participants.slice(i, i + 16).map((p) => reschedule(deps, p, program, now)),
    );
    rescheduled += moved.filter(Boolean).length;
  }
  return { ...programView(program, deps.smsPolicy), rescheduled };
}

/**
 * The next due time of a participant on `program`'s schedule, or undefined when their timer is
 * not a scheduled prompt (pending: it is their opt-in request) or is already due (the dispatcher
 * has it, and computes the following one from the program as it then is).
 */
function nextDueOn(participant: Participant, program: Program, now: Date): string | undefined {
  const { nextDueAt, status, timeZone } = participant;
  if (!nextDueAt || Date.parse(nextDueAt) <= now.getTime()) return undefined;
  if (status === 'active') return nextSendTime(program.schedule, timeZone, now).toISOString();
  if (status === 'paused' && participant.pausedUntil) {
    const [year, month, day] = participant.pausedUntil.split('-').map(Number) as [number, number, number];
    return firstSendOnOrAfter(program.schedule, timeZone, { year, month, day }).toISOString();
  }
  return undefined;
}

/**
 * Moves one participant's timer to `program`'s schedule, conditional on the timer read, so a
 * dispatcher that moved it first is never undone; then reads it again and retries.
 */
async function reschedule(
  deps: Pick<Deps, 'participants'>,
  participant: Participant,
  program: Program,
  now: Date,
  change: { programId?: string } = {},
): Promise<boolean> {
  let current: Participant | undefined = participant;
  for (let attempt = 0; attempt < 3 && current; attempt++) {
    const next = nextDueOn(current, program, now);
    if (next === undefined || next === current.nextDueAt) {
      if (!change.programId) return false;
      if (await deps.participants.update(current.id, change, { status: current.status })) return true;
    } else if (
      await deps.participants.update(
        current.id,
        { ...change, nextDueAt: next },
        { dueAt: current.nextDueAt ?? null, status: current.status },
      )
    ) {
      return true;
    }
    current = await deps.participants.get(participant.id);
  }
  if (change.programId)
    throw new ConflictError('id', 'the participant changed meanwhile; read it again and retry');
  return false;
}

/**
 * Archives a program: it takes no new enrolments (409). Its participants keep getting its prompts
 * until the coach moves them (`POST /api/participants/{id}/program`). Archiving twice is harmless.
 */
export async function archiveProgram(
  deps: Pick<Deps, 'programs' | 'clock' | 'smsPolicy'>,
  coachId: string,
  programId: string,
): Promise<ProgramView> {
  const existing = await usableProgram(deps, coachId, programId);
  refuseBuiltIn(existing, 'archived');
  if (!(await deps.programs.archive(coachId, programId, deps.clock.now().toISOString())))
    throw new NotFoundError('program not found');
  const archived = await deps.programs.getById(programId);
  if (!archived) throw new NotFoundError('program not found');
  return programView(archived, deps.smsPolicy);
}

/** Copies a program the coach may use (a built-in one included) into a new program of theirs. */
export async function copyProgram(
  deps: Pick<Deps, 'programs' | 'clock' | 'smsPolicy'>,
  coachId: string,
  programId: string,
  name?: string,
): Promise<ProgramView> {
  const source = await usableProgram(deps, coachId, programId);
  return createProgram(deps, coachId, {
    name: name ?? `Copy of ${source.name}`.slice(0, 80),
    questions: source.questions,
    schedule: source.schedule,
    ...(source.reportCard === false ? { reportCard: false } : {}),
  });
}

/**
 * Moves a participant to another program the coach may use (not an archived one): their next
 * prompt asks its questions on its schedule. Answers given so far stay as they were.
 */
export async function moveParticipant(
  deps: Pick<Deps, 'programs' | 'participants' | 'contacts' | 'clock'>,
  coachId: string,
  participantId: string,
  programId: string,
): Promise<ParticipantView> {
  const participant = await ownParticipant(deps, coachId, participantId);
  const program = await deps.programs.get(coachId, programId);
  if (!program) throw new ValidationError('programId', 'no such program');
  if (program.archivedAt)
    throw new ConflictError('programId', 'the program is archived: it takes no new participants');
  if (participant.programId !== programId)
    await reschedule(deps, participant, program, deps.clock.now(), { programId });
  const moved = await deps.participants.get(participantId);
  if (!moved) throw new NotFoundError('participant not found');
  const address = moved.channel === 'sms' ? moved.phone : moved.email;
  const contact = address ? await deps.contacts.get(moved.channel, address) : undefined;
  return { ...moved, status: viewStatus(moved, contact) };
}
