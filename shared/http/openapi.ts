/**
 * The coach API as an OpenAPI 3.1 document, generated from the same zod schemas that validate
 * requests, so the document cannot drift from what the API accepts.
 */
import * as z from 'zod';
import { NewParticipantSchema, PauseSchema } from '../domain/participant.js';
import { NewProgramSchema } from '../domain/program.js';
import { AnnotationSchema } from './week-params.js';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const error = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const bearer = [{ coachJwt: [] }];
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
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
        Annotation: schema(AnnotationSchema),
        Error: {
          type: 'object',
          properties: { error: { type: 'string' }, field: { type: 'string' } },
          required: ['error'],
        },
      },
    },
    paths: {
      '/api/programs': {
        get: {
          summary: "The coach's programs and the built-in ones",
          security: bearer,
          responses: { 200: { description: 'Programs' }, 401: error },
        },
        post: {
          summary: 'Create a program',
          security: bearer,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/NewProgram' } } },
          },
          responses: { 201: { description: 'Created' }, 400: error, 401: error },
        },
      },
      '/api/participants': {
        get: {
          summary: "The coach's participants",
          security: bearer,
          responses: { 200: { description: 'Participants' }, 401: error },
        },
        post: {
          summary: 'Enrol a participant (an SMS opt-in request is sent; nothing else until they reply YES)',
          security: bearer,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/NewParticipant' } } },
          },
          responses: { 201: { description: 'Enrolled, status pending' }, 400: error, 401: error, 409: error },
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
          responses: { 200: { description: 'Paused' }, 400: error, 401: error, 404: error, 409: error },
        },
      },
      '/api/participants/{id}/resume': {
        post: {
          summary: 'End a pause now',
          security: bearer,
          parameters: idParam,
          responses: { 200: { description: 'Active again' }, 401: error, 404: error, 409: error },
        },
      },
      '/api/participants/{id}/prompts': {
        get: {
          summary: 'Prompts and reminders with their send status (sent, skipped, failed, unknown…)',
          security: bearer,
          parameters: idParam,
          responses: { 200: { description: 'Prompts, newest first' }, 401: error, 404: error },
        },
      },
      '/api/participants/{id}': {
        get: {
          summary: 'One participant',
          security: bearer,
          parameters: idParam,
          responses: { 200: { description: 'Participant' }, 401: error, 404: error },
        },
      },
      '/api/summaries': {
        get: {
          summary:
            "The coach's week: each participant's live summary (figures, streak, comments, attention flags), flagged first, then by name",
          security: bearer,
          parameters: [weekQuery],
          responses: { 200: { description: '{ week, summaries }' }, 400: error, 401: error },
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
          responses: { 200: { description: '{ summaries }' }, 400: error, 401: error, 404: error },
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
          responses: { 200: { description: '{ week, annotation }' }, 400: error, 401: error, 404: error },
        },
      },
      '/api/reports/cohort': {
        get: {
          summary:
            "Anonymised report of a program's week: no names, no free text, no annotations; groups under 5 participants are suppressed. Admins see the whole deployment, coaches their own participants",
          security: bearer,
          parameters: [
            weekQuery,
            { name: 'programId', in: 'query', required: true, schema: { type: 'string' } },
          ],
          responses: { 200: { description: 'Cohort report' }, 400: error, 401: error },
        },
      },
      '/api/participants/{id}/replies': {
        get: {
          summary: "The participant's answers",
          security: bearer,
          parameters: idParam,
          responses: { 200: { description: 'Answers' }, 401: error, 404: error },
        },
      },
    },
  };
}
