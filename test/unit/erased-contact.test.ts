import { describe, expect, it } from 'vitest';
import { addressDigest, erasedContactOf } from '../../shared/domain/erased-contact.js';

const KEY = 'a-test-key-of-at-least-thirty-two-characters';

describe('addressDigest', () => {
  it('names an address by a keyed hash that holds no part of it', () => {
    const digest = addressDigest(KEY, 'sms', '+12125550171');
    expect(digest).toMatch(/^[\w-]{43}$/u);
    expect(digest).not.toContain('2125550171');
    expect(addressDigest(KEY, 'sms', '+12125550171')).toBe(digest);
  });

  it('differs by key, by channel and by address', () => {
    const base = addressDigest(KEY, 'email', 'sam@example.com');
    expect(addressDigest(`${KEY}!`, 'email', 'sam@example.com')).not.toBe(base);
    expect(addressDigest(KEY, 'sms', 'sam@example.com')).not.toBe(base);
    expect(addressDigest(KEY, 'email', 'sam@example.org')).not.toBe(base);
  });
});

describe('erasedContactOf', () => {
  it.each([
    [undefined, undefined],
    [{ channel: 'sms' as const, address: '+1', optedOut: false, consentChangedAt: 't1' }, undefined],
    [{ channel: 'email' as const, address: 'a@b.c', softBounces: 2 }, undefined],
    [
      { channel: 'sms' as const, address: '+1', optedOut: true, consentChangedAt: 't1' },
      { optedOut: true, consentChangedAt: 't1' },
    ],
    [
      { channel: 'email' as const, address: 'a@b.c', suppressed: 'complaint' as const, softBounces: 1 },
      { suppressed: 'complaint' },
    ],
  ])('keeps only a "no" and its time: %o', (state, kept) => {
    expect(erasedContactOf(state)).toEqual(kept);
  });
});
