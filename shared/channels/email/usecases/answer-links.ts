/**
 * One-click answers from an email. Opening a link (GET) records nothing, by script or otherwise:
 * mail security gateways fetch every link of a message, and some open each in a headless browser
 * that runs scripts. The page shows the link's answer preselected with one Confirm button; only a
 * person pressing it POSTs the answer, which is recorded through the one answer-recording use
 * case. Pressing again is the same message (idempotent); another value for the same question
 * replaces the answer; nothing is ever counted twice.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import {
  type AnswerableKind,
  type AnswerClaims,
  signCheckInToken,
  type TokenProblem,
  verifyAnswerToken,
} from '../../../domain/answer-link.js';
import type { PageResult } from '../../../domain/html.js';
import { answerPageUrl, checkInPageUrl } from '../../../domain/links.js';
import type { Prompt } from '../../../domain/prompt.js';
import type { Deps, InboundMessage } from '../../../ports.js';
import { receive, recordAnswers } from '../../../usecases/answers.js';
import { progressLine } from '../../../usecases/progress.js';
import {
  answerConfirmPage,
  answerValues,
  COMMENT_MAX_LENGTH,
  CONFIRM_FIELD,
  formProblemPage,
  linkProblemPage,
  type RenderableQuestion,
  thankYouPage,
} from '../domain/email-messages.js';

export type { PageResult };

type LinkDeps = Pick<
  Deps,
  'linkKey' | 'clock' | 'prompts' | 'participants' | 'replies' | 'metrics' | 'publicBaseUrl'
>;

/**
 * The answer form as POSTed: the Confirm button's field (sent only when the button is pressed),
 * the chosen value (the link's own when absent) and the optional comment.
 */
export const AnswerFormSchema = z.object({
  [CONFIRM_FIELD]: z.literal('1', { error: 'press Confirm to record your answer' }),
  value: z
    .string()
    .regex(/^-?\d{1,5}$/u, { error: 'expected one of the answers shown' })
    .optional(),
  comment: z
    .string()
    .max(COMMENT_MAX_LENGTH, { error: `at most ${COMMENT_MAX_LENGTH} characters` })
    .optional(),
});

/** A 400 page naming the field that was wrong; nothing is recorded. */
export function formProblem(field: string, message: string): PageResult {
  return { statusCode: 400, html: formProblemPage(`${field}: ${message}`) };
}

/** The page for a token that was refused: 410 when expired, 403 when forged or cut short. */
export function refusedLink(reason: TokenProblem): PageResult {
  return reason === 'expired'
    ? { statusCode: 410, html: linkProblemPage('expired') }
    : { statusCode: 403, html: linkProblemPage('invalid') };
}

/** The send record a link names: a reminder's answers count for its prompt; a push's are on the push. */
export function linkedPrompt(
  deps: Pick<Deps, 'prompts'>,
  claims: { readonly participantId: string; readonly scheduledFor: string; readonly kind: AnswerableKind },
): Promise<Prompt | undefined> {
  return deps.prompts.get({
    participantId: claims.participantId,
    scheduledFor: claims.scheduledFor,
    ...(claims.kind === 'push' ? { kind: 'push' as const } : {}),
  });
}

/**
 * Verifies a token and finds its prompt and question; a page explaining the problem otherwise.
 * `alongside` starts a read of the claims' own beside the prompt's (the confirmation needs the
 * participant: one round trip, not two).
 */
async function resolve<T = undefined>(
  deps: LinkDeps,
  token: string,
  alongside?: (claims: AnswerClaims) => Promise<T>,
): Promise<{ claims: AnswerClaims; prompt: Prompt; question: RenderableQuestion; also: T } | PageResult> {
  const verified = verifyAnswerToken(await deps.linkKey(), token, deps.clock.now());
  if (!verified.ok) return refusedLink(verified.reason);
  const { claims } = verified;
  const [prompt, also] = await Promise.all([
    linkedPrompt(deps, claims),
    alongside ? alongside(claims) : (undefined as T),
  ]);
  const question = prompt?.questions[claims.questionIndex] as RenderableQuestion | undefined;
  if (!prompt || !question) return { statusCode: 404, html: linkProblemPage('invalid') };
  return { claims, prompt, question, also };
}

/** GET /a/{token}: the answer preselected and a Confirm button; records nothing. */
export async function openAnswerLink(deps: LinkDeps, token: string): Promise<PageResult> {
  const found = await resolve(deps, token);
  if ('html' in found) return found;
  return {
    statusCode: 200,
    html: answerConfirmPage({
      question: found.question,
      value: found.claims.value,
      formAction: answerPageUrl(deps.publicBaseUrl, token),
    }),
  };
}

/**
 * POST /a/{token}: records the chosen answer (with the optional comment) when the Confirm button
 * was pressed, and shows the progress line. Any other form is a 400 naming the field.
 */
export async function confirmAnswerLink(
  deps: LinkDeps,
  token: string,
  form: Readonly<Record<string, string>>,
): Promise<PageResult> {
  const found = await resolve(deps, token, (claims) => deps.participants.get(claims.participantId));
  if ('html' in found) return found;
  const { claims, prompt, question, also: participant } = found;
  const parsed = AnswerFormSchema.safeParse(form);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return formProblem(String(issue?.path[0] ?? 'form'), issue?.message ?? 'is invalid');
  }
  // The token answers one question; the page lets the person pick another of its answers.
  const value = parsed.data.value === undefined ? claims.value : Number(parsed.data.value);
  if (!answerValues(question).includes(value))
    return formProblem('value', 'expected one of the answers shown');
  if (!participant) return { statusCode: 404, html: linkProblemPage('invalid') };
  const comment = parsed.data.comment?.trim() || undefined;
  // The press's identity: the same link, value and comment are the same message, so a double
  // press or a resubmitted form is recognised; another value or comment is a new one.
  const id = createHash('sha256')
    .update(token)
    .update(`\n${value}\n`)
    .update(comment ?? '')
    .digest('base64url');
  const message: InboundMessage = {
    providerMessageId: `link:${id}`,
    channel: 'email',
    source: 'answer-link',
    from: participant.email ?? '',
    body: `${claims.questionIndex + 1}:${value}${comment ? ` ${comment}` : ''}`,
    receivedAt: deps.clock.now().toISOString(),
  };
  const answer = { questionIndex: claims.questionIndex, value };
  const record = async () => {
    const received = await receive(deps, message);
    if (received.status === 'new') {
      await recordAnswers(
        deps,
        message,
        prompt,
        [{ ...answer, ...(comment ? { comment } : {}) }],
        undefined,
        participant,
      );
    }
  };
  // The streak is counted from the history with this prompt marked answered, whether the read
  // sees the answer or not: read beside storing it.
  const [progress] = await Promise.all([
    progressLine(deps, participant, prompt, [answer], message.receivedAt),
    record(),
  ]);
  // The other questions of a check-in are one page away.
  const checkInUrl =
    prompt.kind !== 'push' && prompt.questions.length > 1
      ? checkInPageUrl(
          deps.publicBaseUrl,
          signCheckInToken(await deps.linkKey(), {
            participantId: prompt.participantId,
            scheduledFor: prompt.scheduledFor,
            expiresAt: claims.expiresAt,
          }),
        )
      : undefined;
  return { statusCode: 200, html: thankYouPage({ progress, ...(checkInUrl ? { checkInUrl } : {}) }) };
}
