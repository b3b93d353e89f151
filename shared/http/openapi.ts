/**
 * The coach API as an OpenAPI 3.1 document, generated from the same zod schemas that validate
 * requests, so the document cannot drift from what the API accepts.
 */
import * as z from 'zod';
import { CoachReplySchema, MarkReadSchema } from '../domain/conversation.js';
import { NewExperimentSchema } from '../domain/experiment.js';
import { PauseSchema } from '../domain/participant.js';
import { EditParticipantSchema, NewParticipantSchema } from '../domain/participant-input.js';
import { NewProgramSchema } from '../domain/program.js';
import { BulkPushSchema, NewPushSchema, PUSH_TEMPLATES } from '../domain/push.js';
import { CopyProgramSchema, MoveParticipantSchema } from '../usecases/programs.js';
import { VIEW_FIELDS, type ViewName, viewSchema } from './views.js';
import { AnnotationSchema } from './week-params.js';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const tokenParam = [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }];
const page = { description: 'An HTML page', content: { 'text/html': { schema: { type: 'string' } } } };
const twiml = {
  description: 'TwiML (the reply to send, if any)',
  content: { 'text/xml': { schema: { type: 'string' } } },
};
const form = (fields: string[]) => ({
  required: true,
  content: {
    'application/x-www-form-urlencoded': {
      schema: { type: 'object', properties: Object.fromEntries(fields.map((f) => [f, { type: 'string' }])) },
    },
  },
});

/**
 * The routes that are not the coach's: provider webhooks (authenticated by their signature) and the
 * pages participants open from an email (authenticated by the signed token in the path).
 */
const publicPaths = {
  '/webhooks/twilio/sms': {
    post: {
      summary: 'Twilio inbound SMS webhook (X-Twilio-Signature required; 403 otherwise)',
      tags: ['webhooks'],
      requestBody: form(['MessageSid', 'From', 'To', 'Body']),
      responses: {
        200: twiml,
        400: { description: 'Malformed body' },
        403: { description: 'Bad signature' },
        500: { description: 'Not stored (storage failing): retry' },
        503: {
          description: 'The same MessageSid is still being handled, or its handler failed: retry later',
        },
      },
    },
  },
  '/webhooks/twilio/status': {
    post: {
      summary: 'Twilio delivery status callback (X-Twilio-Signature required)',
      tags: ['webhooks'],
      requestBody: form(['MessageSid', 'MessageStatus', 'ErrorCode']),
      responses: {
        200: twiml,
        400: { description: 'Malformed body' },
        403: { description: 'Bad signature' },
      },
    },
  },
  '/a/{token}': {
    get: {
      summary:
        'A one-click answer link: the answer preselected with one Confirm button (no script; a GET alone records nothing)',
      tags: ['participant pages'],
      parameters: tokenParam,
      responses: { 200: page, 403: page, 404: page, 410: { ...page, description: 'Expired link' } },
    },
    post: {
      summary:
        "Confirm pressed: record the answer (`confirm=1` required, sent only by the button; `value` one of the question's answers, default the link's; optional `comment`)",
      tags: ['participant pages'],
      parameters: tokenParam,
      requestBody: form(['confirm', 'value', 'comment']),
      responses: {
        200: page,
        400: { ...page, description: 'A missing or wrong field, named on the page; nothing recorded' },
        403: page,
        404: page,
        410: { ...page, description: 'Expired link' },
      },
    },
  },
  '/r/{token}': {
    get: {
      summary:
        "The participant's own history (their last 12 weeks, each question's weekly figure and the check-ins answered), from the signed link in their weekly report card; no login, no script, records nothing; the link works for 30 days",
      tags: ['participant pages'],
      parameters: tokenParam,
      responses: {
        200: page,
        403: page,
        404: { ...page, description: 'The participant no longer exists (erased)' },
        410: { ...page, description: 'Expired link' },
      },
    },
  },
  '/c/{token}': {
    get: {
      summary: 'The check-in page: every question of a prompt in one form (no script; a GET records nothing)',
      tags: ['participant pages'],
      parameters: tokenParam,
      responses: { 200: page, 403: page, 404: page, 410: { ...page, description: 'Expired link' } },
    },
    post: {
      summary:
        'Record every answered question at once: `q1`…`qN` (scale value, 1/0 for yes/no, a number, or words; blank leaves a question as it is) and an optional `comment`',
      tags: ['participant pages'],
      parameters: tokenParam,
      requestBody: form(['q1', 'q2', 'q3', 'comment']),
      responses: {
        200: page,
        400: {
          ...page,
          description: 'A field that does not fit its question, named on the page; nothing recorded',
        },
        403: page,
        404: page,
        410: { ...page, description: 'Expired link' },
      },
    },
  },
  '/u/{token}': {
    get: {
      summary: 'Email unsubscribe page (one button; a GET alone changes nothing)',
      tags: ['participant pages'],
      parameters: tokenParam,
      responses: { 200: page, 403: page },
    },
    post: {
      summary: 'Unsubscribe now (RFC 8058 one-click: body List-Unsubscribe=One-Click)',
      tags: ['participant pages'],
      parameters: tokenParam,
      requestBody: form(['List-Unsubscribe']),
      responses: { 200: page, 403: page },
    },
  },
  '/api/openapi.json': {
    get: { summary: 'This document', tags: ['meta'], responses: { 200: { description: 'OpenAPI 3.1' } } },
  },
};

const error = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const bearer = [{ coachJwt: [] }];
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
/** `Idempotency-Key` of the writes that must happen once (pushes, bulk pushes, enrolments). */
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Any 1–255 visible ASCII characters (a UUID per user action). Requests with the same key (per coach, 24 h) take effect once and get the first response again (header idempotent-replayed: true); the same key with another method, path or body is a 409 naming Idempotency-Key; while the first is still running the others wait for it.',
  schema: { type: 'string', maxLength: 255 },
};
const body = (name: string, example?: unknown, required = true) => ({
  required,
  content: {
    'application/json': {
      schema: { $ref: `#/components/schemas/${name}` },
      ...(example === undefined ? {} : { example }),
    },
  },
});
/** A JSON answer whose body is the view `name` (see `views.ts`: the server's own view types). */
const ok = (description: string, name: ViewName) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
});
const programResponse = (description: string, name: ViewName = 'Program') =>
  ok(
    `${description}; \`smsCost\` gives the prompt SMS's encoding (GSM-7 or UCS-2) and segment count, counted with Twilio's calculator on the text as sent`,
    name,
  );
/** The response bodies' schemas, one per view, from the field lists the compiler holds to the view types. */
const viewSchemas = Object.fromEntries(
  (Object.keys(VIEW_FIELDS) as ViewName[]).map((name) => [name, viewSchema(name)]),
);
const pageParams = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
  { name: 'cursor', in: 'query', schema: { type: 'string' } },
];
const pushTemplate = PUSH_TEMPLATES[0]?.text ?? '';
const weekSchema = { type: 'string', pattern: '^\\d{4}-W\\d{2}$', examples: ['2026-W48'] };
const weekQuery = {
  name: 'week',
  in: 'query',
  required: false,
  description: 'ISO week (default: the current one)',
  schema: weekSchema,
};

/** Builds the OpenAPI document. */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'nanocoach coach API', version: '0.1.0' },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { coachJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        NewProgram: schema(NewProgramSchema),
        NewParticipant: schema(NewParticipantSchema),
        Pause: schema(PauseSchema),
        CopyProgram: schema(CopyProgramSchema),
        MoveParticipant: schema(MoveParticipantSchema),
        EditParticipant: schema(EditParticipantSchema),
        NewExperiment: schema(NewExperimentSchema),
        NewPush: schema(NewPushSchema),
        BulkPush: schema(BulkPushSchema),
        CoachReply: schema(CoachReplySchema),
        MarkRead: schema(MarkReadSchema),
        Annotation: schema(AnnotationSchema),
        ...viewSchemas,
        Error: {
          type: 'object',
          properties: { error: { type: 'string' }, field: { type: 'string' } },
          required: ['error'],
        },
      },
    },
    paths: {
      ...publicPaths,
      '/api/programs': {
        get: {
          summary: "The coach's programs and the built-in ones",
          security: bearer,
          responses: { 200: ok('Programs, each with its `smsCost`', 'ProgramList'), 401: error },
        },
        post: {
          summary: 'Create a program (refused with the segment count when its prompt exceeds 3 SMS segments)',
          security: bearer,
          requestBody: body('NewProgram'),
          responses: { 201: programResponse('Created'), 400: error, 401: error },
        },
      },
      '/api/programs/{id}': {
        put: {
          summary:
            'Change a program: the next prompt of each participant asks the new questions at the new time (every next due time is recomputed); answers keep the question text they answered. The built-in program cannot be changed (409): copy it. An archived one neither (409).',
          security: bearer,
          parameters: idParam,
          requestBody: body('NewProgram'),
          responses: {
            200: programResponse(
              'Changed; `rescheduled` counts the participants whose next prompt moved',
              'UpdatedProgram',
            ),
            400: error,
            401: error,
            404: error,
            409: error,
          },
        },
      },
      '/api/programs/{id}/archive': {
        post: {
          summary:
            'Archive a program: new enrolments are refused (409); enrolled participants keep running until the coach moves them (POST /api/participants/{id}/program)',
          security: bearer,
          parameters: idParam,
          responses: { 200: programResponse('Archived'), 401: error, 404: error, 409: error },
        },
      },
      '/api/programs/{id}/copy': {
        post: {
          summary: 'Copy a program the coach may use (the built-in one too) into a new program of theirs',
          security: bearer,
          parameters: idParam,
          requestBody: body('CopyProgram', undefined, false),
          responses: { 201: programResponse('Created'), 400: error, 401: error, 404: error },
        },
      },
      '/api/participants/{id}/program': {
        post: {
          summary:
            'Move a participant to another program (not an archived one); their next prompt follows it',
          security: bearer,
          parameters: idParam,
          requestBody: body('MoveParticipant'),
          responses: { 200: ok('Moved', 'Participant'), 400: error, 401: error, 404: error, 409: error },
        },
      },
      '/api/participants/{id}/experiments': {
        get: {
          summary: "The participant's personal experiments, newest first, each with its status and answers",
          security: bearer,
          parameters: idParam,
          responses: { 200: ok('Experiments', 'ExperimentList'), 401: error, 404: error },
        },
        post: {
          summary:
            "Attach a personal experiment: its question rides along in the participant's prompts from startDate to endDate (or for `weeks`), participant-local, then ends by itself",
          security: bearer,
          parameters: idParam,
          requestBody: body('NewExperiment'),
          responses: { 201: ok('Attached', 'Experiment'), 400: error, 401: error, 404: error },
        },
      },
      '/api/participants/{id}/experiments/{experimentId}': {
        delete: {
          summary: 'End an experiment now: no later prompt carries its question',
          security: bearer,
          parameters: [
            ...idParam,
            { name: 'experimentId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: { 200: ok('Ended', 'Experiment'), 401: error, 404: error },
        },
      },
      '/api/participants': {
        get: {
          summary: "The coach's participants",
          security: bearer,
          responses: { 200: ok('Participants, a page at a time', 'ParticipantPage'), 401: error },
        },
        post: {
          summary:
            'Enrol a participant (an SMS opt-in request is sent; nothing else until they reply YES). A number gets at most INVITATIONS_PER_NUMBER_PER_DAY (3) invitations a day from all coaches together: 429 after that',
          security: bearer,
          parameters: [idempotencyKey],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/NewParticipant' } } },
          },
          responses: {
            201: ok('Enrolled, status pending', 'EnrolledParticipant'),
            400: error,
            401: error,
            409: error,
            429: error,
          },
        },
      },
      '/api/participants/{id}/pause': {
        post: {
          summary: 'Pause prompts until a participant-local date (YYYY-MM-DD); they resume by themselves',
          security: bearer,
          parameters: idParam,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Pause' } } },
          },
          responses: { 200: ok('Paused', 'Participant'), 400: error, 401: error, 404: error, 409: error },
        },
      },
      '/api/participants/{id}/resume': {
        post: {
          summary: 'End a pause now',
          security: bearer,
          parameters: idParam,
          responses: { 200: ok('Active again', 'Participant'), 401: error, 404: error, 409: error },
        },
      },
      '/api/participants/{id}/prompts': {
        get: {
          summary: 'Prompts and reminders with their send status (sent, skipped, failed, unknown…)',
          security: bearer,
          parameters: idParam,
          responses: { 200: ok('Prompts, newest first', 'PromptList'), 401: error, 404: error },
        },
      },
      '/api/participants/{id}': {
        get: {
          summary: 'One participant',
          security: bearer,
          parameters: idParam,
          responses: { 200: ok('Participant', 'Participant'), 401: error, 404: error },
        },
        patch: {
          summary:
            'Edit name, timeZone, phone, email or channel. A new address to reach the participant at restarts consent there (SMS: a new opt-in request; email: a new welcome; an opted-out or suppressed address stays so); a new zone moves the next prompt, one per local day. 409 when the participant changed meanwhile',
          security: bearer,
          parameters: idParam,
          requestBody: body('EditParticipant', { timeZone: 'Europe/Berlin', phone: '+4915123456789' }),
          responses: {
            200: ok('The participant as edited, with `consentRestarted`', 'EditedParticipant'),
            400: error,
            401: error,
            404: error,
            409: error,
          },
        },
        delete: {
          summary:
            'Erase the participant: personal data and raw messages removed, anonymous aggregates kept (recorded in the audit trail)',
          security: bearer,
          parameters: idParam,
          responses: { 204: { description: 'Erased' }, 401: error, 404: error },
        },
      },
      '/api/participants/{id}/pushes': {
        get: {
          summary:
            "The participant's pushes, newest first: status (scheduled, queued, sent, skipped…) and exercise answers",
          security: bearer,
          parameters: idParam,
          responses: { 200: ok('{ pushes: Push[] }', 'PushList'), 401: error, 404: error },
        },
        post: {
          summary:
            "Send a push (at most 320 characters once its fields {{firstName}}, {{streak}}, {{weekAverage}}, {{coachName}} are filled in, and at most 1,600 characters and 10 segments as an SMS; unknown fields are a 400 on text) on the participant's channel, outside their quiet hours, never after an opt-out; optionally with a micro-exercise question and a follow-up N days later; `week` is the ISO week it answers",
          security: bearer,
          parameters: [...idParam, idempotencyKey],
          requestBody: body('NewPush', {
            text: pushTemplate.replace('{{firstName}}', 'Sam'),
            exercise: {
              question: { type: 'text', text: 'What did you delegate this week?' },
              followUpDays: 3,
            },
          }),
          responses: {
            201: ok('The push, status scheduled or skipped', 'Push'),
            400: error,
            401: error,
            404: error,
          },
        },
      },
      '/api/participants/{id}/messages': {
        get: {
          summary:
            "The conversation, newest first: what the participant wrote that is not an answer (from: participant; text is plain text, never HTML; readAt absent while unread; urgent when it reads as needing a human) and the coach's replies (from: coach, with their send status), plus unreadMessages and needsHuman",
          security: bearer,
          parameters: idParam,
          responses: {
            200: ok('{ messages: (Message | Reply)[], unreadMessages, needsHuman }', 'Conversation'),
            401: error,
            404: error,
          },
        },
        post: {
          summary:
            "Reply (at most 320 characters): sent as a push on the participant's channel, deferred out of their quiet hours, skipped after an opt-out or a bounce, sent once; audited as reply",
          security: bearer,
          parameters: idParam,
          requestBody: body('CoachReply', { text: 'Thanks for telling me. Can we talk tomorrow at 10?' }),
          responses: {
            201: ok('The reply, status queued, scheduled or skipped', 'Push'),
            400: error,
            401: error,
            404: error,
          },
        },
      },
      '/api/participants/{id}/messages/read': {
        post: {
          summary:
            'Mark messages read: the given ids (from GET …/messages), or every unread one when ids is absent; the unread count and the needs-human flag follow',
          security: bearer,
          parameters: idParam,
          requestBody: body('MarkRead', { ids: ['U00xYz'] }),
          responses: {
            200: ok('{ marked, unreadMessages, needsHuman }', 'MarkedRead'),
            400: error,
            401: error,
            404: error,
          },
        },
      },
      '/api/pushes/bulk': {
        post: {
          summary:
            'One push to all (or the flagged) active participants, its fields filled in per participant, each sent at their own next hour outside quiet hours; a participant whose filled-in text breaks a limit is refused alone (status refused, error) and the others still go',
          security: bearer,
          parameters: [idempotencyKey],
          requestBody: body('BulkPush', {
            text: 'Hi {{firstName}}, well done on a full week of check-ins!',
            to: 'all',
          }),
          responses: {
            202: ok(
              '{ queued, skipped, refused, recipients: [{ participantId, name, status, segments, skipReason?, error? }] }',
              'BulkPushResult',
            ),
            400: error,
            401: error,
            409: error,
          },
        },
      },
      '/api/push-templates': {
        get: {
          summary: 'Push templates for the composer, the observation → impact → improvement-offer form first',
          security: bearer,
          responses: { 200: ok('{ templates: [{ id, name, text, hint }] }', 'PushTemplateList'), 401: error },
        },
      },
      '/api/participants/{id}/export': {
        get: {
          summary:
            'Everything stored about the participant, as JSON (recorded in the audit trail); `messagesReceived` ' +
            'includes messages never attributed to an enrolment that came from their number or address',
          security: bearer,
          parameters: idParam,
          responses: { 200: { description: 'The export' }, 401: error, 404: error },
        },
      },
      '/api/participants/import': {
        post: {
          summary:
            'Enrol up to 1000 participants (CSV rows as JSON), all or none; 400 lists every bad row (1-based) and field',
          security: bearer,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    participants: {
                      type: 'array',
                      maxItems: 1000,
                      items: { $ref: '#/components/schemas/NewParticipant' },
                    },
                  },
                  required: ['participants'],
                },
              },
            },
          },
          responses: {
            200: ok('{ imported, participants }', 'ImportResult'),
            400: {
              description: '{ error, rows: [{ row, field, error }] }; nothing was imported',
            },
            401: error,
            429: error,
          },
        },
      },
      '/api/audit': {
        get: {
          summary: "The coach's audit trail, newest first: exports, erasures, pushes, bulk pushes, imports",
          security: bearer,
          parameters: pageParams,
          responses: {
            200: ok('{ entries: [{ at, action, participantId?, coachId, count? }], cursor? }', 'AuditPage'),
            400: error,
            401: error,
          },
        },
      },
      '/api/summaries': {
        get: {
          summary:
            "The coach's week: each participant's live summary (figures, streak, comments, attention flags), flagged first, then by name",
          security: bearer,
          parameters: [weekQuery],
          responses: { 200: ok('{ week, summaries }', 'WeekSummaries'), 400: error, 401: error },
        },
      },
      '/api/summaries.csv': {
        get: {
          summary:
            "The coach's week as CSV, one row per participant-question; formula-safe; never the annotations",
          security: bearer,
          parameters: [weekQuery],
          responses: {
            200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
            400: error,
            401: error,
          },
        },
      },
      '/api/participants/{id}/summaries': {
        get: {
          summary: "A participant's weekly summaries (ISO weeks in their zone), newest first",
          security: bearer,
          parameters: [
            ...idParam,
            {
              name: 'weeks',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 52, default: 8 },
            },
          ],
          responses: { 200: ok('{ summaries }', 'ParticipantSummaries'), 400: error, 401: error, 404: error },
        },
      },
      '/api/participants/{id}/summaries/{week}/annotation': {
        put: {
          summary:
            "The coach's private note on a participant's week (never shown to the participant, never in reports or CSV); '' removes it",
          security: bearer,
          parameters: [...idParam, { name: 'week', in: 'path', required: true, schema: weekSchema }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Annotation' } } },
          },
          responses: { 200: ok('{ week, annotation }', 'AnnotatedWeek'), 400: error, 401: error, 404: error },
        },
      },
      '/api/reports/cohort': {
        get: {
          summary:
            "Anonymised report of a program's week: no names, no free text, no annotations, no personal experiments; groups under 5 participants are suppressed, and each distribution bucket (a value, or a merged range such as 3–5) holds at least 5 answers from at least 5 participants. Admins see the whole deployment, coaches their own participants",
          security: bearer,
          parameters: [
            weekQuery,
            { name: 'programId', in: 'query', required: true, schema: { type: 'string' } },
          ],
          responses: {
            200: ok(
              '{ week, programId, participants, suppressed, responseRate, questions: [{ key, text, type, participants, suppressed, count, average, distribution: { "7": 6, "1–4": 5 } }] }',
              'CohortReport',
            ),
            400: error,
            401: error,
          },
        },
      },
      '/api/participants/{id}/replies': {
        get: {
          summary: "The participant's answers",
          security: bearer,
          parameters: idParam,
          responses: { 200: ok('Answers, a page at a time', 'AnswerPage'), 401: error, 404: error },
        },
      },
    },
  };
}
