/**
 * Personal experiments: a coach attaches to one participant a question asked with their prompts
 * from a start date to an end date (participant-local), with the observation → impact →
 * improvement they agreed on. The dispatcher appends the question of each experiment active on a
 * prompt's day to that prompt (marked with the experiment's id), so it ends by itself; the coach
 * can also end it now. Coach-owned like every participant route: another coach's participant is
 * "not found".
 */

import { randomUUID } from 'node:crypto';
import {
  type Experiment,
  type ExperimentStatus,
  endDateOf,
  experimentStatus,
  type NewExperiment,
} from '../domain/experiment.js';
import { localDateOf } from '../domain/zone.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Answer, Deps } from '../ports.js';
import { ownParticipant } from './ownership.js';
import type { AnswerView } from './participants.js';

/** An experiment as the coach API shows it. */
export type ExperimentView = Experiment & { readonly status: ExperimentStatus };

/** An experiment with the answers given to its question, oldest first. */
export type ExperimentWithAnswers = ExperimentView & { readonly answers: AnswerView[] };

const viewOf = (experiment: Experiment, now: Date, zone: string): ExperimentView => ({
  ...experiment,
  status: experimentStatus(experiment, now, zone),
});

/**
 * Attaches an experiment to a participant. Refused (400) when it would end before today, or when
 * the participant's prompt with every experiment running alongside would no longer fit the
 * program's SMS size limit.
 */
export async function startExperiment(
  deps: Pick<Deps, 'participants' | 'programs' | 'clock' | 'smsPolicy'>,
  coachId: string,
  participantId: string,
  input: NewExperiment,
): Promise<ExperimentView> {
  const participant = await ownParticipant(deps, coachId, participantId);
  const now = deps.clock.now();
  const today = localDateOf(now, participant.timeZone);
  const endDate = endDateOf(input);
  if (endDate < today)
    throw new ValidationError('endDate', `must be today or later (${today} for the participant)`);
  const [program, existing] = await Promise.all([
    deps.programs.getById(participant.programId),
    deps.participants.listExperiments(participantId),
  ]);
  // Overlapping experiments all ride along: the longest prompt has every one of them.
  const overlapping = existing.filter(
    (e) => e.endedAt === undefined && e.startDate <= endDate && e.endDate >= input.startDate,
  );
  const problem = deps.smsPolicy.promptProblem([
    ...(program?.questions ?? []),
    ...overlapping.map((e) => e.question),
    input.question,
  ]);
  if (problem) throw new ValidationError('question', problem);
  const experiment: Experiment = {
    id: randomUUID(),
    participantId,
    coachId,
    question: input.question,
    startDate: input.startDate,
    endDate,
    ...(input.note ? { note: input.note } : {}),
    createdAt: now.toISOString(),
  };
  await deps.participants.addExperiment(experiment);
  return viewOf(experiment, now, participant.timeZone);
}

/** Ends an experiment now: no later prompt carries its question. Ending it twice is harmless. */
export async function endExperiment(
  deps: Pick<Deps, 'participants' | 'clock'>,
  coachId: string,
  participantId: string,
  experimentId: string,
): Promise<ExperimentView> {
  const participant = await ownParticipant(deps, coachId, participantId);
  const now = deps.clock.now();
  await deps.participants.endExperiment(participantId, experimentId, now.toISOString());
  const ended = (await deps.participants.listExperiments(participantId)).find((e) => e.id === experimentId);
  if (!ended) throw new NotFoundError('experiment not found');
  return viewOf(ended, now, participant.timeZone);
}

/** Whether an answer is to an experiment's question. */
function answers(experiment: Experiment, answer: Answer): boolean {
  return answer.experimentId === experiment.id;
}

/** The participant's experiments, newest first, each with its answers. */
export async function listExperiments(
  deps: Pick<Deps, 'participants' | 'replies' | 'clock'>,
  coachId: string,
  participantId: string,
): Promise<ExperimentWithAnswers[]> {
  const participant = await ownParticipant(deps, coachId, participantId);
  const now = deps.clock.now();
  const experiments = await deps.participants.listExperiments(participantId);
  const all: Answer[] = [];
  if (experiments.length > 0) {
    let cursor: string | undefined;
    do {
      const page = await deps.replies.listAnswers(participantId, {
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      all.push(...page.items.filter((a) => a.experimentId !== undefined));
      cursor = page.cursor;
    } while (cursor);
  }
  return experiments
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((e) => ({
      ...viewOf(e, now, participant.timeZone),
      answers: all
        .filter((a) => answers(e, a))
        .map((a) => ({
          question: a.question,
          questionIndex: a.questionIndex,
          ...(a.value !== undefined ? { value: a.value } : {}),
          ...(a.text !== undefined ? { text: a.text } : {}),
          experimentId: e.id,
          channel: a.channel,
          source: a.source,
          scheduledFor: a.scheduledFor,
          receivedAt: a.receivedAt,
          ...(a.comment ? { comment: a.comment } : {}),
        })),
    }));
}
