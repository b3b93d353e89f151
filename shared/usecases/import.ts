/**
 * Importing participants (the dashboard parses a CSV file with papaparse and posts its rows as
 * JSON): every row is validated first — fields, phone number policy, the program, duplicates in
 * the file — and nothing is imported when any row is bad; the answer names each bad row and field.
 * A good file is stored all or none — each write conditional on its program still being open, so
 * an archive that lands mid-import leaves nothing imported (and an `import-refused` audit entry)
 * — and only then does each row start as an ordinary enrolment does (SMS consent first, email
 * welcome, quiet hours). The coach's hourly enrolment allowance is taken for the whole file at
 * once, and each SMS number's daily invitations are counted, so a file is never cut off halfway
 * by a limit; a refused file gives both back.
 */
import * as z from 'zod';
import { addressOf, type NewParticipant } from '../domain/participant.js';
import { NewParticipantSchema } from '../domain/participant-input.js';
import { smsNumberProblem } from '../domain/phone.js';
import { ConflictError, TooManyRequestsError, ValidationError } from '../errors.js';
import type { Deps, StoredProgram } from '../ports.js';
import {
  type EnrolDeps,
  type EnrolledView,
  invitationDay,
  invitationKey,
  prepareEnrolment,
  takeInvitation,
} from './participants.js';

/** Most rows one import may hold. */
export const MAX_IMPORT_ROWS = 1000;

/** Body of `POST /api/participants/import`; rows are checked one by one by {@link importParticipants}. */
export const ImportSchema = z.object({
  participants: z.array(z.unknown()).min(1).max(MAX_IMPORT_ROWS),
});

/** One bad row: its 1-based position in `participants`, the field and what is wrong. */
export interface RowError {
  readonly row: number;
  readonly field: string;
  readonly error: string;
}

/** What an import did: everything, or nothing and why. */
export type ImportResult =
  | { readonly ok: true; readonly imported: number; readonly participants: EnrolledView[] }
  | {
      readonly ok: false;
      /** 400 bad rows, 429 numbers invited too often today, 409 a program archived meanwhile. */
      readonly status?: 400 | 409 | 429;
      readonly error: string;
      readonly rows: RowError[];
    };

/** What importing uses: what enrolment uses, and the audit trail. */
export type ImportDeps = EnrolDeps & Pick<Deps, 'audit'>;

function rowError(row: number, value: unknown, issue: z.core.$ZodIssue | undefined): RowError {
  const field = issue?.path.length ? issue.path.join('.') : 'row';
  let error = issue?.message ?? 'is invalid';
  if (issue?.code === 'invalid_type') {
    const present =
      typeof value === 'object' && value !== null && issue.path.length === 1 && issue.path[0] !== undefined
        ? (value as Record<PropertyKey, unknown>)[issue.path[0]] !== undefined
        : value !== undefined;
    error = present ? `expected ${issue.expected}` : 'is required';
  }
  return { row, field, error };
}

/** Validates every row, then enrols them all, or none. */
export async function importParticipants(
  deps: ImportDeps,
  coachId: string,
  rows: readonly unknown[],
  coachName?: string,
): Promise<ImportResult> {
  const errors: RowError[] = [];
  const valid: NewParticipant[] = [];
  const seen = new Map<string, number>();
  const programs = new Map<string, StoredProgram | undefined>();
  for (const [index, value] of rows.entries()) {
    const row = index + 1;
    const parsed = NewParticipantSchema.safeParse(value);
    if (!parsed.success) {
      errors.push(rowError(row, value, parsed.error.issues[0]));
      continue;
    }
    const input = parsed.data;
    const problem = input.phone ? smsNumberProblem(input.phone, deps.smsAllowedCountries) : undefined;
    if (problem) {
      errors.push({ row, field: 'phone', error: problem });
      continue;
    }
    if (!programs.has(input.programId))
      programs.set(input.programId, await deps.programs.get(coachId, input.programId));
    if (!programs.get(input.programId)) {
      errors.push({ row, field: 'programId', error: 'no such program' });
      continue;
    }
    const key = `${input.channel}#${addressOf(input, input.channel)}#${input.programId}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({
        row,
        field: input.channel === 'sms' ? 'phone' : 'email',
        error: `same as row ${earlier}`,
      });
      continue;
    }
    seen.set(key, row);
    valid.push(input);
  }
  if (errors.length > 0) {
    return {
      ok: false,
      error: `${errors.length} of ${rows.length} rows are invalid; nothing was imported`,
      rows: errors,
    };
  }

  const now = deps.clock.now();
  const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  if (
    !(await deps.rateLimiter.takeMany(
      `enrol#${coachId}`,
      hour.toISOString(),
      deps.enrolmentsPerHour,
      valid.length,
    ))
  ) {
    const retryAfter = Math.ceil((hour.getTime() + 3_600_000 - now.getTime()) / 1000);
    throw new TooManyRequestsError(
      `at most ${deps.enrolmentsPerHour} enrolments per hour; this file has ${valid.length}`,
      retryAfter,
    );
  }
  const release = async (invited: readonly NewParticipant[]) => {
    await deps.rateLimiter.release(`enrol#${coachId}`, hour.toISOString(), valid.length);
    const day = invitationDay(now).toISOString();
    await Promise.all(invited.map((p) => deps.rateLimiter.release(invitationKey(p.phone ?? ''), day, 1)));
  };

  // Each SMS row's invitation counts against its number's daily allowance (across all coaches).
  const invited: NewParticipant[] = [];
  const overInvited: RowError[] = [];
  for (const [index, input] of valid.entries()) {
    if (input.channel !== 'sms') continue;
    if (await takeInvitation(deps, input, now)) invited.push(input);
    else
      overInvited.push({
        row: index + 1,
        field: 'phone',
        error: 'this number had all its invitations today',
      });
  }
  if (overInvited.length > 0) {
    await release(invited);
    return {
      ok: false,
      status: 429,
      error: `${overInvited.length} of ${rows.length} rows are numbers already invited the most times today; nothing was imported`,
      rows: overInvited,
    };
  }

  // Every row is stored (all or none, each conditional on its program being open) before anyone
  // is messaged; then each enrolment starts as a single one does.
  const prepared = [];
  for (let i = 0; i < valid.length; i += 10) {
    prepared.push(
      ...(await Promise.all(
        valid.slice(i, i + 10).map(async (input) => {
          const program = programs.get(input.programId);
          if (!program) throw new ValidationError('programId', 'no such program'); // checked above
          return prepareEnrolment(deps, program, coachId, input, now, coachName);
        }),
      )),
    );
  }
  try {
    await deps.participants.createAll(prepared.map((p) => p.participant));
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    await release(invited);
    await deps.audit.record({ at: now.toISOString(), action: 'import-refused', coachId, count: 0 });
    return {
      ok: false,
      status: 409,
      error: 'a program of this file was archived during the import; nothing was imported',
      rows: [],
    };
  }
  const participants: EnrolledView[] = [];
  for (let i = 0; i < prepared.length; i += 10)
    participants.push(...(await Promise.all(prepared.slice(i, i + 10).map((p) => p.start()))));
  await deps.audit.record({ at: now.toISOString(), action: 'import', coachId, count: participants.length });
  return { ok: true, imported: participants.length, participants };
}
