/**
 * Coach use cases on programs.
 */
import { randomUUID } from 'node:crypto';
import type { NewProgram, Program } from '../domain/program.js';
import type { Deps } from '../ports.js';

/** Creates a program owned by the coach. */
export async function createProgram(
  deps: Pick<Deps, 'programs' | 'clock'>,
  coachId: string,
  input: NewProgram,
): Promise<Program> {
  const program: Program = { ...input, id: randomUUID(), coachId, createdAt: deps.clock.now().toISOString() };
  await deps.programs.create(program);
  return program;
}

/** The coach's own programs and the built-in ones. */
export async function listPrograms(deps: Pick<Deps, 'programs'>, coachId: string): Promise<Program[]> {
  return deps.programs.listForCoach(coachId);
}
