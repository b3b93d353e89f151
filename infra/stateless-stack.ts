import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { tableDefinition } from '../shared/adapters/dynamodb/table-definition.js';
import { NanoFunction } from './constructs/nano-function.js';
import { type FunctionSpec, functionCatalogue, type Trigger } from './functions.js';

/** Sender used when none is configured: Twilio's magic test number, which sends nothing. */
export const placeholderTwilioFrom = '+15005550006';

/** Function timeout when the catalogue entry sets none; must match `NanoFunction`'s default. */
const defaultTimeoutSeconds = 10;

/**
 * Partitions of the due-time index. Not a tuning knob: items are written under these shard keys,
 * so changing it needs a migration of the due index.
 */
const dueShards = 8;

/** Properties of the {@link StatelessStack}. */
export interface StatelessStackProps extends StackProps {
  /** The single table (from the stateful stack). */
  readonly table: dynamodb.ITable;
  /** Secret holding `{"accountSid","authToken"}`; functions get its ARN, never its value. */
  readonly twilioSecret: secretsmanager.ISecret;
  /** Coach accounts (from the stateful stack); coach routes accept ID tokens of its client. */
  readonly userPool: cognito.IUserPool;
  /** The dashboard's app client: the JWT audience of the coach routes. */
  readonly userPoolClient: cognito.IUserPoolClient;
  /**
   * The Twilio sender: an E.164 number or a Messaging Service SID (`MG…`).
   * @default '+15005550006' (Twilio's test number: nothing is delivered until a real one is set)
   */
  readonly twilioFrom?: string;
  /**
   * Public base URL of the HTTP API (no trailing slash), e.g. a custom domain in front of it.
   * Twilio signs webhook requests with the URL it called, so this must be the URL configured in
   * Twilio.
   * @default - the HTTP API's own endpoint
   */
  readonly publicBaseUrl?: string;
  /**
   * Most concurrent invocations of the send queue's consumer (2–1000). This is the throughput
   * control: at most this many batches of 10 are sent at once, so pick it to keep under the
   * messages-per-second of the Twilio sender (1 MPS for a US long code, more for toll-free or
   * short codes).
   * @default 2
   */
  readonly sendConcurrency?: number;
  /**
   * Deliveries of one send message before it moves to the dead-letter queue; also passed to the
   * functions as `SEND_MAX_ATTEMPTS`.
   * @default 5
   */
  readonly sendMaxAttempts?: number;
}

const pascalCase = (kebab: string): string =>
  kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

type HttpTrigger = Extract<Trigger, { kind: 'http' }>;

/**
 * Everything that can be deleted and re-created without losing data: one function per catalogue
 * entry (`infra/functions.ts`) with its triggers — the HTTP API (coach routes behind a Cognito JWT
 * authorizer, public webhooks), EventBridge schedules, the send queue with its dead-letter queue —
 * plus alarms.
 */
export class StatelessStack extends Stack {
  /** The HTTP API serving the coach API and the Twilio webhooks. */
  public readonly api: apigwv2.HttpApi;
  /** Base URL the functions and Twilio use for the API. */
  public readonly publicBaseUrl: string;
  /** Prompts waiting to be sent. */
  public readonly sendQueue: sqs.Queue;
  /** Send messages that failed `sendMaxAttempts` times or permanently (put there by the consumer); alarmed. */
  public readonly sendDeadLetterQueue: sqs.Queue;
  /** Alarm notifications; subscribe an address after deploy. */
  public readonly alarmTopic: sns.Topic;
  /** The functions, by catalogue name. */
  public readonly functions: ReadonlyMap<string, NanoFunction>;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const sendConcurrency = props.sendConcurrency ?? 2;
    const sendMaxAttempts = props.sendMaxAttempts ?? 5;

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'nanocoach alarms',
      enforceSSL: true,
    });

    // --- send queue -------------------------------------------------------------------------
    this.sendDeadLetterQueue = new sqs.Queue(this, 'SendDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const sendConsumers = functionCatalogue.filter((spec) =>
      spec.triggers.some((t) => t.kind === 'queue' && t.queue === 'send'),
    );
    const longestConsumerTimeout = Math.max(
      defaultTimeoutSeconds,
      ...sendConsumers.map((spec) => spec.timeoutSeconds ?? defaultTimeoutSeconds),
    );
    this.sendQueue = new sqs.Queue(this, 'SendQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for Lambda consumers: at least six times the function timeout, so a message
      // is not redelivered while a retried invocation may still be working on it.
      visibilityTimeout: Duration.seconds(6 * longestConsumerTimeout),
      deadLetterQueue: { queue: this.sendDeadLetterQueue, maxReceiveCount: sendMaxAttempts },
    });

    // --- HTTP API and coach authentication --------------------------------------------------
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'nanocoach: coach API and Twilio webhooks',
      // The default stage is added below, because only an explicit stage takes access-log settings.
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        // The route key, not the path: paths carry participant ids and signed answer tokens.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLatencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sourceIp: '$context.identity.sourceIp',
          }),
        ),
      },
    });
    this.publicBaseUrl = (props.publicBaseUrl ?? this.api.apiEndpoint).replace(/\/+$/u, '');

    const coachAuthorizer = new HttpJwtAuthorizer(
      'CoachAuthorizer',
      `https://cognito-idp.${this.region}.${this.urlSuffix}/${props.userPool.userPoolId}`,
      { jwtAudience: [props.userPoolClient.userPoolClientId] },
    );
    const publicRoute = new apigwv2.HttpNoneAuthorizer();

    // --- functions ------------------------------------------------------------------------
    const environment: Record<string, string> = {
      TABLE_NAME: props.table.tableName,
      PUBLIC_BASE_URL: this.publicBaseUrl,
      TWILIO_SECRET_ARN: props.twilioSecret.secretArn,
      TWILIO_FROM: props.twilioFrom ?? placeholderTwilioFrom,
      SEND_QUEUE_URL: this.sendQueue.queueUrl,
      SEND_DLQ_URL: this.sendDeadLetterQueue.queueUrl,
      SEND_MAX_ATTEMPTS: String(sendMaxAttempts),
      DUE_SHARDS: String(dueShards),
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };

    const functions = new Map<string, NanoFunction>();
    for (const spec of functionCatalogue) {
      const fnId = pascalCase(spec.name);
      const fn = new NanoFunction(this, fnId, {
        name: spec.name,
        description: spec.description,
        timeoutSeconds: spec.timeoutSeconds,
        memoryMb: spec.memoryMb,
        reservedConcurrency: spec.reservedConcurrency,
        environment,
      });
      functions.set(spec.name, fn);
      this.grantAccess(fn, spec, props);

      const httpTriggers = spec.triggers.filter((t): t is HttpTrigger => t.kind === 'http');
      if (httpTriggers.length > 0) {
        const integration = new HttpLambdaIntegration(`${fnId}Integration`, fn);
        for (const trigger of httpTriggers) {
          const routes = this.api.addRoutes({
            path: trigger.path,
            methods: [apigwv2.HttpMethod[trigger.method]],
            integration,
            authorizer: trigger.auth === 'coach' ? coachAuthorizer : publicRoute,
          });
          if (trigger.auth === 'none') {
            for (const route of routes)
              Validations.of(route).acknowledge(publicRouteAcknowledgement(trigger));
          }
        }
      }

      for (const trigger of spec.triggers) {
        if (trigger.kind === 'schedule') {
          new events.Rule(this, `${fnId}Schedule${trigger.everyMinutes}m`, {
            description: `Runs ${spec.name} every ${trigger.everyMinutes} minute(s)`,
            schedule: events.Schedule.rate(Duration.minutes(trigger.everyMinutes)),
            // Delivery is retried for five minutes at most: the next run catches up from its watermark anyway.
            targets: [new LambdaFunction(fn, { maxEventAge: Duration.minutes(5), retryAttempts: 2 })],
          });
        } else if (trigger.kind === 'queue') {
          // A consumer dead-letters a prompt itself on a permanent provider error (no retry helps).
          this.sendDeadLetterQueue.grantSendMessages(fn);
          fn.addEventSource(
            new SqsEventSource(this.sendQueue, {
              batchSize: 10,
              // Only the failed messages of a batch are retried; the sent ones are deleted.
              reportBatchItemFailures: true,
              maxConcurrency: sendConcurrency,
            }),
          );
        }
      }

      const errors = new cloudwatch.Alarm(this, `${fnId}ErrorsAlarm`, {
        alarmDescription: `${spec.name} threw an error (unhandled exception, timeout or out of memory)`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      errors.addAlarmAction(new SnsAction(this.alarmTopic));
    }
    this.functions = functions;

    const deadLetters = new cloudwatch.Alarm(this, 'SendDeadLetterAlarm', {
      alarmDescription: 'A prompt failed for good (permanently or after every attempt) and waits in the DLQ',
      metric: this.sendDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    deadLetters.addAlarmAction(new SnsAction(this.alarmTopic));

    new CfnOutput(this, 'ApiUrl', { value: this.publicBaseUrl, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TwilioInboundWebhookUrl', {
      value: `${this.publicBaseUrl}/webhooks/twilio/sms`,
      description: 'Set as "A message comes in" (HTTP POST) on the Twilio number or Messaging Service',
    });
    new CfnOutput(this, 'UserPoolId', { value: props.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: props.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'TwilioSecretArn', {
      value: props.twilioSecret.secretArn,
      description: 'Store {"accountSid","authToken"} here after the first deploy',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Subscribe an e-mail address to get alarms',
    });
  }

  /** Grants exactly what the catalogue entry lists, nothing by default. */
  private grantAccess(fn: NanoFunction, spec: FunctionSpec, props: StatelessStackProps): void {
    for (const access of spec.access) {
      switch (access) {
        case 'table-read':
          grantTable(fn, props.table, tableReadActions);
          break;
        case 'table-write':
          grantTable(fn, props.table, [...tableReadActions, ...tableWriteActions]);
          break;
        case 'send-queue':
          this.sendQueue.grantSendMessages(fn);
          break;
        case 'twilio-secret':
          props.twilioSecret.grantRead(fn);
          break;
        default: {
          const unknown: never = access;
          throw new Error(`unknown access ${String(unknown)} in the catalogue entry ${spec.name}`);
        }
      }
    }
  }
}

/**
 * Item reads. No `Scan`: no code path may read the whole table (DESIGN §4), and the policy keeps it so.
 * Transactions need no action of their own; IAM checks the put/update/condition-check inside them.
 */
const tableReadActions = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const tableWriteActions = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * Like `table.grantReadData` / `grantReadWriteData`, but on the table and each index named in
 * `tableDefinition` instead of `<table>/index/*`: least privilege without a wildcard to acknowledge
 * (whose cdk-nag finding id would embed CDK's generated cross-stack export name). The table uses
 * the AWS managed key, so no KMS grant is needed.
 */
function grantTable(grantee: iam.IGrantable, table: dynamodb.ITable, actions: readonly string[]): void {
  const indexArns = Object.values(tableDefinition.indexes).map(
    (index) => `${table.tableArn}/index/${index.name}`,
  );
  iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [table.tableArn, ...indexArns] });
}

/** Why a public route is public; the finding is acknowledged per route, never for the whole API. */
function publicRouteAcknowledgement(trigger: HttpTrigger): { id: string; reason: string } {
  const reason = trigger.path.startsWith('/webhooks/twilio/')
    ? 'Twilio webhook: Twilio cannot present a JWT; the handler authenticates every request by its ' +
      'X-Twilio-Signature (HMAC-SHA1 over URL and body with the account auth token) and answers 403 otherwise.'
    : `Public by design (auth: 'none' in infra/functions.ts): ${trigger.method} ${trigger.path} serves no participant or coach data.`;
  return { id: 'AwsSolutions-APIG4', reason };
}
