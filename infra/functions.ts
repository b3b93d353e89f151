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
  {
    name: 'send-sms',
    description: 'SMS prompts, reminders, opt-in requests, pushes and report cards waiting for Twilio',
  },
  {
    name: 'send-email',
    description: 'Email check-ins, reminders, welcomes, pushes and report cards waiting for SES',
  },
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
      /**
       * Why a public route needs no JWT and how its requests are authenticated instead; required
       * for `auth: 'none'`. The CDK app records it as the route's cdk-nag APIG4 acknowledgement.
       */
      readonly publicBecause?: string;
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
 * - `address-key`: `ADDRESS_HASH_SECRET_ARN`; read on the key hashing erased addresses' consent
 * - `enqueue:<queue>`: `<QUEUE>_QUEUE_URL`; send messages to that queue
 * - `inbound-mail-bucket`: `INBOUND_MAIL_BUCKET`; read raw inbound messages
 * - `inbound-mail-erase`: `INBOUND_MAIL_BUCKET`; delete raw inbound messages (erasure)
 * - `sms-policy`: `SMS_ALLOWED_COUNTRIES`; which countries' numbers may be enrolled for SMS
 * - `retention`: `RAW_MESSAGE_RETENTION_DAYS`; how long the raw inbound messages it stores are kept
 * - `coach-directory`: `COACH_USER_POOL_ID`; look coaches up (AdminGetUser) in the coach user pool
 * - `dashboard-url`: `DASHBOARD_URL`; links into the coach dashboard (its CloudFront URL on AWS)
 *
 * A table entry brings `TABLE_NAME` and `DUE_SHARDS`; a queue consumer gets its queue's
 * `<QUEUE>_QUEUE_URL` (it delays retries with ChangeMessageVisibility), `<QUEUE>_DLQ_URL` and
 * `SEND_MAX_ATTEMPTS`; every function gets `POWERTOOLS_LOG_LEVEL`. See {@link variablesOf}.
 */
export type Resource =
  | 'public-url'
  | 'twilio'
  | 'ses'
  | 'link-key'
  | 'address-key'
  | `enqueue:${QueueName}`
  | 'inbound-mail-bucket'
  | 'inbound-mail-erase'
  | 'sms-policy'
  | 'retention'
  | 'coach-directory'
  | 'dashboard-url';

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
  /**
   * A minified-bundle budget above the default (1 MB with the Twilio SDK, 500 KB otherwise), with
   * the reason; `npm run bench -- bundles` and the synth test hold every bundle to its budget.
   */
  readonly bundleBudget?: { readonly kb: number; readonly because: string };
}

const coachApi = (method: HttpMethod, path: string): Trigger => ({
  kind: 'http',
  method,
  path,
  auth: 'coach',
});
const publicRoute = (method: HttpMethod, path: string, publicBecause: string): Trigger => ({
  kind: 'http',
  method,
  path,
  auth: 'none',
  publicBecause,
});

const twilioSignature =
  'Twilio webhook: Twilio cannot present a JWT; the handler authenticates every request by its ' +
  'X-Twilio-Signature (HMAC-SHA1 over URL and body with the account auth token) and answers 403 otherwise.';
const signedLink = (what: string) =>
  `${what} link from an email: the participant never logs in; the path token is HMAC-signed with the ` +
  'link key (Secrets Manager), names one participant and expires; a forged or expired token is rejected ' +
  'without touching data.';

const READ: readonly TableAction[] = ['GetItem', 'BatchGetItem', 'Query'];
const READ_WRITE: readonly TableAction[] = [...READ, 'PutItem', 'UpdateItem', 'ConditionCheckItem'];
/** Coach's-week reads, plus the conditional PutItem that remembers the coach's profile. */
const WEEK_READ: readonly TableAction[] = [...READ, 'PutItem'];

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
    name: 'update-program',
    description: "Coach API: change a program; every participant's next prompt and due time follow it",
    triggers: [coachApi('PUT', '/api/programs/{id}')],
    table: ['GetItem', 'Query', 'UpdateItem'],
  },
  {
    name: 'archive-program',
    description: 'Coach API: archive a program (no new enrolments; its participants keep running)',
    triggers: [coachApi('POST', '/api/programs/{id}/archive')],
    table: ['GetItem', 'UpdateItem'],
  },
  {
    name: 'copy-program',
    description: 'Coach API: copy a program (the built-in one too) into a new program of the coach',
    triggers: [coachApi('POST', '/api/programs/{id}/copy')],
    table: ['GetItem', 'PutItem'],
  },
  {
    name: 'move-participant',
    description: 'Coach API: move a participant to another program',
    triggers: [coachApi('POST', '/api/participants/{id}/program')],
    table: ['GetItem', 'UpdateItem'],
  },
  {
    name: 'manage-experiments',
    description: "Coach API: a participant's personal experiments: attach, list with answers, end",
    triggers: [
      coachApi('POST', '/api/participants/{id}/experiments'),
      coachApi('GET', '/api/participants/{id}/experiments'),
      coachApi('DELETE', '/api/participants/{id}/experiments/{experimentId}'),
    ],
    table: ['GetItem', 'Query', 'PutItem', 'UpdateItem'],
  },
  {
    name: 'enrol-participant',
    description: 'Coach API: enrol a participant and queue the SMS opt-in request or the email welcome',
    triggers: [coachApi('POST', '/api/participants')],
    table: READ_WRITE,
    uses: ['enqueue:send-sms', 'enqueue:send-email', 'sms-policy', 'address-key'],
    bundleBudget: {
      kb: 600,
      because:
        "premium-rate and shared-cost numbers are recognised with libphonenumber's number-type patterns: its code (39 KB) and metadata without formats (103 KB) on top of about 447 KB that every API function with the SQS and Secrets Manager clients carries",
    },
  },
  {
    name: 'edit-participant',
    description:
      "Coach API: edit a participant's name, zone, phone, email or channel; consent and schedule follow",
    triggers: [coachApi('PATCH', '/api/participants/{id}')],
    table: READ_WRITE,
    uses: ['enqueue:send-sms', 'enqueue:send-email', 'sms-policy', 'address-key'],
    bundleBudget: {
      kb: 600,
      because:
        "a new phone number is checked like at enrolment, with libphonenumber's number-type patterns (142 KB, see enrol-participant)",
    },
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
    name: 'create-push',
    description: 'Coach API: a push (and micro-exercise) to one participant, sent outside their quiet hours',
    triggers: [coachApi('POST', '/api/participants/{id}/pushes')],
    table: READ_WRITE,
    uses: ['enqueue:send-sms', 'enqueue:send-email'],
  },
  {
    name: 'list-messages',
    description:
      "Coach API: a participant's conversation (what they wrote, read or unread, and the coach's replies)",
    triggers: [coachApi('GET', '/api/participants/{id}/messages')],
    table: READ,
  },
  {
    name: 'mark-messages-read',
    description:
      "Coach API: mark a participant's messages read (clears their unread count and needs-a-human flag)",
    triggers: [coachApi('POST', '/api/participants/{id}/messages/read')],
    table: ['GetItem', 'Query', 'UpdateItem'],
  },
  {
    name: 'reply-to-participant',
    description: "Coach API: reply in the conversation, sent as a push on the participant's channel",
    triggers: [coachApi('POST', '/api/participants/{id}/messages')],
    table: READ_WRITE,
    uses: ['enqueue:send-sms', 'enqueue:send-email'],
  },
  {
    name: 'list-pushes',
    description: "Coach API: a participant's pushes, their status and exercise answers",
    triggers: [coachApi('GET', '/api/participants/{id}/pushes')],
    table: READ,
  },
  {
    name: 'send-bulk-push',
    description: 'Coach API: one personalised push to all (or the flagged) active participants',
    triggers: [coachApi('POST', '/api/pushes/bulk')],
    table: READ_WRITE,
    uses: ['enqueue:send-sms', 'enqueue:send-email'],
    timeoutSeconds: 30,
  },
  {
    name: 'list-push-templates',
    description: 'Coach API: the push forms the composer offers',
    triggers: [coachApi('GET', '/api/push-templates')],
  },
  {
    name: 'export-participant',
    description: 'Coach API: everything stored about a participant, as JSON (audited)',
    triggers: [coachApi('GET', '/api/participants/{id}/export')],
    table: [...READ, 'PutItem'],
  },
  {
    name: 'erase-participant',
    description: "Coach API: erase a participant's personal data and raw messages (audited)",
    triggers: [coachApi('DELETE', '/api/participants/{id}')],
    table: [...READ_WRITE, 'BatchWriteItem', 'DeleteItem'],
    uses: ['inbound-mail-erase', 'address-key'],
    timeoutSeconds: 30,
    bundleBudget: {
      kb: 600,
      because: "the S3 client (about 100 KB), which deletes the participant's raw inbound emails",
    },
  },
  {
    name: 'list-audit',
    description: "Coach API: the coach's audit trail (exports, erasures, pushes, imports)",
    triggers: [coachApi('GET', '/api/audit')],
    table: ['Query'],
  },
  {
    name: 'import-participants',
    description: 'Coach API: enrol the rows of a CSV file, all or none, with per-row errors',
    triggers: [coachApi('POST', '/api/participants/import')],
    // DeleteItem: an import refused midway (a program archived meanwhile) removes what it wrote.
    table: [...READ_WRITE, 'DeleteItem'],
    uses: ['enqueue:send-sms', 'enqueue:send-email', 'sms-policy', 'address-key'],
    timeoutSeconds: 30,
    bundleBudget: {
      kb: 600,
      because:
        "like enrol-participant: libphonenumber's number-type patterns (142 KB) check every row's number",
    },
  },
  {
    name: 'list-summaries',
    description: "Coach API: the coach's week, every participant's live summary, flagged first",
    triggers: [coachApi('GET', '/api/summaries')],
    table: WEEK_READ,
  },
  {
    name: 'export-summaries',
    description: "Coach API: the coach's week as CSV (formula-safe, no annotations)",
    triggers: [coachApi('GET', '/api/summaries.csv')],
    table: WEEK_READ,
  },
  {
    name: 'list-participant-summaries',
    description: "Coach API: a participant's weekly summaries, newest first",
    triggers: [coachApi('GET', '/api/participants/{id}/summaries')],
    table: WEEK_READ,
  },
  {
    name: 'annotate-summary',
    description: "Coach API: the coach's private note on a participant's week",
    triggers: [coachApi('PUT', '/api/participants/{id}/summaries/{week}/annotation')],
    table: [...WEEK_READ, 'UpdateItem'],
  },
  {
    name: 'get-cohort-report',
    description: "Anonymised cohort report of a program's week (k-anonymity; admins see the deployment)",
    triggers: [coachApi('GET', '/api/reports/cohort')],
    table: WEEK_READ,
  },
  {
    name: 'close-weeks',
    description: 'Every hour: close the weeks that have ended and email each coach once per week',
    triggers: [{ kind: 'schedule', everyMinutes: 60 }],
    // PutItem: each participant's report card is written (conditionally, once) as the week closes.
    table: [...READ, 'UpdateItem', 'PutItem'],
    uses: ['ses', 'dashboard-url', 'coach-directory'],
    timeoutSeconds: 300,
    reservedConcurrency: 1,
    bundleBudget: {
      kb: 1024,
      because:
        "a provider SDK (SES v2, the coach's email) and the Cognito user pool client beside DynamoDB, like send-email; writing report cards brings the program repository, whose built-in program carries the SMS segment calculator (about 35 KB)",
    },
  },
  {
    name: 'get-openapi',
    description: 'The coach API described as OpenAPI 3.1, generated from the zod schemas',
    triggers: [
      publicRoute(
        'GET',
        '/api/openapi.json',
        'The API description is public documentation generated from the schemas: it serves no participant or coach data.',
      ),
    ],
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
    // link-key: a report card carries a signed link to the participant's history page.
    uses: ['twilio', 'public-url', 'link-key'],
    timeoutSeconds: 30,
  },
  {
    name: 'record-sms-reply',
    description: 'Twilio inbound webhook: store the raw message, parse and attribute the answers',
    triggers: [publicRoute('POST', '/webhooks/twilio/sms', twilioSignature)],
    table: READ_WRITE,
    // ses + coach-directory + dashboard-url: a message that needs a human emails the coach at once,
    // linking to the participant's page on the dashboard.
    uses: ['twilio', 'public-url', 'retention', 'ses', 'coach-directory', 'dashboard-url'],
  },
  {
    name: 'record-sms-status',
    description: 'Twilio status callback: record delivery status of a sent prompt',
    triggers: [publicRoute('POST', '/webhooks/twilio/status', twilioSignature)],
    table: READ_WRITE,
    uses: ['twilio', 'public-url'],
  },
  {
    name: 'send-email',
    description: 'Email send queue consumer: claim a prompt and send it through SES exactly once',
    triggers: [{ kind: 'queue', queue: 'send-email' }],
    table: READ_WRITE,
    uses: ['ses', 'public-url', 'link-key'],
    timeoutSeconds: 30,
    bundleBudget: {
      kb: 1024,
      because: 'a provider SDK (SES v2) beside DynamoDB, SQS and Secrets Manager, like send-sms with Twilio',
    },
  },
  {
    name: 'record-email-reply',
    description:
      'Inbound email (SES receipt rule, raw MIME in S3): strip quotes, parse and attribute the answers',
    triggers: [{ kind: 'inbound-email' }],
    table: READ_WRITE,
    // ses + coach-directory + dashboard-url: a message that needs a human emails the coach at once,
    // linking to the participant's page on the dashboard, and is answered by email.
    uses: ['inbound-mail-bucket', 'link-key', 'retention', 'ses', 'coach-directory', 'dashboard-url'],
    bundleBudget: {
      kb: 1024,
      because:
        'a provider SDK (SES v2, with the Cognito user pool client: commands and answers are confirmed by email, and a message that needs a human emails the coach at once) beside MIME parsing — mailparser and, for HTML-only replies, one build of html-to-text with htmlparser2 and its entity tables — and the S3 client that reads the raw message; charset tables are left to the runtime (see bundle-shims)',
    },
  },
  {
    name: 'record-email-event',
    description: 'SES sending events: record deliveries, suppress addresses that bounce or complain',
    triggers: [{ kind: 'email-events' }],
    table: READ_WRITE,
  },
  {
    name: 'record-answer-link',
    description:
      'One-click answer link from an email: the answer preselected, recorded when Confirm is pressed',
    triggers: [
      publicRoute('GET', '/a/{token}', signedLink('Answer')),
      publicRoute('POST', '/a/{token}', signedLink('Answer')),
    ],
    table: READ_WRITE,
    uses: ['link-key', 'public-url', 'retention'],
  },
  {
    name: 'answer-check-in',
    description: 'Check-in page from an email: every question of a prompt answered with one form',
    triggers: [
      publicRoute('GET', '/c/{token}', signedLink('Check-in page')),
      publicRoute('POST', '/c/{token}', signedLink('Check-in page')),
    ],
    table: READ_WRITE,
    uses: ['link-key', 'public-url', 'retention'],
  },
  {
    name: 'show-history',
    description: "A participant's own history page, from the signed link in their weekly report card",
    triggers: [
      publicRoute(
        'GET',
        '/r/{token}',
        `${signedLink('History')} Sent by SMS as well as by email; it only shows, never changes, anything.`,
      ),
    ],
    table: READ,
    uses: ['link-key'],
  },
  {
    name: 'unsubscribe-email',
    description: 'Email unsubscribe link and RFC 8058 one-click POST: stop every email to the participant',
    triggers: [
      publicRoute('GET', '/u/{token}', signedLink('Unsubscribe')),
      publicRoute(
        'POST',
        '/u/{token}',
        `${signedLink('Unsubscribe')} Mail providers send the RFC 8058 one-click POST without any credential.`,
      ),
    ],
    table: READ_WRITE,
    uses: ['link-key', 'public-url'],
  },
];

/** `SEND_SMS` for `send-sms`: the prefix of a queue's `<QUEUE>_QUEUE_URL` and `<QUEUE>_DLQ_URL`. */
export function queueEnvPrefix(queue: QueueName): string {
  return queue.toUpperCase().replace(/-/gu, '_');
}

/** Whether a resource is an `enqueue:<queue>` one. */
export function isEnqueue(resource: Resource): resource is `enqueue:${QueueName}` {
  return resource.startsWith('enqueue:');
}

/** The queue of an `enqueue:<queue>` resource. */
export function enqueuedQueue(resource: `enqueue:${QueueName}`): QueueName {
  const name = resource.slice('enqueue:'.length);
  const queue = queueCatalogue.find((q) => q.name === name);
  if (queue === undefined) throw new Error(`unknown queue in ${resource}`);
  return queue.name;
}

/** Queues the function consumes (its `queue` triggers). */
export function consumedQueues(spec: FunctionSpec): QueueName[] {
  return spec.triggers.flatMap((t) => (t.kind === 'queue' ? [t.queue] : []));
}

/**
 * Names of the environment variables a function gets: those of its table access, its resources
 * and the queues it consumes, plus `POWERTOOLS_LOG_LEVEL`; nothing else. The CDK app sets exactly
 * these; the bundles bench fills them with dummy values.
 */
export function variablesOf(spec: FunctionSpec): string[] {
  const names = new Set<string>(['POWERTOOLS_LOG_LEVEL']);
  const add = (...more: string[]) => {
    for (const name of more) names.add(name);
  };
  if (spec.table !== undefined) add('TABLE_NAME', 'DUE_SHARDS');
  for (const resource of spec.uses ?? []) {
    if (isEnqueue(resource)) {
      add(`${queueEnvPrefix(enqueuedQueue(resource))}_QUEUE_URL`);
      continue;
    }
    switch (resource) {
      case 'public-url':
        add('PUBLIC_BASE_URL');
        break;
      case 'twilio':
        add('TWILIO_SECRET_ARN', 'TWILIO_FROM');
        break;
      case 'ses':
        add('EMAIL_FROM', 'EMAIL_REPLY_DOMAIN', 'SES_CONFIGURATION_SET');
        break;
      case 'link-key':
        add('LINK_SECRET_ARN');
        break;
      case 'address-key':
        add('ADDRESS_HASH_SECRET_ARN');
        break;
      case 'inbound-mail-bucket':
      case 'inbound-mail-erase':
        add('INBOUND_MAIL_BUCKET');
        break;
      case 'sms-policy':
        add('SMS_ALLOWED_COUNTRIES');
        break;
      case 'retention':
        add('RAW_MESSAGE_RETENTION_DAYS');
        break;
      case 'coach-directory':
        add('COACH_USER_POOL_ID');
        break;
      case 'dashboard-url':
        add('DASHBOARD_URL');
        break;
      default: {
        const unknown: never = resource;
        throw new Error(`unknown resource ${String(unknown)} in the catalogue entry ${spec.name}`);
      }
    }
  }
  for (const queue of consumedQueues(spec)) {
    add(`${queueEnvPrefix(queue)}_QUEUE_URL`, `${queueEnvPrefix(queue)}_DLQ_URL`, 'SEND_MAX_ATTEMPTS');
  }
  return [...names].sort();
}
