import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { tableDefinition } from '../shared/adapters/dynamodb/table-definition.js';

/** Properties of the {@link StatefulStack}. */
export interface StatefulStackProps extends StackProps {
  /**
   * Name of the Secrets Manager secret holding the Twilio credentials. Fixed (not generated) so
   * that the operator can find it; change it to run two deployments in one account and region.
   * @default 'nanocoach/twilio'
   */
  readonly twilioSecretName?: string;
}

/**
 * Everything that holds data and must survive a redeploy of the functions: the single table, the
 * Twilio secret and the coach user pool (a coach's `sub` owns their participants). All are
 * retained when the stack is deleted.
 */
export class StatefulStack extends Stack {
  /** The one table of the product, shaped by `tableDefinition`. */
  public readonly table: dynamodb.Table;
  /**
   * `{"accountSid","authToken"}` of the Twilio account. Created with an empty `accountSid` and a
   * random `authToken` placeholder; after the first deploy the operator stores the real values:
   * `aws secretsmanager put-secret-value --secret-id nanocoach/twilio --secret-string '{"accountSid":"AC…","authToken":"…"}'`.
   * Until then sending fails and every Twilio webhook is rejected as forged (a random token, unlike
   * an empty one, cannot be guessed to sign requests). Later deploys never overwrite the value.
   */
  public readonly twilioSecret: secretsmanager.Secret;
  /** Coach accounts, invited by an admin; a coach's id is their `sub`. */
  public readonly userPool: cognito.UserPool;
  /** App client of the coach dashboard; the coach API accepts its ID tokens. */
  public readonly userPoolClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);

    const string = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: string },
      sortKey: { name: tableDefinition.sortKey, type: string },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of Object.values(tableDefinition.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: string },
        sortKey: { name: index.sortKey, type: string },
        // Generic overloaded indexes serve several entity types; projecting everything keeps
        // every access pattern to one request.
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    this.twilioSecret = new secretsmanager.Secret(this, 'TwilioSecret', {
      secretName: props.twilioSecretName ?? 'nanocoach/twilio',
      description:
        'Twilio credentials of nanocoach: {"accountSid":"AC…","authToken":"…"}; fill in after deploy',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ accountSid: '' }),
        generateStringKey: 'authToken',
        excludePunctuation: true,
        passwordLength: 32,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.twilioSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The Twilio auth token is issued and rotated in the Twilio console (primary/secondary token); ' +
        'Secrets Manager cannot rotate it. The functions re-read the secret every 5 minutes.',
    });

    this.userPool = new cognito.UserPool(this, 'CoachUserPool', {
      // Coaches are invited by an admin; nobody signs up on their own.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      // Coach identities (their `sub` owns their participants) must survive a stack replacement.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP only) so that an organisation can roll out coach accounts before enforcing it; ' +
        'set mfa to REQUIRED once every coach has enrolled an authenticator.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan is billed per monthly active user; with self sign-up off, a 12-character ' +
        'password policy and optional TOTP, the Essentials plan fits a handful of invited coaches. Operators may switch featurePlan.',
    });
    this.userPoolClient = this.userPool.addClient('DashboardClient', {
      authFlows: { userSrp: true },
      // The dashboard signs in with SRP; no hosted UI and no OAuth redirect URLs to keep safe.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
  }
}
