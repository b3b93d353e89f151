/**
 * The coach API's response bodies, named once: the types are the server's own view types (what
 * the use cases return and the handlers send), and {@link VIEW_FIELDS} lists each one's property
 * names, checked against those types by the compiler, so the OpenAPI document's response schemas
 * (built from the lists) cannot drift from what the server sends.
 *
 * The dashboard imports this module with `import type` only (no server code in its bundle); its
 * API client names, per route, which of these bodies the route answers with, and a test holds the
 * client's routes and the fields it reads against `/api/openapi.json`.
 *
 * This module imports types only, so importing its value ({@link VIEW_FIELDS}) costs nothing either.
 */
import type { ConversationMessage } from '../domain/conversation.js';
import type { PushTemplate } from '../domain/push.js';
import type { CohortQuestion, CohortReport, QuestionSummary, WeekSummary } from '../domain/summary.js';
import type { AuditEntry } from '../ports.js';
import type { Conversation } from '../usecases/conversations.js';
import type { EditedView } from '../usecases/edit-participant.js';
import type { ExperimentView, ExperimentWithAnswers } from '../usecases/experiments.js';
import type { AnswerView, EnrolledView, ParticipantView, PromptView } from '../usecases/participants.js';
import type { ProgramView, UpdatedProgramView } from '../usecases/programs.js';
import type { BulkPushResult, BulkRecipient, PushView } from '../usecases/pushes.js';

export type {
  AnswerView,
  AuditEntry,
  BulkPushResult,
  BulkRecipient,
  CohortQuestion,
  CohortReport,
  Conversation,
  EditedView,
  EnrolledView,
  ExperimentView,
  ExperimentWithAnswers,
  ParticipantView,
  ProgramView,
  PromptView,
  PushTemplate,
  PushView,
  QuestionSummary,
  UpdatedProgramView,
  WeekSummary,
};

/** A conversation entry the participant wrote. */
export type ParticipantMessageEntry = Extract<Conversation['messages'][number], { from: 'participant' }>;
/** A conversation entry the coach sent (a reply or a push). */
export type CoachMessageEntry = Extract<Conversation['messages'][number], { from: 'coach' }>;

/** Every response body of the coach API, by its OpenAPI component name. */
export interface Views {
  Program: ProgramView;
  UpdatedProgram: UpdatedProgramView;
  ProgramList: { readonly programs: ProgramView[] };
  Participant: ParticipantView;
  EnrolledParticipant: EnrolledView;
  EditedParticipant: EditedView;
  ParticipantPage: { readonly participants: ParticipantView[]; readonly cursor?: string };
  ImportResult: { readonly imported: number; readonly participants: EnrolledView[] };
  Summary: WeekSummary;
  SummaryQuestion: QuestionSummary;
  WeekSummaries: { readonly week: string; readonly summaries: WeekSummary[] };
  ParticipantSummaries: { readonly summaries: WeekSummary[] };
  AnnotatedWeek: { readonly week: string; readonly annotation: string | null };
  Push: PushView;
  PushList: { readonly pushes: PushView[] };
  BulkPushResult: BulkPushResult;
  BulkRecipient: BulkRecipient;
  PushTemplate: PushTemplate;
  PushTemplateList: { readonly templates: readonly PushTemplate[] };
  Experiment: ExperimentView;
  ExperimentWithAnswers: ExperimentWithAnswers;
  ExperimentList: { readonly experiments: ExperimentWithAnswers[] };
  Answer: AnswerView;
  AnswerPage: { readonly replies: AnswerView[]; readonly cursor?: string };
  Prompt: PromptView;
  PromptList: { readonly prompts: PromptView[] };
  Conversation: Conversation;
  ParticipantMessage: ParticipantMessageEntry;
  CoachMessage: CoachMessageEntry;
  MarkedRead: { readonly marked: number; readonly unreadMessages: number; readonly needsHuman: boolean };
  CohortReport: CohortReport;
  CohortQuestion: CohortQuestion;
  AuditEntry: AuditEntry;
  AuditPage: { readonly entries: AuditEntry[]; readonly cursor?: string };
}

/** An OpenAPI component name of a response body. */
export type ViewName = keyof Views;

type RequiredKeys<T> = { [K in keyof T]-?: Record<string, never> extends Pick<T, K> ? never : K }[keyof T] &
  string;
type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>> & string;
/** `unknown` when `Listed` covers `All`; otherwise a type naming what is missing, which no array is. */
type Covers<All, Listed> = [Exclude<All, Listed>] extends [never]
  ? unknown
  : { missing: Exclude<All, Listed> };

/** A view's property names: those always present and those that may be absent. */
export interface ViewFields {
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** JSON Schemas of properties worth describing (a nested view is a `$ref`); the others are any. */
  readonly types?: Readonly<Record<string, unknown>>;
}

/**
 * The property names of `T`, each in the right list: a property missing, misspelt or listed as
 * optional when it is always there (or the reverse) does not compile.
 */
const fieldsOf =
  <T>() =>
  <const R extends readonly RequiredKeys<T>[], const O extends readonly OptionalKeys<T>[]>(
    required: R & Covers<RequiredKeys<T>, R[number]>,
    optional: O & Covers<OptionalKeys<T>, O[number]>,
    types?: Partial<Record<keyof T & string, unknown>>,
  ): ViewFields => ({ required, optional, ...(types ? { types } : {}) });

const ref = (name: ViewName) => ({ $ref: `#/components/schemas/${name}` });
const list = (name: ViewName) => ({ type: 'array', items: ref(name) });
const instant = { type: 'string', format: 'date-time' };
const pushFields = [
  'id',
  'participantId',
  'text',
  'channel',
  'sendAt',
  'status',
  'createdAt',
] as const satisfies readonly RequiredKeys<PushView>[];
const pushOptional = [
  'skipReason',
  'exercise',
  'answer',
  'followUp',
] as const satisfies readonly OptionalKeys<PushView>[];
const participantFields = [
  'id',
  'coachId',
  'name',
  'channel',
  'timeZone',
  'programId',
  'status',
  'createdAt',
] as const satisfies readonly RequiredKeys<ParticipantView>[];
const participantOptional = [
  'phone',
  'email',
  'consentAt',
  'pausedUntil',
  'nextDueAt',
  'addressSince',
  'coachName',
  'unreadMessages',
  'unreadUrgent',
] as const satisfies readonly OptionalKeys<ParticipantView>[];
const programFields = [
  'id',
  'coachId',
  'name',
  'questions',
  'schedule',
  'createdAt',
  'builtIn',
  'reportCard',
  'smsCost',
] as const satisfies readonly RequiredKeys<ProgramView>[];
const programOptional = ['updatedAt', 'archivedAt'] as const satisfies readonly OptionalKeys<ProgramView>[];
const programTypes = {
  archivedAt: instant,
  updatedAt: instant,
  builtIn: { type: 'boolean' },
  reportCard: { type: 'boolean' },
  smsCost: {
    type: 'object',
    properties: {
      encoding: { enum: ['GSM-7', 'UCS-2'] },
      segments: { type: 'integer' },
      characters: { type: 'integer' },
      nonGsmCharacters: { type: 'array', items: { type: 'string' } },
    },
    required: ['encoding', 'segments', 'characters', 'nonGsmCharacters'],
  },
};
const summaryFields = [
  'participantId',
  'name',
  'channel',
  'status',
  'timeZone',
  'programId',
  'week',
  'closed',
  'flags',
  'unreadMessages',
  'sent',
  'answered',
  'responseRate',
  'streak',
  'lastAnswerAt',
  'questions',
  'comments',
  'texts',
  'annotation',
  'push',
  'pushAt',
] as const satisfies readonly RequiredKeys<WeekSummary>[];
const experimentFields = [
  'id',
  'participantId',
  'coachId',
  'question',
  'startDate',
  'endDate',
  'createdAt',
  'status',
] as const satisfies readonly RequiredKeys<ExperimentView>[];
const experimentOptional = ['note', 'endedAt'] as const satisfies readonly OptionalKeys<ExperimentView>[];

/** The property names of every response body, by component name (see {@link fieldsOf}). */
export const VIEW_FIELDS: { readonly [N in ViewName]: ViewFields } = {
  Program: fieldsOf<ProgramView>()(programFields, programOptional, programTypes),
  UpdatedProgram: fieldsOf<UpdatedProgramView>()([...programFields, 'rescheduled'], programOptional, {
    ...programTypes,
    rescheduled: { type: 'integer' },
  }),
  ProgramList: fieldsOf<Views['ProgramList']>()(['programs'], [], { programs: list('Program') }),
  Participant: fieldsOf<ParticipantView>()(participantFields, participantOptional),
  EnrolledParticipant: fieldsOf<EnrolledView>()(
    [...participantFields, 'optInRequest'],
    [...participantOptional, 'optInAt'],
  ),
  EditedParticipant: fieldsOf<EditedView>()([...participantFields, 'consentRestarted'], participantOptional),
  ParticipantPage: fieldsOf<Views['ParticipantPage']>()(['participants'], ['cursor'], {
    participants: list('Participant'),
  }),
  ImportResult: fieldsOf<Views['ImportResult']>()(['imported', 'participants'], [], {
    participants: list('EnrolledParticipant'),
  }),
  Summary: fieldsOf<WeekSummary>()(summaryFields, [], { questions: list('SummaryQuestion') }),
  SummaryQuestion: fieldsOf<QuestionSummary>()(
    [
      'key',
      'text',
      'type',
      'min',
      'max',
      'unit',
      'experimentId',
      'count',
      'average',
      'min_value',
      'max_value',
      'change',
      'yesShare',
      'values',
    ],
    [],
  ),
  WeekSummaries: fieldsOf<Views['WeekSummaries']>()(['week', 'summaries'], [], {
    summaries: list('Summary'),
  }),
  ParticipantSummaries: fieldsOf<Views['ParticipantSummaries']>()(['summaries'], [], {
    summaries: list('Summary'),
  }),
  AnnotatedWeek: fieldsOf<Views['AnnotatedWeek']>()(['week', 'annotation'], []),
  Push: fieldsOf<PushView>()(pushFields, pushOptional),
  PushList: fieldsOf<Views['PushList']>()(['pushes'], [], { pushes: list('Push') }),
  BulkPushResult: fieldsOf<BulkPushResult>()(['queued', 'skipped', 'refused', 'recipients'], [], {
    recipients: list('BulkRecipient'),
  }),
  BulkRecipient: fieldsOf<BulkRecipient>()(
    ['participantId', 'name', 'status', 'segments'],
    ['skipReason', 'error'],
  ),
  PushTemplate: fieldsOf<PushTemplate>()(['id', 'name', 'text', 'hint'], []),
  PushTemplateList: fieldsOf<Views['PushTemplateList']>()(['templates'], [], {
    templates: list('PushTemplate'),
  }),
  Experiment: fieldsOf<ExperimentView>()(experimentFields, experimentOptional),
  ExperimentWithAnswers: fieldsOf<ExperimentWithAnswers>()(
    [...experimentFields, 'answers'],
    experimentOptional,
  ),
  ExperimentList: fieldsOf<Views['ExperimentList']>()(['experiments'], [], {
    experiments: list('ExperimentWithAnswers'),
  }),
  Answer: fieldsOf<AnswerView>()(
    ['question', 'questionIndex', 'channel', 'source', 'scheduledFor', 'receivedAt'],
    ['value', 'text', 'experimentId', 'comment'],
  ),
  AnswerPage: fieldsOf<Views['AnswerPage']>()(['replies'], ['cursor'], { replies: list('Answer') }),
  Prompt: fieldsOf<PromptView>()(
    ['kind', 'channel', 'scheduledFor', 'status', 'attempts'],
    ['sentAt', 'skipReason', 'errorCode', 'deliveryStatus', 'answeredAt'],
  ),
  PromptList: fieldsOf<Views['PromptList']>()(['prompts'], [], { prompts: list('Prompt') }),
  Conversation: fieldsOf<Conversation>()(['messages', 'unreadMessages', 'needsHuman'], [], {
    messages: { type: 'array', items: { oneOf: [ref('ParticipantMessage'), ref('CoachMessage')] } },
  }),
  ParticipantMessage: fieldsOf<ParticipantMessageEntry>()(
    ['from', 'at', 'id', 'receivedAt', 'channel', 'text', 'urgent'],
    ['readAt'] satisfies (keyof ConversationMessage)[],
    { from: { const: 'participant' } },
  ),
  CoachMessage: fieldsOf<CoachMessageEntry>()(['from', 'at', ...pushFields], pushOptional, {
    from: { const: 'coach' },
  }),
  MarkedRead: fieldsOf<Views['MarkedRead']>()(['marked', 'unreadMessages', 'needsHuman'], []),
  CohortReport: fieldsOf<CohortReport>()(
    ['week', 'programId', 'participants', 'suppressed', 'responseRate', 'questions'],
    [],
    { questions: list('CohortQuestion') },
  ),
  CohortQuestion: fieldsOf<CohortQuestion>()(
    ['key', 'text', 'type', 'participants', 'suppressed', 'count', 'average', 'distribution'],
    [],
  ),
  AuditEntry: fieldsOf<AuditEntry>()(['at', 'action', 'coachId'], ['participantId', 'count']),
  AuditPage: fieldsOf<Views['AuditPage']>()(['entries'], ['cursor'], { entries: list('AuditEntry') }),
};

/** The OpenAPI component schema of a response body: its properties and which are always there. */
export function viewSchema(name: ViewName): Record<string, unknown> {
  const { required, optional, types = {} } = VIEW_FIELDS[name];
  return {
    type: 'object',
    properties: Object.fromEntries([...required, ...optional].map((key) => [key, types[key] ?? {}])),
    required: [...required],
  };
}
