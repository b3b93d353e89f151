/** What Twilio sends back to a handset for a webhook's answer (TwiML or plain text). */

/** One SMS a webhook answer asks for. */
export interface TwimlReply {
  body: string;
  to?: string;
  from?: string;
}

/**
 * The SMS Twilio would send back for a webhook answer: each TwiML `<Message>` (optionally with a
 * `<Body>` and `to`/`from` attributes), or — as Twilio does — a `text/plain` answer verbatim.
 */
export function repliesFrom(text: string, contentType: string): TwimlReply[] {
  if (/^text\/plain\b/i.test(contentType)) {
    const body = text.trim();
    return body ? [{ body }] : [];
  }
  const replies: TwimlReply[] = [];
  const xml = text.replace(/<!--[\s\S]*?-->/g, '');
  for (const match of xml.matchAll(/<Message\b([^>]*?)(?:\/>|>([\s\S]*?)<\/Message\s*>)/g)) {
    const attributes = match[1] ?? '';
    const inner = match[2] ?? '';
    const bodyElement = /<Body\b[^>]*>([\s\S]*?)<\/Body\s*>/.exec(inner);
    const raw = bodyElement
      ? (bodyElement[1] ?? '')
      : inner.replace(/<(Media|Redirect)\b[\s\S]*?<\/\1\s*>/g, '');
    const body = xmlText(raw).trim();
    if (!body) continue; // Twilio does not send empty messages
    const reply: TwimlReply = { body };
    const to = xmlAttribute(attributes, 'to');
    const from = xmlAttribute(attributes, 'from');
    if (to) reply.to = to;
    if (from) reply.from = from;
    replies.push(reply);
  }
  return replies;
}

function xmlAttribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  const value = match?.[1] ?? match?.[2];
  return value === undefined ? undefined : decodeXmlEntities(value);
}

/** Character data of an XML fragment: tags dropped, entities decoded, CDATA kept literally. */
function xmlText(fragment: string): string {
  // split() with a capture group alternates outside-CDATA and inside-CDATA pieces.
  return fragment
    .split(/<!\[CDATA\[([\s\S]*?)\]\]>/)
    .map((piece, i) => (i % 2 === 1 ? piece : decodeXmlEntities(piece.replace(/<[^>]*>/g, ''))))
    .join('');
}

function decodeXmlEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (entity, name: string) => {
    if (!name.startsWith('#')) return named[name] ?? entity;
    const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}
