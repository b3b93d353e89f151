/** The live SMS counter of the push composer (its calculator loads with the pages that use it). */
import { smsCost } from './sms';

/** Live characters / segments / encoding of an SMS body; `testId` tells two counters on a page apart. */
export function SmsCounter(props: { text: string; testId?: string }) {
  const cost = smsCost(props.text);
  const warn = cost.segments > 1 || cost.encoding !== 'GSM-7';
  return (
    <p class={`counter${warn ? ' warn' : ''}`} aria-live="polite" data-testid={props.testId ?? 'sms-counter'}>
      {cost.characters} characters · {cost.segments} SMS segment{cost.segments === 1 ? '' : 's'} ·{' '}
      {cost.encoding}
      {cost.nonGsmCharacters.length
        ? ` (because of ${cost.nonGsmCharacters.map((c) => `“${c}”`).join(' ')})`
        : ''}
    </p>
  );
}
