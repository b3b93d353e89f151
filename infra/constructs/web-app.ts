/**
 * The coach dashboard on AWS: the built app (`web/dist`) in a private S3 bucket behind CloudFront
 * with Origin Access Control, strict security headers, an SPA fallback under `/app/`, and the
 * HTTP API behind the same distribution at `/api/*`, so the app calls its own origin (no CORS, the
 * same as locally). `app/config.json`, written at deploy time, tells the app which Cognito user
 * pool and client to sign in with (SRP).
 */
import { existsSync } from 'node:fs';
import { Annotations, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** Props of {@link WebApp}. */
export interface WebAppProps {
  /** The HTTP API the app calls; served by the same distribution at `/api/*`. */
  readonly api: apigwv2.IHttpApi;
  /** Cognito user pool and app client (SRP enabled) the coaches sign in with. */
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  /**
   * The built app (`npm run build:web` → `web/dist`). When it does not exist, only `config.json`
   * is deployed and synth warns: a deployment must build the app first (`npm run synth` does).
   */
  readonly distDir?: string;
}

/** Prefix of the app in the bucket and in URLs (Vite's `base`). */
const PREFIX = 'app/';

/**
 * `/` and `/app` redirect to `/app/`; any path under `/app/` without a file extension is the app
 * itself (client-side routes), so it gets `/app/index.html`.
 */
const ROUTER_FUNCTION = `function handler(event) {
  var uri = event.request.uri;
  if (uri === '/' || uri === '/app') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/app/' } } };
  }
  if (uri.indexOf('/app/') === 0 && uri.slice(uri.lastIndexOf('/') + 1).indexOf('.') === -1) {
    event.request.uri = '/app/index.html';
  }
  return event.request;
}`;

/** The coach dashboard: S3 + CloudFront (OAC), API at `/api/*`, runtime `config.json`. */
export class WebApp extends Construct {
  /** The bucket holding the built app (private; CloudFront reads it through OAC). */
  public readonly bucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  /** The dashboard's URL (`https://<distribution>/app/`). */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    const region = Stack.of(this).region;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Build output only, redeployed on every deploy: nothing in it is worth keeping.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      `connect-src 'self' https://cognito-idp.${region}.amazonaws.com`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; ');
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'nanocoach dashboard: CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    const router = new cloudfront.Function(this, 'Router', {
      comment: 'nanocoach dashboard: redirect / to /app/, SPA fallback under /app/',
      code: cloudfront.FunctionCode.fromInline(ROUTER_FUNCTION),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'nanocoach coach dashboard and API',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: router, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        'api/*': {
          origin: new origins.HttpOrigin(apiDomain, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Authorization and query strings reach the API; Host must be the API's own.
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}/${PREFIX}`;

    const config = s3deploy.Source.jsonData('config.json', {
      auth: 'cognito',
      region,
      userPoolId: props.userPoolId,
      clientId: props.userPoolClientId,
    });
    const built = props.distDir !== undefined && existsSync(props.distDir);
    if (!built) {
      Annotations.of(this).addWarningV2(
        'nanocoach:web-app-not-built',
        'web/dist is missing: only config.json is deployed. Run `npm run build:web` before deploying.',
      );
    }
    new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: PREFIX,
      sources: built && props.distDir ? [s3deploy.Source.asset(props.distDir), config] : [config],
      distribution: this.distribution,
      distributionPaths: [`/${PREFIX}index.html`, `/${PREFIX}config.json`],
      memoryLimit: 512,
    });
    this.acknowledgeDeploymentHandler();

    Validations.of(this).acknowledge(
      {
        id: 'AwsSolutions-S1',
        reason: 'The bucket holds the public build of the dashboard only; reads go through CloudFront',
      },
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Coaches sign in from anywhere; access is controlled by Cognito, not by country',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'Static files and a JWT-authorised, stage-throttled API; a WAF web ACL is an opt-in cost',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason: 'The API keeps its own access logs; static file reads need no log bucket',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate cannot pin TLS 1.2; TLSv1.2_2021 applies with a custom domain',
      },
    );
  }

  /**
   * The copy handler is CDK's own singleton Lambda, created at stack level: its managed
   * basic-execution role, the wildcard object actions it needs to sync a prefix, and the runtime
   * CDK pins are CDK's, not ours to change.
   */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) return;
    const bucket = stack.resolve((this.bucket.node.defaultChild as s3.CfnBucket).logicalId) as string;
    const reason = 'CDK BucketDeployment handler (copies the built app from the CDK asset bucket)';
    // The asset bucket's name carries the region: a token in environment-agnostic synths, the
    // region itself when the CLI knows one (it sets CDK_DEFAULT_REGION from the AWS config).
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason,
      },
      ...[
        'Action::s3:GetObject*',
        'Action::s3:GetBucket*',
        'Action::s3:List*',
        'Action::s3:DeleteObject*',
        'Action::s3:Abort*',
        `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*`,
        `Resource::<${bucket}.Arn>/*`,
        'Resource::*',
      ].map((finding) => ({ id: `AwsSolutions-IAM5[${finding}]`, reason })),
      { id: 'AwsSolutions-L1', reason: `${reason}; its runtime is pinned by aws-cdk-lib` },
    );
  }
}
