/**
 * Which phone numbers may receive SMS. Pure. Premium-rate, shared-cost, satellite and
 * international-network numbers bill the sender far above a normal text, and SMS pumping fraud
 * enrols exactly those; countries outside the deployment's allow-list are refused for the same
 * reason.
 */
import { type CountryCode, parsePhoneNumberWithError } from './phone-numbers.js';

/** `*` allows every country; otherwise ISO 3166-1 alpha-2 codes such as `['US', 'CA', 'GB']`. */
export type AllowedCountries = '*' | readonly string[];

// Non-geographic calling codes that reach satellite phones (Inmarsat +870; +881 GMSS, which
// holds Iridium +8816/+8817) and international networks (+882, +883).
const SATELLITE_CODES = new Set(['870', '881']);
const INTERNATIONAL_NETWORK_CODES = new Set(['882', '883']);

/**
 * Parses `SMS_ALLOWED_COUNTRIES`: `*`, or a comma-separated list of ISO alpha-2 codes
 * (`US,CA,GB`, case and spaces ignored).
 * @throws Error naming the variable and the offending entry when the value is malformed.
 */
export function parseAllowedCountries(value: string): AllowedCountries {
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  const codes = trimmed.split(',').map((c) => c.trim().toUpperCase());
  const bad = codes.find((c) => !/^[A-Z]{2}$/u.test(c));
  if (bad !== undefined) {
    throw new Error(
      `SMS_ALLOWED_COUNTRIES: expected * or ISO country codes such as US,CA,GB; got ${JSON.stringify(bad)}`,
    );
  }
  return [...new Set(codes)];
}

/**
 * Why an E.164 number cannot be enrolled for SMS, or undefined when it can. The message is
 * written for the coach and never repeats the number.
 */
export function smsNumberProblem(e164: string, allowedCountries: AllowedCountries): string | undefined {
  let parsed: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    parsed = parsePhoneNumberWithError(e164);
  } catch {
    return 'is not a valid phone number';
  }
  const type = parsed.getType();
  if (type === 'PREMIUM_RATE') return 'premium-rate numbers cannot be enrolled';
  if (type === 'SHARED_COST') return 'shared-cost numbers cannot be enrolled';
  const code = parsed.countryCallingCode;
  if (SATELLITE_CODES.has(code)) return 'satellite phone numbers cannot be enrolled';
  if (INTERNATIONAL_NETWORK_CODES.has(code)) return 'international network numbers cannot be enrolled';
  if (!parsed.isValid()) return 'is not a valid phone number';
  const country: CountryCode | undefined = parsed.country;
  // Other non-geographic codes (+800 freephone, +979 premium, +808 shared cost) have no country.
  if (country === undefined) return `numbers under +${code} (no country) cannot be enrolled`;
  if (allowedCountries !== '*' && !allowedCountries.includes(country)) {
    return `numbers in ${country} are not enabled for SMS (SMS_ALLOWED_COUNTRIES)`;
  }
  return undefined;
}
