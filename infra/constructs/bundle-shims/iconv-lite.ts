/**
 * Stand-in for `iconv-lite` in Lambda bundles only (see `nanoBundling`): mailparser and libmime
 * use it to decode the charsets of inbound mail, which the Node runtime (full ICU) decodes natively
 * with `TextDecoder` — every WHATWG encoding, the ones mail actually uses. Saves about 480 KB.
 * `test/unit/bundle-shims.test.ts` checks it decodes like the real package.
 */
import { Transform } from 'node:stream';

/**
 * Windows-1252's 0x80–0x9F (curly quotes, dashes, the euro sign: everywhere in Outlook mail). Node
 * 20's `TextDecoder` decodes the windows-1252 label as Latin-1, so that range is mapped here.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** A decoder with TextDecoder's `decode(bytes, { stream })` shape. */
interface Decoder {
  decode(bytes?: Uint8Array, options?: { stream?: boolean }): string;
}

const singleByte = (map: (byte: number) => string): Decoder => ({
  decode: (bytes) => Array.from(bytes ?? [], map).join(''),
});

function decoderFor(charset: string): Decoder {
  const name = charset.trim().toLowerCase().replace(/_/gu, '-');
  // iconv-lite's meanings: Latin-1 is Latin-1 (not WHATWG's windows-1252 alias), cp1252 is cp1252.
  if (name === 'iso-8859-1' || name === 'latin1' || name === 'l1' || name === 'iso8859-1')
    return singleByte((b) => String.fromCharCode(b));
  if (name === 'windows-1252' || name === 'cp1252' || name === 'win-1252')
    return singleByte((b) =>
      b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] ?? '') : String.fromCharCode(b),
    );
  return new TextDecoder(name || 'utf-8');
}

/** Decodes a buffer; throws for an unknown charset (callers fall back to UTF-8, as with iconv-lite). */
export function decode(buffer: Uint8Array, charset: string): string {
  return decoderFor(charset).decode(buffer);
}

/** Whether the charset can be decoded. */
export function encodingExists(charset: string): boolean {
  try {
    decoderFor(charset);
    return true;
  } catch {
    return false;
  }
}

/** A stream that decodes chunks of one charset into UTF-8 buffers (multi-byte sequences may span chunks). */
export function decodeStream(charset: string): Transform {
  let decoder: Decoder;
  try {
    decoder = decoderFor(charset);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, Buffer.from(decoder.decode(chunk, { stream: true })));
    },
    flush(done) {
      done(null, Buffer.from(decoder.decode()));
    },
  });
}

export default { decode, decodeStream, encodingExists };
