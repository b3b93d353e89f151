/**
 * The CDK app as `cdk synth` builds it (same `buildApp`, same cdk.json context), with bundling
 * skipped so no esbuild run is needed. Every expectation is derived from the catalogue
 * (`infra/functions.ts`) and `tableDefinition`, so adding a function or an index is checked too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, type NanocoachStacks, readSettings } from '../../infra/app.js';
import { type FunctionSpec, functionCatalogue, type Trigger } from '../../infra/functions.js';
import { tableDefinition } from '../../shared/adapters/dynamodb/table-definition.js';

const repoRoot = new URL('../../', import.meta.url);
const cdkJson = JSON.parse(readFileSync(new URL('cdk.json', repoRoot), 'utf8')) as { context?: object };

interface Built {
  readonly app: App;
  readonly stacks: NanocoachStacks;
  readonly stateful: Template;
  readonly stateless: Template;
}

/** The context `cdk synth` uses (cdk.json), with bundling skipped. */
const baseContext = { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] };

/**
 * Builds the app the CLI would, plus `context`. The cdk-nag plugin still runs at synth but does
 * not throw here, so that a finding fails its own test below instead of every test at once.
 */
function build(context: Record<string, unknown> = {}): Built {
  const app = new App({
    context: { ...baseContext, '@aws-cdk/core:failSynthOnValidationErrors': false, ...context },
  });
  const stacks = buildApp(app);
  return {
    app,
    stacks,
    stateful: Template.fromStack(stacks.stateful),
    stateless: Template.fromStack(stacks.stateless),
  };
}

type HttpTrigger = Extract<Trigger, { kind: 'http' }>;
type Resource = { Properties: Record<string, unknown> };

const httpTriggers = functionCatalogue.flatMap((spec) =>
  spec.triggers.filter((t): t is HttpTrigger => t.kind === 'http').map((trigger) => ({ spec, trigger })),
);

/** The single resource of `type` matching `props`, with its logical id. */
function only(template: Template, type: string, props: object = {}): [string, Resource] {
  const found = Object.entries(template.findResources(type, { Properties: props })) as [string, Resource][];
  expect(found, `${type} matching ${JSON.stringify(props)}`).toHaveLength(1);
  const [first] = found;
  if (!first) throw new Error('unreachable');
  return first;
}

/** Logical id of the catalogue entry's function (descriptions are unique in the catalogue). */
function functionId(template: Template, spec: FunctionSpec): string {
  return only(template, 'AWS::Lambda::Function', { Description: spec.description })[0];
}

describe('the CDK app', () => {
  let built: Built;
  beforeAll(() => {
    built = build();
  });

  it('has a handler file for every catalogue entry', () => {
    const missing = functionCatalogue
      .map((spec) => `functions/${spec.name}/handler.ts`)
      .filter((file) => !existsSync(new URL(file, repoRoot)));
    expect(missing).toEqual([]);
  });

  describe('stateful stack', () => {
    it('builds the table from tableDefinition, with TTL, PITR and deletion protection', () => {
      const { stateful } = built;
      const indexes = Object.values(tableDefinition.indexes);
      const keyNames = [
        tableDefinition.partitionKey,
        tableDefinition.sortKey,
        ...indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
      ];
      const [, table] = only(stateful, 'AWS::DynamoDB::Table');
      expect(table.Properties).toMatchObject({
        KeySchema: [
          { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: tableDefinition.ttlAttribute, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      });
      expect(table.Properties.AttributeDefinitions).toEqual(
        expect.arrayContaining(keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
      );
      expect(table.Properties.GlobalSecondaryIndexes).toHaveLength(indexes.length);
      expect(table.Properties.GlobalSecondaryIndexes).toEqual(
        expect.arrayContaining(
          indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
        ),
      );
      stateful.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('creates the Twilio secret with a placeholder template, retained', () => {
      built.stateful.hasResource('AWS::SecretsManager::Secret', {
        DeletionPolicy: 'Retain',
        Properties: {
          Name: 'nanocoach/twilio',
          GenerateSecretString: Match.objectLike({
            SecretStringTemplate: JSON.stringify({ accountSid: '' }),
            GenerateStringKey: 'authToken',
          }),
        },
      });
    });
  });

  describe('functions', () => {
    it('creates exactly one function per catalogue entry with the shared defaults', () => {
      const { stateless } = built;
      stateless.resourceCountIs('AWS::Lambda::Function', functionCatalogue.length);
      for (const spec of functionCatalogue) {
        const [, fn] = only(stateless, 'AWS::Lambda::Function', { Description: spec.description });
        expect(fn.Properties, spec.name).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          MemorySize: spec.memoryMb ?? 256,
          Timeout: spec.timeoutSeconds ?? 10,
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        });
      }
    });

    it('gives functions the Twilio secret ARN, never a Twilio credential', () => {
      const { stateless, stateful } = built;
      const [secretLogicalId] = only(stateful, 'AWS::SecretsManager::Secret');
      const functions = Object.values(stateless.findResources('AWS::Lambda::Function')) as Resource[];
      expect(functions).toHaveLength(functionCatalogue.length);
      for (const fn of functions) {
        const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
        expect(Object.keys(variables)).not.toContain('TWILIO_AUTH_TOKEN');
        expect(Object.keys(variables)).not.toContain('TWILIO_ACCOUNT_SID');
        // A reference to the secret resource (its ARN), not a literal and not a dynamic reference.
        expect(variables.TWILIO_SECRET_ARN).toEqual({
          'Fn::ImportValue': expect.stringContaining(secretLogicalId),
        });
        const text = JSON.stringify(variables);
        expect(text).not.toMatch(/resolve:secretsmanager|SecretString|authToken/iu);
      }
    });

    it('gives every function an environment that shared/config.ts accepts', async () => {
      const functions = Object.values(built.stateless.findResources('AWS::Lambda::Function')) as Resource[];
      // CloudFormation references stand in for values known only at deploy time.
      const concrete = (fn: Resource): Record<string, string> => {
        const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
        const env: Record<string, string> = { AWS_REGION: 'eu-west-1' };
        for (const [key, value] of Object.entries(variables)) {
          env[key] =
            typeof value === 'string'
              ? value
              : key.endsWith('_URL')
                ? 'https://deploy-time.example'
                : 'deploy-time';
        }
        return env;
      };
      const envs = functions.map(concrete);
      expect(envs).toHaveLength(functionCatalogue.length);
      // config.ts parses process.env when loaded, so load it under the first function's environment.
      for (const [key, value] of Object.entries(envs[0] ?? {})) vi.stubEnv(key, value);
      try {
        const { parseConfig } = await import('../../shared/config.js');
        for (const env of envs) {
          expect(parseConfig(env)).toMatchObject({
            TWILIO_FROM: '+15005550006',
            DUE_SHARDS: 8,
            SEND_MAX_ATTEMPTS: 5,
          });
          expect(env).toMatchObject({
            POWERTOOLS_SERVICE_NAME: 'nanocoach',
            NODE_OPTIONS: '--enable-source-maps',
          });
        }
      } finally {
        vi.unstubAllEnvs();
      }
    });

    it('grants exactly the access each catalogue entry lists', () => {
      const { stateless } = built;
      const [dlqId] = only(stateless, 'AWS::SQS::Queue', { RedrivePolicy: Match.absent() });
      const [queueId] = only(stateless, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() });
      for (const spec of functionCatalogue) {
        const roleRef = (only(stateless, 'AWS::Lambda::Function', { Description: spec.description })[1]
          .Properties.Role ?? {}) as { 'Fn::GetAtt'?: [string, string] };
        const roleId = roleRef['Fn::GetAtt']?.[0];
        const statements = Object.values(
          stateless.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
        )
          .flatMap((p) => (p as Resource).Properties.PolicyDocument as { Statement: unknown[] })
          .flatMap((d) => d.Statement);
        const allows = (action: string, resource?: string) =>
          statements.some((st) => {
            const { Action, Resource } = st as { Action: string | string[]; Resource: unknown };
            const actionOk = ([] as string[]).concat(Action).includes(action);
            return actionOk && (resource === undefined || JSON.stringify(Resource).includes(`"${resource}"`));
          });
        const writes = spec.access.includes('table-write');
        const reads = writes || spec.access.includes('table-read');
        const consumesSendQueue = spec.triggers.some((t) => t.kind === 'queue' && t.queue === 'send');
        expect(allows('dynamodb:Query'), `${spec.name} reads the table`).toBe(reads);
        expect(allows('dynamodb:PutItem'), `${spec.name} writes the table`).toBe(writes);
        expect(allows('dynamodb:Scan'), `${spec.name} scans`).toBe(false);
        expect(allows('secretsmanager:GetSecretValue'), `${spec.name} reads the secret`).toBe(
          spec.access.includes('twilio-secret'),
        );
        expect(allows('sqs:SendMessage', queueId), `${spec.name} enqueues`).toBe(
          spec.access.includes('send-queue'),
        );
        expect(allows('sqs:SendMessage', dlqId), `${spec.name} dead-letters`).toBe(consumesSendQueue);
        expect(JSON.stringify(statements), spec.name).not.toContain('/index/*');
      }
    });
  });

  describe('HTTP API', () => {
    it('has exactly one route per http trigger, pointing at that function', () => {
      const { stateless } = built;
      stateless.resourceCountIs('AWS::ApiGatewayV2::Route', httpTriggers.length);
      for (const { spec, trigger } of httpTriggers) {
        const [, route] = only(stateless, 'AWS::ApiGatewayV2::Route', {
          RouteKey: `${trigger.method} ${trigger.path}`,
        });
        const target = route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
        const integrationId = target['Fn::Join'][1][1].Ref;
        const integration = stateless.toJSON().Resources[integrationId] as Resource;
        expect(integration.Properties.IntegrationUri).toEqual({
          'Fn::GetAtt': [functionId(stateless, spec), 'Arn'],
        });
      }
    });

    it('puts coach routes behind the Cognito JWT authorizer and leaves webhooks public', () => {
      const { stateless } = built;
      const [authorizerId] = only(stateless, 'AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        JwtConfiguration: {
          // The pool lives in the stateful stack: the authorizer trusts its dashboard client's tokens.
          Audience: [{ 'Fn::ImportValue': Match.stringLikeRegexp('DashboardClient') }],
          Issuer: Match.objectLike({
            'Fn::Join': [
              '',
              Match.arrayWith([
                Match.stringLikeRegexp('cognito-idp'),
                { 'Fn::ImportValue': Match.stringLikeRegexp('CoachUserPool') },
              ]),
            ],
          }),
        },
      });
      for (const { trigger } of httpTriggers) {
        const [, route] = only(stateless, 'AWS::ApiGatewayV2::Route', {
          RouteKey: `${trigger.method} ${trigger.path}`,
        });
        if (trigger.auth === 'coach') {
          expect(route.Properties, trigger.path).toMatchObject({
            AuthorizationType: 'JWT',
            AuthorizerId: { Ref: authorizerId },
          });
        } else {
          expect(route.Properties.AuthorizationType, trigger.path).toBe('NONE');
          expect(route.Properties.AuthorizerId, trigger.path).toBeUndefined();
        }
      }
      expect(httpTriggers.some(({ trigger }) => trigger.path === '/webhooks/twilio/sms')).toBe(true);
    });

    it('keeps an invite-only coach user pool with a strong password policy among the retained data', () => {
      built.stateless.resourceCountIs('AWS::Cognito::UserPool', 0);
      built.stateful.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
      built.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        UsernameAttributes: ['email'],
        MfaConfiguration: 'OPTIONAL',
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      });
    });

    it('writes access logs and outputs the URLs an operator needs', () => {
      const { stateless } = built;
      stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
          Format: Match.anyValue(),
        },
      });
      for (const name of [
        'ApiUrl',
        'TwilioInboundWebhookUrl',
        'UserPoolId',
        'UserPoolClientId',
        'TwilioSecretArn',
      ]) {
        stateless.hasOutput(name, {});
      }
      stateless.hasOutput('TwilioInboundWebhookUrl', {
        Value: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'ApiEndpoint'] }, '/webhooks/twilio/sms']],
        },
      });
    });

    it('uses publicBaseUrl from context for the functions and the webhook URL', () => {
      const { stateless } = build({ publicBaseUrl: 'https://coach.example.org/' });
      const functions = Object.values(stateless.findResources('AWS::Lambda::Function')) as Resource[];
      for (const fn of functions) {
        expect(fn.Properties.Environment).toMatchObject({
          Variables: { PUBLIC_BASE_URL: 'https://coach.example.org' },
        });
      }
      stateless.hasOutput('TwilioInboundWebhookUrl', {
        Value: 'https://coach.example.org/webhooks/twilio/sms',
      });
    });
  });

  describe('schedules and the send queue', () => {
    it('runs every scheduled function by an EventBridge rate rule', () => {
      const { stateless } = built;
      const scheduled = functionCatalogue.flatMap((spec) =>
        spec.triggers.flatMap((t) => (t.kind === 'schedule' ? [{ spec, minutes: t.everyMinutes }] : [])),
      );
      expect(scheduled.map(({ spec }) => spec.name)).toContain('dispatch-due');
      stateless.resourceCountIs('AWS::Events::Rule', scheduled.length);
      for (const { spec, minutes } of scheduled) {
        stateless.hasResourceProperties('AWS::Events::Rule', {
          ScheduleExpression: minutes === 1 ? 'rate(1 minute)' : `rate(${minutes} minutes)`,
          Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId(stateless, spec), 'Arn'] } })],
        });
      }
      // A slow dispatcher run never overlaps the next one.
      const dispatch = functionCatalogue.find((spec) => spec.name === 'dispatch-due');
      expect(dispatch?.reservedConcurrency).toBe(1);
      if (dispatch) {
        const resources = stateless.findResources('AWS::Lambda::Function');
        expect(resources[functionId(stateless, dispatch)]?.Properties?.ReservedConcurrentExecutions).toBe(1);
      }
    });

    it('feeds the send queue, with a DLQ, to its consumer with partial failures and capped concurrency', () => {
      const { stateless } = built;
      const consumers = functionCatalogue.filter((spec) => spec.triggers.some((t) => t.kind === 'queue'));
      expect(consumers.map((spec) => spec.name)).toContain('send-sms');
      const longest = Math.max(...consumers.map((spec) => spec.timeoutSeconds ?? 10));

      const [dlqId] = only(stateless, 'AWS::SQS::Queue', { RedrivePolicy: Match.absent() });
      const [queueId, queue] = only(stateless, 'AWS::SQS::Queue', {
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
        SqsManagedSseEnabled: true,
      });
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * longest);

      stateless.resourceCountIs('AWS::Lambda::EventSourceMapping', consumers.length);
      for (const spec of consumers) {
        stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          FunctionName: { Ref: functionId(stateless, spec) },
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: { MaximumConcurrency: 2 },
        });
      }
      // enforceSSL on both queues
      stateless.resourceCountIs('AWS::SQS::QueuePolicy', 2);
    });

    it('takes the send concurrency and attempts from context', () => {
      const { stateless } = build({ sendConcurrency: '4', sendMaxAttempts: '7' });
      stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        ScalingConfig: { MaximumConcurrency: 4 },
      });
      stateless.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: Match.objectLike({ maxReceiveCount: 7 }),
      });
      stateless.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ SEND_MAX_ATTEMPTS: '7' }) },
      });
    });

    it('rejects context values that would only fail at run time', () => {
      const settings = (context: Record<string, unknown>) => () => readSettings(new App({ context }));
      expect(settings({ twilioFrom: '5005550006' })).toThrow(/twilioFrom/u);
      expect(settings({ sendConcurrency: '1' })).toThrow(/sendConcurrency/u);
      expect(settings({ sendMaxAttempts: 'many' })).toThrow(/sendMaxAttempts/u);
      expect(settings({ publicBaseUrl: 'http://coach.example.org' })).toThrow(/https/u);
      expect(settings({ twilioFrom: 'MG0123456789abcdef0123456789abcdef' })()).toMatchObject({
        twilioFrom: 'MG0123456789abcdef0123456789abcdef',
        sendConcurrency: 2,
        sendMaxAttempts: 5,
      });
    });
  });

  describe('alarms', () => {
    it('alarms on any message in the dead-letter queue', () => {
      const { stateless } = built;
      const [dlqId] = only(stateless, 'AWS::SQS::Queue', { RedrivePolicy: Match.absent() });
      const [topicId] = only(stateless, 'AWS::SNS::Topic');
      stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        AlarmActions: [{ Ref: topicId }],
      });
    });

    it("alarms on every function's errors", () => {
      const { stateless } = built;
      for (const spec of functionCatalogue) {
        stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(stateless, spec) } }],
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      }
    });
  });

  describe('cdk-nag (AwsSolutions)', () => {
    it('reports no unacknowledged finding', () => {
      const report = new AwsSolutionsChecks().validateScope(built.app);
      const findings = report.violations.map(
        (v) =>
          `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );
      expect(findings).toEqual([]);
    });

    it('would catch a finding: an unacknowledged queue fails the synth of the app', () => {
      const app = new App({ context: baseContext });
      const { stateless } = buildApp(app);
      new sqs.Queue(stateless, 'UncheckedQueue');
      const report = new AwsSolutionsChecks().validateScope(app);
      expect(report.violations.map((v) => v.ruleName)).toEqual(
        expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
      );
      // buildApp registered the pack as a validation plugin, so the synth itself refuses.
      expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/u);
    });
  });
});
