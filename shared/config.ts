/**
 * The one configuration module. Every setting the functions read comes from `process.env`, parsed
 * here with zod when the module loads, so a misconfigured deployment fails at cold start with the
 * variable's name instead of half-working. Local mode and AWS differ only in these values
 * (endpoints and where credentials come from), never in code paths.
 */
import { z } from 'zod';

const optionalUrl = z.url().optional();
const intFromEnv = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const EnvSchema = z
  .object({
    /** Single DynamoDB table holding every entity. */
    TABLE_NAME: z.string().min(1).default('nanocoach'),
    AWS_REGION: z.string().min(1).default('us-east-1'),
    /** Set locally to DynamoDB Local's URL; unset on AWS. */
    DYNAMODB_ENDPOINT: optionalUrl,
    /** Public URL of the HTTP API: Twilio signs requests against it, status callbacks point at it. */
    PUBLIC_BASE_URL: z.url(),
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
    /** SQS queue feeding the sender, and its dead-letter queue. */
    SEND_QUEUE_URL: z.url(),
    SEND_DLQ_URL: z.url(),
    /** Set locally to the local SQS-compatible queue; unset on AWS. */
    SQS_ENDPOINT: optionalUrl,
    /** Partitions of the due-time index, so one busy minute does not make a hot key. */
    DUE_SHARDS: intFromEnv(8, 1, 64),
    /** Attempts at a retryable provider error before a prompt is dead-lettered. */
    SEND_MAX_ATTEMPTS: intFromEnv(5, 1, 20),
    /** Local mode only: the secret that signs `/dev/token` bearer tokens. */
    LOCAL_TOKEN_SECRET: z.string().min(16).optional(),
    POWERTOOLS_LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  })
  .refine((env) => env.TWILIO_SECRET_ARN ?? (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN), {
    message: 'set TWILIO_SECRET_ARN, or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
    path: ['TWILIO_SECRET_ARN'],
  });

/** Parsed, typed configuration. */
export type Config = z.infer<typeof EnvSchema>;

/** Parses an environment; throws naming every bad variable. Exported for tests. */
export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new Error(`nanocoach configuration is invalid — ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The configuration of this process, read once at load. */
export const config: Config = parseConfig(process.env);
