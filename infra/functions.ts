/**
 * The catalogue of Lambda functions, the queues between them and what triggers them. The CDK
 * stateless stack creates one function per entry, gives it exactly the environment and grants its
 * entry declares, and wires its triggers; the local stack mounts the very same handlers on the same
 * routes, schedules, queues and inbound-mail paths. Adding a function, a queue or a scheduled job
 * is an entry here plus its handler. Plain data on purpose: the local stack imports it without
 * loading aws-cdk-lib.
 */

/** HTTP method accepted by an API route. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One queue feeding a consumer function, with its own dead-letter queue. */
export interface QueueSpec {
  /** Kebab-case; the environment names its URL `<NAME>_QUEUE_URL` and `<NAME>_DLQ_URL`. */
  readonly name: string;
  readonly description: string;
}

/**
 * The send queues, one per channel: each consumer bundles one provider SDK only, and each
 * channel's throughput is tuned on its own (a Twilio number's messages per second, SES's send
 * rate) without one channel's backlog or outage holding up the other.
 */
export const queueCatalogue = [
  { name: 'send-sms', description: 'SMS prompts, reminders and opt-in requests waiting for Twilio' },
  { name: 'send-email', description: 'Email check-ins, reminders and welcomes waiting for SES' },
] as const satisfies readonly QueueSpec[];

/** Name of a queue in {@link queueCatalogue}. */
export type QueueName = (typeof queueCatalogue)[number]['name'];

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
  | {
      readonly kind: 'schedule';
      readonly everyMinutes: number;
      /**
       * Where the job's next work shows, so the local scheduler can skip the runs before it when
       * it moves the clock far ahead (`due-index`: the earliest entry of the table's due index).
       * Without it, every run happens; on AWS every run happens regardless.
       */
      readonly idleUntil?: 'due-index';
    }
  /** Consumes a queue (batches of 10, partial batch failures), as Lambda's event source mapping does. */
  | { readonly kind: 'queue'; readonly queue: QueueName }
  /**
   * A raw inbound email. AWS: SES receipt rule → S3 object → S3 event notification. Locally:
   * `POST /dev/email/inbound` with the raw RFC 5322 message, stored and delivered the same way.
   */
  | { readonly kind: 'inbound-email' }
  /**
   * SES sending events (bounce, complaint, delivery…). AWS: configuration-set event destination
   * (SNS topic subscription). Locally: `POST /dev/email/events` with the event JSON.
   */
  | { readonly kind: 'email-events' };

/** DynamoDB actions a function may call; the stack grants exactly these, on the table and its indexes. */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

/**
 * Other resources a function uses. Each brings its environment variables and its grants (see the
 * stateless stack); a function never gets a variable for a resource it does not list.
 * - `public-url`: `PUBLIC_BASE_URL` (webhook signatures, callback and answer links)
 * - `twilio`: `TWILIO_SECRET_ARN`, `TWILIO_FROM`; read on the secret
 * - `ses`: `EMAIL_FROM`, `EMAIL_REPLY_DOMAIN`, `SES_CONFIGURATION_SET`; send from the identity only
 * - `link-key`: `LINK_SECRET_ARN`; read on the answer-link signing secret
 * - `enqueue:<queue>`: `<QUEUE>_QUEUE_URL`; send messages to that queue
 * - `inbound-mail-bucket`: `INBOUND_MAIL_BUCKET`; read raw inbound messages
 */
export type Resource =
  | 'public-url'
  | 'twilio'
  | 'ses'
  | 'link-key'
  | `enqueue:${QueueName}`
  | 'inbound-mail-bucket';

/** One deployable function. */
export interface FunctionSpec {
  /** Kebab-case verb-noun; also the folder under `functions/`. */
  readonly name: string;
  readonly description: string;
  readonly triggers: readonly Trigger[];
  /** DynamoDB actions the code calls (with `TABLE_NAME` and `DUE_SHARDS`); absent: no table access. */
  readonly table?: readonly TableAction[];
  /** Everything else the function touches. */
  readonly uses?: readonly Resource[];
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
const publicRoute = (method: HttpMethod, path: string): Trigger => ({ kind: 'http', method, path, auth: 'none' });

const READ: readonly TableAction[] = ['GetItem', 'BatchGetItem', 'Query'];
const READ_WRITE: readonly TableAction[] = [...READ, 'PutItem', 'UpdateItem', 'ConditionCheckItem'];

/** Every function of the product. */
export const functionCatalogue: readonly FunctionSpec[] = [
  {
    name: 'create-program',
    description: 'Coach API: create a program (questions and schedule)',
    triggers: [coachApi('POST', '/api/programs')],
    table: ['PutItem'],
  },
  {
    name: 'list-programs',
    description: "Coach API: the coach's programs and the built-in ones",
    triggers: [coachApi('GET', '/api/programs')],
    table: ['Query'],
  },
  {
    name: 'enrol-participant',
    description: 'Coach API: enrol a participant and queue the SMS opt-in request or the email welcome',
    triggers: [coachApi('POST', '/api/participants')],
    table: READ_WRITE,
    uses: ['enqueue:send-sms', 'enqueue:send-email'],
  },
  {
    name: 'list-participants',
    description: "Coach API: the coach's participants",
    triggers: [coachApi('GET', '/api/participants')],
    table: READ,
  },
  {
    name: 'pause-participant',
    description: 'Coach API: pause prompts until a date; they resume by themselves',
    triggers: [coachApi('POST', '/api/participants/{id}/pause')],
    table: READ_WRITE,
  },
  {
    name: 'resume-participant',
    description: 'Coach API: end a pause now',
    triggers: [coachApi('POST', '/api/participants/{id}/resume')],
    table: READ_WRITE,
  },
  {
    name: 'list-prompts',
    description: "Coach API: a participant's prompts and reminders and what became of them",
    triggers: [coachApi('GET', '/api/participants/{id}/prompts')],
    table: READ,
  },
  {
    name: 'get-participant',
    description: 'Coach API: one participant of the coach',
    triggers: [coachApi('GET', '/api/participants/{id}')],
    table: READ,
  },
  {
    name: 'list-replies',
    description: "Coach API: a participant's stored answers",
    triggers: [coachApi('GET', '/api/participants/{id}/replies')],
    table: READ,
  },
  {
    name: 'get-openapi',
    description: 'The coach API described as OpenAPI 3.1, generated from the zod schemas',
    triggers: [publicRoute('GET', '/api/openapi.json')],
    uses: ['public-url'],
  },
  {
    name: 'dispatch-due',
    description: 'Every minute: create the prompts that are due and queue them for sending',
    triggers: [{ kind: 'schedule', everyMinutes: 1, idleUntil: 'due-index' }],
    table: READ_WRITE,
    uses: ['enqueue:send-sms', 'enqueue:send-email'],
    timeoutSeconds: 55,
    reservedConcurrency: 1,
  },
  {
    name: 'send-sms',
    description: 'SMS send queue consumer: claim a prompt and send it through Twilio exactly once',
    triggers: [{ kind: 'queue', queue: 'send-sms' }],
    table: READ_WRITE,
    uses: ['twilio', 'public-url'],
    timeoutSeconds: 30,
  },
  {
    name: 'record-sms-reply',
    description: 'Twilio inbound webhook: store the raw message, parse and attribute the answers',
    triggers: [publicRoute('POST', '/webhooks/twilio/sms')],
    table: READ_WRITE,
    uses: ['twilio', 'public-url'],
  },
  {
    name: 'record-sms-status',
    description: 'Twilio status callback: record delivery status of a sent prompt',
    triggers: [publicRoute('POST', '/webhooks/twilio/status')],
    table: READ_WRITE,
    uses: ['twilio', 'public-url'],
  },
];
