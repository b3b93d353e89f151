/**
 * The SMS channel's {@link SmsPolicy}: Twilio's body limit, the prompt's segment limit and what a
 * prompt or push costs, as the core needs them. Handlers wire it as `smsPolicy`. Pure.
 */
import type { SmsPolicy } from '../../../ports.js';
import { pushSms } from './push-sms.js';
import { programSmsCost, promptSizeProblem, smsCost, TWILIO_MAX_BODY_CHARACTERS } from './sms-cost.js';

/** The SMS channel's limits and costs. */
export const smsPolicy: SmsPolicy = {
  maxBodyCharacters: TWILIO_MAX_BODY_CHARACTERS,
  promptCost: programSmsCost,
  promptProblem: promptSizeProblem,
  pushCost: (text, question) => smsCost(pushSms(text, question)),
};
