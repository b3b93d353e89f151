/**
 * The fields a push may carry (`{{firstName}}`, `{{streak}}`, `{{weekAverage}}`, `{{coachName}}`),
 * filling them in per participant, and the limits the filled-in text must meet. Shared by the API
 * and the dashboard (which shows each recipient's segments as the coach types). Pure, no zod.
 */
import type { SmsCost } from './channel.js';

/** The fields a push may use, in the order the composer offers them. */
export const PUSH_FIELDS = ['firstName', 'streak', 'weekAverage', 'coachName'] as const;
export type PushField = (typeof PUSH_FIELDS)[number];

/** One participant's values of the fields. */
export type PushFieldValues = Readonly<Record<PushField, string>>;

/** Longest push text, after the fields are filled in: two SMS segments of GSM-7 and a bit. */
export const PUSH_MAX_LENGTH = 320;

/** Most SMS segments one push (with its exercise question) may cost one participant. */
export const PUSH_MAX_SEGMENTS = 10;

/**
 * A rough price of one SMS segment in US dollars (Twilio's US list price, late 2026), for the
 * composer's estimate only: check your own Twilio pricing for your countries.
 */
export const SMS_SEGMENT_PRICE_USD = 0.0083;

// `{{ name }}` with any spacing; the name itself is checked against PUSH_FIELDS.
const FIELD = /\{\{\s*([^{}]*?)\s*\}\}/gu;

/** The fields a text uses that are not {@link PUSH_FIELDS}, each once, as written. */
export function unknownPushFields(text: string): string[] {
  const known = new Set<string>(PUSH_FIELDS);
  const unknown = new Set<string>();
  for (const match of text.matchAll(FIELD)) {
    const name = match[1] ?? '';
    if (!known.has(name) && !known.has(caseFold(name))) unknown.add(name);
  }
  return [...unknown];
}

// `{{FirstName}}` and `{{firstname}}` are accepted as `{{firstName}}`: coaches type them all.
function caseFold(name: string): string {
  return PUSH_FIELDS.find((f) => f.toLowerCase() === name.toLowerCase()) ?? name;
}

/** The message naming the unknown fields of a text, or undefined when it has none. */
export function unknownFieldsProblem(text: string): string | undefined {
  const unknown = unknownPushFields(text);
  if (unknown.length === 0) return undefined;
  const listed = unknown.map((f) => `{{${f}}}`).join(', ');
  const allowed = PUSH_FIELDS.map((f) => `{{${f}}}`).join(', ');
  return `unknown field${unknown.length === 1 ? '' : 's'} ${listed}: use ${allowed}`;
}

/**
 * Fills in the fields. A function replacer, so `$&`, `$'`, `` $` `` or `$1` in a name are inserted
 * as written: with a replacement string, `String.replace` would expand them (a name of `$'` would
 * copy the rest of the message into it, many times over).
 */
export function fillPushFields(text: string, values: PushFieldValues): string {
  return text.replace(FIELD, (whole, name: string) => {
    const field = caseFold(name) as PushField;
    return Object.hasOwn(values, field) ? values[field] : whole;
  });
}

/** The first name of a participant's name, for `{{firstName}}`. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/u)[0] ?? '';
}

/** `{{weekAverage}}`: the mean of the week's scale-question averages; null before any answer. */
export function weekAverageOf(
  questions: readonly { readonly type: string; readonly average: number | null }[] | undefined,
): number | null {
  const averages = (questions ?? []).flatMap((q) =>
    q.type === 'scale' && q.average !== null ? [q.average] : [],
  );
  return averages.length ? averages.reduce((a, b) => a + b, 0) / averages.length : null;
}

/** Field values from what is known of a participant; what is unknown reads naturally. */
export function pushFieldValues(input: {
  readonly name: string;
  readonly streak?: number | undefined;
  readonly weekAverage?: number | null | undefined;
  readonly coachName?: string | undefined;
}): PushFieldValues {
  return {
    firstName: firstName(input.name) || 'there',
    streak: String(input.streak ?? 0),
    weekAverage:
      input.weekAverage === null || input.weekAverage === undefined
        ? '-'
        : String(Math.round(input.weekAverage * 10) / 10),
    coachName: input.coachName?.trim() || 'your coach',
  };
}

/** What one participant's push costs, or why it cannot go out. */
export type RenderedPushCheck =
  | { readonly ok: true; readonly segments: number; readonly characters: number }
  | { readonly ok: false; readonly error: string; readonly segments: number; readonly characters: number };

/**
 * Checks one participant's filled-in push: its text against {@link PUSH_MAX_LENGTH}, and (for SMS)
 * the whole body as sent against Twilio's 1,600 characters and {@link PUSH_MAX_SEGMENTS}.
 * @param text the coach's text with the fields filled in
 * @param sms if by SMS: the cost of the body exactly as it would be sent (text plus any exercise
 *   question) and Twilio's limit, from the SMS channel (`SmsPolicy`, or `smsBodyCheck` in the dashboard)
 */
export function checkRenderedPush(
  text: string,
  sms: { readonly cost: SmsCost; readonly maxBodyCharacters: number } | undefined,
): RenderedPushCheck {
  const length = [...text].length;
  const cost = sms?.cost;
  const segments = cost?.segments ?? 0;
  const characters = cost?.characters ?? length;
  if (sms && cost && cost.characters > sms.maxBodyCharacters)
    return {
      ok: false,
      segments,
      characters,
      error: `fills in to ${cost.characters} characters for this participant; Twilio's limit is ${sms.maxBodyCharacters}`,
    };
  if (length > PUSH_MAX_LENGTH)
    return {
      ok: false,
      segments,
      characters,
      error: `fills in to ${length} characters for this participant; the most is ${PUSH_MAX_LENGTH}`,
    };
  if (segments > PUSH_MAX_SEGMENTS)
    return {
      ok: false,
      segments,
      characters,
      error: `fills in to ${segments} SMS segments for this participant; the most is ${PUSH_MAX_SEGMENTS}`,
    };
  return { ok: true, segments, characters };
}
