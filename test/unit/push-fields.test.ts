/** Push fields: filled in literally, unknown ones named, limits checked on what each person gets. */
import { describe, expect, it } from 'vitest';
import { smsBodyCheck } from '../../shared/channels/sms/domain/sms-cost.js';
import { NewPushSchema } from '../../shared/domain/push.js';
import {
  checkRenderedPush,
  fillPushFields,
  PUSH_MAX_LENGTH,
  pushFieldValues,
  unknownPushFields,
} from '../../shared/domain/push-fields.js';

const values = (name: string) =>
  pushFieldValues({ name, streak: 4, weekAverage: 7.25, coachName: 'Ana Ruiz' });

describe('fillPushFields', () => {
  it.each([
    ["$'", "Hi $', well done"],
    ['$&', 'Hi $&, well done'],
    ['$`', 'Hi $`, well done'],
    ['$1', 'Hi $1, well done'],
    ['$$', 'Hi $$, well done'],
    ['$<x>', 'Hi $<x>, well done'],
  ])('inserts a name of %s as written', (name, expected) => {
    expect(fillPushFields('Hi {{firstName}}, well done', values(name))).toBe(expected);
  });

  it('fills every field, in any spacing and case of the name', () => {
    expect(
      fillPushFields(
        '{{ firstName }}/{{FirstName}}: {{streak}} days, {{weekAverage}} avg. {{coachName}}',
        values('Sam Lee'),
      ),
    ).toBe('Sam/Sam: 4 days, 7.3 avg. Ana Ruiz');
  });

  it('reads naturally when a value is unknown', () => {
    expect(
      fillPushFields(
        '{{firstName}} {{streak}} {{weekAverage}} {{coachName}}',
        pushFieldValues({ name: ' ' }),
      ),
    ).toBe('there 0 - your coach');
  });
});

describe('unknown fields', () => {
  it('lists each unknown field once', () => {
    expect(unknownPushFields('{{firstName}} {{lastName}} {{ lastName }} {{}}')).toEqual(['lastName', '']);
  });

  it('are a 400 on the text, naming them and the allowed ones', () => {
    const parsed = NewPushSchema.safeParse({ text: 'Hi {{nickname}}' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      'unknown field {{nickname}}: use {{firstName}}, {{streak}}, {{weekAverage}}, {{coachName}}',
    );
  });
});

describe('checkRenderedPush', () => {
  it('refuses a body over Twilio’s 1,600 characters, naming both numbers', () => {
    const check = checkRenderedPush('x'.repeat(300), smsBodyCheck('y'.repeat(1601)));
    expect(check).toMatchObject({ ok: false, characters: 1601 });
    expect(check.ok ? '' : check.error).toMatch(/1601 characters.*limit is 1600/u);
  });

  it('refuses filled-in text over the push cap, and accepts one at it', () => {
    expect(checkRenderedPush('x'.repeat(PUSH_MAX_LENGTH + 1), undefined).ok).toBe(false);
    expect(checkRenderedPush('x'.repeat(PUSH_MAX_LENGTH), smsBodyCheck('x'.repeat(PUSH_MAX_LENGTH)))).toEqual(
      {
        ok: true,
        segments: 3,
        characters: PUSH_MAX_LENGTH,
      },
    );
  });

  it('refuses too many segments', () => {
    const check = checkRenderedPush('hi', smsBodyCheck('😀'.repeat(700)));
    expect(check.ok).toBe(false);
  });
});
