/**
 * The dashboard's CDK construct as the app deploys it: a private bucket read through CloudFront
 * OAC, security headers on every response, the SPA fallback, the API behind the same origin,
 * the runtime config.json, and no unacknowledged cdk-nag finding.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context?: object;
};

let app: App;
let template: Template;

beforeAll(() => {
  app = new App({
    context: {
      ...cdkJson.context,
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  template = Template.fromStack(buildApp(app).stateless);
});

type Resource = { Properties: Record<string, unknown> };

describe('the coach dashboard on AWS', () => {
  it('keeps the bucket private and lets only CloudFront read it, through OAC', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('serves the app with a strict CSP and HSTS, HTTPS only, with the SPA fallback', () => {
    const policies = Object.values(
      template.findResources('AWS::CloudFront::ResponseHeadersPolicy'),
    ) as Resource[];
    expect(policies).toHaveLength(1);
    const config = JSON.stringify(policies[0]?.Properties);
    expect(config).toContain("script-src 'self'");
    expect(config).toContain("frame-ancestors 'none'");
    expect(config).toContain('StrictTransportSecurity');
    const fn = Object.values(template.findResources('AWS::CloudFront::Function')) as Resource[];
    expect(JSON.stringify(fn[0]?.Properties)).toContain('/app/index.html');
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
        }),
      }),
    });
  });

  it('routes /api/* to the HTTP API uncached, so the app calls its own origin', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: 'api/*',
            ViewerProtocolPolicy: 'https-only',
            // The managed CachingDisabled policy.
            CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
            AllowedMethods: Match.arrayWith(['PUT', 'POST', 'DELETE']),
          }),
        ],
      }),
    });
  });

  it('deploys config.json with the user pool and client the app signs in with', () => {
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment')) as Resource[];
    expect(deployments).toHaveLength(1);
    const props = deployments[0]?.Properties ?? {};
    expect(props.DestinationBucketKeyPrefix).toBe('app/');
    // The pool and client ids are deploy-time values, filled into config.json by the deployment.
    expect(JSON.stringify(props.SourceMarkers)).toMatch(/CoachUserPool/u);
    template.hasOutput('DashboardUrl', {});
    // The privacy notice sits beside the app, at the URL SMS and email registrations point at.
    const privacy = template.findOutputs('PrivacyPolicyUrl');
    expect(JSON.stringify(privacy)).toMatch(/\/app\/privacy\.html/u);
  });

  it('reports no unacknowledged cdk-nag finding for the dashboard', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`))
      .filter((f) =>
        /Dashboard|BucketDeployment|CustomCDKBucketDeployment|CustomS3AutoDeleteObjects/u.test(f),
      );
    expect(findings).toEqual([]);
  });
});
