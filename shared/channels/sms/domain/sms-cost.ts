/**
 * What an SMS costs, counted with Twilio's own segment calculator so the number a coach sees is
 * the number Twilio bills. Pure.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import type { SmsCost } from '../../../domain/channel.js';
import type { Question } from '../../../domain/program.js';
import { promptSms } from './messages.js';

export type { SmsCost };

/** Twilio refuses longer bodies outright (error 21617). */
export const TWILIO_MAX_BODY_CHARACTERS = 1600;

/** The cost of `text` exactly as given: callers pass the body that is sent, after any `toGsm`. */
export function smsCost(text: string): SmsCost {
  const message = new SegmentedMessage(text);
  return {
    encoding: message.encodingName,
    segments: message.segmentsCount,
    characters: [...text].length,
    nonGsmCharacters: [...new Set(message.getNonGsmCharacters())],
  };
}

/** The cost of the SMS that asks a program's questions, as `promptSms` composes it. */
export function programSmsCost(questions: readonly Question[]): SmsCost {
  return smsCost(promptSms(questions));
}

/** A prompt longer than this many segments is refused: each one is billed on every send. */
export const MAX_PROMPT_SEGMENTS = 3;

/** Why the SMS asking these questions would be too long or too costly, or undefined if it fits. */
export function promptSizeProblem(questions: readonly Question[]): string | undefined {
  const cost = programSmsCost(questions);
  if (cost.segments <= MAX_PROMPT_SEGMENTS && cost.characters <= TWILIO_MAX_BODY_CHARACTERS) return undefined;
  const why = cost.nonGsmCharacters.length
    ? ` because of ${cost.nonGsmCharacters.map((c) => JSON.stringify(c)).join(', ')}`
    : '';
  return `the prompt would be ${cost.segments} SMS segments (${cost.characters} characters, ${cost.encoding}${why}); at most ${MAX_PROMPT_SEGMENTS}`;
}

/**
 * An SMS body as `checkRenderedPush` (`domain/push-fields.ts`) checks it: its cost and Twilio's limit.
 * Here, not in `sms-policy.ts`, so the dashboard's bundle takes no zod with it.
 */
export function smsBodyCheck(body: string): { cost: SmsCost; maxBodyCharacters: number } {
  return { cost: smsCost(body), maxBodyCharacters: TWILIO_MAX_BODY_CHARACTERS };
}
