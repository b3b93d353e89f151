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
import {
  type Resource as CatalogueResource,
  consumedQueues,
  type FunctionSpec,
  functionCatalogue,
  type QueueName,
  queueCatalogue,
  type Trigger,
} from '../../infra/functions.js';
import { functionClassOf, ROUTE_CLASS_THROTTLES, routeClassOf } from '../../infra/route-classes.js';
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

/**
 * The variables each resource brings, written out here independently of `variablesOf` in
 * infra/functions.ts: this table is the specification the stack is checked against.
 */
const expectedVariables = (spec: FunctionSpec): string[] => {
  const byResource: Record<Exclude<CatalogueResource, `enqueue:${string}`>, string[]> = {
    'public-url': ['PUBLIC_BASE_URL'],
    twilio: ['TWILIO_SECRET_ARN', 'TWILIO_FROM'],
    ses: ['EMAIL_FROM', 'EMAIL_REPLY_DOMAIN', 'SES_CONFIGURATION_SET'],
    'link-key': ['LINK_SECRET_ARN'],
    'address-key': ['ADDRESS_HASH_SECRET_ARN'],
    'inbound-mail-bucket': ['INBOUND_MAIL_BUCKET'],
    'inbound-mail-erase': ['INBOUND_MAIL_BUCKET'],
    'sms-policy': ['SMS_ALLOWED_COUNTRIES'],
    retention: ['RAW_MESSAGE_RETENTION_DAYS'],
    'coach-directory': ['COACH_USER_POOL_ID'],
    'dashboard-url': ['DASHBOARD_URL'],
  };
  const prefix = (queue: string) => queue.toUpperCase().replaceAll('-', '_');
  const names = new Set(['POWERTOOLS_LOG_LEVEL']);
  if (spec.table) for (const name of ['TABLE_NAME', 'DUE_SHARDS']) names.add(name);
  for (const use of spec.uses ?? []) {
    const vars = use.startsWith('enqueue:')
      ? [`${prefix(use.slice('enqueue:'.length))}_QUEUE_URL`]
      : byResource[use as keyof typeof byResource];
    for (const name of vars) names.add(name);
  }
  for (const queue of consumedQueues(spec)) {
    for (const name of [`${prefix(queue)}_QUEUE_URL`, `${prefix(queue)}_DLQ_URL`, 'SEND_MAX_ATTEMPTS'])
      names.add(name);
  }
  return [...names].sort();
};

/** Variables NanoFunction sets on every function, whatever its resources. */
const functionDefaults = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME'];

function variablesOfFunction(template: Template, spec: FunctionSpec): Record<string, unknown> {
  const [, fn] = only(template, 'AWS::Lambda::Function', { Description: spec.description });
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** The IAM statements attached to the execution role of a catalogue entry's function. */
function statementsOf(
  template: Template,
  spec: FunctionSpec,
): { Action: string | string[]; Resource: unknown }[] {
  const roleRef = (only(template, 'AWS::Lambda::Function', { Description: spec.description })[1].Properties
    .Role ?? {}) as { 'Fn::GetAtt'?: [string, string] };
  const roleId = roleRef['Fn::GetAtt']?.[0];
  expect(roleId, spec.name).toBeDefined();
  return Object.values(
    template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  )
    .map(
      (p) =>
        (p as Resource).Properties.PolicyDocument as {
          Statement: { Action: string | string[]; Resource: unknown }[];
        },
    )
    .flatMap((d) => d.Statement);
}

const actionsOf = (statement: { Action: string | string[] }) => ([] as string[]).concat(statement.Action);

/** Logical ids of a send queue and its DLQ, found by their construct ids. */
function queueIds(template: Template, queue: QueueName): { queueId: string; dlqId: string } {
  const pascal = queue
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
  const ids = Object.keys(template.findResources('AWS::SQS::Queue'));
  const queueId = ids.find((id) => id.startsWith(`${pascal}Queue`));
  const dlqId = ids.find((id) => id.startsWith(`${pascal}DeadLetterQueue`));
  if (queueId === undefined || dlqId === undefined)
    throw new Error(`queue ${queue} not found in ${ids.join(', ')}`);
  return { queueId, dlqId };
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

    it('has an admins group in the coach user pool, for deployment-wide cohort reports', () => {
      built.stateful.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins' });
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
      // Plus CDK's own handler that sets the inbound bucket's event notification at deploy time.
      const ids = Object.keys(stateless.findResources('AWS::Lambda::Function'));
      // CDK's own helper functions (bucket notifications, the dashboard's deployment and cleanup).
      const helpers = [
        'BucketNotificationsHandler',
        'CustomCDKBucketDeployment',
        'CustomS3AutoDeleteObjectsCustomResourceProvider',
      ];
      expect(ids.filter((id) => !helpers.some((h) => id.startsWith(h)))).toHaveLength(
        functionCatalogue.length,
      );
      expect(ids).toHaveLength(functionCatalogue.length + helpers.length);
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

    it('gives each function exactly the variables of its table access, resources and consumed queue', () => {
      const { stateless } = built;
      for (const spec of functionCatalogue) {
        expect(Object.keys(variablesOfFunction(stateless, spec)).sort(), spec.name).toEqual(
          [...expectedVariables(spec), ...functionDefaults].sort(),
        );
      }
      // Spot checks of the lean end: no Twilio, queue or email variable where none is used.
      const byName = (name: string) => functionCatalogue.find((spec) => spec.name === name);
      const listPrograms = byName('list-programs');
      const sendEmail = byName('send-email');
      if (!listPrograms || !sendEmail) throw new Error('catalogue entries missing');
      expect(Object.keys(variablesOfFunction(stateless, listPrograms)).sort()).toEqual([
        'DUE_SHARDS',
        'NODE_OPTIONS',
        'POWERTOOLS_LOG_LEVEL',
        'POWERTOOLS_SERVICE_NAME',
        'TABLE_NAME',
      ]);
      expect(Object.keys(variablesOfFunction(stateless, sendEmail))).not.toContain('TWILIO_SECRET_ARN');
    });

    it('passes secrets by ARN only, never a credential or a resolved secret value', () => {
      const { stateless, stateful } = built;
      const secretIds = Object.keys(stateful.findResources('AWS::SecretsManager::Secret'));
      expect(secretIds).toHaveLength(3);
      for (const spec of functionCatalogue) {
        const variables = variablesOfFunction(stateless, spec);
        expect(Object.keys(variables), spec.name).not.toContain('TWILIO_AUTH_TOKEN');
        expect(Object.keys(variables), spec.name).not.toContain('TWILIO_ACCOUNT_SID');
        expect(Object.keys(variables), spec.name).not.toContain('LINK_SIGNING_KEY');
        for (const name of ['TWILIO_SECRET_ARN', 'LINK_SECRET_ARN', 'ADDRESS_HASH_SECRET_ARN']) {
          if (!(name in variables)) continue;
          // A reference to the secret resource (its ARN), not a literal and not a dynamic reference.
          expect(variables[name], `${spec.name} ${name}`).toEqual({
            'Fn::ImportValue': expect.stringMatching(new RegExp(secretIds.join('|'), 'u')),
          });
        }
        expect(JSON.stringify(variables), spec.name).not.toMatch(
          /resolve:secretsmanager|SecretString|authToken/iu,
        );
      }
    });

    it("gives every function an environment that its resources' config slices accept", async () => {
      // CloudFormation references stand in for values known only at deploy time.
      const concrete = (variables: Record<string, unknown>): NodeJS.ProcessEnv => {
        const env: NodeJS.ProcessEnv = { AWS_REGION: 'eu-west-1' };
        for (const [key, value] of Object.entries(variables)) {
          env[key] =
            typeof value === 'string'
              ? value
              : key.endsWith('_URL')
                ? 'https://deploy-time.example'
                : key.endsWith('_ARN')
                  ? 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:deploy-time'
                  : 'deploy-time';
        }
        return env;
      };
      const original = process.env;
      try {
        for (const spec of functionCatalogue) {
          const env = concrete(variablesOfFunction(built.stateless, spec));
          // Slices parse process.env once per module instance: a fresh instance per function.
          process.env = env;
          vi.resetModules();
          const config = await import('../../shared/config.js');
          const slices: Record<string, () => unknown> = {
            'public-url': config.publicUrlConfig,
            twilio: config.twilioConfig,
            ses: config.emailConfig,
            'link-key': config.linkKeyConfig,
            'address-key': config.addressKeyConfig,
            'inbound-mail-bucket': config.inboundMailConfig,
            'inbound-mail-erase': config.inboundMailConfig,
            'sms-policy': config.smsPolicyConfig,
            retention: config.retentionConfig,
            'coach-directory': config.coachDirectoryConfig,
            'dashboard-url': config.dashboardUrlConfig,
          };
          expect(config.logConfig(), spec.name).toEqual({ POWERTOOLS_LOG_LEVEL: 'INFO' });
          expect(config.awsConfig(), spec.name).toEqual({ AWS_REGION: 'eu-west-1' });
          if (spec.table) expect(config.tableConfig(), spec.name).toMatchObject({ DUE_SHARDS: 8 });
          for (const use of spec.uses ?? []) {
            if (use.startsWith('enqueue:')) {
              expect(config.queueUrls(use.slice('enqueue:'.length))().queueUrl, spec.name).toMatch(
                /^https:/u,
              );
            } else {
              const slice = slices[use];
              if (!slice) throw new Error(`no config slice for ${use}`);
              expect(() => slice(), `${spec.name} ${use}`).not.toThrow();
            }
          }
          for (const queue of consumedQueues(spec)) {
            expect(config.queueUrls(queue)(), spec.name).toEqual({
              queueUrl: 'https://deploy-time.example',
              deadLetterUrl: 'https://deploy-time.example',
            });
            expect(config.sendConfig(), spec.name).toEqual({ SEND_MAX_ATTEMPTS: 5 });
          }
          if (spec.uses?.includes('twilio')) {
            expect(config.twilioConfig(), spec.name).toMatchObject({ TWILIO_FROM: '+15005550006' });
            // Without the variables of a resource it does not list, its slice refuses to load.
          } else {
            expect(() => config.twilioConfig(), spec.name).toThrow(/TWILIO/u);
          }
          if (spec.uses?.includes('ses')) {
            expect(config.emailConfig(), spec.name).toMatchObject({
              EMAIL_FROM: 'checkins@nanocoach.example',
              EMAIL_REPLY_DOMAIN: 'reply.nanocoach.example',
            });
          }
        }
      } finally {
        process.env = original;
        vi.resetModules();
      }
    });

    it('grants exactly the DynamoDB actions each entry lists, on the table and each named index', () => {
      const { stateless } = built;
      const indexNames = Object.values(tableDefinition.indexes).map((index) => index.name);
      for (const spec of functionCatalogue) {
        const statements = statementsOf(stateless, spec);
        const dynamo = statements.filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')));
        const granted = new Set(dynamo.flatMap(actionsOf));
        expect([...granted].sort(), spec.name).toEqual((spec.table ?? []).map((a) => `dynamodb:${a}`).sort());
        expect(granted.has('dynamodb:Scan'), `${spec.name} scans`).toBe(false);
        const text = JSON.stringify(dynamo);
        expect(text, spec.name).not.toContain('/index/*');
        if (spec.table?.includes('Query')) {
          for (const index of indexNames)
            expect(text, `${spec.name} queries ${index}`).toContain(`/index/${index}"`);
        } else {
          expect(text, spec.name).not.toContain('/index/');
        }
      }
      // Nothing anywhere may scan.
      expect(JSON.stringify(built.stateless.toJSON())).not.toContain('dynamodb:Scan');
    });

    it('grants secrets, queues, SES and the inbound bucket exactly where the catalogue lists them', () => {
      const { stateless } = built;
      for (const spec of functionCatalogue) {
        const statements = statementsOf(stateless, spec);
        const uses = new Set<string>(spec.uses ?? []);
        const allows = (action: string, resource?: string) =>
          statements.some(
            (st) =>
              actionsOf(st).includes(action) &&
              (resource === undefined || JSON.stringify(st.Resource).includes(resource)),
          );
        expect(allows('secretsmanager:GetSecretValue', 'TwilioSecret'), `${spec.name} reads Twilio`).toBe(
          uses.has('twilio'),
        );
        expect(
          allows('secretsmanager:GetSecretValue', 'LinkSigningSecret'),
          `${spec.name} reads the link key`,
        ).toBe(uses.has('link-key'));
        expect(
          allows('secretsmanager:GetSecretValue', 'AddressHashSecret'),
          `${spec.name} reads the address key`,
        ).toBe(uses.has('address-key'));
        for (const { name } of queueCatalogue) {
          const { queueId, dlqId } = queueIds(stateless, name);
          expect(allows('sqs:SendMessage', `"${queueId}"`), `${spec.name} enqueues on ${name}`).toBe(
            uses.has(`enqueue:${name}`),
          );
          const consumes = consumedQueues(spec).includes(name);
          expect(allows('sqs:SendMessage', `"${dlqId}"`), `${spec.name} dead-letters ${name}`).toBe(consumes);
          // It delays retries by changing the visibility of its own messages.
          expect(allows('sqs:ChangeMessageVisibility', `"${queueId}"`), `${spec.name} consumes ${name}`).toBe(
            consumes,
          );
        }
        expect(allows('ses:SendEmail'), `${spec.name} sends email`).toBe(uses.has('ses'));
        expect(allows('s3:GetObject', '/inbound/*'), `${spec.name} reads inbound mail`).toBe(
          uses.has('inbound-mail-bucket'),
        );
        expect(allows('s3:DeleteObject', '/inbound/*'), `${spec.name} deletes inbound mail`).toBe(
          uses.has('inbound-mail-erase'),
        );
        expect(
          statements.some((st) =>
            actionsOf(st).some((a) => a.startsWith('s3:') && a !== 's3:GetObject' && a !== 's3:DeleteObject'),
          ),
          `${spec.name} other S3 actions`,
        ).toBe(false);
        expect(
          statements.some((st) => actionsOf(st).some((a) => a.startsWith('cognito-idp:'))),
          `${spec.name} reads the coach user pool`,
        ).toBe(uses.has('coach-directory'));
      }
    });

    it('lets the week close and the needs-a-human alert look coaches up in the coach user pool only, one user at a time', () => {
      const { stateless, stateful } = built;
      const [userPoolId] = only(stateful, 'AWS::Cognito::UserPool');
      const readers = functionCatalogue.filter((spec) => spec.uses?.includes('coach-directory'));
      expect(readers.map((spec) => spec.name).sort()).toEqual([
        'close-weeks',
        'record-email-reply',
        'record-sms-reply',
      ]);
      for (const spec of readers) {
        const cognitoStatements = statementsOf(stateless, spec).filter((st) =>
          actionsOf(st).some((a) => a.startsWith('cognito-idp:')),
        );
        expect(cognitoStatements, spec.name).toHaveLength(1);
        const [statement] = cognitoStatements;
        expect(actionsOf(statement ?? { Action: [] })).toEqual(['cognito-idp:AdminGetUser']);
        const resources = ([] as unknown[]).concat(statement?.Resource);
        expect(resources, spec.name).toHaveLength(1);
        const text = JSON.stringify(resources);
        expect(text).not.toContain('*');
        expect(text).toContain(userPoolId);
        expect(JSON.stringify(variablesOfFunction(stateless, spec).COACH_USER_POOL_ID)).toContain(userPoolId);
      }
    });

    it('lets email senders send only from the SES identity, with the configuration set', () => {
      const { stateless, stateful } = built;
      const [identityId] = only(stateful, 'AWS::SES::EmailIdentity');
      const [configurationSetId] = only(stateful, 'AWS::SES::ConfigurationSet');
      const senders = functionCatalogue.filter((spec) => spec.uses?.includes('ses'));
      expect(senders.map((spec) => spec.name)).toContain('send-email');
      for (const spec of senders) {
        const sesStatements = statementsOf(stateless, spec).filter((st) =>
          actionsOf(st).some((a) => a.startsWith('ses:')),
        );
        expect(sesStatements, spec.name).toHaveLength(1);
        const [statement] = sesStatements;
        expect(actionsOf(statement ?? { Action: [] }).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
        const resources = ([] as unknown[]).concat(statement?.Resource);
        expect(resources, spec.name).toHaveLength(2);
        const text = JSON.stringify(resources);
        expect(text).not.toContain('"*"');
        expect(text).toMatch(/:identity\//u);
        expect(text).toContain(identityId);
        expect(text).toMatch(/:configuration-set\//u);
        expect(text).toContain(configurationSetId);
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

    it('throttles the default stage, from context or with defaults', () => {
      built.stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
      build({ apiThrottleRate: '5', apiThrottleBurst: '10' }).stateless.hasResourceProperties(
        'AWS::ApiGatewayV2::Stage',
        { DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 } },
      );
    });

    it('throttles each route class apart: Twilio webhooks, public pages and the coach API', () => {
      const [stage] = Object.values(built.stateless.findResources('AWS::ApiGatewayV2::Stage')) as Resource[];
      const settings = stage?.Properties.RouteSettings as Record<
        string,
        { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
      >;
      // Every route has its class's limit, so no class shares a budget with another.
      expect(Object.keys(settings).sort()).toEqual(
        httpTriggers.map(({ trigger }) => `${trigger.method} ${trigger.path}`).sort(),
      );
      for (const { trigger } of httpTriggers) {
        const expected = ROUTE_CLASS_THROTTLES[routeClassOf(trigger)];
        expect(settings[`${trigger.method} ${trigger.path}`]).toEqual({
          ThrottlingRateLimit: expected.rateLimit,
          ThrottlingBurstLimit: expected.burstLimit,
        });
      }
      expect(routeClassOf({ kind: 'http', method: 'POST', path: '/webhooks/twilio/sms', auth: 'none' })).toBe(
        'twilio-webhooks',
      );
      expect(routeClassOf({ kind: 'http', method: 'GET', path: '/a/{token}', auth: 'none' })).toBe(
        'public-pages',
      );
      const classes = new Set(httpTriggers.map(({ trigger }) => routeClassOf(trigger)));
      expect(classes).toEqual(new Set(['twilio-webhooks', 'public-pages', 'coach-api']));
      // The public pages are the tightest: anyone can request them.
      expect(ROUTE_CLASS_THROTTLES['public-pages'].rateLimit).toBeLessThan(
        ROUTE_CLASS_THROTTLES['twilio-webhooks'].rateLimit ?? 0,
      );
    });

    it('reserves concurrency for the functions behind Twilio, the public pages and the SES paths', () => {
      const fns = built.stateless.findResources('AWS::Lambda::Function') as Record<string, Resource>;
      const byDescription = (spec: FunctionSpec) =>
        Object.values(fns).find((f) => f.Properties.Description === spec.description)?.Properties
          .ReservedConcurrentExecutions;
      const covered = new Set<string>();
      for (const spec of functionCatalogue) {
        const fnClass = functionClassOf(spec);
        if (!fnClass || consumedQueues(spec).length > 0) continue;
        covered.add(fnClass);
        expect({ name: spec.name, reserved: byDescription(spec) }).toEqual({
          name: spec.name,
          reserved: spec.reservedConcurrency ?? ROUTE_CLASS_THROTTLES[fnClass].reservedConcurrency,
        });
      }
      expect(covered).toEqual(new Set(['twilio-webhooks', 'public-pages', 'ses-events']));
      expect(
        functionClassOf(functionCatalogue.find((s) => s.name === 'record-email-reply') as FunctionSpec),
      ).toBe('ses-events');
    });

    it('says for every public route how it is authenticated instead of a JWT', () => {
      const publicRoutes = httpTriggers.filter(({ trigger }) => trigger.auth === 'none');
      expect(publicRoutes.map(({ trigger }) => `${trigger.method} ${trigger.path}`)).toEqual(
        expect.arrayContaining(['GET /a/{token}', 'POST /a/{token}', 'GET /u/{token}', 'POST /u/{token}']),
      );
      for (const { trigger } of publicRoutes) {
        expect(trigger.publicBecause?.length ?? 0, trigger.path).toBeGreaterThan(40);
        if (/^\/[au]\//u.test(trigger.path))
          expect(trigger.publicBecause, trigger.path).toMatch(/HMAC-signed/u);
        if (trigger.path.startsWith('/webhooks/twilio/')) {
          expect(trigger.publicBecause, trigger.path).toMatch(/X-Twilio-Signature/u);
        }
      }
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
      const users = functionCatalogue.filter((spec) => spec.uses?.includes('public-url'));
      expect(users.map((spec) => spec.name)).toEqual(expect.arrayContaining(['send-sms', 'send-email']));
      for (const spec of users) {
        expect(variablesOfFunction(stateless, spec).PUBLIC_BASE_URL, spec.name).toBe(
          'https://coach.example.org',
        );
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
          // CDK writes whole hours as hours: 60 minutes is `rate(1 hour)`.
          ScheduleExpression:
            minutes === 1
              ? 'rate(1 minute)'
              : minutes % 60 === 0
                ? `rate(${minutes / 60} hour${minutes === 60 ? '' : 's'})`
                : `rate(${minutes} minutes)`,
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

    it('feeds each send queue, with its own DLQ, to its consumer with partial failures and capped concurrency', () => {
      const { stateless } = built;
      stateless.resourceCountIs('AWS::SQS::Queue', 2 * queueCatalogue.length);
      const consumers = functionCatalogue.filter((spec) => consumedQueues(spec).length > 0);
      expect(consumers.map((spec) => spec.name).sort()).toEqual(['send-email', 'send-sms']);
      stateless.resourceCountIs('AWS::Lambda::EventSourceMapping', consumers.length);
      for (const { name } of queueCatalogue) {
        const { queueId, dlqId } = queueIds(stateless, name);
        const queueConsumers = consumers.filter((spec) => consumedQueues(spec).includes(name));
        expect(queueConsumers, name).toHaveLength(1);
        const longest = Math.max(...queueConsumers.map((spec) => spec.timeoutSeconds ?? 10));
        const queue = stateless.toJSON().Resources[queueId] as Resource;
        expect(queue.Properties, name).toMatchObject({
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
          SqsManagedSseEnabled: true,
        });
        expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * longest);
        const dlq = stateless.toJSON().Resources[dlqId] as Resource;
        expect(dlq.Properties).toMatchObject({ SqsManagedSseEnabled: true });
        expect(dlq.Properties.RedrivePolicy).toBeUndefined();
        for (const spec of queueConsumers) {
          const fnId = functionId(stateless, spec);
          stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
            EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
            FunctionName: { Ref: fnId },
            BatchSize: 10,
            FunctionResponseTypes: ['ReportBatchItemFailures'],
            ScalingConfig: { MaximumConcurrency: 2 },
          });
          // Reserved concurrency equals the event source's cap: the sender cannot be starved by
          // other functions, and never runs more copies than the provider's rate allows.
          const fn = stateless.toJSON().Resources[fnId] as Resource;
          expect(fn.Properties.ReservedConcurrentExecutions, spec.name).toBe(2);
        }
      }
      // enforceSSL on every queue
      stateless.resourceCountIs('AWS::SQS::QueuePolicy', 2 * queueCatalogue.length);
    });

    it('takes each channel send concurrency and the attempts from context', () => {
      const { stateless } = build({ sendConcurrency: '4', emailSendConcurrency: '6', sendMaxAttempts: '7' });
      const concurrency: Record<QueueName, number> = { 'send-sms': 4, 'send-email': 6 };
      for (const spec of functionCatalogue) {
        for (const queue of consumedQueues(spec)) {
          const fnId = functionId(stateless, spec);
          stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
            FunctionName: { Ref: fnId },
            ScalingConfig: { MaximumConcurrency: concurrency[queue] },
          });
          const fn = stateless.toJSON().Resources[fnId] as Resource;
          expect(fn.Properties.ReservedConcurrentExecutions, spec.name).toBe(concurrency[queue]);
          expect(variablesOfFunction(stateless, spec).SEND_MAX_ATTEMPTS, spec.name).toBe('7');
        }
      }
      const redrives = Object.values(stateless.findResources('AWS::SQS::Queue'))
        .map((q) => (q as Resource).Properties.RedrivePolicy as { maxReceiveCount: number } | undefined)
        .filter((r) => r !== undefined);
      expect(redrives.map((r) => r.maxReceiveCount)).toEqual([7, 7]);
    });

    it('rejects context values that would only fail at run time', () => {
      const settings = (context: Record<string, unknown>) => () => readSettings(new App({ context }));
      expect(settings({ twilioFrom: '5005550006' })).toThrow(/twilioFrom/u);
      expect(settings({ sendConcurrency: '1' })).toThrow(/sendConcurrency/u);
      expect(settings({ emailSendConcurrency: '0' })).toThrow(/emailSendConcurrency/u);
      expect(settings({ emailDomain: 'not a domain' })).toThrow(/emailDomain/u);
      expect(settings({ emailDomain: 'coach.example.org', emailFrom: 'me@elsewhere.example.org' })).toThrow(
        /emailFrom/u,
      );
      expect(settings({ smsAllowedCountries: 'usa' })).toThrow(/smsAllowedCountries/u);
      expect(settings({ apiThrottleRate: '-1' })).toThrow(/apiThrottleRate/u);
      expect(settings({ rawMessageRetentionDays: '0' })).toThrow(/rawMessageRetentionDays/u);
      expect(settings({ rawMessageRetentionDays: 3651 })).toThrow(/rawMessageRetentionDays/u);
      expect(
        settings({
          emailDomain: 'Coach.Example.org',
          emailFrom: 'Check-ins <hello@mail.coach.example.org>',
        })(),
      ).toMatchObject({
        emailDomain: 'coach.example.org',
        emailFrom: 'Check-ins <hello@mail.coach.example.org>',
        emailReplyDomain: 'reply.coach.example.org',
      });
      expect(settings({ sendMaxAttempts: 'many' })).toThrow(/sendMaxAttempts/u);
      expect(settings({ publicBaseUrl: 'http://coach.example.org' })).toThrow(/https/u);
      expect(settings({ twilioFrom: 'MG0123456789abcdef0123456789abcdef' })()).toMatchObject({
        twilioFrom: 'MG0123456789abcdef0123456789abcdef',
        sendConcurrency: 2,
        emailSendConcurrency: 2,
        queueConcurrency: { 'send-sms': 2, 'send-email': 2 },
        sendMaxAttempts: 5,
        emailDomain: 'nanocoach.example',
        emailFrom: 'checkins@nanocoach.example',
        emailReplyDomain: 'reply.nanocoach.example',
        smsAllowedCountries: '*',
        apiThrottle: { rateLimit: 50, burstLimit: 100 },
        rawMessageRetentionDays: 90,
      });
    });

    it('gives the raw-message retention from context to every function that stores raw messages', () => {
      const stores = ['record-sms-reply', 'record-email-reply', 'record-answer-link'];
      expect(
        functionCatalogue.filter((spec) => spec.uses?.includes('retention')).map((spec) => spec.name),
      ).toEqual(expect.arrayContaining(stores));
      const retention = (template: Template, name: string) => {
        const spec = functionCatalogue.find((s) => s.name === name);
        if (!spec) throw new Error(`no catalogue entry ${name}`);
        return variablesOfFunction(template, spec).RAW_MESSAGE_RETENTION_DAYS;
      };
      const { stateless } = build({ rawMessageRetentionDays: '30' });
      for (const name of stores) {
        expect(retention(built.stateless, name), name).toBe('90');
        expect(retention(stateless, name), name).toBe('30');
      }
    });
  });

  describe('email on AWS', () => {
    const byName = (name: string): FunctionSpec => {
      const spec = functionCatalogue.find((f) => f.name === name);
      if (!spec) throw new Error(`${name} is not in the catalogue`);
      return spec;
    };
    const importOf = (logicalId: string) => ({ 'Fn::ImportValue': expect.stringContaining(logicalId) });

    it('verifies the sending domain with Easy DKIM and sends through a configuration set', () => {
      const { stateful } = built;
      const [configurationSetId] = only(stateful, 'AWS::SES::ConfigurationSet', {
        ReputationOptions: { ReputationMetricsEnabled: true },
      });
      only(stateful, 'AWS::SES::EmailIdentity', {
        EmailIdentity: 'nanocoach.example',
        DkimAttributes: { SigningEnabled: true },
        ConfigurationSetAttributes: { ConfigurationSetName: { Ref: configurationSetId } },
      });
      expect(build({ emailDomain: 'coach.example.org' }).stateful.toJSON().Resources).toSatisfy(
        (resources: Record<string, { Type: string; Properties?: { EmailIdentity?: string } }>) =>
          Object.values(resources).some(
            (r) =>
              r.Type === 'AWS::SES::EmailIdentity' && r.Properties?.EmailIdentity === 'coach.example.org',
          ),
      );
    });

    it('routes every SES sending event through an SSL-only topic to record-email-event', () => {
      const { stateless, stateful } = built;
      const [configurationSetId] = only(stateful, 'AWS::SES::ConfigurationSet');
      const [topicId] = only(stateless, 'AWS::SNS::Topic', { DisplayName: 'nanocoach SES sending events' });
      const [, destination] = only(stateless, 'AWS::SES::ConfigurationSetEventDestination');
      expect(destination.Properties).toMatchObject({
        ConfigurationSetName: importOf(configurationSetId),
        EventDestination: { Enabled: true, SnsDestination: { TopicARN: { Ref: topicId } } },
      });
      const types = (destination.Properties.EventDestination as { MatchingEventTypes: string[] })
        .MatchingEventTypes;
      expect([...types].sort()).toEqual(
        ['bounce', 'complaint', 'delivery', 'deliveryDelay', 'reject', 'renderingFailure'].sort(),
      );
      const recorder = functionId(stateless, byName('record-email-event'));
      only(stateless, 'AWS::SNS::Subscription', {
        Protocol: 'lambda',
        TopicArn: { Ref: topicId },
        Endpoint: { 'Fn::GetAtt': [recorder, 'Arn'] },
      });
      stateless.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: { 'Fn::GetAtt': [recorder, 'Arn'] },
        Principal: 'sns.amazonaws.com',
        SourceArn: { Ref: topicId },
      });
      // SES may publish for this configuration set only; nobody may publish without TLS.
      const [, topicPolicy] = only(stateless, 'AWS::SNS::TopicPolicy', { Topics: [{ Ref: topicId }] });
      const statements = (topicPolicy.Properties.PolicyDocument as { Statement: object[] }).Statement;
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: expect.objectContaining({ 'AWS:SourceAccount': expect.anything() }) },
          }),
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
    });

    it('stores replies to the reply domain in an expiring bucket that notifies record-email-reply', () => {
      const { stateful, stateless } = built;
      const [bucketId, bucket] = only(stateful, 'AWS::S3::Bucket');
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LifecycleConfiguration: {
          Rules: expect.arrayContaining([
            expect.objectContaining({ ExpirationInDays: 30, Status: 'Enabled' }),
          ]),
        },
      });
      const ruleSets = Object.keys(stateful.findResources('AWS::SES::ReceiptRuleSet'));
      expect(ruleSets).toHaveLength(1);
      const [ruleSetId] = ruleSets;
      only(stateful, 'AWS::SES::ReceiptRule', {
        RuleSetName: { Ref: ruleSetId },
        Rule: Match.objectLike({
          Enabled: true,
          Recipients: ['reply.nanocoach.example'],
          ScanEnabled: true,
          TlsPolicy: 'Require',
          Actions: [{ S3Action: { BucketName: { Ref: bucketId }, ObjectKeyPrefix: 'inbound/' } }],
        }),
      });
      // SES may put objects under the prefix, for this account only; and nothing without TLS.
      const [, policy] = only(stateful, 'AWS::S3::BucketPolicy', { Bucket: { Ref: bucketId } });
      expect((policy.Properties.PolicyDocument as { Statement: object[] }).Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );

      const reader = functionId(stateless, byName('record-email-reply'));
      const [, notifications] = only(stateless, 'Custom::S3BucketNotifications');
      expect(notifications.Properties).toMatchObject({
        BucketName: importOf(bucketId),
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'inbound/' }] } },
              LambdaFunctionArn: { 'Fn::GetAtt': [reader, 'Arn'] },
            },
          ],
        },
      });
      expect(variablesOfFunction(stateless, byName('record-email-reply')).INBOUND_MAIL_BUCKET).toEqual(
        importOf(bucketId),
      );
    });

    it('keeps a generated link-signing key and tells the operator the DNS records and the manual step', () => {
      const { stateful } = built;
      stateful.hasResource('AWS::SecretsManager::Secret', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          GenerateSecretString: { ExcludePunctuation: true, PasswordLength: 64 },
        }),
      });
      for (const i of [1, 2, 3]) stateful.hasOutput(`DkimRecord${i}`, {});
      stateful.hasOutput('EmailIdentityName', {});
      stateful.hasOutput('ReplyDomainMxTarget', {
        Value: { 'Fn::Join': ['', ['10 inbound-smtp.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      });
      stateful.hasOutput('ReceiptRuleSetName', {
        Description: Match.stringLikeRegexp('set-active-receipt-rule-set'),
      });
    });
  });

  describe('alarms', () => {
    it('alarms on any message in each dead-letter queue', () => {
      const { stateless } = built;
      const [topicId] = only(stateless, 'AWS::SNS::Topic', { DisplayName: 'nanocoach alarms' });
      for (const { name } of queueCatalogue) {
        const { dlqId } = queueIds(stateless, name);
        stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          AlarmActions: [{ Ref: topicId }],
        });
      }
    });

    it("alarms on the account's SES bounce (> 5 %) and complaint (> 0.1 %) rates", () => {
      const { stateless } = built;
      const [topicId] = only(stateless, 'AWS::SNS::Topic', { DisplayName: 'nanocoach alarms' });
      for (const [metric, threshold] of [
        ['Reputation.BounceRate', 0.05],
        ['Reputation.ComplaintRate', 0.001],
      ] as const) {
        stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SES',
          MetricName: metric,
          Threshold: threshold,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [{ Ref: topicId }],
        });
      }
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
