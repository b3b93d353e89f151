/**
 * `npx tsx infra/tools/phone-metadata.ts` writes `shared/domain/phone-metadata.json`: the installed
 * libphonenumber-js's full ("max") metadata without its formatting rules. Phone checks parse E.164
 * numbers, read their type (premium-rate, shared-cost) and validity and keep the E.164 form — none
 * of which reads a format — so the formats (about 50 KB of the 156 KB) only weighed on the three
 * Lambda bundles that validate numbers. Every other field, number-type patterns included, is kept
 * as is. `test/unit/phone-metadata.test.ts` fails when the file no longer matches the installed
 * package (after an upgrade: run this again).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where a country's (or calling code's) format rules sit in libphonenumber-js's compressed metadata. */
const FORMATS = 4;

/** libphonenumber-js's full metadata with every format list emptied. */
export function trimmedPhoneMetadata(): Record<string, unknown> {
  const path = fileURLToPath(
    new URL('../../node_modules/libphonenumber-js/metadata.max.json', import.meta.url),
  );
  const full = JSON.parse(readFileSync(path, 'utf8')) as {
    countries: Record<string, unknown[]>;
    nonGeographic?: Record<string, unknown[]>;
  };
  const trim = (plans: Record<string, unknown[]> | undefined) =>
    plans &&
    Object.fromEntries(
      Object.entries(plans).map(([key, plan]) => [
        key,
        plan.map((field, i) => (i === FORMATS && Array.isArray(field) ? [] : field)),
      ]),
    );
  return {
    ...full,
    countries: trim(full.countries),
    ...(full.nonGeographic ? { nonGeographic: trim(full.nonGeographic) } : {}),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL('../../shared/domain/phone-metadata.json', import.meta.url));
  writeFileSync(out, `${JSON.stringify(trimmedPhoneMetadata())}\n`);
  process.stdout.write(`wrote ${out}\n`);
}
