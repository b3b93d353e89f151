/**
 * One-click answers from an email. Opening a link (GET) records nothing: mail security gateways
 * and previewers fetch every link in a message without running scripts. The page it shows posts
 * the answer by itself in a person's browser (one click for them), and that POST records it
 * through the one answer-recording use case. Clicking again is the same message (idempotent);
 * another value for the same question replaces the answer; nothing is ever counted twice.
 */
import { createHash } from 'node:crypto';
import { type AnswerClaims, verifyAnswerToken } from '../domain/answer-link.js';
import {
  answerConfirmPage,
  COMMENT_MAX_LENGTH,
  commentSavedPage,
  linkProblemPage,
  NO_VALUE,
  type RenderableQuestion,
  thankYouPage,
  YES_VALUE,
} from '../domain/email-messages.js';
import type { Prompt } from '../domain/prompt.js';
import type { Deps, InboundMessage } from '../ports.js';
import { receive, recordAnswers } from './answers.js';

/** An HTML page and its status. */
export interface PageResult {
  readonly statusCode: number;
  readonly html: string;
}

type LinkDeps = Pick<
  Deps,
  'linkKey' | 'clock' | 'prompts' | 'participants' | 'replies' | 'metrics' | 'publicBaseUrl'
>;

const valueLabel = (question: RenderableQuestion | undefined, value: number) =>
  question?.type === 'yes-no'
    ? value === YES_VALUE
      ? 'Yes'
      : value === NO_VALUE
        ? 'No'
        : String(value)
    : String(value);

/** Verifies a token and finds its prompt and question; a page explaining the problem otherwise. */
async function resolve(
  deps: LinkDeps,
  token: string,
): Promise<{ claims: AnswerClaims; prompt: Prompt; question: RenderableQuestion } | PageResult> {
  const verified = verifyAnswerToken(await deps.linkKey(), token, deps.clock.now());
  if (!verified.ok) {
    return verified.reason === 'expired'
      ? { statusCode: 410, html: linkProblemPage('expired') }
      : { statusCode: 403, html: linkProblemPage('invalid') };
  }
  const { claims } = verified;
  // A reminder's answers count for its prompt; a push's exercise is answered on the push.
  const prompt = await deps.prompts.get({
    participantId: claims.participantId,
    scheduledFor: claims.scheduledFor,
    ...(claims.kind === 'push' ? { kind: 'push' as const } : {}),
  });
  const question = prompt?.questions[claims.questionIndex] as RenderableQuestion | undefined;
  if (!prompt || !question) return { statusCode: 404, html: linkProblemPage('invalid') };
  return { claims, prompt, question };
}

/** GET /a/{token}: a page that posts the answer; records nothing. */
export async function openAnswerLink(deps: LinkDeps, token: string): Promise<PageResult> {
  const found = await resolve(deps, token);
  if ('html' in found) return found;
  return {
    statusCode: 200,
    html: answerConfirmPage({
      questionText: found.question.text,
      valueLabel: valueLabel(found.question, found.claims.value),
      formAction: `${deps.publicBaseUrl}/a/${token}`,
    }),
  };
}

/** POST /a/{token}: records the answer (with the optional comment), shows the thank-you page. */
export async function confirmAnswerLink(
  deps: LinkDeps,
  token: string,
  form: { comment?: string },
): Promise<PageResult> {
  const found = await resolve(deps, token);
  if ('html' in found) return found;
  const { claims, prompt, question } = found;
  const participant = await deps.participants.get(claims.participantId);
  if (!participant) return { statusCode: 404, html: linkProblemPage('invalid') };
  const comment = form.comment?.trim().slice(0, COMMENT_MAX_LENGTH) || undefined;
  // The click's identity: the same link (and the same comment) is the same message, so a double
  // click or a resubmitted form is recognised; another value or a comment is a new one.
  const id = createHash('sha256')
    .update(token)
    .update(comment ?? '')
    .digest('base64url');
  const message: InboundMessage = {
    providerMessageId: `link:${id}`,
    channel: 'email',
    source: 'answer-link',
    from: participant.email ?? '',
    body: `${claims.questionIndex + 1}:${claims.value}${comment ? ` ${comment}` : ''}`,
    receivedAt: deps.clock.now().toISOString(),
  };
  const received = await receive(deps, message);
  if (received.status === 'new') {
    await recordAnswers(
      deps,
      message,
      prompt,
      [{ questionIndex: claims.questionIndex, value: claims.value, ...(comment ? { comment } : {}) }],
      undefined,
      participant,
    );
  }
  if (comment) return { statusCode: 200, html: commentSavedPage() };
  return {
    statusCode: 200,
    html: thankYouPage({
      value: valueLabel(question, claims.value),
      questionText: question.text,
      commentFormAction: `${deps.publicBaseUrl}/a/${token}`,
    }),
  };
}
