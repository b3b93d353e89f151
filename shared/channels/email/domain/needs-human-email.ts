/** The email answer to a message that needs a human (which messages do: `domain/needs-human.ts`). */
import { escapeHtml } from './email-messages.js';

/** The email answer to a message that needs a human (plain words, no promise beyond that). */
export function needsHumanAckEmail(coachName: string | undefined): {
  subject: string;
  text: string;
  html: string;
} {
  const who = coachName ? `${coachName}, your coach,` : 'Your coach';
  const line = `Thank you for telling us. ${who} has been told and a person will read your message soon.`;
  return {
    subject: 'A person will read your message',
    text: `${line}\n`,
    html: `<p>${escapeHtml(line)}</p>`,
  };
}
