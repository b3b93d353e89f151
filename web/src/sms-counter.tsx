/** The live SMS counter of the push composer (its calculator loads with the pages that use it). */
import { counterLine } from './sms';

/** Live characters / segments / encoding of an SMS body; `testId` tells two counters on a page apart. */
export function SmsCounter(props: { text: string; testId?: string }) {
  const { line, warn } = counterLine(props.text);
  return (
    <p class={`counter${warn ? ' warn' : ''}`} aria-live="polite" data-testid={props.testId ?? 'sms-counter'}>
      {line}
    </p>
  );
}
