/**
 * The catalogue of Lambda functions and what triggers them. The CDK stateless stack creates one
 * function per entry and wires its triggers; the local stack mounts the very same handlers on the
 * same routes, schedules and queue. Plain data on purpose: the local stack imports it without
 * loading aws-cdk-lib.
 */

/** HTTP method accepted by an API route. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What invokes a function. */
export type Trigger =
  | {
      readonly kind: 'http';
      readonly method: HttpMethod;
      /** API Gateway route path; `{name}` segments become `pathParameters`. */
      readonly path: string;
      /** `coach`: a JWT from the coach user pool is required (401 otherwise). `none`: public. */
      readonly auth: 'coach' | 'none';
    }
  | { readonly kind: 'schedule'; readonly everyMinutes: number }
  | { readonly kind: 'queue'; readonly queue: 'send' };

/** Resources a function may touch; the CDK stack grants exactly these. */
export type Access = 'table-read' | 'table-write' | 'send-queue' | 'twilio-secret';

/** One deployable function. */
export interface FunctionSpec {
  /** Kebab-case verb-noun; also the folder under `functions/`. */
  readonly name: string;
  readonly description: string;
  readonly triggers: readonly Trigger[];
  readonly access: readonly Access[];
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  /** Caps concurrent executions; 1 keeps a slow scheduled run from overlapping the next. */
  readonly reservedConcurrency?: number;
}

const coachApi = (method: HttpMethod, path: string): Trigger => ({
  kind: 'http',
  method,
  path,
  auth: 'coach',
});

/** Every function of the product. */
export const functionCatalogue: readonly FunctionSpec[] = [
  {
    name: 'create-program',
    description: 'Coach API: create a program (questions and schedule)',
    triggers: [coachApi('POST', '/api/programs')],
    access: ['table-write'],
  },
  {
    name: 'list-programs',
    description: "Coach API: the coach's programs and the built-in ones",
    triggers: [coachApi('GET', '/api/programs')],
    access: ['table-read'],
  },
  {
    name: 'enrol-participant',
    description: 'Coach API: enrol a participant and queue the SMS opt-in request',
    triggers: [coachApi('POST', '/api/participants')],
    access: ['table-write', 'send-queue'],
  },
  {
    name: 'list-participants',
    description: "Coach API: the coach's participants",
    triggers: [coachApi('GET', '/api/participants')],
    access: ['table-read'],
  },
  {
    name: 'pause-participant',
    description: 'Coach API: pause prompts until a date; they resume by themselves',
    triggers: [coachApi('POST', '/api/participants/{id}/pause')],
    access: ['table-write'],
  },
  {
    name: 'resume-participant',
    description: 'Coach API: end a pause now',
    triggers: [coachApi('POST', '/api/participants/{id}/resume')],
    access: ['table-write'],
  },
  {
    name: 'list-prompts',
    description: "Coach API: a participant's prompts and reminders and what became of them",
    triggers: [coachApi('GET', '/api/participants/{id}/prompts')],
    access: ['table-read'],
  },
  {
    name: 'get-participant',
    description: 'Coach API: one participant of the coach',
    triggers: [coachApi('GET', '/api/participants/{id}')],
    access: ['table-read'],
  },
  {
    name: 'list-replies',
    description: "Coach API: a participant's stored answers",
    triggers: [coachApi('GET', '/api/participants/{id}/replies')],
    access: ['table-read'],
  },
  {
    name: 'get-openapi',
    description: 'The coach API described as OpenAPI 3.1, generated from the zod schemas',
    triggers: [{ kind: 'http', method: 'GET', path: '/api/openapi.json', auth: 'none' }],
    access: [],
  },
  {
    name: 'dispatch-due',
    description: 'Every minute: create the prompts that are due and queue them for sending',
    triggers: [{ kind: 'schedule', everyMinutes: 1 }],
    access: ['table-write', 'send-queue'],
    timeoutSeconds: 55,
    reservedConcurrency: 1,
  },
  {
    name: 'send-sms',
    description: 'Send queue consumer: claim a prompt and send it through Twilio exactly once',
    triggers: [{ kind: 'queue', queue: 'send' }],
    access: ['table-write', 'twilio-secret'],
    timeoutSeconds: 30,
  },
  {
    name: 'record-sms-reply',
    description: 'Twilio inbound webhook: store the raw message, parse and attribute the answers',
    triggers: [{ kind: 'http', method: 'POST', path: '/webhooks/twilio/sms', auth: 'none' }],
    access: ['table-write', 'twilio-secret'],
  },
  {
    name: 'record-sms-status',
    description: 'Twilio status callback: record delivery status of a sent prompt',
    triggers: [{ kind: 'http', method: 'POST', path: '/webhooks/twilio/status', auth: 'none' }],
    access: ['table-write', 'twilio-secret'],
  },
];
