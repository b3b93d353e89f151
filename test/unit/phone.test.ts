/**
 * Which numbers may be enrolled for SMS. Numbers are fictional or from libphonenumber's example
 * ranges; the types are what libphonenumber-js/max reports for them.
 */
import { describe, expect, it } from 'vitest';
import { parseAllowedCountries, smsNumberProblem } from '../../shared/domain/phone.js';

const NORTH_AMERICA_AND_UK = ['US', 'CA', 'GB'];

describe('smsNumberProblem', () => {
  it.each([
    ['a US number', '+14155552671'],
    ['a Canadian number', '+16045551234'],
    ['a UK mobile', '+447400123456'],
  ])('%s in an allowed country can be enrolled', (_, number) => {
    expect(smsNumberProblem(number, NORTH_AMERICA_AND_UK)).toBeUndefined();
  });

  it.each([
    ['US 1-900', '+19005551234', 'premium-rate numbers cannot be enrolled'],
    ['UK 0871', '+448712345678', 'premium-rate numbers cannot be enrolled'],
    ['French 089', '+33891234567', 'premium-rate numbers cannot be enrolled'],
    ['international premium +979', '+979123456789', 'premium-rate numbers cannot be enrolled'],
    ['French 081 shared cost', '+33810123456', 'shared-cost numbers cannot be enrolled'],
    ['Inmarsat +870', '+870772001899', 'satellite phone numbers cannot be enrolled'],
    ['Iridium +8816', '+8816512345678', 'satellite phone numbers cannot be enrolled'],
    ['Iridium +8817', '+8817612345678', 'satellite phone numbers cannot be enrolled'],
    ['GMSS +881', '+881631234567', 'satellite phone numbers cannot be enrolled'],
    ['international network +882', '+88213100123', 'international network numbers cannot be enrolled'],
    ['international network +883', '+883510012345', 'international network numbers cannot be enrolled'],
    ['international freephone +800', '+80012345678', 'numbers under +800 (no country) cannot be enrolled'],
    ['French mobile', '+33612345678', 'numbers in FR are not enabled for SMS (SMS_ALLOWED_COUNTRIES)'],
    ['German mobile', '+4915112345678', 'numbers in DE are not enabled for SMS (SMS_ALLOWED_COUNTRIES)'],
    ['not a number', 'call me', 'is not a valid phone number'],
    ['too short', '+1234', 'is not a valid phone number'],
  ])('%s is refused with US, CA, GB allowed: %s', (_, number, problem) => {
    expect(smsNumberProblem(number, NORTH_AMERICA_AND_UK)).toBe(problem);
  });

  it.each([
    ['+19005551234', 'premium-rate numbers cannot be enrolled'],
    ['+8816512345678', 'satellite phone numbers cannot be enrolled'],
    ['+88213100123', 'international network numbers cannot be enrolled'],
    ['+33612345678', undefined],
    ['+4915112345678', undefined],
  ])('with SMS_ALLOWED_COUNTRIES=* %s → %s', (number, problem) => {
    expect(smsNumberProblem(number, '*')).toBe(problem);
  });

  it('never repeats the number in its message', () => {
    for (const number of ['+19005551234', '+33612345678', '+8816512345678']) {
      expect(smsNumberProblem(number, ['US'])).not.toContain(number.slice(1));
    }
  });
});

describe('parseAllowedCountries', () => {
  it.each([
    ['*', '*'],
    [' * ', '*'],
    ['US,CA,GB', ['US', 'CA', 'GB']],
    ['us, ca , gb', ['US', 'CA', 'GB']],
    ['US,US', ['US']],
  ] as const)('%j → %j', (value, expected) => {
    expect(parseAllowedCountries(value)).toEqual(expected);
  });

  it.each(['', 'USA', 'US,,CA', 'US;CA', 'US,*'])('%j is refused naming the variable', (value) => {
    expect(() => parseAllowedCountries(value)).toThrow(
      /^SMS_ALLOWED_COUNTRIES: expected \* or ISO country codes/,
    );
  });
});
