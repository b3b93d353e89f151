import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
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
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { tableDefinition } from '../shared/adapters/dynamodb/table-definition.js';
import { smsInboundWebhookUrl } from '../shared/domain/links.js';
import { NanoFunction } from './constructs/nano-function.js';
import { WebApp } from './constructs/web-app.js';
import {
  consumedQueues,
  enqueuedQueue,
  type FunctionSpec,
  functionCatalogue,
  isEnqueue,
  type QueueName,
  queueCatalogue,
  queueEnvPrefix,
  type TableAction,
  type Trigger,
  variablesOf,
} from './functions.js';
import {
  type ClassThrottle,
  functionClassOf,
  ROUTE_CLASS_THROTTLES,
  type RouteClass,
  routeClassOf,
} from './route-classes.js';

/** Sender used when none is configured: Twilio's magic test number, which sends nothing. */
export const placeholderTwilioFrom = '+15005550006';

/** Function timeout when the catalogue entry sets none; must match `NanoFunction`'s default. */
const defaultTimeoutSeconds = 10;

/**
 * Partitions of the due-time index. Not a tuning knob: items are written under these shard keys,
 * so changing it needs a migration of the due index.
 */
const dueShards = 8;

/** SES sending events that reach `record-email-event`. */
export const emailEventTypes = [
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.REJECT,
  ses.EmailSendingEvent.RENDERING_FAILURE,
  ses.EmailSendingEvent.DELIVERY_DELAY,
];

/** Properties of the {@link StatelessStack}. */
export interface StatelessStackProps extends StackProps {
  /** The single table (from the stateful stack). */
  readonly table: dynamodb.ITable;
  /** Secret holding `{"accountSid","authToken"}`; functions get its ARN, never its value. */
  readonly twilioSecret: secretsmanager.ISecret;
  /** Key signing answer and unsubscribe links; functions get its ARN, never its value. */
  readonly linkSecret: secretsmanager.ISecret;
  /** Key of the keyed hash under which erasure keeps an address's opt-out; functions get its ARN. */
  readonly addressKeySecret: secretsmanager.ISecret;
  /** Coach accounts (from the stateful stack); coach routes accept ID tokens of its client. */
  readonly userPool: cognito.IUserPool;
  /** The dashboard's app client: the JWT audience of the coach routes. */
  readonly userPoolClient: cognito.IUserPoolClient;
  /** The SES domain identity; email senders may send from it only. */
  readonly emailIdentity: ses.IEmailIdentity;
  /** Configuration set of every email; its events go to `record-email-event`. */
  readonly configurationSet: ses.IConfigurationSet;
  /** Bucket the SES receipt rule writes raw inbound mail to. */
  readonly inboundMailBucket: s3.IBucket;
  /** Name of the stateful stack's export of that bucket's ARN. */
  readonly inboundMailBucketArnExportName: string;
  /** Key prefix of the raw inbound messages, e.g. `inbound/`. */
  readonly inboundMailPrefix: string;
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
   * Most concurrent invocations of each send queue's consumer (2–1000), also its reserved
   * concurrency. This is the throughput control: at most this many batches of 10 are sent at once,
   * so pick it to stay under the provider's rate (1 MPS for a US long code; the SES account's
   * maximum send rate).
   * @default 2 for every queue
   */
  readonly queueConcurrency?: Partial<Readonly<Record<QueueName, number>>>;
  /**
   * Deliveries of one send message before it moves to the dead-letter queue; also passed to the
   * consumers as `SEND_MAX_ATTEMPTS`.
   * @default 5
   */
  readonly sendMaxAttempts?: number;
  /** `EMAIL_FROM`: the sender address, at the identity's domain. */
  readonly emailFrom: string;
  /** `EMAIL_REPLY_DOMAIN`: replies go to `r+<token>@` this domain. */
  readonly emailReplyDomain: string;
  /**
   * `SMS_ALLOWED_COUNTRIES`: ISO codes whose numbers may be enrolled for SMS, or `*`.
   * @default '*'
   */
  readonly smsAllowedCountries?: string;
  /**
   * `RAW_MESSAGE_RETENTION_DAYS`: days a raw inbound message is kept in the table (1–3650).
   * @default 90
   */
  readonly rawMessageRetentionDays?: number;
  /**
   * Steady requests per second and burst of the API's default stage.
   * @default { rateLimit: 50, burstLimit: 100 }
   */
  readonly apiThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Throttles per route class (Twilio webhooks, public pages, coach API, SES paths), each class
   * apart so a flood on one cannot starve the others; see `infra/route-classes.ts`.
   * @default ROUTE_CLASS_THROTTLES
   */
  readonly routeThrottles?: Partial<Record<RouteClass, ClassThrottle>>;
}

const pascalCase = (kebab: string): string =>
  kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

type HttpTrigger = Extract<Trigger, { kind: 'http' }>;

/** Route throttles collected while routes are added, applied to the stage once they all exist. */
interface RouteThrottles {
  /** By route key; passed to CloudFormation as JSON (the L1 property is untyped), hence the capitalised names. */
  readonly settings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
  readonly routes: apigwv2.HttpRoute[];
}

/** What the functions are wired to besides the stack's own queues, topic and API. */
interface FunctionWiring {
  readonly inboundMailBucket: s3.IBucket;
  readonly coachAuthorizer: HttpJwtAuthorizer;
  readonly publicRoute: apigwv2.HttpNoneAuthorizer;
  readonly routeThrottles: RouteThrottles;
}

const sendMaxAttemptsOf = (props: StatelessStackProps): number => props.sendMaxAttempts ?? 5;

const concurrencyOf = (props: StatelessStackProps, queue: QueueName): number =>
  props.queueConcurrency?.[queue] ?? 2;

/** A route class's throttle: the defaults of `ROUTE_CLASS_THROTTLES` under the stack's overrides. */
const throttleOf = (props: StatelessStackProps, routeClass: RouteClass): ClassThrottle => ({
  ...ROUTE_CLASS_THROTTLES[routeClass],
  ...props.routeThrottles?.[routeClass],
});

/**
 * A consumer's reserved concurrency equals its event source's maximum concurrency: the send rate
 * stays capped, and other functions can never starve it of concurrency. Others take the entry's own
 * or their route class's.
 */
function reservedConcurrencyOf(spec: FunctionSpec, props: StatelessStackProps): number | undefined {
  const consumed = consumedQueues(spec);
  if (consumed.length > 0) return Math.max(...consumed.map((queue) => concurrencyOf(props, queue)));
  const fnClass = functionClassOf(spec);
  return spec.reservedConcurrency ?? (fnClass ? throttleOf(props, fnClass).reservedConcurrency : undefined);
}

/** The entry's environment: exactly the variables it declares, each of which must have a value. */
function environmentOf(spec: FunctionSpec, values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    variablesOf(spec).map((name) => {
      const value = values[name];
      if (value === undefined) throw new Error(`no value for ${name} (catalogue entry ${spec.name})`);
      return [name, value];
    }),
  );
}

/** A send queue of the catalogue with its dead-letter queue. */
export interface SendQueue {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
}

/**
 * Everything that can be deleted and re-created without losing data: one function per catalogue
 * entry (`infra/functions.ts`) with exactly the environment and grants its entry declares, and its
 * triggers — the HTTP API (coach routes behind a Cognito JWT authorizer, public webhooks and
 * signed links), EventBridge schedules, one send queue per channel with its dead-letter queue, the
 * SES event topic and the inbound-mail notification — plus alarms.
 */
export class StatelessStack extends Stack {
  /** The HTTP API serving the coach API, the Twilio webhooks and the email links. */
  public readonly api: apigwv2.HttpApi;
  /** Base URL the functions and Twilio use for the API. */
  public readonly publicBaseUrl: string;
  /** The send queues of `queueCatalogue`, by name. */
  public readonly queues: ReadonlyMap<QueueName, SendQueue>;
  /** SES sending events of the configuration set; `record-email-event` subscribes. */
  public readonly emailEventsTopic: sns.Topic;
  /** Alarm notifications; subscribe an address after deploy. */
  public readonly alarmTopic: sns.Topic;
  /** The functions, by catalogue name. */
  public readonly functions: ReadonlyMap<string, NanoFunction>;
  /** The coach dashboard (CloudFront + S3), with the API at its `/api/*`. */
  public readonly webApp: WebApp;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'nanocoach alarms',
      enforceSSL: true,
    });
    this.queues = this.createSendQueues(sendMaxAttemptsOf(props));
    const { api, stage, coachAuthorizer } = this.createHttpApi(props);
    this.api = api;
    this.publicBaseUrl = (props.publicBaseUrl ?? api.apiEndpoint).replace(/\/+$/u, '');
    this.webApp = this.createDashboard(props);
    this.emailEventsTopic = this.createEmailEvents(props);
    const routeThrottles: RouteThrottles = { settings: {}, routes: [] };
    this.functions = this.createFunctions(props, {
      inboundMailBucket: this.importInboundMailBucket(props),
      coachAuthorizer,
      publicRoute: new apigwv2.HttpNoneAuthorizer(),
      routeThrottles,
    });
    this.applyRouteThrottles(stage, routeThrottles);
    this.acknowledgeNotificationHandler();
    this.addSesReputationAlarms();
    this.addOutputs(props);
  }

  /** An alarm that notifies {@link alarmTopic}. */
  private alarm(alarmId: string, alarmProps: cloudwatch.AlarmProps): void {
    new cloudwatch.Alarm(this, alarmId, alarmProps).addAlarmAction(new SnsAction(this.alarmTopic));
  }

  /** One send queue per entry of `queueCatalogue`, each with its dead-letter queue and its alarm. */
  private createSendQueues(sendMaxAttempts: number): Map<QueueName, SendQueue> {
    const queues = new Map<QueueName, SendQueue>();
    for (const spec of queueCatalogue) {
      const queueId = pascalCase(spec.name);
      const consumers = functionCatalogue.filter((fn) => consumedQueues(fn).includes(spec.name));
      const longestConsumerTimeout = Math.max(
        defaultTimeoutSeconds,
        ...consumers.map((fn) => fn.timeoutSeconds ?? defaultTimeoutSeconds),
      );
      const deadLetterQueue = new sqs.Queue(this, `${queueId}DeadLetterQueue`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      const queue = new sqs.Queue(this, `${queueId}Queue`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // AWS's guidance for Lambda consumers: at least six times the function timeout, so a message
        // is not redelivered while a retried invocation may still be working on it.
        visibilityTimeout: Duration.seconds(6 * longestConsumerTimeout),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: sendMaxAttempts },
      });
      queues.set(spec.name, { queue, deadLetterQueue });
      this.alarm(`${queueId}DeadLetterAlarm`, {
        alarmDescription: `${spec.name}: a message failed for good (permanently or after every attempt) and waits in the DLQ`,
        metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    return queues;
  }

  /** The send queue `name` of {@link queues}; a catalogue entry naming another is a build error. */
  private sendQueue(name: QueueName): SendQueue {
    const found = this.queues.get(name);
    if (found === undefined) throw new Error(`queue ${name} is not in queueCatalogue`);
    return found;
  }

  /** The HTTP API with its throttled, access-logged default stage and the coach JWT authorizer. */
  private createHttpApi(props: StatelessStackProps): {
    api: apigwv2.HttpApi;
    stage: apigwv2.HttpStage;
    coachAuthorizer: HttpJwtAuthorizer;
  } {
    const api = new apigwv2.HttpApi(this, 'Api', {
      description: 'nanocoach: coach API, Twilio webhooks and email links',
      // The default stage is added below, because only an explicit stage takes access-log settings.
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // Public routes (webhooks, links) are reachable by anyone: a flood is refused at the stage
      // instead of scaling every function up and filling the table.
      throttle: props.apiThrottle ?? { rateLimit: 50, burstLimit: 100 },
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
    const coachAuthorizer = new HttpJwtAuthorizer(
      'CoachAuthorizer',
      `https://cognito-idp.${this.region}.${this.urlSuffix}/${props.userPool.userPoolId}`,
      { jwtAudience: [props.userPoolClient.userPoolClientId] },
    );
    return { api, stage, coachAuthorizer };
  }

  /** The coach dashboard in front of {@link api}, with its URL and the privacy notice's as outputs. */
  private createDashboard(props: StatelessStackProps): WebApp {
    const webApp = new WebApp(this, 'Dashboard', {
      api: this.api,
      userPoolId: props.userPool.userPoolId,
      userPoolClientId: props.userPoolClient.userPoolClientId,
      distDir: fileURLToPath(new URL('../web/dist', import.meta.url)),
    });
    new CfnOutput(this, 'DashboardUrl', { value: webApp.url, description: 'The coach dashboard' });
    new CfnOutput(this, 'PrivacyPolicyUrl', {
      value: `${webApp.url}privacy.html`,
      description: 'The privacy notice, for the Twilio A2P 10DLC / toll-free and SES production-access forms',
    });
    return webApp;
  }

  /** The topic SES publishes the configuration set's sending events to. */
  private createEmailEvents(props: StatelessStackProps): sns.Topic {
    // The destination adds the topic policy: ses.amazonaws.com, this account and this configuration
    // set only.
    const topic = new sns.Topic(this, 'EmailEventsTopic', {
      displayName: 'nanocoach SES sending events',
      enforceSSL: true,
    });
    new ses.ConfigurationSetEventDestination(this, 'EmailEventsDestination', {
      configurationSet: props.configurationSet,
      destination: ses.EventDestination.snsTopic(topic),
      events: emailEventTypes,
    });
    return topic;
  }

  /**
   * The stateful stack's inbound-mail bucket, imported by name so that the notification (which
   * names a function of this stack) is created here: set on the stateful stack's bucket, it would
   * make the two stacks depend on each other.
   */
  private importInboundMailBucket(props: StatelessStackProps): s3.IBucket {
    return s3.Bucket.fromBucketAttributes(this, 'InboundMailBucketRef', {
      bucketArn: Fn.importValue(props.inboundMailBucketArnExportName),
      bucketName: props.inboundMailBucket.bucketName,
    });
  }

  /** Every value a function may be given; each function gets only its own (`variablesOf`). */
  private environmentValues(props: StatelessStackProps): Record<string, string> {
    const values: Record<string, string> = {
      TABLE_NAME: props.table.tableName,
      DUE_SHARDS: String(dueShards),
      PUBLIC_BASE_URL: this.publicBaseUrl,
      TWILIO_SECRET_ARN: props.twilioSecret.secretArn,
      TWILIO_FROM: props.twilioFrom ?? placeholderTwilioFrom,
      EMAIL_FROM: props.emailFrom,
      EMAIL_REPLY_DOMAIN: props.emailReplyDomain,
      SES_CONFIGURATION_SET: props.configurationSet.configurationSetName,
      LINK_SECRET_ARN: props.linkSecret.secretArn,
      ADDRESS_HASH_SECRET_ARN: props.addressKeySecret.secretArn,
      INBOUND_MAIL_BUCKET: props.inboundMailBucket.bucketName,
      SMS_ALLOWED_COUNTRIES: props.smsAllowedCountries ?? '*',
      RAW_MESSAGE_RETENTION_DAYS: String(props.rawMessageRetentionDays ?? 90),
      COACH_USER_POOL_ID: props.userPool.userPoolId,
      // The week-close email links here: the CloudFront URL (the API's has no dashboard).
      DASHBOARD_URL: this.webApp.url,
      SEND_MAX_ATTEMPTS: String(sendMaxAttemptsOf(props)),
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    for (const [name, { queue, deadLetterQueue }] of this.queues) {
      values[`${queueEnvPrefix(name)}_QUEUE_URL`] = queue.queueUrl;
      values[`${queueEnvPrefix(name)}_DLQ_URL`] = deadLetterQueue.queueUrl;
    }
    return values;
  }

  /**
   * One function per catalogue entry, with exactly the environment, grants and triggers its entry
   * declares, and an error alarm.
   */
  private createFunctions(props: StatelessStackProps, wiring: FunctionWiring): Map<string, NanoFunction> {
    const values = this.environmentValues(props);
    const functions = new Map<string, NanoFunction>();
    for (const spec of functionCatalogue) {
      const fnId = pascalCase(spec.name);
      const fn = new NanoFunction(this, fnId, {
        name: spec.name,
        description: spec.description,
        timeoutSeconds: spec.timeoutSeconds,
        memoryMb: spec.memoryMb,
        reservedConcurrency: reservedConcurrencyOf(spec, props),
        environment: environmentOf(spec, values),
      });
      functions.set(spec.name, fn);
      this.grantAccess(fn, spec, props, wiring.inboundMailBucket);
      this.addHttpRoutes(fn, fnId, spec, props, wiring);
      this.addEventTriggers(fn, fnId, spec, props, wiring.inboundMailBucket);
      this.alarm(`${fnId}ErrorsAlarm`, {
        alarmDescription: `${spec.name} threw an error (unhandled exception, timeout or out of memory)`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    return functions;
  }

  /** The entry's HTTP routes on {@link api}, their throttles collected in `wiring.routeThrottles`. */
  private addHttpRoutes(
    fn: NanoFunction,
    fnId: string,
    spec: FunctionSpec,
    props: StatelessStackProps,
    wiring: FunctionWiring,
  ): void {
    const httpTriggers = spec.triggers.filter((t): t is HttpTrigger => t.kind === 'http');
    if (httpTriggers.length === 0) return;
    const integration = new HttpLambdaIntegration(`${fnId}Integration`, fn);
    for (const trigger of httpTriggers) {
      const { rateLimit, burstLimit } = throttleOf(props, routeClassOf(trigger));
      if (rateLimit !== undefined && burstLimit !== undefined)
        wiring.routeThrottles.settings[`${trigger.method} ${trigger.path}`] = {
          ThrottlingRateLimit: rateLimit,
          ThrottlingBurstLimit: burstLimit,
        };
      const routes = this.api.addRoutes({
        path: trigger.path,
        methods: [apigwv2.HttpMethod[trigger.method]],
        integration,
        authorizer: trigger.auth === 'coach' ? wiring.coachAuthorizer : wiring.publicRoute,
      });
      wiring.routeThrottles.routes.push(...routes);
      if (trigger.auth === 'none') {
        for (const route of routes)
          Validations.of(route).acknowledge(publicRouteAcknowledgement(spec, trigger));
      }
    }
  }

  /** The entry's non-HTTP triggers: schedules, send queues, inbound mail and SES events. */
  private addEventTriggers(
    fn: NanoFunction,
    fnId: string,
    spec: FunctionSpec,
    props: StatelessStackProps,
    inboundMailBucket: s3.IBucket,
  ): void {
    for (const trigger of spec.triggers) {
      switch (trigger.kind) {
        case 'http':
          break;
        case 'schedule':
          new events.Rule(this, `${fnId}Schedule${trigger.everyMinutes}m`, {
            description: `Runs ${spec.name} every ${trigger.everyMinutes} minute(s)`,
            schedule: events.Schedule.rate(Duration.minutes(trigger.everyMinutes)),
            // Delivery is retried for five minutes at most: the next run catches up from its watermark anyway.
            targets: [new LambdaFunction(fn, { maxEventAge: Duration.minutes(5), retryAttempts: 2 })],
          });
          break;
        case 'queue': {
          const { queue, deadLetterQueue } = this.sendQueue(trigger.queue);
          // A consumer dead-letters a message itself on a permanent provider error (no retry helps).
          deadLetterQueue.grantSendMessages(fn);
          fn.addEventSource(
            new SqsEventSource(queue, {
              batchSize: 10,
              // Only the failed messages of a batch are retried; the sent ones are deleted.
              reportBatchItemFailures: true,
              maxConcurrency: concurrencyOf(props, trigger.queue),
            }),
          );
          break;
        }
        case 'inbound-email':
          // The receipt rule writes `<prefix><messageId>`; each new object invokes the function.
          inboundMailBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new LambdaDestination(fn), {
            prefix: props.inboundMailPrefix,
          });
          break;
        case 'email-events':
          // Each record's `Sns.Message` is the SES event JSON.
          this.emailEventsTopic.addSubscription(new LambdaSubscription(fn));
          break;
        default: {
          const unknown: never = trigger;
          throw new Error(`unknown trigger ${JSON.stringify(unknown)} in the catalogue entry ${spec.name}`);
        }
      }
    }
  }

  /**
   * Route-level throttling is a CloudFormation property the L2 stage does not expose. The settings
   * name routes by key, which CloudFormation resolves only once the routes exist.
   */
  private applyRouteThrottles(stage: apigwv2.HttpStage, throttles: RouteThrottles): void {
    const cfnStage = stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.routeSettings = throttles.settings;
    for (const route of throttles.routes) cfnStage.node.addDependency(route);
  }

  /**
   * The account's sending reputation: SES reviews (and may pause) an account above 5 % bounces or
   * 0.1 % complaints, so the operator hears of it well before.
   */
  private addSesReputationAlarms(): void {
    const reputation = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName,
        period: Duration.hours(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      });
    this.alarm('SesBounceRateAlarm', {
      alarmDescription:
        'SES bounce rate above 5 % (AWS reviews the account at 5 %, may pause sending at 10 %)',
      metric: reputation('Reputation.BounceRate'),
      threshold: 0.05,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm('SesComplaintRateAlarm', {
      alarmDescription:
        'SES complaint rate above 0.1 % (AWS reviews the account at 0.1 %, may pause sending at 0.5 %)',
      metric: reputation('Reputation.ComplaintRate'),
      threshold: 0.001,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** What the operator needs after a deploy: URLs, the user pool, the secret to fill, the alarm topic. */
  private addOutputs(props: StatelessStackProps): void {
    new CfnOutput(this, 'ApiUrl', { value: this.publicBaseUrl, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TwilioInboundWebhookUrl', {
      value: smsInboundWebhookUrl(this.publicBaseUrl),
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
  private grantAccess(
    fn: NanoFunction,
    spec: FunctionSpec,
    props: StatelessStackProps,
    inboundMailBucket: s3.IBucket,
  ): void {
    if (spec.table !== undefined) grantTable(fn, props.table, spec.table);
    for (const resource of spec.uses ?? []) {
      if (isEnqueue(resource)) {
        this.sendQueue(enqueuedQueue(resource)).queue.grantSendMessages(fn);
        continue;
      }
      switch (resource) {
        case 'twilio':
          props.twilioSecret.grantRead(fn);
          break;
        case 'link-key':
          props.linkSecret.grantRead(fn);
          break;
        case 'address-key':
          props.addressKeySecret.grantRead(fn);
          break;
        case 'ses':
          // The identity and the configuration set are both checked on every send (SES v2 SendEmail
          // authorises `ses:SendEmail` for simple and raw content alike; SendRawEmail for the v1 API).
          // While the account is in the SES sandbox, recipients must be verified identities too.
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['ses:SendEmail', 'ses:SendRawEmail'],
              resources: [
                props.emailIdentity.emailIdentityArn,
                this.formatArn({
                  service: 'ses',
                  resource: 'configuration-set',
                  resourceName: props.configurationSet.configurationSetName,
                }),
              ],
            }),
          );
          break;
        case 'inbound-mail-bucket':
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['s3:GetObject'],
              resources: [inboundMailBucket.arnForObjects(`${props.inboundMailPrefix}*`)],
            }),
          );
          Validations.of(fn.role ?? fn).acknowledge({
            id: `AwsSolutions-IAM5[Resource::${props.inboundMailBucketArnExportName}/${props.inboundMailPrefix}*]`,
            reason:
              'Reads raw inbound messages by key: s3:GetObject on the inbound prefix of the one bucket only ' +
              '(object keys are SES message ids, unknown in advance).',
          });
          break;
        case 'inbound-mail-erase':
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['s3:DeleteObject'],
              resources: [inboundMailBucket.arnForObjects(`${props.inboundMailPrefix}*`)],
            }),
          );
          Validations.of(fn.role ?? fn).acknowledge({
            id: `AwsSolutions-IAM5[Resource::${props.inboundMailBucketArnExportName}/${props.inboundMailPrefix}*]`,
            reason:
              "Erasure deletes a participant's raw inbound messages by key: s3:DeleteObject on the inbound " +
              'prefix of the one bucket only (object keys are SES message ids, unknown in advance).',
          });
          break;
        case 'coach-directory':
          // Reads one coach's attributes by username (their `sub`); the one user pool only.
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['cognito-idp:AdminGetUser'],
              resources: [props.userPool.userPoolArn],
            }),
          );
          break;
        case 'public-url':
        case 'dashboard-url':
        case 'sms-policy':
        case 'retention':
          // Environment only.
          break;
        default: {
          const unknown: never = resource;
          throw new Error(`unknown resource ${String(unknown)} in the catalogue entry ${spec.name}`);
        }
      }
    }
  }

  /**
   * S3 event notifications on a bucket of another stack are written by CDK's notifications
   * handler, a singleton Lambda function created by `addEventNotification`.
   */
  private acknowledgeNotificationHandler(): void {
    const handler = this.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (handler === undefined) return;
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "CDK's S3 notifications handler (a deploy-time custom resource that sets the inbound bucket's " +
        'notification) writes its logs through the AWS managed basic execution policy.',
    });
  }
}

/**
 * Like `table.grantReadData` / `grantReadWriteData`, but exactly the listed actions, on the table
 * and — for `Query`, the only action an index serves — on each index named in `tableDefinition`
 * instead of `<table>/index/*`: least privilege without a wildcard to acknowledge (whose cdk-nag
 * finding id would embed CDK's generated cross-stack export name). No `Scan` is ever listed: no code
 * path may read the whole table (DESIGN §4). Transactions need no action of their own; IAM checks the
 * put/update/condition-check inside them. The table uses the AWS managed key, so no KMS grant.
 */
function grantTable(grantee: iam.IGrantable, table: dynamodb.ITable, actions: readonly TableAction[]): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: actions.map((action) => `dynamodb:${action}`),
    resourceArns: [table.tableArn],
  });
  if (actions.includes('Query')) {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: Object.values(tableDefinition.indexes).map(
        (index) => `${table.tableArn}/index/${index.name}`,
      ),
    });
  }
}

/** Why a public route is public (from the catalogue); acknowledged per route, never for the whole API. */
function publicRouteAcknowledgement(
  spec: FunctionSpec,
  trigger: HttpTrigger,
): { id: string; reason: string } {
  if (trigger.publicBecause === undefined || trigger.publicBecause.length < 20) {
    throw new Error(
      `${spec.name}: public route ${trigger.method} ${trigger.path} needs publicBecause (how it is authenticated)`,
    );
  }
  return { id: 'AwsSolutions-APIG4', reason: trigger.publicBecause };
}
