/**
 * The stand-ins that replace packages in Lambda bundles (`infra/constructs/bundle-shims/`) must
 * behave like the packages they replace for every call the product's dependencies make, since
 * local runs and the other tests use the real packages and only deployed bundles use the shims.
 */
import { Readable } from 'node:stream';
import GraphemeSplitter from 'grapheme-splitter';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import * as shimJapanese from '../../infra/constructs/bundle-shims/encoding-japanese.js';
import ShimSplitter from '../../infra/constructs/bundle-shims/grapheme-splitter.js';
import * as shimHe from '../../infra/constructs/bundle-shims/he.js';
import * as shimIconv from '../../infra/constructs/bundle-shims/iconv-lite.js';

const texts = [
  'Did I do my best to set clear goals today? Reply 1-10.',
  'Café ☕ naïve — “quotes” … 👍🏽 👨‍👩‍👧 🇩🇪 e\u0301',
  'line\r\nbreak and tabs\t, Ελληνικά, 日本語',
];

describe('grapheme-splitter stand-in', () => {
  it.each(texts)('splits %j into the same graphemes', (text) => {
    expect(new ShimSplitter().splitGraphemes(text)).toEqual(new GraphemeSplitter().splitGraphemes(text));
  });
});

describe('iconv-lite stand-in', () => {
  const samples: [string, string][] = [
    ['iso-8859-1', '8 très bien, à demain'],
    ['windows-1252', '7 – “good” day…'],
    ['iso-8859-2', 'Dobrý den, 8'],
    ['koi8-r', 'Привет 9'],
    ['shift_jis', '今日は 7 です'],
    ['euc-jp', '今日は 7 です'],
    ['gb18030', '今天 6 分'],
  ];
  it.each(samples)('decodes %s like iconv-lite', (charset, text) => {
    const bytes = iconv.encode(text, charset);
    expect(shimIconv.decode(bytes, charset)).toBe(iconv.decode(bytes, charset));
    expect(shimIconv.encodingExists(charset)).toBe(true);
  });

  it('decodes a stream whose multi-byte characters span chunks', async () => {
    const bytes = iconv.encode('今日は 7 です', 'shift_jis');
    const chunks = [bytes.subarray(0, 3), bytes.subarray(3)];
    const out: Buffer[] = [];
    await new Promise<void>((resolve, reject) =>
      Readable.from(chunks)
        .pipe(shimIconv.decodeStream('shift_jis'))
        .on('data', (c: Buffer) => out.push(c))
        .on('end', resolve)
        .on('error', reject),
    );
    expect(Buffer.concat(out).toString('utf8')).toBe('今日は 7 です');
  });

  it('throws on an unknown charset, as callers expect (they fall back to UTF-8)', () => {
    expect(() => shimIconv.decode(Buffer.from('x'), 'x-no-such-charset')).toThrow();
    expect(shimIconv.encodingExists('x-no-such-charset')).toBe(false);
  });
});

describe('encoding-japanese stand-in', () => {
  it.each([
    ['JIS', 'iso-2022-jp'],
    ['ISO-2022-JP', 'iso-2022-jp'],
    ['EUCJP', 'euc-jp'],
    ['SJIS', 'shift_jis'],
  ])('converts %s mail to Unicode', async (from, charset) => {
    const text = '今日は 8 です。ありがとう';
    const bytes = new Uint8Array(new TextEncoder().encode(text).length ? iconvEncode(text, charset) : []);
    expect(shimJapanese.convert(bytes, { to: 'UNICODE', from, type: 'string' })).toBe(text);
  });
});

describe('he stand-in', () => {
  it('escapes what HTML needs escaped', () => {
    expect(shimHe.encode(`<img src=x onerror="alert('1')"> & more`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#x27;1&#x27;)&quot;&gt; &amp; more',
    );
  });
});

/** iconv-lite encodes ISO-2022-JP not at all; Node cannot either, so that case uses a fixed sample. */
function iconvEncode(text: string, charset: string): Uint8Array {
  if (charset !== 'iso-2022-jp') return iconv.encode(text, charset);
  // "今日は 8 です。ありがとう" in ISO-2022-JP (JIS X 0208 between ESC $ B and ESC ( B).
  return Buffer.from('1b24423a23467c244f1b28422038201b24422447243921232422246a242c244824261b2842', 'hex');
}
