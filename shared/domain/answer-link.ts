/**
 * Signed tokens for email: one-click answer links and check-in page links (both expiring),
 * unsubscribe links (never expiring:
 * an old email's link must keep working) and per-prompt reply addresses (so a reply is attributed
 * to its prompt, and nobody can attribute a reply to someone else's prompt). Pure, `node:crypto`
 * only.
 *
 * Each token is a compact binary payload followed by a truncated HMAC-SHA256 over a purpose byte
 * and the payload; the purpose byte keeps one kind of token from being accepted as another.
 * Participant ids (UUIDs) take 16 bytes and instants 6 (epoch milliseconds), so an answer token is
 * about 60 URL-safe characters and a reply address's local part stays under the 64-character limit.
 *
 * Both name a send record by participant, instant and kind: a coach's push can share nothing with
 * a check-in but its participant, so its links and replies must say they are for the push.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a token was refused. */
export type TokenProblem = 'malformed' | 'bad-signature' | 'expired';

/** The kinds of send record a link or reply address can name: the ones that ask questions. */
export type AnswerableKind = 'prompt' | 'reminder' | 'push';

/**
 * What a reply address can name: an answerable record, or a report card (whose replies ask
 * nothing and are kept for the coach to read).
 */
export type ReplyKind = AnswerableKind | 'report';

/** What an answer link says: this value for this question of this prompt, until `expiresAt`. */
export interface AnswerClaims {
  readonly participantId: string;
  /** The prompt's instant, as `Date.prototype.toISOString()` writes it. */
  readonly scheduledFor: string;
  readonly kind: AnswerableKind;
  readonly questionIndex: number;
  readonly value: number;
  /** ISO instant, whole seconds (rounded up from what was signed). */
  readonly expiresAt: string;
}

/** Input of {@link signAnswerToken}. */
export interface AnswerTokenInput {
  readonly participantId: string;
  readonly scheduledFor: string;
  /** Absent means `prompt`. */
  readonly kind?: AnswerableKind;
  /** 0–255. */
  readonly questionIndex: number;
  /** An integer from -32768 to 32767 (a scale value, or 1/0 for yes/no). */
  readonly value: number;
  readonly expiresAt: Date | string;
}

/** What a check-in page link says: every question of this prompt may be answered, until `expiresAt`. */
export interface CheckInClaims {
  readonly participantId: string;
  /** The prompt's instant, as `Date.prototype.toISOString()` writes it. */
  readonly scheduledFor: string;
  readonly kind: AnswerableKind;
  /** ISO instant, whole seconds (rounded up from what was signed). */
  readonly expiresAt: string;
}

/** Input of {@link signCheckInToken}. */
export interface CheckInTokenInput {
  readonly participantId: string;
  readonly scheduledFor: string;
  /** Absent means `prompt`. */
  readonly kind?: AnswerableKind;
  readonly expiresAt: Date | string;
}

/** What a history link says: this participant may read their own history until `expiresAt`. */
export interface HistoryClaims {
  readonly participantId: string;
  /** ISO instant, whole seconds (rounded up from what was signed). */
  readonly expiresAt: string;
}

/** What an unsubscribe link says. */
export interface UnsubscribeClaims {
  readonly participantId: string;
  /** The address the email went to, as signed. */
  readonly address: string;
}

/** What a reply address says. */
export interface ReplyClaims {
  readonly participantId: string;
  /** The prompt's instant, as `Date.prototype.toISOString()` writes it. */
  readonly scheduledFor: string;
  /** Addresses from before kinds were carried name a `prompt`. */
  readonly kind: ReplyKind;
}

/** Input of {@link replyAddress}. */
export interface ReplyAddressInput {
  readonly participantId: string;
  readonly scheduledFor: string;
  /** Absent means `prompt`. */
  readonly kind?: ReplyKind;
}

/** Outcome of verifying a token. */
export type Verified<C, P extends TokenProblem = TokenProblem> =
  | { readonly ok: true; readonly claims: C }
  | { readonly ok: false; readonly reason: P };

const PURPOSE = { answer: 0x61, unsubscribe: 0x75, reply: 0x72, checkIn: 0x63, history: 0x68 } as const;
type Purpose = keyof typeof PURPOSE;
/** Bumped if a payload layout ever changes; a layout nobody reads any more is refused as malformed. */
const VERSION = 1;
/**
 * Reply addresses of another kind than `prompt`: version 1's layout plus a kind byte. A prompt's
 * address keeps version 1, so the addresses of mail already sent stay valid and unchanged.
 */
const REPLY_WITH_KIND = 2;
/**
 * 128-bit tags for links, 96-bit for reply addresses (they must fit a 64-character local part) and
 * for history links, which ride in a one-segment SMS and only ever show, never change, anything.
 */
const TAG_BYTES: Record<Purpose, number> = {
  answer: 16,
  unsubscribe: 16,
  reply: 12,
  checkIn: 16,
  history: 12,
};
// Append only: a token's kind byte is an index into this list. Only reply addresses name a report.
const KINDS = ['prompt', 'reminder', 'push', 'report'] as const satisfies readonly ReplyKind[];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;
const ID_UUID = 1;
const ID_TEXT = 2;
const MAX_ID_BYTES = 64;
const MAX_ADDRESS_BYTES = 254;
/** Longer than any token this module signs (an unsubscribe token with the longest id and address). */
const MAX_TOKEN_CHARS = 512;
/** RFC 5321's limit on the local part of an address. */
const MAX_LOCAL_PART = 64;

class Malformed extends Error {}

function checkKey(key: string): void {
  if (key.length < 32) throw new RangeError('the link signing key must be at least 32 characters');
}

function tag(key: string, purpose: Purpose, payload: Buffer): Buffer {
  return createHmac('sha256', key)
    .update(Buffer.of(PURPOSE[purpose]))
    .update(payload)
    .digest()
    .subarray(0, TAG_BYTES[purpose]);
}

function seal(key: string, purpose: Purpose, payload: Buffer): Buffer {
  checkKey(key);
  return Buffer.concat([payload, tag(key, purpose, payload)]);
}

/** Splits payload and tag; undefined when the tag does not match (compared in constant time). */
function open(key: string, purpose: Purpose, bytes: Buffer): Buffer | undefined {
  checkKey(key);
  const size = TAG_BYTES[purpose];
  if (bytes.length <= size) throw new Malformed();
  const payload = bytes.subarray(0, bytes.length - size);
  const expected = tag(key, purpose, payload);
  return timingSafeEqual(expected, bytes.subarray(bytes.length - size)) ? payload : undefined;
}

/** Appends fields to a buffer; throws RangeError for values that do not fit. */
class Writer {
  private readonly parts: Buffer[] = [];
  u8(n: number, what: string): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new RangeError(`${what} must be an integer 0–255`);
    this.parts.push(Buffer.of(n));
    return this;
  }
  i16(n: number, what: string): this {
    if (!Number.isInteger(n) || n < -0x8000 || n > 0x7fff)
      throw new RangeError(`${what} must be an integer from -32768 to 32767`);
    const b = Buffer.alloc(2);
    b.writeInt16BE(n);
    this.parts.push(b);
    return this;
  }
  u32(n: number, what: string): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`${what} is out of range`);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    this.parts.push(b);
    return this;
  }
  instant(iso: string, what: string): this {
    const ms = Date.parse(iso);
    if (!Number.isFinite(ms) || ms < 0 || ms > 2 ** 48 - 1)
      throw new RangeError(`${what} must be an ISO instant`);
    const b = Buffer.alloc(6);
    b.writeUIntBE(ms, 0, 6);
    this.parts.push(b);
    return this;
  }
  text(value: string, max: number, what: string): this {
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length === 0 || bytes.length > max) throw new RangeError(`${what} must be 1–${max} bytes`);
    this.parts.push(Buffer.of(bytes.length), bytes);
    return this;
  }
  id(id: string): this {
    // Only the canonical lower-case form is packed, so the id reads back exactly as it was signed.
    if (UUID.test(id)) {
      this.parts.push(Buffer.of(ID_UUID), Buffer.from(id.replace(/-/gu, ''), 'hex'));
      return this;
    }
    this.parts.push(Buffer.of(ID_TEXT));
    return this.text(id, MAX_ID_BYTES, 'participantId');
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Reads fields back; throws {@link Malformed} past the end. */
class Reader {
  private at = 0;
  constructor(private readonly bytes: Buffer) {}
  private take(n: number): Buffer {
    if (this.at + n > this.bytes.length) throw new Malformed();
    const slice = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return slice;
  }
  u8(): number {
    return this.take(1).readUInt8();
  }
  i16(): number {
    return this.take(2).readInt16BE();
  }
  u32(): number {
    return this.take(4).readUInt32BE();
  }
  instant(): string {
    return new Date(this.take(6).readUIntBE(0, 6)).toISOString();
  }
  text(): string {
    return this.take(this.u8()).toString('utf8');
  }
  id(): string {
    const form = this.u8();
    if (form === ID_UUID) {
      const hex = this.take(16).toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    if (form === ID_TEXT) return this.text();
    throw new Malformed();
  }
  end(): void {
    if (this.at !== this.bytes.length) throw new Malformed();
  }
}

// Buffer's own base64url decoding skips characters it does not know; tokens must be exact.
function fromBase64Url(token: string): Buffer {
  if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/u.test(token)) throw new Malformed();
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.toString('base64url') !== token) throw new Malformed();
  return bytes;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, unpadded: survives MTAs that lower-case the local part. */
function toBase32(bytes: Buffer): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Buffer {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text.toLowerCase()) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Malformed();
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  // Leftover bits must be zero padding: one token, one spelling.
  if (bits >= 5 || buffer !== 0) throw new Malformed();
  return Buffer.from(bytes);
}

function verify<C>(
  key: string,
  purpose: Purpose,
  decode: () => Buffer,
  read: (reader: Reader, version: number) => C,
  versions: readonly number[] = [VERSION],
): Verified<C, 'malformed' | 'bad-signature'> {
  try {
    const payload = open(key, purpose, decode());
    if (!payload) return { ok: false, reason: 'bad-signature' };
    const reader = new Reader(payload);
    const version = reader.u8();
    if (!versions.includes(version)) throw new Malformed();
    const claims = read(reader, version);
    reader.end();
    return { ok: true, claims };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, reason: 'malformed' };
    throw error;
  }
}

const epochMs = (instant: Date | string) =>
  typeof instant === 'string' ? Date.parse(instant) : instant.getTime();

/** A genuine token past its expiry is reported as expired (only once its signature was checked). */
function unexpired<C extends { readonly expiresAt: string }>(
  result: Verified<C, 'malformed' | 'bad-signature'>,
  now: Date,
): Verified<C> {
  if (result.ok && Date.parse(result.claims.expiresAt) <= now.getTime())
    return { ok: false, reason: 'expired' };
  return result;
}

function readReplyKind(r: Reader): ReplyKind {
  const kind = KINDS[r.u8()];
  if (!kind) throw new Malformed();
  return kind;
}

/** Answer and check-in links name only records that ask questions. */
function readKind(r: Reader): AnswerableKind {
  const kind = readReplyKind(r);
  if (kind === 'report') throw new Malformed();
  return kind;
}

/**
 * Signs an answer link's token (URL-safe base64, about 60 characters for a UUID participant id).
 * @throws RangeError for a short key or a field that does not fit the encoding
 */
export function signAnswerToken(key: string, input: AnswerTokenInput): string {
  const expiresAt = epochMs(input.expiresAt);
  const payload = new Writer()
    .u8(VERSION, 'version')
    .u8(KINDS.indexOf(input.kind ?? 'prompt'), 'kind')
    .id(input.participantId)
    .instant(input.scheduledFor, 'scheduledFor')
    .u8(input.questionIndex, 'questionIndex')
    .i16(input.value, 'value')
    .u32(Math.ceil(expiresAt / 1000), 'expiresAt')
    .done();
  return seal(key, 'answer', payload).toString('base64url');
}

/**
 * Verifies an answer link's token at `now`. The signature is checked before the expiry, so an
 * expired link is only reported as such when it is genuine.
 */
export function verifyAnswerToken(key: string, token: string, now: Date): Verified<AnswerClaims> {
  const result = verify(
    key,
    'answer',
    () => fromBase64Url(token),
    (r): AnswerClaims => {
      const kind = readKind(r);
      return {
        kind,
        participantId: r.id(),
        scheduledFor: r.instant(),
        questionIndex: r.u8(),
        value: r.i16(),
        expiresAt: new Date(r.u32() * 1000).toISOString(),
      };
    },
  );
  return unexpired(result, now);
}

/**
 * Signs a check-in page link's token: the page that answers all of a prompt's questions at once.
 * @throws RangeError for a short key or a field that does not fit the encoding
 */
export function signCheckInToken(key: string, input: CheckInTokenInput): string {
  const expiresAt = epochMs(input.expiresAt);
  const payload = new Writer()
    .u8(VERSION, 'version')
    .u8(KINDS.indexOf(input.kind ?? 'prompt'), 'kind')
    .id(input.participantId)
    .instant(input.scheduledFor, 'scheduledFor')
    .u32(Math.ceil(expiresAt / 1000), 'expiresAt')
    .done();
  return seal(key, 'checkIn', payload).toString('base64url');
}

/** Verifies a check-in page token at `now`; the signature is checked before the expiry. */
export function verifyCheckInToken(key: string, token: string, now: Date): Verified<CheckInClaims> {
  const result = verify(
    key,
    'checkIn',
    () => fromBase64Url(token),
    (r): CheckInClaims => ({
      kind: readKind(r),
      participantId: r.id(),
      scheduledFor: r.instant(),
      expiresAt: new Date(r.u32() * 1000).toISOString(),
    }),
  );
  return unexpired(result, now);
}

/**
 * Signs a history link's token: the participant's own page of past weeks, linked from their weekly
 * report card (about 46 URL-safe characters for a UUID participant id, so it fits in one SMS).
 * @throws RangeError for a short key or a field that does not fit the encoding
 */
export function signHistoryToken(key: string, input: { participantId: string; expiresAt: Date | string }) {
  const payload = new Writer()
    .u8(VERSION, 'version')
    .id(input.participantId)
    .u32(Math.ceil(epochMs(input.expiresAt) / 1000), 'expiresAt')
    .done();
  return seal(key, 'history', payload).toString('base64url');
}

/** Verifies a history link's token at `now`; the signature is checked before the expiry. */
export function verifyHistoryToken(key: string, token: string, now: Date): Verified<HistoryClaims> {
  const result = verify(
    key,
    'history',
    () => fromBase64Url(token),
    (r): HistoryClaims => ({
      participantId: r.id(),
      expiresAt: new Date(r.u32() * 1000).toISOString(),
    }),
  );
  return unexpired(result, now);
}

/**
 * Signs an unsubscribe link's token. It never expires: RFC 8058 mail clients and people may use
 * the link of an email that is months old.
 * @throws RangeError for a short key or an over-long id or address
 */
export function signUnsubscribeToken(key: string, input: UnsubscribeClaims): string {
  const payload = new Writer()
    .u8(VERSION, 'version')
    .id(input.participantId)
    .text(input.address, MAX_ADDRESS_BYTES, 'address')
    .done();
  return seal(key, 'unsubscribe', payload).toString('base64url');
}

/** Verifies an unsubscribe link's token. */
export function verifyUnsubscribeToken(
  key: string,
  token: string,
): Verified<UnsubscribeClaims, 'malformed' | 'bad-signature'> {
  return verify(
    key,
    'unsubscribe',
    () => fromBase64Url(token),
    (r): UnsubscribeClaims => ({ participantId: r.id(), address: r.text() }),
  );
}

/**
 * The per-prompt reply address, `r+<token>@domain`; the token is lower-case base32, so it
 * survives mail systems that lower-case the local part. A push's address carries its kind (one
 * byte more: 62 characters for a UUID participant id).
 * @throws RangeError for a short key, or a participant id too long for a 64-character local part
 */
export function replyAddress(key: string, domain: string, input: ReplyAddressInput): string {
  const kind = input.kind ?? 'prompt';
  const writer = new Writer();
  if (kind === 'prompt') writer.u8(VERSION, 'version');
  else writer.u8(REPLY_WITH_KIND, 'version').u8(KINDS.indexOf(kind), 'kind');
  const payload = writer.id(input.participantId).instant(input.scheduledFor, 'scheduledFor').done();
  const local = `r+${toBase32(seal(key, 'reply', payload))}`;
  if (local.length > MAX_LOCAL_PART) throw new RangeError('participantId is too long for a reply address');
  return `${local}@${domain}`;
}

/**
 * The prompt a reply address names, or undefined when the address is not one of ours or its
 * signature does not match. Any case; the domain is not checked (the receiving rule already did).
 */
export function parseReplyAddress(key: string, address: string): ReplyClaims | undefined {
  const match = /^r\+([a-z2-7]+)@[^@\s]+$/iu.exec(address.trim());
  const token = match?.[1];
  if (!token) return undefined;
  const result = verify(
    key,
    'reply',
    () => fromBase32(token),
    (r, version): ReplyClaims => {
      const kind = version === REPLY_WITH_KIND ? readReplyKind(r) : 'prompt';
      // One address, one spelling: a prompt's address is always version 1.
      if (version === REPLY_WITH_KIND && kind === 'prompt') throw new Malformed();
      return { participantId: r.id(), scheduledFor: r.instant(), kind };
    },
    [VERSION, REPLY_WITH_KIND],
  );
  return result.ok ? result.claims : undefined;
}
