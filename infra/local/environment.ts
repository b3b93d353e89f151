/**
 * The environment the handlers see locally: the same variables the CDK stack sets on AWS, with
 * local endpoints and local credentials instead of secrets. Every value can be overridden from the
 * process environment (`.env`, see `.env.example`) except the endpoints of the local parts.
 */

const env = process.env;

/** A number from the environment, or `fallback`. */
export const numberEnv = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);

/** Where the local parts listen, known only once they are started. */
export interface LocalEndpoints {
  tableName: string;
  dynamoEndpoint: string;
  publicBaseUrl: string;
  twilioApiBaseUrl: string;
  twilio: { accountSid: string; authToken: string; from: string };
  sqsEndpoint: string;
  /** `<NAME>_QUEUE_URL` and `<NAME>_DLQ_URL` of every queue. */
  queueUrls: Record<string, string>;
  sesEndpoint: string;
  s3Endpoint: string;
  inboundMailBucket: string;
}

/** Local defaults of Twilio's settings (not real credentials). */
export const localTwilio = () => ({
  accountSid: env.TWILIO_ACCOUNT_SID ?? 'AC00000000000000000000000000000000',
  authToken: env.TWILIO_AUTH_TOKEN ?? 'local-twilio-auth-token',
  from: env.TWILIO_FROM ?? '+15005550006',
});

/** Sets the handlers' environment for `endpoints`; call before loading any handler. */
export function applyLocalEnvironment(endpoints: LocalEndpoints): void {
  Object.assign(env, {
    TABLE_NAME: endpoints.tableName,
    DYNAMODB_ENDPOINT: endpoints.dynamoEndpoint,
    AWS_REGION: env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PUBLIC_BASE_URL: endpoints.publicBaseUrl,
    DASHBOARD_URL: env.DASHBOARD_URL ?? `${endpoints.publicBaseUrl}/app/`,
    TWILIO_API_BASE_URL: endpoints.twilioApiBaseUrl,
    TWILIO_ACCOUNT_SID: endpoints.twilio.accountSid,
    TWILIO_AUTH_TOKEN: endpoints.twilio.authToken,
    TWILIO_FROM: endpoints.twilio.from,
    SQS_ENDPOINT: endpoints.sqsEndpoint,
    ...endpoints.queueUrls,
    SES_ENDPOINT: endpoints.sesEndpoint,
    EMAIL_FROM: env.EMAIL_FROM ?? 'Coaching check-ins <checkins@nanocoach.localhost>',
    EMAIL_REPLY_DOMAIN: env.EMAIL_REPLY_DOMAIN ?? 'reply.nanocoach.localhost',
    // On AWS the key comes from Secrets Manager; locally a fixed one keeps links valid across restarts.
    LINK_SIGNING_KEY: env.LINK_SIGNING_KEY ?? 'local-answer-link-signing-key-not-for-production',
    ADDRESS_HASH_KEY: env.ADDRESS_HASH_KEY ?? 'local-address-hash-key-not-for-production',
    SMS_ALLOWED_COUNTRIES: env.SMS_ALLOWED_COUNTRIES ?? '*',
    S3_ENDPOINT: endpoints.s3Endpoint,
    INBOUND_MAIL_BUCKET: endpoints.inboundMailBucket,
    LOCAL_TOKEN_SECRET: env.LOCAL_TOKEN_SECRET ?? 'local-dev-token-secret-not-for-production',
    // CloudWatch embedded metrics are JSON noise on a terminal; opt in with false.
    POWERTOOLS_METRICS_DISABLED: env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  });
  // Locally Twilio's credentials are plain variables; a secret ARN would send the adapter to AWS.
  delete env.TWILIO_SECRET_ARN;
  delete env.LINK_SECRET_ARN;
  delete env.ADDRESS_HASH_SECRET_ARN;
}
