/**
 * libphonenumber-js bound to the metadata the product ships: the full ("max") metadata without
 * its formatting rules (`phone-metadata.json`, written by `infra/tools/phone-metadata.ts`).
 * Parsing, number types and validity read the same patterns as `libphonenumber-js/max`; only
 * formatting for display, which nothing here does, would differ. Pure.
 */
import {
  type CountryCode,
  isValidPhoneNumber as isValidWith,
  type MetadataJson,
  parsePhoneNumberWithError as parseWith,
} from 'libphonenumber-js/core';
import data from './phone-metadata.json' with { type: 'json' };

export type { CountryCode };

const metadata = data as unknown as MetadataJson;

/** Parses an international number (`+…`); throws libphonenumber's `ParseError` when it cannot. */
export function parsePhoneNumberWithError(text: string) {
  return parseWith(text, metadata);
}

/** Whether an international number (`+…`) is a valid number of its country or network. */
export function isValidPhoneNumber(text: string): boolean {
  return isValidWith(text, metadata);
}
