/**
 * What an SMS costs, counted with Twilio's own segment calculator so the number a coach sees is
 * the number Twilio bills. Pure.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import type { Question } from '../../../domain/program.js';
import { promptSms } from './messages.js';

/** Twilio refuses longer bodies outright (error 21617). */
export const TWILIO_MAX_BODY_CHARACTERS = 1600;

/** The size and price drivers of one SMS body. */
export interface SmsCost {
  /** GSM-7 fits 160 characters in one segment (153 when split); UCS-2 only 70 (67). */
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Segments billed for the body as sent. */
  readonly segments: number;
  /** Characters as a person counts them (Unicode code points). */
  readonly characters: number;
  /** Characters that forced UCS-2, each listed once, in order of appearance. */
  readonly nonGsmCharacters: string[];
}

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
