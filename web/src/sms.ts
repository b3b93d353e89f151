/**
 * SMS size as Twilio bills it, with the same calculator the server uses
 * (`shared/domain/sms-cost.ts`), so the counter a coach sees matches what is sent.
 */

export { promptSms, toGsm } from '../../shared/domain/messages';
export {
  checkRenderedPush,
  fillPushFields,
  PUSH_FIELDS,
  PUSH_MAX_LENGTH,
  pushFieldValues,
  SMS_SEGMENT_PRICE_USD,
  unknownFieldsProblem,
  weekAverageOf,
} from '../../shared/domain/push-fields';
export { type SmsCost, smsCost } from '../../shared/domain/sms-cost';
