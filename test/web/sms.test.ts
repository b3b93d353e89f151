/**
 * The SMS counter under the composers and the bulk composer's per-recipient cost: what the coach
 * reads must be what Twilio bills — GSM-7 160 characters in one segment and 153 per segment when
 * split, UCS-2 70 and 67 — counted on the body as sent (fields filled in, typographic quotes made
 * GSM-7), at the estimate per segment.
 */
import { describe, expect, it } from 'vitest';
import { counterLine, recipientCost, SMS_SEGMENT_PRICE_USD, smsCost, usd } from '../../web/src/sms.js';

const gsm = (n: number) => 'a'.repeat(n);
const ucs = (n: number) => 'ж'.repeat(n);

describe('segments and encoding', () => {
  it.each([
    ['GSM-7', 1, 1],
    ['GSM-7', 160, 1],
    ['GSM-7', 161, 2],
    ['GSM-7', 306, 2],
    ['GSM-7', 307, 3],
    ['GSM-7', 459, 3],
    ['GSM-7', 460, 4],
    ['UCS-2', 70, 1],
    ['UCS-2', 71, 2],
    ['UCS-2', 134, 2],
    ['UCS-2', 135, 3],
    ['UCS-2', 201, 3],
    ['UCS-2', 202, 4],
  ] as const)('%s, %d characters → %d segment(s)', (encoding, length, segments) => {
    const text = encoding === 'GSM-7' ? gsm(length) : ucs(length);
    expect(smsCost(text)).toEqual({
      encoding,
      segments,
      characters: length,
      nonGsmCharacters: encoding === 'GSM-7' ? [] : ['ж'],
    });
  });

  it('one character outside GSM-7 turns the whole message into UCS-2 and says which', () => {
    const text = `${gsm(69)}😀`;
    expect(smsCost(text)).toMatchObject({ encoding: 'UCS-2', segments: 2, nonGsmCharacters: ['😀'] });
    expect(smsCost(gsm(70))).toMatchObject({ encoding: 'GSM-7', segments: 1, nonGsmCharacters: [] });
  });

  it('counts GSM-7 extension characters (€, {) as two', () => {
    expect(smsCost('€'.repeat(80)).segments).toBe(1);
    expect(smsCost('€'.repeat(81)).segments).toBe(2);
  });
});

describe('the counter line', () => {
  it('reads one GSM-7 segment without a warning', () => {
    expect(counterLine('See you Thursday!')).toEqual({
      line: '17 characters · 1 SMS segment · GSM-7',
      warn: false,
    });
  });

  it('warns at the second segment', () => {
    expect(counterLine(gsm(161))).toEqual({ line: '161 characters · 2 SMS segments · GSM-7', warn: true });
  });

  it('warns on UCS-2 and names the characters that caused it, each once', () => {
    expect(counterLine('Grüße 🙂🙂 ✓')).toEqual({
      line: '10 characters · 1 SMS segment · UCS-2 (because of “🙂” “✓”)',
      warn: true,
    });
  });
});

describe('cost per recipient in the bulk composer', () => {
  const sam = { name: 'Sam Lee', streak: 4, questions: [], channel: 'sms' as const };

  it('costs one segment for a short SMS, filled in with their first name', () => {
    const cost = recipientCost('Hi {{firstName}}, well done on {{streak}} days!', sam);
    // "Hi Sam, well done on 4 days!"
    expect(cost.check).toEqual({ ok: true, segments: 1, characters: 28 });
    expect(cost.sms?.encoding).toBe('GSM-7');
    expect(cost.usd).toBe(SMS_SEGMENT_PRICE_USD);
    expect(usd(cost.usd)).toBe('$0.0083');
  });

  it('counts the segments of the text as each recipient gets it', () => {
    // 153 characters plus the name: a short name stays in one segment, a long one needs two.
    const text = `{{firstName}} ${gsm(150)}`;
    expect(recipientCost(text, { ...sam, name: 'Al' }).check.segments).toBe(1);
    expect(recipientCost(text, { ...sam, name: 'Alexandrina' }).check.segments).toBe(2);
    expect(usd(recipientCost(text, { ...sam, name: 'Alexandrina' }).usd)).toBe('$0.0166');
  });

  it('counts typographic quotes as the GSM-7 characters they are sent as', () => {
    const cost = recipientCost('It’s “great”', sam);
    expect(cost.sms).toMatchObject({ encoding: 'GSM-7', characters: 12 });
  });

  it('prices UCS-2 by its 70/67 segments', () => {
    const cost = recipientCost(`🙂 ${gsm(68)}`, sam);
    expect(cost.sms).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(cost.usd).toBeCloseTo(2 * SMS_SEGMENT_PRICE_USD, 10);
  });

  it('costs nothing by email', () => {
    const cost = recipientCost(gsm(300), { ...sam, channel: 'email' });
    expect(cost.sms).toBeUndefined();
    expect(cost.usd).toBe(0);
  });

  it('refuses a text over 320 characters once filled in, and costs it nothing', () => {
    const cost = recipientCost(`{{firstName}} ${gsm(310)}`, { ...sam, name: 'Alexandrina' });
    expect(cost.check.ok).toBe(false);
    expect(cost.usd).toBe(0);
  });

  it('shows amounts of a dollar and more with two decimals', () => {
    expect(usd(200 * SMS_SEGMENT_PRICE_USD)).toBe('$1.66');
  });
});
