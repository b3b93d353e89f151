/**
 * The coach API client: every `/api/…` route the dashboard calls is named once, in {@link ROUTES},
 * with its method and the view its answer is (`shared/http/views.ts`, the server's own types,
 * imported as types only). Pages call the typed methods of {@link createClient}; no page writes a
 * path. `test/web/api-contract.test.ts` holds the table against `/api/openapi.json`.
 *
 * Errors: a 4xx/5xx of the API is an {@link ApiError} with its status and the field it names; a
 * route the server does not have (yet) is a {@link NotAvailableError}, so a page can show "not
 * available" for that part instead of breaking; a 401 ends the session first.
 */
import type * as z from 'zod';
import type { CoachReplySchema, MarkReadSchema } from '../../shared/domain/conversation.js';
import type { NewExperimentSchema } from '../../shared/domain/experiment.js';
import type { PauseSchema } from '../../shared/domain/participant.js';
import type { EditParticipantSchema, NewParticipantSchema } from '../../shared/domain/participant-input.js';
import type { NewProgramSchema } from '../../shared/domain/program.js';
import type { BulkPushSchema, NewPushSchema } from '../../shared/domain/push.js';
import type { ViewName, Views } from '../../shared/http/views.js';

/** A route this server does not offer (an older deployment, or a feature still being built). */
export class NotAvailableError extends Error {
  constructor(readonly route: string) {
    super(`${route} is not available on this server`);
  }
}

/** An error answer of the API: its status, message and the field it names, if any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** One route: method, path template (`{name}` segments) and the view it answers with. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: `/api/${string}`;
  /** The OpenAPI component of a JSON answer; `text` for CSV; absent for no body (or one not read). */
  readonly response?: ViewName | 'text';
  /**
   * The fields of that view the dashboard reads, per component (nested views included); the
   * contract test checks each is in the OpenAPI document, so a renamed field fails a test.
   */
  readonly reads?: { readonly [N in ViewName]?: readonly (keyof Views[N] & string)[] };
}

const participantReads = [
  'id',
  'name',
  'channel',
  'phone',
  'email',
  'timeZone',
  'programId',
  'status',
] as const;
const pushReads = ['id', 'text', 'channel', 'sendAt', 'status', 'skipReason', 'exercise', 'answer'] as const;

/** Every coach API route the dashboard calls, once. */
export const ROUTES = {
  listPrograms: {
    method: 'GET',
    path: '/api/programs',
    response: 'ProgramList',
    reads: {
      ProgramList: ['programs'],
      // `archivedAt` keeps archived programs out of the enrol pickers.
      Program: ['id', 'name', 'questions', 'schedule', 'builtIn', 'archivedAt', 'reportCard'],
    },
  },
  createProgram: { method: 'POST', path: '/api/programs', response: 'Program', reads: { Program: ['id'] } },
  updateProgram: {
    method: 'PUT',
    path: '/api/programs/{id}',
    response: 'UpdatedProgram',
    reads: { UpdatedProgram: ['id'] },
  },
  archiveProgram: { method: 'POST', path: '/api/programs/{id}/archive', response: 'Program' },
  listParticipants: {
    method: 'GET',
    path: '/api/participants',
    response: 'ParticipantPage',
    reads: { ParticipantPage: ['participants', 'cursor'], Participant: participantReads },
  },
  enrolParticipant: {
    method: 'POST',
    path: '/api/participants',
    response: 'EnrolledParticipant',
    reads: { EnrolledParticipant: ['id', 'name', 'status'] },
  },
  importParticipants: {
    method: 'POST',
    path: '/api/participants/import',
    response: 'ImportResult',
    reads: { ImportResult: ['imported'] },
  },
  getParticipant: {
    method: 'GET',
    path: '/api/participants/{id}',
    response: 'Participant',
    reads: { Participant: [...participantReads, 'createdAt', 'consentAt', 'pausedUntil', 'nextDueAt'] },
  },
  editParticipant: {
    method: 'PATCH',
    path: '/api/participants/{id}',
    response: 'EditedParticipant',
    reads: { EditedParticipant: ['consentRestarted', 'status', 'channel'] },
  },
  eraseParticipant: { method: 'DELETE', path: '/api/participants/{id}' },
  pauseParticipant: { method: 'POST', path: '/api/participants/{id}/pause', response: 'Participant' },
  resumeParticipant: { method: 'POST', path: '/api/participants/{id}/resume', response: 'Participant' },
  exportParticipant: { method: 'GET', path: '/api/participants/{id}/export' },
  weekSummaries: {
    method: 'GET',
    path: '/api/summaries',
    response: 'WeekSummaries',
    reads: {
      WeekSummaries: ['week', 'summaries'],
      // What the week table, the push walk-through and the bulk composer read (web/src/pages/week.tsx).
      Summary: [
        'annotation',
        'answered',
        'channel',
        'flags',
        'lastAnswerAt',
        'name',
        'participantId',
        'push',
        'questions',
        'responseRate',
        'sent',
        'status',
        'streak',
        'unreadMessages',
      ],
      SummaryQuestion: ['key', 'text', 'type', 'average', 'values'],
    },
  },
  weekCsv: { method: 'GET', path: '/api/summaries.csv', response: 'text' },
  participantSummaries: {
    method: 'GET',
    path: '/api/participants/{id}/summaries',
    response: 'ParticipantSummaries',
    reads: {
      ParticipantSummaries: ['summaries'],
      Summary: ['week', 'closed', 'questions', 'comments', 'texts', 'annotation', 'streak', 'responseRate'],
    },
  },
  annotateWeek: {
    method: 'PUT',
    path: '/api/participants/{id}/summaries/{week}/annotation',
    response: 'AnnotatedWeek',
  },
  listPushes: {
    method: 'GET',
    path: '/api/participants/{id}/pushes',
    response: 'PushList',
    reads: { PushList: ['pushes'], Push: pushReads },
  },
  createPush: {
    method: 'POST',
    path: '/api/participants/{id}/pushes',
    response: 'Push',
    reads: { Push: pushReads },
  },
  bulkPush: {
    method: 'POST',
    path: '/api/pushes/bulk',
    response: 'BulkPushResult',
    reads: {
      BulkPushResult: ['queued', 'skipped', 'refused', 'recipients'],
      BulkRecipient: ['participantId', 'name', 'status', 'segments', 'skipReason', 'error'],
    },
  },
  pushTemplates: {
    method: 'GET',
    path: '/api/push-templates',
    response: 'PushTemplateList',
    reads: { PushTemplateList: ['templates'], PushTemplate: ['id', 'name', 'text', 'hint'] },
  },
  listExperiments: {
    method: 'GET',
    path: '/api/participants/{id}/experiments',
    response: 'ExperimentList',
    reads: {
      ExperimentList: ['experiments'],
      ExperimentWithAnswers: ['id', 'question', 'startDate', 'endDate', 'status', 'note', 'answers'],
    },
  },
  startExperiment: { method: 'POST', path: '/api/participants/{id}/experiments', response: 'Experiment' },
  endExperiment: {
    method: 'DELETE',
    path: '/api/participants/{id}/experiments/{experimentId}',
    response: 'Experiment',
  },
  listReplies: {
    method: 'GET',
    path: '/api/participants/{id}/replies',
    response: 'AnswerPage',
    reads: { AnswerPage: ['replies'], Answer: ['question', 'value', 'text', 'scheduledFor', 'receivedAt'] },
  },
  listPrompts: {
    method: 'GET',
    path: '/api/participants/{id}/prompts',
    response: 'PromptList',
    reads: {
      PromptList: ['prompts'],
      Prompt: ['kind', 'channel', 'scheduledFor', 'status', 'sentAt', 'skipReason', 'errorCode'],
    },
  },
  conversation: {
    method: 'GET',
    path: '/api/participants/{id}/messages',
    response: 'Conversation',
    reads: {
      Conversation: ['messages', 'unreadMessages', 'needsHuman'],
      ParticipantMessage: ['from', 'id', 'at', 'channel', 'text', 'urgent', 'readAt'],
      CoachMessage: ['from', 'at', 'id', 'text', 'channel', 'status', 'sendAt', 'skipReason'],
    },
  },
  replyToParticipant: { method: 'POST', path: '/api/participants/{id}/messages', response: 'Push' },
  markMessagesRead: { method: 'POST', path: '/api/participants/{id}/messages/read', response: 'MarkedRead' },
  cohortReport: {
    method: 'GET',
    path: '/api/reports/cohort',
    response: 'CohortReport',
    reads: {
      CohortReport: ['week', 'participants', 'suppressed', 'responseRate', 'questions'],
      CohortQuestion: ['key', 'text', 'suppressed', 'count', 'average', 'distribution'],
    },
  },
  audit: {
    method: 'GET',
    path: '/api/audit',
    response: 'AuditPage',
    reads: { AuditPage: ['entries', 'cursor'], AuditEntry: ['at', 'action', 'participantId', 'count'] },
  },
} as const satisfies Record<string, Route>;

/** A route's name. */
export type RouteName = keyof typeof ROUTES;
/** What a route answers with, typed by its view. */
export type ResponseOf<R extends RouteName> = (typeof ROUTES)[R] extends { response: infer V }
  ? V extends ViewName
    ? Views[V]
    : V extends 'text'
      ? string
      : unknown
  : unknown;

/** What one call carries besides the route. */
interface CallOptions {
  /** Values of the path's `{name}` segments (escaped here). */
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  /** Sent as `Idempotency-Key`: the server applies one user action once however often it arrives. */
  readonly idempotencyKey?: string;
}

/** Where the client sends requests and how it authenticates. */
export interface ClientOptions {
  /** Origin of the API; `''` for same-origin requests from the dashboard. */
  readonly baseUrl?: string;
  /** The coach's bearer token, if signed in. */
  readonly token?: () => string | undefined;
  /** Called on a 401 before it is reported (the dashboard signs out). */
  readonly onUnauthorized?: () => void;
  /** `fetch` itself by default. */
  readonly fetch?: typeof fetch;
}

/** The path of `route` with its segments filled in and its query appended. */
export function pathOf(route: Route, params: Readonly<Record<string, string>> = {}, query = {}): string {
  const path = route.path.replace(/\{(\w+)\}/gu, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route.path}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query as Record<string, string | number | undefined>))
    if (value !== undefined) search.set(key, String(value));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/** An error answer (or none) as the error the client throws. */
function errorOf(status: number, parsed: unknown, route: string): Error {
  const error = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  // API Gateway (and the local stand-in) answer an unknown route with {"message":"Not Found"};
  // the API's own 404s carry {"error": …}.
  if ((status === 404 || status === 405) && error.error === undefined) return new NotAvailableError(route);
  const message = typeof error.error === 'string' ? error.error : `HTTP ${status}`;
  return new ApiError(status, message, typeof error.field === 'string' ? error.field : undefined, parsed);
}

type Body<S extends z.ZodType> = z.input<S>;

/** The typed client over {@link ROUTES}. */
export function createClient(options: ClientOptions = {}) {
  const send = options.fetch ?? ((input, init) => fetch(input, init));

  async function call<R extends RouteName>(name: R, opts: CallOptions = {}): Promise<ResponseOf<R>> {
    const route: Route = ROUTES[name];
    const label = `${route.method} ${route.path}`;
    const token = options.token?.();
    let res: Response;
    try {
      res = await send(`${options.baseUrl ?? ''}${pathOf(route, opts.params, opts.query)}`, {
        method: route.method,
        headers: {
          ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {}),
        },
        ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      });
    } catch {
      // fetch rejects only when no answer came (offline, DNS, connection reset): say so plainly.
      throw new ApiError(0, 'Could not reach the server: check your connection and try again.');
    }
    if (res.status === 401) {
      options.onUnauthorized?.();
      throw new ApiError(401, 'Your session has ended: please sign in again.');
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!res.ok) throw errorOf(res.status, parsed, label);
    return (route.response === 'text' ? text : parsed) as ResponseOf<R>;
  }

  const id = (participantId: string) => ({ id: participantId });
  return {
    listPrograms: () => call('listPrograms'),
    createProgram: (body: Body<typeof NewProgramSchema>) => call('createProgram', { body }),
    updateProgram: (programId: string, body: Body<typeof NewProgramSchema>) =>
      call('updateProgram', { params: { id: programId }, body }),
    archiveProgram: (programId: string) => call('archiveProgram', { params: { id: programId }, body: {} }),

    listParticipants: (page: { limit?: number; cursor?: string | undefined } = {}) =>
      call('listParticipants', { query: { limit: page.limit ?? 200, cursor: page.cursor } }),
    enrolParticipant: (body: Body<typeof NewParticipantSchema>, idempotencyKey: string) =>
      call('enrolParticipant', { body, idempotencyKey }),
    importParticipants: (participants: Body<typeof NewParticipantSchema>[]) =>
      call('importParticipants', { body: { participants } }),
    getParticipant: (participantId: string) => call('getParticipant', { params: id(participantId) }),
    editParticipant: (participantId: string, body: Body<typeof EditParticipantSchema>) =>
      call('editParticipant', { params: id(participantId), body }),
    eraseParticipant: (participantId: string) => call('eraseParticipant', { params: id(participantId) }),
    pauseParticipant: (participantId: string, body: Body<typeof PauseSchema>) =>
      call('pauseParticipant', { params: id(participantId), body }),
    resumeParticipant: (participantId: string) =>
      call('resumeParticipant', { params: id(participantId), body: {} }),
    exportParticipant: (participantId: string) => call('exportParticipant', { params: id(participantId) }),

    weekSummaries: (week?: string) => call('weekSummaries', { query: { week } }),
    weekCsv: (week: string) => call('weekCsv', { query: { week } }),
    participantSummaries: (participantId: string, weeks = 8) =>
      call('participantSummaries', { params: id(participantId), query: { weeks } }),
    annotateWeek: (participantId: string, week: string, text: string) =>
      call('annotateWeek', { params: { id: participantId, week }, body: { text } }),

    listPushes: (participantId: string) => call('listPushes', { params: id(participantId) }),
    createPush: (participantId: string, body: Body<typeof NewPushSchema>, idempotencyKey: string) =>
      call('createPush', { params: id(participantId), body, idempotencyKey }),
    bulkPush: (body: Body<typeof BulkPushSchema>, idempotencyKey: string) =>
      call('bulkPush', { body, idempotencyKey }),
    pushTemplates: () => call('pushTemplates'),

    listExperiments: (participantId: string) => call('listExperiments', { params: id(participantId) }),
    startExperiment: (participantId: string, body: Body<typeof NewExperimentSchema>) =>
      call('startExperiment', { params: id(participantId), body }),
    endExperiment: (participantId: string, experimentId: string) =>
      call('endExperiment', { params: { id: participantId, experimentId } }),

    listReplies: (participantId: string, limit = 200) =>
      call('listReplies', { params: id(participantId), query: { limit } }),
    listPrompts: (participantId: string) => call('listPrompts', { params: id(participantId) }),

    conversation: (participantId: string) => call('conversation', { params: id(participantId) }),
    replyToParticipant: (participantId: string, body: Body<typeof CoachReplySchema>) =>
      call('replyToParticipant', { params: id(participantId), body }),
    markMessagesRead: (participantId: string, body: Body<typeof MarkReadSchema>) =>
      call('markMessagesRead', { params: id(participantId), body }),

    cohortReport: (programId: string, week: string) => call('cohortReport', { query: { week, programId } }),
    audit: (page: { limit: number; cursor?: string | undefined }) =>
      call('audit', { query: { limit: page.limit, cursor: page.cursor } }),
  };
}

/** The typed client. */
export type Client = ReturnType<typeof createClient>;
