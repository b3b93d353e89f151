/**
 * SMS size as Twilio bills it, with the same calculator the server uses
 * (`shared/channels/sms/domain/sms-cost.ts`), so the counter a coach sees matches what is sent; and what the
 * bulk composer shows per recipient, as pure functions the tests read.
 */
import { toGsm } from '../../shared/channels/sms/domain/messages.js';
import { type SmsCost, smsBodyCheck, smsCost } from '../../shared/channels/sms/domain/sms-cost.js';
import {
  checkRenderedPush,
  fillPushFields,
  pushFieldValues,
  type RenderedPushCheck,
  SMS_SEGMENT_PRICE_USD,
  weekAverageOf,
} from '../../shared/domain/push-fields.js';
import type { Summary } from './types.js';

export { promptSms, toGsm } from '../../shared/channels/sms/domain/messages.js';
export { type SmsCost, smsCost } from '../../shared/channels/sms/domain/sms-cost.js';
export {
  checkRenderedPush,
  fillPushFields,
  PUSH_FIELDS,
  PUSH_MAX_LENGTH,
  pushFieldValues,
  SMS_SEGMENT_PRICE_USD,
  unknownFieldsProblem,
  weekAverageOf,
} from '../../shared/domain/push-fields.js';

/** "$0.0083" under a dollar (a segment costs less than a cent), "$1.25" above. */
export const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;

/** The live counter's line under an SMS body, and whether it warns (more than one segment, or UCS-2). */
export function counterLine(text: string): { line: string; warn: boolean } {
  const cost = smsCost(text);
  const because = cost.nonGsmCharacters.length
    ? ` (because of ${cost.nonGsmCharacters.map((c) => `“${c}”`).join(' ')})`
    : '';
  return {
    line: `${cost.characters} characters · ${cost.segments} SMS segment${cost.segments === 1 ? '' : 's'} · ${cost.encoding}${because}`,
    warn: cost.segments > 1 || cost.encoding !== 'GSM-7',
  };
}

/** One recipient's row of the bulk composer: their message as they get it and what it costs. */
export interface RecipientCost {
  /** The server's limits on their filled-in text (`ok: false` says which one it breaks). */
  readonly check: RenderedPushCheck;
  /** The SMS as sent (after `toGsm`); absent by email. */
  readonly sms?: SmsCost;
  /** Estimated price in USD: segments × {@link SMS_SEGMENT_PRICE_USD}; 0 by email or when refused. */
  readonly usd: number;
}

/**
 * What one bulk push costs one recipient: their fields filled in the way the server fills them,
 * `toGsm` applied as the SMS sender does, then Twilio's segment count.
 */
export function recipientCost(
  text: string,
  s: Pick<Summary, 'name' | 'streak' | 'questions' | 'channel'>,
  coachName?: string,
): RecipientCost {
  const filled = fillPushFields(
    text.trim(),
    pushFieldValues({ name: s.name, streak: s.streak, weekAverage: weekAverageOf(s.questions), coachName }),
  );
  const body = s.channel === 'sms' ? toGsm(filled) : undefined;
  const check = checkRenderedPush(filled, body === undefined ? undefined : smsBodyCheck(body));
  const segments = check.ok ? check.segments : 0;
  return {
    check,
    ...(body === undefined ? {} : { sms: smsCost(body) }),
    usd: segments * SMS_SEGMENT_PRICE_USD,
  };
}
