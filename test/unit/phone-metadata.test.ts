/**
 * The phone metadata the product ships is libphonenumber-js's full metadata without its formats,
 * for the installed version: a libphonenumber upgrade that is not followed by
 * `npx tsx infra/tools/phone-metadata.ts` fails here instead of validating numbers with stale
 * patterns. And the checks read it exactly as they read `libphonenumber-js/max`.
 */
import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { trimmedPhoneMetadata } from '../../infra/tools/phone-metadata.js';
import metadata from '../../shared/domain/phone-metadata.json' with { type: 'json' };
import * as shipped from '../../shared/domain/phone-numbers.js';

describe('shipped phone metadata', () => {
  it('is the installed full metadata with only the formats left out', () => {
    expect(metadata).toEqual(trimmedPhoneMetadata());
  });

  it('parses, types and validates numbers as the full metadata does', () => {
    // A mobile example of every country, each also one digit short and one digit long, and a
    // few premium-rate, shared-cost, toll-free and non-geographic numbers.
    const numbers = Object.entries(examples).flatMap(([country, national]) => {
      const e164 = parsePhoneNumberWithError(national, country as never).number;
      return [e164, e164.slice(0, -1), `${e164}5`];
    });
    numbers.push('+19005550123', '+448449990000', '+4490912345678', '+18005550199', '+80012345678');
    expect(numbers.length).toBeGreaterThan(600);
    for (const n of numbers) {
      const full = (() => {
        try {
          const p = parsePhoneNumberWithError(n);
          return { number: p.number, country: p.country, code: p.countryCallingCode, type: p.getType() };
        } catch (error) {
          return { error: String(error) };
        }
      })();
      const ours = (() => {
        try {
          const p = shipped.parsePhoneNumberWithError(n);
          return { number: p.number, country: p.country, code: p.countryCallingCode, type: p.getType() };
        } catch (error) {
          return { error: String(error) };
        }
      })();
      expect(ours, n).toEqual(full);
      expect(shipped.isValidPhoneNumber(n), n).toBe(isValidPhoneNumber(n));
    }
    // Not a comparison of two blanks: the types the enrolment refuses are there.
    expect(shipped.parsePhoneNumberWithError('+19005550123').getType()).toBe('PREMIUM_RATE');
  });
});
