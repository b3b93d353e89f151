/**
 * The coach API as an OpenAPI 3.1 document, generated from the same zod schemas that validate
 * requests, so the document cannot drift from what the API accepts.
 */
import * as z from 'zod';
import { PauseSchema } from '../domain/participant.js';
import { NewParticipantSchema } from '../domain/participant-input.js';
import { NewProgramSchema } from '../domain/program.js';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const error = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const bearer = [{ coachJwt: [] }];
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];

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
