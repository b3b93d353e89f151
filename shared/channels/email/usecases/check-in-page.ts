/**
 * The check-in page: one signed link in each check-in email opens every question of the prompt on
 * one page (the per-answer buttons stay), and one form POST answers them all at once through the
 * one answer-recording use case. Opening it records nothing. Sending the same form again is the
 * same message; another answer to a question replaces the earlier one, whatever it came from.
 */
import { createHash } from 'node:crypto';
import { verifyCheckInToken } from '../../../domain/answer-link.js';
import { checkInPageUrl } from '../../../domain/links.js';
import type { Prompt } from '../../../domain/prompt.js';
import type { Deps, InboundMessage } from '../../../ports.js';
import { receive, recordAnswers } from '../../../usecases/answers.js';
import { progressLine } from '../../../usecases/progress.js';
import { checkInPage, readCheckInForm } from '../domain/check-in-page.js';
import { linkProblemPage, thankYouPage } from '../domain/email-messages.js';
import { formProblem, linkedPrompt, type PageResult, refusedLink } from './answer-links.js';

type CheckInDeps = Pick<
  Deps,
  'linkKey' | 'clock' | 'prompts' | 'programs' | 'participants' | 'replies' | 'metrics' | 'publicBaseUrl'
>;

/** Verifies the token and finds its prompt; a page explaining the problem otherwise. */
async function resolve(deps: CheckInDeps, token: string): Promise<{ prompt: Prompt } | PageResult> {
  const verified = verifyCheckInToken(await deps.linkKey(), token, deps.clock.now());
  if (!verified.ok) return refusedLink(verified.reason);
  const prompt = await linkedPrompt(deps, verified.claims);
  if (!prompt || prompt.questions.length === 0) return { statusCode: 404, html: linkProblemPage('invalid') };
  return { prompt };
}

/** GET /c/{token}: every question of the prompt in one form; records nothing. */
export async function openCheckInPage(deps: CheckInDeps, token: string): Promise<PageResult> {
  const found = await resolve(deps, token);
  if ('html' in found) return found;
  const { prompt } = found;
  const [program, answered] = await Promise.all([
    deps.programs.getById(prompt.programId),
    prompt.answeredAt ? deps.prompts.answeredQuestions(prompt) : Promise.resolve([]),
  ]);
  return {
    statusCode: 200,
    html: checkInPage({
      ...(program ? { programName: program.name } : {}),
      questions: prompt.questions,
      formAction: checkInPageUrl(deps.publicBaseUrl, token),
      answered,
    }),
  };
}

/**
 * POST /c/{token}: records every answered question (and the comment with each), then shows the
 * progress line SMS participants get. A field that does not fit its question is a 400 naming it,
 * and nothing is recorded.
 */
export async function submitCheckInPage(
  deps: CheckInDeps,
  token: string,
  form: Readonly<Record<string, string>>,
): Promise<PageResult> {
  const found = await resolve(deps, token);
  if ('html' in found) return found;
  const { prompt } = found;
  const read = readCheckInForm(prompt.questions, form);
  if (!read.ok) return formProblem(read.field, read.message);
  const participant = await deps.participants.get(prompt.participantId);
  if (!participant) return { statusCode: 404, html: linkProblemPage('invalid') };
  const body = [
    ...read.answers.map((a) => `${a.questionIndex + 1}:${a.value ?? a.text ?? ''}`),
    ...(read.comment ? [read.comment] : []),
  ].join(' ');
  // The same form sent twice (a double press, a resubmission) is one message.
  const id = createHash('sha256').update(token).update('\n').update(body).digest('base64url');
  const message: InboundMessage = {
    providerMessageId: `checkin:${id}`,
    channel: 'email',
    source: 'answer-link',
    from: participant.email ?? '',
    body,
    receivedAt: deps.clock.now().toISOString(),
  };
  const received = await receive(deps, message);
  if (received.status === 'new') {
    const comment = read.comment;
    await recordAnswers(
      deps,
      message,
      prompt,
      read.answers.map((a) => ({ ...a, ...(comment ? { comment } : {}) })),
    );
  }
  const progress = await progressLine(deps, participant, prompt, read.answers, message.receivedAt);
  return { statusCode: 200, html: thankYouPage({ progress }) };
}
