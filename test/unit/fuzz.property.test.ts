/**
 * Fuzzing every edge parser with fast-check: whatever arrives — an SMS, an email body or a raw
 * MIME message, an answer or unsubscribe token, a CSV import row, any API body — the parser
 * answers or refuses with the documented error (a `ValidationError`, i.e. a 400 naming the
 * field), and never throws anything else.
 *
 * Numbers: 10,000 cases per pure parser, in-process (`FUZZ_RUNS` overrides). The MIME parser
 * (mailparser) takes about 7 ms a case on a loaded 2-core machine, so it gets 1,000 cases (~7 s)
 * to keep the suite's added time modest. "Never
 * stores half" runs the all-or-nothing import against the in-memory adapters, 300 cases: each
 * case is a whole import of up to 8 rows, and the property is about the mix of good and bad rows,
 * which 300 mixes cover many times over.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { parseInboundEmail, visibleReply } from '../../shared/channels/email/adapters/parse-inbound.js';
import {
  parseReplyAddress,
  signAnswerToken,
  signUnsubscribeToken,
  verifyAnswerToken,
  verifyUnsubscribeToken,
} from '../../shared/domain/answer-link.js';
import { NewParticipantSchema } from '../../shared/domain/participant-input.js';
import { DAILY_QUESTIONS } from '../../shared/domain/program.js';
import { commandOf, keywordOf, parseReply, type ReplyQuestion } from '../../shared/domain/reply.js';
import { ValidationError } from '../../shared/errors.js';
import { parseWith } from '../../shared/http/api.js';
import { importParticipants } from '../../shared/usecases/import.js';
import { fixedClock, memoryAdapters } from '../support/memory.js';

const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 10_000) };
const KEY = 'fuzz-signing-key-0123456789-abcdefghij';

/** Text as people and attackers type it: any code points, plus the words the parsers look for. */
const words = fc.constantFrom(
  'STOP',
  'start',
  'YES',
  'y',
  'no',
  'PAUSE',
  'pause 999999',
  'RESUME',
  'skip',
  'HELP',
  '7',
  '7/10',
  '10',
  '-3',
  '1:7',
  '2=8',
  '3)',
  'seven',
  '30 min',
  '1e309',
  '٣',
  '７',
  '\u200b',
  '\u00a0',
  ' ',
  '\n',
  '>',
  'On Mon, 23 Nov 2026, Coach <c@x> wrote:',
  '-- ',
  'Sent from my iPhone',
  '=?utf-8?B?',
  '%',
  '\\',
);
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(fc.oneof(words, fc.string({ maxLength: 6 })), { maxLength: 20 }).map((parts) => parts.join(' ')),
);

const QUESTIONS: readonly ReplyQuestion[] = [
  ...DAILY_QUESTIONS.questions.map((): ReplyQuestion => ({ type: 'scale' })),
  { type: 'yes-no' },
  { type: 'number', unit: 'min', min: 0, max: 600 },
  { type: 'scale', min: 0, max: 5 },
  { type: 'text' },
];

describe('SMS replies and keywords', () => {
  test.prop([text, fc.subarray([...QUESTIONS.keys()], { minLength: 1 })], RUNS)(
    'every text parses to answers, a follow-up or one clarification; values stay in their question\u2019s range',
    (reply, expected) => {
      const parsed = parseReply(reply, QUESTIONS, expected);
      expect(['answers', 'follow-up', 'clarify']).toContain(parsed.kind);
      if (parsed.kind === 'clarify') return;
      for (const answer of parsed.answers) {
        // A numbered answer ("2=8") may name any question, expected or not: it corrects that one.
        expect(answer.questionIndex).toBeLessThan(QUESTIONS.length);
        const q = QUESTIONS[answer.questionIndex];
        if (answer.value !== undefined && q && q.type !== 'text') {
          expect(Number.isFinite(answer.value)).toBe(true);
          const min = q.type === 'yes-no' ? 0 : (q.min ?? 1);
          const max = q.type === 'yes-no' ? 1 : (q.max ?? 10);
          expect(answer.value).toBeGreaterThanOrEqual(min);
          expect(answer.value).toBeLessThanOrEqual(max);
        }
      }
    },
  );

  test.prop([text], RUNS)('keywords and commands are recognised or not, never thrown on', (reply) => {
    keywordOf(reply);
    const command = commandOf(reply);
    if (command?.kind === 'pause') expect(command.days).toBeLessThanOrEqual(90);
  });
});

describe('email bodies and MIME', () => {
  test.prop([text], RUNS)('the quote stripper returns a part of the text, never more', (body) => {
    const visible = visibleReply(body);
    expect(visible.length).toBeLessThanOrEqual(body.length);
  });

  const header = fc.tuple(
    fc.constantFrom(
      'From',
      'To',
      'Subject',
      'Content-Type',
      'Content-Transfer-Encoding',
      'Message-ID',
      'Auto-Submitted',
      'Authentication-Results',
    ),
    fc.oneof(
      text,
      fc.constantFrom(
        'multipart/mixed; boundary="b"',
        'text/html; charset=utf-16',
        'base64',
        'quoted-printable',
        'sam@example.com, eve@x',
      ),
    ),
  );
  const mime = fc
    .tuple(
      fc.array(header, { maxLength: 8 }),
      fc.array(fc.oneof(text, fc.constant('--b'), fc.constant('--b--')), { maxLength: 6 }),
    )
    .map(
      ([headers, lines]) =>
        `${headers.map(([k, v]) => `${k}: ${v.replace(/\r?\n/gu, ' ')}`).join('\r\n')}\r\n\r\n${lines.join('\r\n')}`,
    );

  test.prop([fc.oneof(mime, fc.string({ unit: 'binary', maxLength: 400 }))], {
    numRuns: Math.min(RUNS.numRuns, 1_000),
  })('any message parses to a sender, recipients and text, or is malformed; it never throws', async (raw) => {
    const parsed = await parseInboundEmail(Buffer.from(raw, 'utf8'));
    expect(typeof parsed.replyText).toBe('string');
    // mailparser may read a sender that is no address ("From: # <$"); it matches no participant.
    expect(typeof parsed.from).toBe('string');
    if (parsed.malformed) expect(parsed.from).toBe('');
  });
});

describe('answer and unsubscribe tokens', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const answer = signAnswerToken(KEY, {
    participantId: 'p1',
    scheduledFor: '2026-11-23T18:00:00.000Z',
    questionIndex: 0,
    value: 7,
    expiresAt: '2026-11-30T18:00:00.000Z',
  });
  const unsubscribe = signUnsubscribeToken(KEY, { participantId: 'p1', address: 'sam@example.com' });
  const token = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.base64String({ maxLength: 200 }),
    // The real tokens with one character changed, cut or extended.
    fc
      .tuple(fc.constantFrom(answer, unsubscribe), fc.nat(), fc.constantFrom('A', '-', '_', '', 'AA'))
      .map(([t, at, c]) => t.slice(0, at % t.length) + c + t.slice((at % t.length) + 1)),
  );

  test.prop([token], RUNS)(
    'only the signed token verifies; anything else is refused, not thrown',
    (candidate) => {
      const a = verifyAnswerToken(KEY, candidate, now);
      const u = verifyUnsubscribeToken(KEY, candidate);
      expect(a.ok).toBe(candidate === answer);
      expect(u.ok).toBe(candidate === unsubscribe);
      expect(parseReplyAddress(KEY, `r+${candidate}@reply.example`)).toBeUndefined();
    },
  );
});

/** The documented failure of every parser at the edge: a ValidationError (400 naming the field). */
function onlyValidationErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field.length).toBeGreaterThan(0);
  }
}

describe('CSV import rows', () => {
  const field = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '+12125550123',
      '+1900555012',
      'Europe/Berlin',
      'Mars/Olympus',
      'sms',
      'email',
      'daily-questions',
      '=cmd|x',
      '',
    ),
    fc.integer(),
    fc.constant(null),
  );
  const row = fc.oneof(
    fc.record(
      { name: field, phone: field, email: field, timeZone: field, programId: field, channel: field },
      { requiredKeys: [] },
    ),
    fc.anything(),
  );

  test.prop([row], RUNS)('a row is a participant or a 400 naming the field', (value) => {
    onlyValidationErrors(() => parseWith(NewParticipantSchema, value, 'row'));
  });

  const good = (i: number) => ({
    name: `P${i}`,
    email: `p${i}@example.com`,
    timeZone: 'Europe/Berlin',
    programId: 'daily-questions',
    channel: 'email',
  });
  test.prop([fc.array(fc.oneof(fc.nat(50).map(good), row), { minLength: 1, maxLength: 8 })], {
    numRuns: 300,
  })('an import stores every row or none', async (rows) => {
    const memory = memoryAdapters();
    const deps = {
      ...memory,
      clock: fixedClock('2026-11-23T10:00:00.000Z'),
      smsAllowedCountries: '*' as const,
      enrolmentsPerHour: 1000,
    };
    const result = await importParticipants(deps, 'coach-fuzz', rows);
    expect(memory.store.participants.size).toBe(result.ok ? rows.length : 0);
    if (!result.ok) expect(result.rows.length).toBeGreaterThan(0);
  });
});
