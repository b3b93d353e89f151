/**
 * Email unsubscribe (RFC 8058). A GET shows a page with one button (mail scanners open every link,
 * so a GET never unsubscribes); a POST — the button, or a mailbox provider's one-click request with
 * `List-Unsubscribe=One-Click` — opts the address out of email at once. Like an SMS STOP, the
 * opt-out belongs to the address: every enrolment using it stops, whoever its coach.
 */
import { verifyUnsubscribeToken } from '../../../domain/answer-link.js';
import { unsubscribePageUrl } from '../../../domain/links.js';
import { logger } from '../../../logger.js';
import type { Deps } from '../../../ports.js';
import { linkProblemPage, unsubscribePage } from '../domain/email-messages.js';
import type { PageResult } from './answer-links.js';

type UnsubscribeDeps = Pick<Deps, 'linkKey' | 'clock' | 'contacts' | 'participants' | 'publicBaseUrl'>;

/** GET /u/{token}: the confirmation page. */
export async function openUnsubscribe(deps: UnsubscribeDeps, token: string): Promise<PageResult> {
  const verified = verifyUnsubscribeToken(await deps.linkKey(), token);
  if (!verified.ok) return { statusCode: 403, html: linkProblemPage('invalid') };
  return {
    statusCode: 200,
    html: unsubscribePage({ step: 'confirm', formAction: unsubscribePageUrl(deps.publicBaseUrl, token) }),
  };
}

/** POST /u/{token}: opts the address out of email, now. */
export async function confirmUnsubscribe(deps: UnsubscribeDeps, token: string): Promise<PageResult> {
  const verified = verifyUnsubscribeToken(await deps.linkKey(), token);
  if (!verified.ok) return { statusCode: 403, html: linkProblemPage('invalid') };
  const { address, participantId } = verified.claims;
  await optOutEmail(deps, address, deps.clock.now().toISOString());
  logger.info('email unsubscribe', { participantId });
  return { statusCode: 200, html: unsubscribePage({ step: 'done' }) };
}

/**
 * Records an email opt-out for an address and takes its enrolments' timers off the due index.
 * False when a later opt-in was already recorded (then it changes nothing more).
 */
export async function optOutEmail(
  deps: Pick<Deps, 'contacts' | 'participants'>,
  address: string,
  at: string,
): Promise<boolean> {
  if (!address) return false;
  const applied = await deps.contacts.setOptOut('email', address, true, at);
  const enrolments = await deps.participants.findByAddress('email', address);
  await Promise.all(enrolments.map((p) => deps.participants.update(p.id, { nextDueAt: null })));
  return applied;
}
