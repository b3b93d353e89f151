/**
 * What participants read in their inbox and on the pages their clicks open.
 */
import { describe, expect, it } from 'vitest';
import {
  type AnswerLinks,
  answerConfirmPage,
  answerValues,
  checkInEmail,
  escapeHtml,
  linkProblemPage,
  listUnsubscribeHeaders,
  NO_VALUE,
  type RenderableQuestion,
  reminderEmail,
  thankYouPage,
  unsubscribePage,
  welcomeEmail,
  YES_VALUE,
} from '../../shared/channels/email/domain/email-messages.js';
import { DAILY_QUESTIONS } from '../../shared/domain/program.js';

const XSS = '<img src=x onerror=alert(1)>';
const UNSUBSCRIBE = 'https://api.coach.example/u/unsub-token';

function linksFor(questions: readonly RenderableQuestion[]): AnswerLinks {
  return questions.map((q, i) =>
    Object.fromEntries(answerValues(q).map((v) => [v, `https://api.coach.example/a/q${i}v${v}?x=1&y=2`])),
  );
}

function checkIn(
  questions: readonly RenderableQuestion[],
  extra: Partial<Parameters<typeof checkInEmail>[0]> = {},
) {
  return checkInEmail({
    participantName: 'Sam',
    coachName: 'Alex Coach',
    programName: 'Daily questions',
    questions,
    links: linksFor(questions),
    unsubscribeUrl: UNSUBSCRIBE,
    ...extra,
  });
}

/** The href values of every link in a document. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/gu)].map((m) => m[1] ?? '');
}

describe('escapeHtml', () => {
  it('neutralises markup and both quote kinds', () => {
    expect(escapeHtml(`${XSS}"'&`)).toBe('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
  });
});

describe('check-in email', () => {
  const questions = DAILY_QUESTIONS.questions;

  it('has a button for every value of every scale question, each with its own link', () => {
    const { html } = checkIn(questions);
    const links = hrefs(html);
    for (const [i] of questions.entries()) {
      for (let v = 1; v <= 10; v++) {
        expect(links).toContain(escapeHtml(`https://api.coach.example/a/q${i}v${v}?x=1&y=2`));
      }
    }
    // 6 questions × 10 values, plus the unsubscribe link in the footer.
    expect(links).toHaveLength(61);
  });

  it('lists every answer link in the plain-text part too', () => {
    const { text } = checkIn(questions);
    for (const [i, q] of questions.entries()) {
      expect(text).toContain(q.text);
      for (let v = 1; v <= 10; v++)
        expect(text).toContain(`${v}: https://api.coach.example/a/q${i}v${v}?x=1&y=2`);
    }
    expect(text).toContain(`Unsubscribe: ${UNSUBSCRIBE}`);
  });

  it('says in the footer why it arrives, how to reply and how to unsubscribe', () => {
    const { html } = checkIn(questions);
    const footer = html.slice(html.lastIndexOf('border-top'));
    expect(footer).toContain('Alex Coach enrolled you in Daily questions');
    expect(footer).toContain('Reply to this email with your numbers');
    expect(footer).toContain(`href="${UNSUBSCRIBE}"`);
    expect(footer).toContain('>Unsubscribe</a>');
  });

  it('is accessible and built for mail clients', () => {
    const { html } = checkIn(questions);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en"/u);
    expect(html).not.toContain('<style');
    expect(html).not.toContain('<img');
    const tables = html.match(/<table[^>]*>/gu) ?? [];
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) expect(table).toContain('role="presentation"');
    const buttons = html.match(/<a [^>]*aria-label="Answer [^"]*"[^>]*>/gu) ?? [];
    expect(buttons).toHaveLength(60);
    for (const b of buttons) expect(b).toMatch(/height:44px/u);
  });

  it('escapes a hostile name, coach, program and question everywhere in the HTML', () => {
    const hostile: RenderableQuestion[] = [{ text: `Did I ${XSS}?`, type: 'scale' }];
    const { html, subject } = checkIn(hostile, {
      participantName: XSS,
      coachName: XSS,
      programName: XSS,
      replyHint: XSS,
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror=alert(1)>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(subject).not.toMatch(/[\r\n]/u);
  });

  it('keeps the subject on one line', () => {
    const { subject } = checkIn([{ text: 'Did I\r\nBcc: victim@example.com sleep well?', type: 'scale' }]);
    expect(subject).toBe('Did I Bcc: victim@example.com sleep well?');
  });

  it('asks one question in the subject, several by count', () => {
    expect(checkIn([{ text: 'Did I sleep well?', type: 'scale' }]).subject).toBe('Did I sleep well?');
    expect(checkIn(questions).subject).toBe('Daily questions: 6 quick questions');
  });

  it('renders a custom scale range, yes/no buttons and reply hints for open questions', () => {
    const mixed: RenderableQuestion[] = [
      { text: 'Energy?', type: 'scale', min: 0, max: 5 },
      { text: 'Did I exercise?', type: 'yes-no' },
      { text: 'Hours of sleep?', type: 'number', unit: 'hours' },
      { text: 'One word for today?', type: 'text' },
    ];
    const { html, text } = checkIn(mixed);
    expect(answerValues(mixed[0] as RenderableQuestion)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(html).toContain('aria-label="Answer 5 of 5"');
    expect(html).not.toContain('aria-label="Answer 6 of');
    expect(html).toContain(`href="${escapeHtml(`https://api.coach.example/a/q1v${YES_VALUE}?x=1&y=2`)}"`);
    expect(html).toContain(`href="${escapeHtml(`https://api.coach.example/a/q1v${NO_VALUE}?x=1&y=2`)}"`);
    expect(html).toMatch(/>Yes<\/a>.*>No<\/a>/su);
    expect(html).toContain('Reply to this email with your answer (hours).');
    expect(text).toContain(`Yes: https://api.coach.example/a/q1v${YES_VALUE}?x=1&y=2`);
    expect(text).toMatch(/One word for today\?\n {3}\(reply to this email with your answer\)/u);
  });

  it('refuses to render a question without its links, or a non-http link', () => {
    const q: RenderableQuestion[] = [{ text: 'Did I sleep well?', type: 'scale' }];
    expect(() => checkIn(q, { links: [{ 1: 'https://x.example/1' }] })).toThrow(/value 2/u);
    expect(() => checkIn(q, { unsubscribeUrl: 'javascript:alert(1)' })).toThrow(RangeError);
  });

  it('has a default reply hint matching the number of questions', () => {
    expect(checkIn(questions).text).toContain(
      'reply to this email with your 6 answers in order, e.g. "7 8 6 9 5 8"',
    );
    expect(checkIn([{ text: 'Did I sleep well?', type: 'scale' }]).text).toContain(
      'reply to this email with a number from 1 to 10',
    );
  });
});

describe('reminder email', () => {
  it('says it is a reminder and keeps the buttons and unsubscribe link', () => {
    const questions = DAILY_QUESTIONS.questions.slice(0, 1);
    const email = reminderEmail({
      participantName: 'Sam',
      programName: 'Daily questions',
      questions,
      links: linksFor(questions),
      unsubscribeUrl: UNSUBSCRIBE,
    });
    expect(email.subject).toMatch(/^Reminder: /u);
    expect(email.text).toContain('still open');
    expect(hrefs(email.html)).toHaveLength(11);
    expect(email.html).toContain('your coach enrolled you');
  });
});

describe('welcome email', () => {
  const welcome = welcomeEmail({
    participantName: 'Sam',
    coachName: 'Alex',
    programName: 'Daily questions',
    scheduleSummary: 'every weekday at 18:00 (America/New_York)',
    unsubscribeUrl: UNSUBSCRIBE,
  });

  it('says what arrives, when, and how to stop it, in both parts', () => {
    for (const part of [welcome.html, welcome.text]) {
      expect(part).toContain('Alex enrolled you in Daily questions');
      expect(part).toContain('every weekday at 18:00 (America/New_York)');
      expect(part).toContain(UNSUBSCRIBE);
    }
    expect(welcome.subject).toBe('Welcome to Daily questions');
  });

  it('escapes the schedule summary and names', () => {
    const hostile = welcomeEmail({
      participantName: XSS,
      programName: XSS,
      scheduleSummary: XSS,
      unsubscribeUrl: UNSUBSCRIBE,
    });
    expect(hostile.html).not.toContain('<img');
  });
});

describe('unsubscribe headers', () => {
  it('are the two RFC 8058 one-click headers', () => {
    expect(listUnsubscribeHeaders(UNSUBSCRIBE)).toEqual({
      'List-Unsubscribe': `<${UNSUBSCRIBE}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });
});

describe('answer link pages', () => {
  const action = 'https://api.coach.example/a/tok?x=1&y=2';

  it('confirm page shows the answer preselected with one Confirm button, and no script at all', () => {
    const html = answerConfirmPage({
      question: { type: 'scale', text: `Did I ${XSS}?` },
      value: 7,
      formAction: action,
    });
    expect(html).toContain(`<form method="post" action="${escapeHtml(action)}">`);
    expect(html).toMatch(/<input type="radio" name="value" value="7" checked>/u);
    expect(html.match(/ checked/gu)).toHaveLength(1);
    expect(html).toMatch(/<button type="submit" class="primary" name="confirm" value="1">Confirm<\/button>/u);
    expect(html).toContain('<textarea id="comment" name="comment" maxlength="500"');
    // Recording needs a person pressing the button: nothing on the page could submit it.
    expect(html).not.toMatch(/<script|<noscript|onload|http-equiv/iu);
    expect(html).not.toContain('<img');
    // Nothing is fetched from elsewhere: the page works offline and leaks no token.
    expect(html).not.toMatch(/<[a-z]+[^>]*\ssrc=|<link /u);
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
  });

  it('confirm page for a yes/no question offers Yes and No', () => {
    const html = answerConfirmPage({
      question: { type: 'yes-no', text: 'Walked?' },
      value: 0,
      formAction: action,
    });
    expect(html).toMatch(/value="1"><span>Yes<\/span>/u);
    expect(html).toMatch(/value="0" checked><span>No<\/span>/u);
  });

  it('thank-you page shows the progress line, escaped, and a link to the rest of the check-in', () => {
    const page = thankYouPage({ progress: `Got it: 7/10. ${XSS}`, checkInUrl: action });
    expect(page).toContain('Got it: 7/10. &lt;img');
    expect(page).toContain(`href="${escapeHtml(action)}"`);
    expect(page).not.toContain('<img');
    expect(thankYouPage({ progress: 'Got it: Y. Thanks!' })).not.toContain('<a ');
  });

  it('link problem pages say what happened', () => {
    expect(linkProblemPage('expired')).toContain('This link has expired');
    expect(linkProblemPage('invalid')).toContain("This link doesn't work");
  });

  it('unsubscribe page asks with a POST button, then confirms', () => {
    const confirm = unsubscribePage({ step: 'confirm', formAction: action, programName: XSS });
    expect(confirm).toMatch(/<form method="post"[^>]*>[\s\S]*<button type="submit">Unsubscribe<\/button>/u);
    expect(confirm).not.toContain('<img');
    expect(unsubscribePage({ step: 'done' })).toContain("You're unsubscribed");
  });
});
