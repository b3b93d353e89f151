/**
 * The one configuration module. Every setting comes from `process.env`, parsed with zod into
 * slices: each adapter reads only its own slice, the first time it is used, so a function is
 * asked only for the variables of the adapters it is wired with (a function that lists programs
 * needs no Twilio variable). A bad or missing variable fails that first use with the variable's
 * name instead of half-working. Local mode and AWS differ only in these values (endpoints and
 * where credentials come from), never in code paths.
 */
import * as z from 'zod';

const optionalUrl = z.url().optional();
const intFromEnv = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/**
 * A slice of the environment, parsed once on first use (later calls return the same object).
 * @throws Error naming every bad variable of the slice
 */
export function configSlice<S extends z.ZodType>(what: string, schema: S): () => z.infer<S> {
  let parsed: z.infer<S> | undefined;
  return () => {
    if (parsed === undefined) parsed = parseEnv(what, schema, process.env);
    return parsed;
  };
}

/** Parses an environment against a slice's schema; throws naming every bad variable. */
export function parseEnv<S extends z.ZodType>(what: string, schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`nanocoach configuration (${what}) is invalid — ${problems.join('; ')}`);
  }
  return result.data;
}

/** Region of every AWS client. */
export const awsConfig = configSlice('AWS', z.object({ AWS_REGION: z.string().min(1).default('us-east-1') }));

/** The single DynamoDB table. */
export const tableConfig = configSlice(
  'table',
  z.object({
    /** Single DynamoDB table holding every entity. */
    TABLE_NAME: z.string().min(1).default('nanocoach'),
    /** Set locally to DynamoDB Local's URL; unset on AWS. */
    DYNAMODB_ENDPOINT: optionalUrl,
    /** Partitions of the due-time index, so one busy minute does not make a hot key. */
    DUE_SHARDS: intFromEnv(8, 1, 64),
  }),
);

/** The public URL of the HTTP API. */
export const publicUrlConfig = configSlice(
  'public URL',
  z.object({
    /** Twilio signs requests against it; status callbacks and answer links point at it. */
    PUBLIC_BASE_URL: z.url().transform((u) => u.replace(/\/+$/u, '')),
  }),
);

/** Where the coach dashboard is: the week-close email links into it. */
export const dashboardUrlConfig = configSlice(
  'dashboard URL',
  z.object({
    /** The dashboard's address, e.g. `https://d123.cloudfront.net/app/` (locally `PUBLIC_BASE_URL/app/`). */
    DASHBOARD_URL: z.url().transform((u) => (u.endsWith('/') ? u : `${u}/`)),
  }),
);

/** Twilio credentials and sender. */
export const twilioConfig = configSlice(
  'Twilio',
  z
    .object({
      /** Set locally to the project's Twilio-compatible gateway; unset on AWS (the real API). */
      TWILIO_API_BASE_URL: optionalUrl,
      /** Local mode passes credentials directly; on AWS they come from Secrets Manager instead. */
      TWILIO_ACCOUNT_SID: z.string().startsWith('AC').optional(),
      TWILIO_AUTH_TOKEN: z.string().min(8).optional(),
      /** ARN of a secret holding `{"accountSid","authToken"}`; used on AWS. */
      TWILIO_SECRET_ARN: z.string().min(1).optional(),
      /** The sender: an E.164 number or a Messaging Service SID (MG…). */
      TWILIO_FROM: z.string().regex(/^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/, 'E.164 number or MG… SID'),
      /** How long one provider call may take before its outcome counts as unknown. */
      TWILIO_TIMEOUT_MS: intFromEnv(10_000, 100, 60_000),
    })
    .refine((env) => env.TWILIO_SECRET_ARN ?? (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN), {
      message: 'set TWILIO_SECRET_ARN, or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
      path: ['TWILIO_SECRET_ARN'],
    }),
);

/** The SQS endpoint (local mode) shared by every queue client. */
export const sqsConfig = configSlice(
  'SQS',
  z.object({
    /** Set locally to the local SQS-compatible queue; unset on AWS. */
    SQS_ENDPOINT: optionalUrl,
  }),
);

/** URL of a queue of the catalogue and of its dead-letter queue (`SEND_SMS_QUEUE_URL`, …). */
export function queueUrls(queue: string): () => { queueUrl: string; deadLetterUrl: string | undefined } {
  const prefix = queue.toUpperCase().replace(/-/gu, '_');
  const slice = configSlice(
    `${queue} queue`,
    z.object({ [`${prefix}_QUEUE_URL`]: z.url(), [`${prefix}_DLQ_URL`]: optionalUrl }),
  );
  return () => {
    const env = slice() as Record<string, string | undefined>;
    return { queueUrl: env[`${prefix}_QUEUE_URL`] ?? '', deadLetterUrl: env[`${prefix}_DLQ_URL`] };
  };
}

/** How often a retryable provider error is retried before the send is dead-lettered. */
export const sendConfig = configSlice('sending', z.object({ SEND_MAX_ATTEMPTS: intFromEnv(5, 1, 20) }));

/** Logging. */
export const logConfig = configSlice(
  'logging',
  z.object({
    POWERTOOLS_LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  }),
);

/** Email through SES v2: the sender, the domain of per-prompt reply addresses, the configuration set. */
export const emailConfig = configSlice(
  'email',
  z.object({
    /** The verified sender, e.g. `Coaching check-ins <checkins@coach.example>`. */
    EMAIL_FROM: z.string().min(3),
    /** Domain receiving replies (MX → SES inbound): replies go to `r+<token>@EMAIL_REPLY_DOMAIN`. */
    EMAIL_REPLY_DOMAIN: z
      .string()
      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$|^localhost$/iu, 'expected a domain such as reply.coach.example'),
    /** Configuration set whose event destination reports bounces and complaints. */
    SES_CONFIGURATION_SET: z.string().min(1).optional(),
    /** Set locally to aws-ses-v2-local; unset on AWS. */
    SES_ENDPOINT: optionalUrl,
  }),
);

/** The key that signs answer and unsubscribe links. */
export const linkKeyConfig = configSlice(
  'link key',
  z
    .object({
      /** ARN of a secret holding the signing key; used on AWS. */
      LINK_SECRET_ARN: z.string().min(1).optional(),
      /** The signing key itself; local mode only. */
      LINK_SIGNING_KEY: z.string().min(32).optional(),
      /** How long an answer link stays valid. */
      ANSWER_LINK_TTL_DAYS: intFromEnv(7, 1, 60),
    })
    .refine((env) => env.LINK_SECRET_ARN ?? env.LINK_SIGNING_KEY, {
      message: 'set LINK_SECRET_ARN, or LINK_SIGNING_KEY (at least 32 characters)',
      path: ['LINK_SECRET_ARN'],
    }),
);

/** Where SES receiving stores raw inbound messages. */
export const inboundMailConfig = configSlice(
  'inbound mail',
  z.object({
    INBOUND_MAIL_BUCKET: z.string().min(3),
    /** Set locally to the local S3-compatible store; unset on AWS. */
    S3_ENDPOINT: optionalUrl,
  }),
);

/** Which countries' numbers may be enrolled for SMS (SMS pumping protection). */
export const smsPolicyConfig = configSlice(
  'SMS policy',
  z.object({
    /** ISO 3166 alpha-2 codes, comma-separated, or `*` for any country. */
    SMS_ALLOWED_COUNTRIES: z
      .string()
      .trim()
      .regex(/^(\*|[A-Z]{2}(\s*,\s*[A-Z]{2})*)$/u, 'expected * or ISO country codes such as US,CA,GB')
      .default('*'),
    /** Enrolments one coach may make per hour (SMS pumping protection). */
    ENROLMENTS_PER_COACH_PER_HOUR: intFromEnv(200, 1, 100_000),
    /** SMS invitations (opt-in requests) one number may get per UTC day, from all coaches together. */
    INVITATIONS_PER_NUMBER_PER_DAY: intFromEnv(3, 1, 1000),
  }),
);

/** Local mode only: the secret that signs `/dev/token` bearer tokens. */
export const localAuthConfig = configSlice(
  'local auth',
  z.object({ LOCAL_TOKEN_SECRET: z.string().min(16) }),
);

/** How long raw inbound messages are kept before DynamoDB's TTL removes them. */
export const retentionConfig = configSlice(
  'retention',
  z.object({
    /** Days a raw inbound message (SMS text, email reply text) is kept; parsed answers stay. */
    RAW_MESSAGE_RETENTION_DAYS: intFromEnv(90, 1, 3650),
  }),
);

/** The coach user pool, where the weekly email finds each coach's address. */
export const coachDirectoryConfig = configSlice(
  'coach directory',
  z.object({
    /** Set on AWS (the Cognito user pool id); unset locally, where `/dev/token` claims are remembered. */
    COACH_USER_POOL_ID: z.string().min(1).optional(),
  }),
);

/** The key of the keyed hash under which erasure keeps an address's opt-out or suppression. */
export const addressKeyConfig = configSlice(
  'address key',
  z
    .object({
      /** ARN of a secret holding the hashing key; used on AWS. */
      ADDRESS_HASH_SECRET_ARN: z.string().min(1).optional(),
      /** The hashing key itself; local mode only. */
      ADDRESS_HASH_KEY: z.string().min(32).optional(),
    })
    .refine((env) => env.ADDRESS_HASH_SECRET_ARN ?? env.ADDRESS_HASH_KEY, {
      message: 'set ADDRESS_HASH_SECRET_ARN, or ADDRESS_HASH_KEY (at least 32 characters)',
      path: ['ADDRESS_HASH_SECRET_ARN'],
    }),
);
