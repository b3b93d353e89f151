/**
 * Reading participants' email replies the way real mail apps write them: the answer is found, the
 * quoted check-in and the signature are not, and automatic or unauthenticated mail is recognised.
 * Every message is real MIME built by nodemailer's MailComposer (or written byte by byte where a
 * composer would re-encode it), then parsed with the production parser.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { describe, expect, it } from 'vitest';
import { parseInboundEmail } from '../../shared/channels/email/adapters/parse-inbound.js';

const REPLY_TO = 'r+aeat6k4md2ouut3lry@reply.coach.example';
const COACH = 'Coaching check-ins <checkins@coach.example>';
const SES_PASS =
  'amazonses.com; spf=pass (spf: domain of example.com designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; envelope-from=sam@example.com; helo=mail.example.com; dkim=pass header.i=@example.com; dmarc=pass header.from=example.com;';

/** The quoted check-in, as the participant received it. */
const CHECK_IN = [
  'Hi Sam,',
  '',
  'Your check-in for today. One tap answers it.',
  '',
  '1. Did I do my best to set clear goals today?',
  '   7: https://api.coach.example/a/tok7',
  '',
  'Or reply to this email with your 2 answers in order, e.g. "7 8".',
];
const quoted = (prefix = '> ') => CHECK_IN.map((l) => (l ? `${prefix}${l}` : prefix.trim())).join('\n');

function compose(options: Mail.Options): Promise<Buffer> {
  return new MailComposer({
    from: 'Sam Example <Sam.Example@Example.com>',
    to: REPLY_TO,
    subject: 'Re: Daily questions: 2 quick questions',
    ...options,
  })
    .compile()
    .build();
}

describe('replies from mail apps', () => {
  it.each<[string, Mail.Options, string]>([
    [
      'Gmail',
      {
        text: `7 8\n\nOn Mon, 23 Nov 2026 at 18:00, ${COACH} wrote:\n\n${quoted()}\n`,
        html: `<div dir="ltr">7 8</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, 23 Nov 2026 at 18:00, Coaching check-ins &lt;<a href="mailto:checkins@coach.example">checkins@coach.example</a>&gt; wrote:<br></div><blockquote class="gmail_quote">${CHECK_IN.join('<br>')}</blockquote></div>`,
      },
      '7 8',
    ],
    [
      'Gmail, attribution line wrapped',
      {
        text: `7 8 long day\n\nOn Mon, 23 Nov 2026 at 18:00, Coaching check-ins <\ncheckins@coach.example> wrote:\n\n${quoted()}\n`,
      },
      '7 8 long day',
    ],
    [
      'Outlook desktop',
      {
        text: `8\r\n\r\n________________________________\r\nFrom: ${COACH}\r\nSent: Monday, November 23, 2026 6:00 PM\r\nTo: Sam Example <sam.example@example.com>\r\nSubject: Did I do my best to be happy today?\r\n\r\n${CHECK_IN.join('\r\n')}\r\n`,
      },
      '8',
    ],
    [
      'Outlook desktop, no separator line',
      {
        text: `8 good one\n\nFrom: ${COACH}\nSent: Monday, November 23, 2026 6:00 PM\nTo: Sam Example <sam.example@example.com>\nSubject: Did I do my best to be happy today?\n\n${CHECK_IN.join('\n')}\n`,
      },
      '8 good one',
    ],
    [
      'Outlook for iOS',
      {
        text: `7 8\n\nGet Outlook for iOS<https://aka.ms/o0ukef>\n________________________________\nFrom: ${COACH}\nSent: Monday, November 23, 2026 6:00:12 PM\nTo: sam.example@example.com <sam.example@example.com>\nSubject: Daily questions: 2 quick questions\n\n${CHECK_IN.join('\n')}\n`,
      },
      '7 8',
    ],
    [
      'Apple Mail on iPhone',
      {
        text: `8\n\nSent from my iPhone\n\n> On 23 Nov 2026, at 18:00, ${COACH} wrote:\n>\n${quoted()}\n`,
      },
      '8',
    ],
    [
      'Apple Mail on a Mac',
      { text: `7 8\n\n> On 23 Nov 2026, at 18:00, ${COACH} wrote:\n> \n${quoted()}\n` },
      '7 8',
    ],
    [
      'HTML only',
      {
        html: `<html><body><div>7 8 <b>solid</b> day</div><div><br></div><div class="gmail_quote"><div>On Mon, 23 Nov 2026 at 18:00, Coaching check-ins &lt;<a href="mailto:checkins@coach.example">checkins@coach.example</a>&gt; wrote:</div><blockquote>${CHECK_IN.map((l) => `<p>${l}</p>`).join('')}<p><a href="https://api.coach.example/a/tok7">7</a></p></blockquote></div></body></html>`,
      },
      '7 8 solid day',
    ],
    [
      'quoted-printable',
      {
        textEncoding: 'quoted-printable',
        text: `7 8 — très bien, ${'a long line that a quoted-printable encoder has to break up '.repeat(3)}\n\nOn Mon, 23 Nov 2026 at 18:00, ${COACH} wrote:\n${quoted()}\n`,
      },
      '7 8 — très bien, a long line',
    ],
    [
      'base64',
      {
        textEncoding: 'base64',
        text: `8 ça va 😊\n\nOn Mon, 23 Nov 2026 at 18:00, ${COACH} wrote:\n${quoted()}\n`,
      },
      '8 ça va 😊',
    ],
  ])('%s: the answer is kept, the quote and signature are gone', async (_, options, answer) => {
    const raw = await compose(options);
    if (options.textEncoding)
      expect(raw.toString('latin1')).toContain(`Content-Transfer-Encoding: ${options.textEncoding}`);
    const mail = await parseInboundEmail(raw);
    expect(mail.replyText.startsWith(answer)).toBe(true);
    expect(mail.replyText).not.toMatch(/Hi Sam|wrote:|From:|Sent from|Get Outlook|https:\/\/|^>/mu);
    expect(mail.auto).toBeUndefined();
    expect(mail.from).toBe('sam.example@example.com');
    expect(mail.to).toEqual([REPLY_TO]);
  });

  it('decodes a non-UTF-8 charset', async () => {
    const raw = Buffer.from(
      [
        'From: Zoé <zoe@example.fr>',
        `To: ${REPLY_TO}`,
        'Subject: =?ISO-8859-1?Q?R=E9p=2E?=',
        'Message-ID: <latin1-1@example.fr>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=iso-8859-1',
        'Content-Transfer-Encoding: 8bit',
        '',
        '8 très bien',
        '',
        `Le lun. 23 nov. 2026 à 18:00, ${COACH} a écrit :`,
        '> Bonjour Zoé,',
        '> Votre question du jour.',
        '',
      ].join('\r\n'),
      'latin1',
    );
    const mail = await parseInboundEmail(raw);
    expect(mail.replyText).toBe('8 très bien');
    expect(mail.subject).toBe('Rép.');
    expect(mail.messageId).toBe('<latin1-1@example.fr>');
  });
  it('decodes ISO-2022-JP, which Japanese mail apps still send', async () => {
    // "7 いい" in ISO-2022-JP: escape sequences switch between ASCII and JIS X 0208.
    const raw = Buffer.concat([
      Buffer.from(`From: ken@example.jp\r\nTo: ${REPLY_TO}\r\nSubject: Re\r\nMIME-Version: 1.0\r\n`),
      Buffer.from('Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n'),
      Buffer.from('7 \x1b$B$$$$\x1b(B\r\n', 'latin1'),
    ]);
    expect((await parseInboundEmail(raw)).replyText).toBe('7 いい');
  });
});

describe('addresses and ids', () => {
  it('collects every recipient, lower-cased, once', async () => {
    const raw = await compose({
      text: '7',
      to: ['Sam <R+AEAT6K4MD2OUUT3LRY@Reply.Coach.Example>', 'Other <other@example.com>'],
      cc: 'Boss <boss@example.com>',
      headers: {
        'Delivered-To': 'r+aeat6k4md2ouut3lry@reply.coach.example',
        'X-Original-To': 'x@reply.coach.example',
      },
    });
    const mail = await parseInboundEmail(raw);
    expect(mail.to).toEqual([REPLY_TO, 'x@reply.coach.example', 'other@example.com', 'boss@example.com']);
  });

  it('names a message without a Message-ID by its content, the same on every delivery', async () => {
    const raw = Buffer.from(`From: sam@example.com\r\nTo: ${REPLY_TO}\r\nSubject: 7\r\n\r\n7\r\n`);
    const first = await parseInboundEmail(raw);
    expect(first.messageId).toMatch(/^sha256:[0-9a-f]{64}$/u);
    expect((await parseInboundEmail(Buffer.from(raw))).messageId).toBe(first.messageId);
    expect(first.replyText).toBe('7');
  });

  it('keeps the Message-ID a mail app set', async () => {
    const mail = await parseInboundEmail(
      await compose({ text: '7', messageId: '<abc-123@mail.example.com>' }),
    );
    expect(mail.messageId).toBe('<abc-123@mail.example.com>');
  });
});

describe('automatic mail', () => {
  it('recognises an out-of-office reply', async () => {
    const raw = await compose({
      subject: 'Automatic reply: Daily questions: 2 quick questions',
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      text: 'I am out of the office until 1 December with limited access to email.',
    });
    expect((await parseInboundEmail(raw)).auto).toBe('out-of-office');
  });

  it.each<[string, Record<string, string>, string | undefined, string]>([
    ['Auto-Submitted', { 'Auto-Submitted': 'auto-generated' }, undefined, 'auto-submitted'],
    ['X-Autoreply', { 'X-Autoreply': 'yes' }, undefined, 'out-of-office'],
    ['X-Autorespond', { 'X-Autorespond': 'Thanks for your message' }, undefined, 'out-of-office'],
    ['Precedence: auto_reply', { Precedence: 'auto_reply' }, undefined, 'out-of-office'],
    ['Precedence: bulk', { Precedence: 'bulk' }, undefined, 'list'],
    ['List-Id', { 'List-Id': 'Team <team.lists.example.com>' }, undefined, 'list'],
    ['List-Unsubscribe', { 'List-Unsubscribe': '<https://lists.example.com/u>' }, undefined, 'list'],
    ['a German responder', {}, 'Abwesenheitsnotiz: Daily questions', 'out-of-office'],
    ['a subject-only responder', {}, 'Out of Office: Daily questions', 'out-of-office'],
  ])('recognises %s', async (_, headers, subject, auto) => {
    const raw = await compose({ headers, text: 'Thanks', ...(subject ? { subject } : {}) });
    expect((await parseInboundEmail(raw)).auto).toBe(auto);
  });

  it('does not mistake a person for a responder', async () => {
    const raw = await compose({
      subject: 'Re: Did I rest while out of office today?',
      headers: { 'Auto-Submitted': 'no' },
      text: '9',
    });
    expect((await parseInboundEmail(raw)).auto).toBeUndefined();
  });

  it('recognises a bounce (multipart/report from the mailer daemon)', async () => {
    const raw = Buffer.from(
      [
        'From: Mail Delivery Subsystem <MAILER-DAEMON@amazonses.com>',
        `To: ${REPLY_TO}`,
        'Subject: Delivery Status Notification (Failure)',
        'Message-ID: <bounce-1@amazonses.com>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'An error occurred while trying to deliver the mail to the following recipients:',
        'sam@example.com',
        '--b1',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; a1-2.smtp-out.amazonses.com',
        '',
        'Final-Recipient: rfc822; sam@example.com',
        'Action: failed',
        'Status: 5.1.1',
        '--b1--',
        '',
      ].join('\r\n'),
    );
    const mail = await parseInboundEmail(raw);
    expect(mail.auto).toBe('bounce');
    expect(mail.from).toBe('mailer-daemon@amazonses.com');
  });
});

describe('authentication verdict', () => {
  it.each<[string, Record<string, string>, string]>([
    ['SES says SPF and DKIM pass', { 'Authentication-Results': SES_PASS }, 'pass'],
    [
      'DKIM passes, no SPF record',
      {
        'Authentication-Results':
          'amazonses.com; spf=none smtp.mailfrom=example.com; dkim=pass header.i=@example.com',
      },
      'pass',
    ],
    [
      'DKIM fails',
      {
        'Authentication-Results':
          'amazonses.com; spf=pass (spf: domain of example.com designates 192.0.2.1 as permitted sender) client-ip=192.0.2.1; dkim=fail header.i=@example.com;',
      },
      'fail',
    ],
    [
      'SPF fails',
      { 'Authentication-Results': 'amazonses.com; spf=fail smtp.mailfrom=example.com; dkim=none' },
      'fail',
    ],
    ['nothing passes', { 'Authentication-Results': 'amazonses.com; spf=none; dkim=none' }, 'fail'],
    ['SES marks it as spam', { 'Authentication-Results': SES_PASS, 'X-SES-Spam-Verdict': 'FAIL' }, 'fail'],
    ['SES finds a virus', { 'Authentication-Results': SES_PASS, 'X-SES-Virus-Verdict': 'FAIL' }, 'fail'],
    [
      'only the sender claims a pass',
      { 'Authentication-Results': 'mx.google.com; spf=pass; dkim=pass' },
      'unknown',
    ],
    ['no verdict (local mode)', {}, 'unknown'],
  ])('%s → %s', async (_, headers, auth) => {
    const mail = await parseInboundEmail(await compose({ headers, text: '7' }));
    expect(mail.auth).toBe(auth);
  });

  it('trusts the header SES put on top, not one the sender wrote below it', async () => {
    const raw = await compose({
      headers: [
        {
          key: 'Authentication-Results',
          value: 'amazonses.com; spf=fail smtp.mailfrom=example.com; dkim=fail',
        },
        { key: 'Authentication-Results', value: 'amazonses.com; spf=pass; dkim=pass' },
      ],
      text: '7',
    });
    const topFirst = raw.toString('utf8');
    expect(topFirst.indexOf('spf=fail')).toBeLessThan(topFirst.indexOf('spf=pass'));
    expect((await parseInboundEmail(raw)).auth).toBe('fail');
  });
});
