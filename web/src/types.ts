/**
 * The coach API's answers as the dashboard reads them: the server's own view types
 * (`shared/http/views.ts`), imported as types only, so nothing of the server reaches the bundle and
 * a field the server does not send does not compile.
 */
import type * as z from 'zod';
import type { NewParticipantSchema } from '../../shared/domain/participant-input.js';
import type { Views } from '../../shared/http/views.js';

export type { Channel } from '../../shared/domain/channel.js';
export type { ParticipantViewStatus as Status } from '../../shared/domain/participant.js';
export type { Question, Schedule, Weekday } from '../../shared/domain/program.js';

export type Program = Views['Program'];
export type Participant = Views['Participant'];
export type EnrolledParticipant = Views['EnrolledParticipant'];
export type Summary = Views['Summary'];
export type SummaryQuestion = Views['SummaryQuestion'];
export type Answer = Views['Answer'];
export type PromptView = Views['Prompt'];
export type Push = Views['Push'];
export type Experiment = Views['ExperimentWithAnswers'];
export type CohortReport = Views['CohortReport'];
export type ConversationEntry = Views['Conversation']['messages'][number];
export type ConversationView = Views['Conversation'];
export type PushTemplate = Views['PushTemplate'];
export type BulkResult = Views['BulkPushResult'];
export type AuditEntry = Views['AuditEntry'];
export type AuditPage = Views['AuditPage'];
/** A participant to enrol (`POST /api/participants`), as typed or imported: the server's schema. */
export type NewParticipant = z.input<typeof NewParticipantSchema>;
