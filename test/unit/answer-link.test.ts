/**
 * Signed answer links, unsubscribe links and reply addresses: what a participant's click or reply
 * is trusted to say, and what a forger cannot make it say.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  parseReplyAddress,
  replyAddress,
  signAnswerToken,
  signUnsubscribeToken,
  verifyAnswerToken,
  verifyUnsubscribeToken,
} from '../../shared/domain/answer-link.js';

const KEY = 'test-signing-key-0123456789-abcdefghij';
const OTHER_KEY = 'another-signing-key-of-enough-length!';
const PARTICIPANT = '3f2b8c1e-9d4a-4f6b-8e2d-1a2b3c4d5e6f';
const SCHEDULED = '2026-11-23T23:00:00.000Z';
const NOW = new Date('2026-11-24T08:00:00Z');
const EXPIRES = new Date('2026-11-30T23:00:00Z');

const answer = {
  participantId: PARTICIPANT,
  scheduledFor: SCHEDULED,
  questionIndex: 2,
  value: 7,
  expiresAt: EXPIRES,
};

/** Flips one character of a token to another one of the same alphabet. */
function tamper(token: string, at: number): string {
  const c = token[at] === 'A' ? 'B' : 'A';
  return token.slice(0, at) + c + token.slice(at + 1);
}

describe('answer tokens', () => {
  it('carry the prompt, question and value they were signed with', () => {
    const token = signAnswerToken(KEY, answer);
    expect(verifyAnswerToken(KEY, token, NOW)).toEqual({
      ok: true,
      claims: { ...answer, kind: 'prompt', expiresAt: EXPIRES.toISOString() },
    });
  });

  it('are short and URL-safe', () => {
    const token = signAnswerToken(KEY, { ...answer, kind: 'reminder' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/u);
    expect(token.length).toBeLessThan(150);
    expect(token.length).toBeLessThanOrEqual(64);
  });

  it('keep a reminder apart from its prompt', () => {
    const token = signAnswerToken(KEY, { ...answer, kind: 'reminder' });
    const result = verifyAnswerToken(KEY, token, NOW);
    expect(result.ok && result.claims.kind).toBe('reminder');
  });

  it("name a coach's push, apart from a check-in at the same instant", () => {
    const token = signAnswerToken(KEY, { ...answer, kind: 'push' });
    expect(verifyAnswerToken(KEY, token, NOW)).toEqual({
      ok: true,
      claims: { ...answer, kind: 'push', expiresAt: EXPIRES.toISOString() },
    });
    expect(token).not.toBe(signAnswerToken(KEY, answer));
    expect(token.length).toBeLessThanOrEqual(64);
  });

  it('signed before pushes existed still verify as they did', () => {
    // Signed with this key by the version that knew only prompts and reminders.
    const prompt = 'AQABPyuMHp1KT2uOLRorPE1ebwGiCqM9gAIAB2sN__DqE9tWqm6ZlSE8V4EdfzVO';
    const reminder = 'AQEBPyuMHp1KT2uOLRorPE1ebwGiCqM9gAIAB2sN__DvKx3JjIuTzZlVbMgcp3c5';
    const claims = { ...answer, expiresAt: EXPIRES.toISOString() };
    expect(verifyAnswerToken(KEY, prompt, NOW)).toEqual({ ok: true, claims: { ...claims, kind: 'prompt' } });
    expect(verifyAnswerToken(KEY, reminder, NOW)).toEqual({
      ok: true,
      claims: { ...claims, kind: 'reminder' },
    });
    expect(signAnswerToken(KEY, answer)).toBe(prompt);
  });

  it('expire at their expiry instant, not before', () => {
    const token = signAnswerToken(KEY, answer);
    expect(verifyAnswerToken(KEY, token, new Date(EXPIRES.getTime() - 1000)).ok).toBe(true);
    expect(verifyAnswerToken(KEY, token, EXPIRES)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse a token signed with another key', () => {
    const token = signAnswerToken(OTHER_KEY, answer);
    expect(verifyAnswerToken(KEY, token, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuse a changed value, even when expired', () => {
    const token = signAnswerToken(KEY, answer);
    // Every position: the payload (value, question, prompt) and the signature itself.
    for (let i = 0; i < token.length; i++) {
      const result = verifyAnswerToken(KEY, tamper(token, i), new Date('2030-01-01T00:00:00Z'));
      expect(result.ok, `position ${i}`).toBe(false);
      expect(result.ok === false && result.reason).not.toBe('expired');
    }
  });

  it.each(['', 'not a token', 'abc', 'a'.repeat(600), '!!!!', `${signAnswerToken(KEY, answer)}=`])(
    'call %j malformed',
    (token) => {
      expect(verifyAnswerToken(KEY, token, NOW)).toEqual({ ok: false, reason: 'malformed' });
    },
  );

  it('cannot be used as an unsubscribe token', () => {
    const token = signAnswerToken(KEY, answer);
    expect(verifyUnsubscribeToken(KEY, token).ok).toBe(false);
  });

  it('refuse a short key', () => {
    expect(() => signAnswerToken('short', answer)).toThrow(RangeError);
    expect(() => verifyAnswerToken('short', 'abc', NOW)).toThrow(RangeError);
  });

  it.each([
    { questionIndex: 256 },
    { questionIndex: -1 },
    { value: 1.5 },
    { value: 40_000 },
    { scheduledFor: 'yesterday' },
    { expiresAt: 'never' },
  ])('refuse to sign %j', (change) => {
    expect(() => signAnswerToken(KEY, { ...answer, ...change })).toThrow(RangeError);
  });

  it('work with participant ids that are not UUIDs', () => {
    const token = signAnswerToken(KEY, { ...answer, participantId: 'participant-1' });
    const result = verifyAnswerToken(KEY, token, NOW);
    expect(result.ok && result.claims.participantId).toBe('participant-1');
  });

  test.prop([
    fc.uuid().map((u) => u.toLowerCase()),
    fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
    fc.integer({ min: 0, max: 255 }),
    fc.integer({ min: -32768, max: 32767 }),
  ])('round-trip any prompt instant, question and value', (participantId, at, questionIndex, value) => {
    const input = { participantId, scheduledFor: at.toISOString(), questionIndex, value, expiresAt: EXPIRES };
    const result = verifyAnswerToken(KEY, signAnswerToken(KEY, input), NOW);
    expect(result).toEqual({
      ok: true,
      claims: { ...input, kind: 'prompt', expiresAt: EXPIRES.toISOString() },
    });
  });
});

describe('unsubscribe tokens', () => {
  const claims = { participantId: PARTICIPANT, address: 'sam.o+coach@example.com' };

  it('name the participant and address, and never expire', () => {
    const token = signUnsubscribeToken(KEY, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/u);
    expect(verifyUnsubscribeToken(KEY, token)).toEqual({ ok: true, claims });
  });

  it('refuse another key and tampering', () => {
    const token = signUnsubscribeToken(KEY, claims);
    expect(verifyUnsubscribeToken(OTHER_KEY, token)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyUnsubscribeToken(KEY, tamper(token, 20)).ok).toBe(false);
    expect(verifyUnsubscribeToken(KEY, 'x')).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('reply addresses', () => {
  const claims = { participantId: PARTICIPANT, scheduledFor: SCHEDULED };

  it('name the prompt they were made for and fit an address local part', () => {
    const address = replyAddress(KEY, 'reply.coach.example', claims);
    expect(address).toMatch(/^r\+[a-z2-7]+@reply\.coach\.example$/u);
    expect(address.split('@')[0]?.length).toBeLessThanOrEqual(64);
    expect(parseReplyAddress(KEY, address)).toEqual({ ...claims, kind: 'prompt' });
  });

  it("name a coach's push, apart from a check-in at the same instant, and still fit", () => {
    const address = replyAddress(KEY, 'reply.coach.example', { ...claims, kind: 'push' });
    expect(address).toMatch(/^r\+[a-z2-7]+@reply\.coach\.example$/u);
    expect(address.split('@')[0]?.length).toBeLessThanOrEqual(64);
    expect(parseReplyAddress(KEY, address)).toEqual({ ...claims, kind: 'push' });
    expect(parseReplyAddress(KEY, address.toUpperCase())).toEqual({ ...claims, kind: 'push' });
    expect(address).not.toBe(replyAddress(KEY, 'reply.coach.example', claims));
  });

  it('made before pushes existed still name their prompt, and are spelled as before', () => {
    // Made with this key by the version whose addresses carried no kind.
    const old = 'r+aeat6k4md2ouut3lrywrukz4jvpg6ancbkrt3ahppe67cirpwtalxryrby@reply.coach.example';
    expect(parseReplyAddress(KEY, old)).toEqual({ ...claims, kind: 'prompt' });
    expect(replyAddress(KEY, 'reply.coach.example', claims)).toBe(old);
    expect(replyAddress(KEY, 'reply.coach.example', { ...claims, kind: 'prompt' })).toBe(old);
  });

  it('survive mail systems that change the case', () => {
    const address = replyAddress(KEY, 'reply.coach.example', claims);
    expect(parseReplyAddress(KEY, address.toUpperCase())).toEqual({ ...claims, kind: 'prompt' });
  });

  it("cannot be forged for another participant's prompt", () => {
    const other = { participantId: '00000000-0000-4000-8000-000000000000', scheduledFor: SCHEDULED };
    const mine = replyAddress(KEY, 'reply.coach.example', claims);
    const forged = replyAddress(OTHER_KEY, 'reply.coach.example', other);
    expect(parseReplyAddress(KEY, forged)).toBeUndefined();
    const local = mine.split('@')[0] ?? '';
    const flipped = `${local.slice(0, 10)}${local[10] === 'a' ? 'b' : 'a'}${local.slice(11)}@reply.coach.example`;
    expect(parseReplyAddress(KEY, flipped)).toBeUndefined();
  });

  it.each([
    'checkins@reply.coach.example',
    'r+@x.example',
    'r+abc@x.example',
    'r+1890@x.example',
    'nonsense',
  ])('ignore %j', (address) => {
    expect(parseReplyAddress(KEY, address)).toBeUndefined();
  });

  it('refuse a participant id too long for the local part', () => {
    expect(() =>
      replyAddress(KEY, 'x.example', { participantId: 'p'.repeat(40), scheduledFor: SCHEDULED }),
    ).toThrow(RangeError);
  });
});
