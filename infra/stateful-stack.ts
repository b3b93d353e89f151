import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
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
  /** The domain email is sent from; becomes an SES domain identity with Easy DKIM. */
  readonly emailDomain: string;
  /** The domain receiving replies; its MX record must point at SES inbound in this region. */
  readonly emailReplyDomain: string;
  /**
   * Days raw inbound messages stay in the bucket; the reply is parsed and stored within seconds,
   * the raw copy only serves troubleshooting.
   * @default 30
   */
  readonly inboundMailRetentionDays?: number;
}

/**
 * Everything that holds data and must survive a redeploy of the functions: the single table, the
 * Twilio secret and the coach user pool (a coach's `sub` owns their participants), retained when
 * the stack is deleted; and the email setup that outside parties depend on: the SES identity
 * (recreating it issues new DKIM tokens, so the published DNS records would stop matching), the
 * link-signing secret (a new key breaks every answer and unsubscribe link already sent), the
 * configuration set and the receipt rule with the bucket of raw inbound mail. The parts that call
 * functions — the configuration set's event destination, the bucket's event notification — live in
 * the stateless stack, so this stack never depends on it.
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
  /** Key signing answer and unsubscribe links (a generated string); functions get its ARN only. */
  public readonly linkSecret: secretsmanager.Secret;
  /** The sending domain, verified by Easy DKIM once its three CNAME records are published. */
  public readonly emailIdentity: ses.EmailIdentity;
  /** Every email is sent with it; the stateless stack adds the event destination. */
  public readonly configurationSet: ses.ConfigurationSet;
  /** Raw MIME of inbound replies, written by the SES receipt rule under {@link inboundMailPrefix}. */
  public readonly inboundMailBucket: s3.Bucket;
  /** Key prefix of the raw inbound messages in {@link inboundMailBucket}. */
  public readonly inboundMailPrefix = 'inbound/';
  /** Receipt rules for the reply domain; must be made the account's active rule set by hand. */
  public readonly receiptRuleSet: ses.ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
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

    this.linkSecret = new secretsmanager.Secret(this, 'LinkSigningSecret', {
      description: 'nanocoach: HMAC key signing the answer and unsubscribe links in emails',
      generateSecretString: { excludePunctuation: true, passwordLength: 64 },
      // Links already in inboxes must keep working after a redeploy or a stack replacement.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.linkSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "Rotating the link key invalidates every answer and unsubscribe link in participants' inboxes " +
        '(an unsubscribe link must keep working); the key never leaves AWS and is read by ARN only.',
    });

    this.configurationSet = new ses.ConfigurationSet(this, 'EmailConfigurationSet', {
      // CloudWatch gets the bounce and complaint rates the reputation alarms watch.
      reputationMetrics: true,
      sendingEnabled: true,
      // Addresses that bounce or complain are suppressed by SES too, not only by the product.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.emailIdentity = new ses.EmailIdentity(this, 'EmailIdentity', {
      identity: ses.Identity.domain(props.emailDomain),
      // Easy DKIM (RSA 2048): SES signs every message; the three CNAMEs are in the outputs.
      dkimSigning: true,
      configurationSet: this.configurationSet,
    });

    this.inboundMailBucket = new s3.Bucket(this, 'InboundMailBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'expire-raw-inbound-mail',
          expiration: Duration.days(props.inboundMailRetentionDays ?? 30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.inboundMailBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only SES (bucket policy, this account only) writes and only record-email-reply reads; objects expire ' +
        "after 30 days. A second bucket of access logs would hold the same participants' keys longer; use " +
        'CloudTrail S3 data events where an audit trail is required.',
    });

    this.receiptRuleSet = new ses.ReceiptRuleSet(this, 'InboundReceiptRuleSet');
    this.receiptRuleSet.addRule('ReplyDomain', {
      recipients: [props.emailReplyDomain],
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      // The S3 action adds the bucket policy: ses.amazonaws.com may put objects under the prefix,
      // on behalf of this account only (aws:SourceAccount).
      actions: [
        new sesActions.S3({ bucket: this.inboundMailBucket, objectKeyPrefix: this.inboundMailPrefix }),
      ],
    });

    new CfnOutput(this, 'EmailIdentityName', {
      value: this.emailIdentity.emailIdentityName,
      description: 'SES domain identity: publish the three DKIM CNAME records below to verify it',
    });
    this.emailIdentity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DKIM record ${i + 1} of 3 for ${props.emailDomain}`,
      });
    });
    new CfnOutput(this, 'ReplyDomainMxTarget', {
      value: `10 inbound-smtp.${this.region}.amazonaws.com`,
      description: `MX record of ${props.emailReplyDomain} (SES receiving must be offered in this region)`,
    });
    new CfnOutput(this, 'ReceiptRuleSetName', {
      value: this.receiptRuleSet.receiptRuleSetName,
      description:
        'Activate by hand once: aws ses set-active-receipt-rule-set --rule-set-name <this>. ' +
        'An account has one active rule set per region, so the stack cannot activate it without ' +
        "replacing another application's.",
    });
  }
}
