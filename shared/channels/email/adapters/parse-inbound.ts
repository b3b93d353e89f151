/**
 * Reading an inbound email (raw RFC 5322, as SES receiving stores it): who sent it, to which
 * addresses, the new text of the reply without quoted history or signature, whether it is an
 * automatic message (out-of-office, bounce, list mail), and what the receiving server concluded
 * about SPF and DKIM.
 *
 * mailparser decodes every charset and transfer encoding; email-reply-parser strips the quoted
 * history mail apps add ("On … wrote:", Outlook's "From: … Sent: …" block, `>` quotes) and
 * signatures ("Sent from my iPhone", "Get Outlook for iOS").
 */
import { createHash } from 'node:crypto';
import EmailReplyParser from 'email-reply-parser';
import { convert } from 'html-to-text';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';

/** Why a message is automatic rather than a person's answer. */
export type AutoKind = 'auto-submitted' | 'out-of-office' | 'bounce' | 'list';

/** The receiving server's verdict: `unknown` when no verdict is present (local mode). */
export type AuthVerdict = 'pass' | 'fail' | 'unknown';

/** What the system needs from an inbound email. */
export interface InboundEmail {
  /** The Message-ID header, or `sha256:<hex>` of the raw message when it has none. */
  readonly messageId: string;
  /** The sender's address, lower-cased; empty when there is none. */
  readonly from: string;
  /** Every recipient address, lower-cased: Delivered-To, X-Original-To, To and Cc. */
  readonly to: string[];
  readonly subject: string;
  /** The new text only: quoted history and signature removed, trimmed. */
  readonly replyText: string;
  readonly auto: AutoKind | undefined;
  readonly auth: AuthVerdict;
  /**
   * Set when the message could not be read within {@link MAIL_LIMITS} (more MIME parts or a
   * longer header than they allow): nothing else is then taken from it; the raw message stays
   * where SES stored it.
   */
  readonly malformed?: true;
}

/**
 * What one inbound message may cost the function (256 MB, seconds). Replies are a few lines at
 * the top of the message; a 30 MB attachment parsed in full took 20 s and 2 GB here, so only the
 * head of the message is read (the raw message is kept whole), and mailparser's own limits on
 * MIME parts (1,000) and header size (1 MB) end in a {@link InboundEmail.malformed} result
 * instead of an exception that S3 would retry forever.
 */
export const MAIL_LIMITS = {
  /** Bytes of the raw message that are parsed; the rest is attachments or quoted history. */
  parsedBytes: 1024 * 1024,
  /** Characters of text handed to the quote stripper (its regexes are linear, but text is long). */
  textChars: 64 * 1024,
  /** HTML characters converted to text, and how deep its elements may nest. */
  htmlChars: 256 * 1024,
  htmlDepth: 64,
} as const;

/** How responders begin their subjects ("Automatic reply: …", "Abwesenheitsnotiz: …"); anchored, so a question mentioning a vacation is not one. */
const OUT_OF_OFFICE_SUBJECT =
  /^\s*(out of (the )?office|automatic reply|auto[- ]?reply|autoresponse|auto[- ]?response|away from (the )?office|vacation reply|abwesenheit|automatische antwort|r[ée]ponse automatique|absent\b|fuera de la oficina|respuesta autom[aá]tica|risposta automatica|fora do escrit[oó]rio)/iu;
const BOUNCE_SENDER = /^(mailer-daemon|postmaster)@/iu;

/** Values of a header (all occurrences, top first), unfolded. */
function headerValues(mail: ParsedMail, name: string): string[] {
  const key = name.toLowerCase();
  return mail.headerLines
    .filter((h) => h.key === key)
    .map((h) =>
      h.line
        .slice(h.line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/gu, ' ')
        .trim(),
    );
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: string[] = [];
  const visit = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.address) out.push(entry.address.toLowerCase());
      if (entry.group) visit(entry.group);
    }
  };
  for (const object of objects) visit(object.value);
  return out;
}

/** Bare addresses in a header such as `Delivered-To: r+abc@reply.example`. */
function addressesIn(values: readonly string[]): string[] {
  return values.flatMap((v) => v.match(/[^\s<>,;"]+@[^\s<>,;"]+/gu) ?? []).map((a) => a.toLowerCase());
}

function autoKind(mail: ParsedMail, from: string): AutoKind | undefined {
  const contentType = headerValues(mail, 'content-type')[0]?.toLowerCase() ?? '';
  if (contentType.startsWith('multipart/report') || BOUNCE_SENDER.test(from)) return 'bounce';

  const autoSubmitted = headerValues(mail, 'auto-submitted').map((v) =>
    v.toLowerCase().split(';')[0]?.trim(),
  );
  const precedence = headerValues(mail, 'precedence').map((v) => v.toLowerCase());
  const responder =
    headerValues(mail, 'x-autoreply').length > 0 ||
    headerValues(mail, 'x-autorespond').length > 0 ||
    precedence.includes('auto_reply');
  // Some responders set no header at all: the subject is all there is.
  if (responder || OUT_OF_OFFICE_SUBJECT.test(mail.subject ?? '')) return 'out-of-office';
  if (autoSubmitted.some((v) => v !== undefined && v !== 'no')) return 'auto-submitted';
  if (precedence.some((p) => p === 'bulk' || p === 'junk' || p === 'list')) return 'list';
  if (headerValues(mail, 'list-id').length > 0 || headerValues(mail, 'list-unsubscribe').length > 0)
    return 'list';
  return undefined;
}

/** The verdict of one `method=result` in an Authentication-Results header. */
function results(header: string, method: string): string[] {
  return [...header.matchAll(new RegExp(`(?:^|[;\\s])${method}=([a-z]+)`, 'giu'))].map((m) =>
    (m[1] ?? '').toLowerCase(),
  );
}

function authVerdict(mail: ParsedMail): AuthVerdict {
  const verdicts = [
    ...headerValues(mail, 'x-ses-spam-verdict'),
    ...headerValues(mail, 'x-ses-virus-verdict'),
  ];
  if (verdicts.some((v) => v.toUpperCase() === 'FAIL')) return 'fail';
  // The topmost header from SES is the one SES added; a sender can write any header below it.
  const header = headerValues(mail, 'authentication-results').find((h) => /^amazonses\.com\s*;/iu.test(h));
  if (header === undefined) return 'unknown';
  const spf = results(header, 'spf');
  const dkim = results(header, 'dkim');
  const dmarc = results(header, 'dmarc');
  // A message can carry several DKIM signatures; one good signature is enough.
  const dkimPass = dkim.includes('pass');
  if (spf.includes('fail') || (dkim.includes('fail') && !dkimPass) || dmarc.includes('fail')) return 'fail';
  if (spf.includes('pass') || dkimPass) return 'pass';
  // Present but nothing passed: the sender cannot be told apart from a forger.
  return 'fail';
}

function bodyText(mail: ParsedMail): string {
  if (typeof mail.text === 'string' && mail.text.trim()) return mail.text;
  if (typeof mail.html === 'string') {
    // Links without their URLs: mailparser's own conversion appends `[url]` after each link,
    // which can split an "On … wrote:" line so the quote is no longer recognised.
    return convert(mail.html.slice(0, MAIL_LIMITS.htmlChars), {
      wordwrap: false,
      limits: { maxDepth: MAIL_LIMITS.htmlDepth, maxInputLength: MAIL_LIMITS.htmlChars },
      selectors: [
        { selector: 'a', options: { ignoreHref: true } },
        { selector: 'img', format: 'skip' },
      ],
    });
  }
  return '';
}

/** The reply's own words: quoted history and signature removed. */
export function visibleReply(text: string): string {
  const normalised = text.replace(/\r\n?/gu, '\n').replace(/\u00a0/gu, ' ');
  return new EmailReplyParser().read(normalised).getVisibleText().trim();
}

/**
 * The one author of the message, or '' when it names none or several: a second `From` header
 * (or a `From` listing two addresses) could otherwise pass the sender check with one address
 * while mail apps show the other.
 */
function author(mail: ParsedMail): string {
  if (headerValues(mail, 'from').length !== 1) return '';
  const all = addresses(mail.from);
  return all.length === 1 ? (all[0] ?? '') : '';
}

const digest = (raw: Buffer) => `sha256:${createHash('sha256').update(raw).digest('hex')}`;

/**
 * Reads a raw inbound email (at most its first {@link MAIL_LIMITS.parsedBytes} bytes). Never
 * throws on odd content: a message with no text gives '', one beyond the limits is `malformed`.
 */
export async function parseInboundEmail(raw: Buffer): Promise<InboundEmail> {
  const malformed: InboundEmail = {
    messageId: digest(raw),
    from: '',
    to: [],
    subject: '',
    replyText: '',
    auto: undefined,
    auth: 'unknown',
    malformed: true,
  };
  const head = raw.subarray(0, MAIL_LIMITS.parsedBytes);
  // Cut inside its header, a message would parse as one without a body: say what it is instead.
  if (raw.length > head.length && head.indexOf('\n\r\n') < 0 && head.indexOf('\n\n') < 0) return malformed;
  let mail: ParsedMail;
  try {
    mail = await simpleParser(head, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  } catch {
    // mailparser refuses what is beyond its limits by throwing; that is a property of the
    // message, not a passing failure, so retrying would fail the same way.
    return malformed;
  }
  const from = author(mail);
  const to = [
    ...addressesIn(headerValues(mail, 'delivered-to')),
    ...addressesIn(headerValues(mail, 'x-original-to')),
    ...addresses(mail.to),
    ...addresses(mail.cc),
  ];
  return {
    messageId: mail.messageId ?? digest(raw),
    from,
    to: [...new Set(to)],
    subject: mail.subject ?? '',
    replyText: visibleReply(bodyText(mail).slice(0, MAIL_LIMITS.textChars)),
    auto: autoKind(mail, from),
    auth: authVerdict(mail),
  };
}
