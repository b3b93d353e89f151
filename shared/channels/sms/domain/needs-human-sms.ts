/** The SMS answer to a message that needs a human (which messages do: `domain/needs-human.ts`). */
import { toGsm } from './messages.js';

/** The SMS answer to a message that needs a human: who reads it, and that a person will. */
export function needsHumanSms(coachName: string | undefined): string {
  const who = coachName ? `${coachName}, your coach,` : 'Your coach';
  return toGsm(`Thank you for telling us. ${who} has been told and a person will read your message soon.`);
}
