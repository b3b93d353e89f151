/**
 * Fuzzing every coach-API and webhook body schema through the same `parseJsonBody` the handlers
 * call: whatever JSON (or not-JSON) arrives, it is accepted or refused with a `ValidationError`
 * (a 400 naming the field, the one place errors become HTTP), never anything else. The bodies mix
 * arbitrary JSON with near-valid ones — the schema's own keys holding values that are almost
 * right (a zone, a number, a week, an address, a time) — so the refinements are reached too, not
 * only the type checks. 10,000 cases per schema (`FUZZ_RUNS` overrides).
 */
import { fc, test } from '@fast-check/vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { smsPolicy } from '../../shared/channels/sms/domain/sms-policy.js';
import { CoachReplySchema, MarkReadSchema } from '../../shared/domain/conversation.js';
import { NewExperimentSchema } from '../../shared/domain/experiment.js';
import { PauseSchema } from '../../shared/domain/participant.js';
import { EditParticipantSchema, NewParticipantSchema } from '../../shared/domain/participant-input.js';
import { newProgramSchema } from '../../shared/domain/program.js';
import { BulkPushSchema, NewPushSchema } from '../../shared/domain/push.js';
import { ValidationError } from '../../shared/errors.js';
import { parseJsonBody } from '../../shared/http/api.js';
import { SesEventSchema } from '../../shared/http/schemas.js';
import { AnnotationSchema } from '../../shared/http/week-params.js';
import { ImportSchema } from '../../shared/usecases/import.js';
import { CopyProgramSchema, MoveParticipantSchema } from '../../shared/usecases/programs.js';

// Programs as the handlers parse them: the shape and the SMS channel's prompt limit.
const NewProgramSchema = newProgramSchema(smsPolicy.promptProblem);

const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 10_000) };

const SCHEMAS: Record<string, z.ZodType> = {
  NewProgram: NewProgramSchema,
  NewParticipant: NewParticipantSchema,
  EditParticipant: EditParticipantSchema,
  Import: ImportSchema,
  Pause: PauseSchema,
  Move: MoveParticipantSchema,
  Copy: CopyProgramSchema,
  NewPush: NewPushSchema,
  BulkPush: BulkPushSchema,
  NewExperiment: NewExperimentSchema,
  Annotation: AnnotationSchema,
  MarkRead: MarkReadSchema,
  CoachReply: CoachReplySchema,
  SesEvent: SesEventSchema,
};

/** Keys the schemas read, so generated objects reach past the "unknown key" and "required" checks. */
const KEYS = [
  'name',
  'phone',
  'email',
  'timeZone',
  'programId',
  'channel',
  'participants',
  'until',
  'text',
  'sendAt',
  'exercise',
  'question',
  'followUpDays',
  'to',
  'week',
  'questions',
  'schedule',
  'days',
  'time',
  'quietHours',
  'start',
  'end',
  'freshnessMinutes',
  'reminderAfterHours',
  'replyWindowHours',
  'type',
  'min',
  'max',
  'unit',
  'startDate',
  'endDate',
  'weeks',
  'note',
  'observation',
  'impact',
  'improvement',
  'ids',
  'eventType',
  'mail',
  'bounce',
  'complaint',
  'destination',
  'Type',
  'Message',
];

/** Values that are nearly right for some key. */
const nearly = fc.constantFrom<unknown>(
  'America/New_York',
  'Mars/Olympus',
  'UTC',
  '+12125550123',
  '+1900555012',
  '0044 20',
  'sam@example.com',
  'sam@',
  'sms',
  'email',
  'whatsapp',
  '18:00',
  '25:61',
  '21:00',
  '08:00',
  'mon',
  'sun',
  'funday',
  '2026-W48',
  '2026-W53',
  '2026-02-30',
  '2026-12-07',
  '2026-12-07T10:00:00Z',
  'scale',
  'yes-no',
  'number',
  'text',
  'all',
  'flagged',
  '{{firstName}}',
  '{{nope}}',
  "$'$&",
  'daily-questions',
  '',
  ' ',
  '\u0000',
  'x'.repeat(5000),
  0,
  -1,
  1,
  7,
  10,
  Number.POSITIVE_INFINITY,
  Number.MAX_SAFE_INTEGER,
  0.5,
  true,
  null,
  [],
  {},
  ['mon', 'tue'],
  ['funday'],
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nearly,
    fc.jsonValue({ maxDepth: 2 }),
    fc.array(tie('o'), { maxLength: 3 }),
    tie('o'),
  ),
  o: fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 8 }),
})).v;

/** A body as it arrives: JSON of anything, or bytes that are not JSON at all. */
const body = fc.oneof(
  value.map((v) => JSON.stringify(v) ?? ''),
  fc.string({ maxLength: 200 }),
);

const eventOf = (text: string) =>
  ({ body: text, isBase64Encoded: false }) as unknown as APIGatewayProxyEventV2;

describe('every API body schema under fuzzing', () => {
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    test.prop([body], RUNS)(`${name}: accepted, or refused with a 400 naming the field`, (text) => {
      try {
        parseJsonBody(eventOf(text), schema);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field.length).toBeGreaterThan(0);
      }
    });
  }
});

describe('what the fuzzing found', () => {
  it('refuses a program with no questions at once, naming the field (it used to hang)', () => {
    const program = { name: 'Empty', questions: [], schedule: { days: ['mon'], time: '18:00' } };
    expect(() => parseJsonBody(eventOf(JSON.stringify(program)), NewProgramSchema)).toThrow(
      expect.objectContaining({ field: 'questions' }),
    );
  });
});
