/** A coach's push as an SMS (what a push may say is the core's: `domain/push.ts`). */
import { type Question, scaleRange } from '../../../domain/program.js';
import { toGsm } from './messages.js';

/** How to answer an exercise question by SMS. */
function smsAnswerHint(question: Question): string {
  switch (question.type) {
    case 'scale': {
      const { min, max } = scaleRange(question);
      return `Reply ${min}-${max}.`;
    }
    case 'yes-no':
      return 'Reply Y or N.';
    case 'number':
      return question.unit ? `Reply with a number (${question.unit}).` : 'Reply with a number.';
    case 'text':
      return 'Reply with a few words.';
  }
}

/** A push as an SMS: the coach's text, then the exercise question if any, in GSM-7. */
export function pushSms(text: string, question: Question | undefined): string {
  const ask = question ? `\n${question.text} ${smsAnswerHint(question)}` : '';
  return toGsm(`${text}${ask}`);
}
