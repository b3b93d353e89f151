/**
 * Deployed bundles replace a few packages with stand-ins (`infra/constructs/bundle-shims/`). This
 * bundles the inbound-mail parser exactly as a Lambda bundle is built and checks that it reads real
 * replies — every charset and encoding mail apps use — the same as the unbundled parser the other
 * tests exercise, so the stand-ins cannot change what a deployed function records.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { parseInboundEmail } from '../../shared/channels/email/adapters/parse-inbound.js';
import { esbuildOptionsFor } from '../bench/bundles.js';

const header = (charset: string, encoding = '8bit') =>
  `From: Zoe <zoe@example.fr>\r\nTo: r+abc@reply.example\r\nSubject: Re: check-in\r\nMessage-ID: <${charset}@example.fr>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=${charset}\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`;

async function messages(): Promise<[string, Buffer][]> {
  const composed = (options: ConstructorParameters<typeof MailComposer>[0]) =>
    new MailComposer({
      from: 'sam@example.com',
      to: 'r+abc@reply.example',
      subject: 'Re: check-in',
      ...options,
    })
      .compile()
      .build();
  return [
    [
      'ISO-8859-1',
      Buffer.concat([Buffer.from(header('iso-8859-1')), Buffer.from('8 très bien\r\n', 'latin1')]),
    ],
    [
      'windows-1252 (Outlook)',
      Buffer.concat([
        Buffer.from(header('windows-1252')),
        Buffer.from([0x37, 0x20, 0x96, 0x20, 0x93, 0x6f, 0x6b, 0x94, 0x0d, 0x0a]),
      ]),
    ],
    [
      'ISO-2022-JP',
      Buffer.concat([
        Buffer.from(header('ISO-2022-JP', '7bit')),
        Buffer.from('7 \x1b$B$$$$\x1b(B\r\n', 'latin1'),
      ]),
    ],
    [
      'Shift_JIS',
      Buffer.concat([Buffer.from(header('Shift_JIS')), Buffer.from('8 \x82\xa2\x82\xa2\r\n', 'latin1')]),
    ],
    [
      'KOI8-R',
      Buffer.concat([Buffer.from(header('koi8-r')), Buffer.from('9 \xf0\xd2\xc9\xd7\xc5\xd4\r\n', 'latin1')]),
    ],
    [
      'quoted-printable',
      await composed({
        text: '7 8 — “fine”\n\nOn Mon, Coach wrote:\n> Did I…',
        textEncoding: 'quoted-printable',
      }),
    ],
    [
      'HTML only',
      await composed({
        html: '<div>9 <b>great</b> week&nbsp;&amp; more</div><blockquote>Did I…</blockquote>',
      }),
    ],
    [
      // Named, numeric and legacy entities, a table, links and images: the entity tables and the
      // serializer that the bundle shares between htmlparser2 and dom-serializer (see shims).
      'HTML with entities, a table and links',
      await composed({
        html:
          '<p>8 caf&eacute; &#x263A; &copy &lt;ok&gt; &quot;fine&quot;</p>' +
          '<table><tr><th>Q</th><th>A</th></tr><tr><td>sleep &amp; rest</td><td>7&nbsp;&frac12;</td></tr></table>' +
          '<a href="https://example.com/?a=1&amp;b=2">link &rarr;</a><img alt="x &amp; y" src="cid:1">' +
          '<blockquote>On Mon, Coach wrote: Did I…</blockquote>',
      }),
    ],
  ];
}

describe('the bundled inbound-mail parser', () => {
  it('reads replies in every charset and encoding the same as the unbundled one', {
    timeout: 60_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanocoach-shims-'));
    const outfile = join(dir, 'parse.mjs');
    await build(
      esbuildOptionsFor(
        new URL('../../shared/channels/email/adapters/parse-inbound.ts', import.meta.url).pathname,
        outfile,
      ),
    );
    const bundled = (await import(pathToFileURL(outfile).href)) as {
      parseInboundEmail: typeof parseInboundEmail;
    };
    for (const [name, raw] of await messages()) {
      const expected = await parseInboundEmail(raw);
      expect(await bundled.parseInboundEmail(raw), name).toEqual(expected);
      expect(expected.replyText, name).toMatch(/^[789]/u);
    }
  });
});
