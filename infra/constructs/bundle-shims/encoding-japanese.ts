/**
 * Stand-in for `encoding-japanese` in Lambda bundles only (see `nanoBundling`): mailparser and
 * libmime call `convert` to decode ISO-2022-JP (JIS), EUC-JP and Shift_JIS mail to Unicode, which
 * `TextDecoder` does natively. Saves about 225 KB. Checked against the real package in
 * `test/unit/bundle-shims.test.ts`.
 */
const WHATWG: Record<string, string> = { JIS: 'iso-2022-jp', EUCJP: 'euc-jp', SJIS: 'shift_jis' };

function whatwgName(from: string): string {
  const name = from.toUpperCase().replace(/[^A-Z0-9]/gu, '');
  if (name.startsWith('ISO2022JP') || name === 'JIS') return WHATWG.JIS ?? 'iso-2022-jp';
  if (name.startsWith('EUCJP')) return WHATWG.EUCJP ?? 'euc-jp';
  if (name.startsWith('SJIS') || name.startsWith('SHIFTJIS')) return WHATWG.SJIS ?? 'shift_jis';
  return from;
}

/** `convert(buffer, { to: 'UNICODE', from, type: 'string' })`, the only call mail parsing makes. */
export function convert(input: Uint8Array, options: { from: string; to?: string; type?: string }): string {
  return new TextDecoder(whatwgName(options.from)).decode(input);
}

export default { convert };
