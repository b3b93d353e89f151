/**
 * SES email receiving exists only in some regions: the stacks refuse any other one, naming the
 * allowed regions — at synth when the region is known, at deploy time (a template rule) otherwise.
 */
import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { requireSesReceivingRegion, SES_RECEIVING_REGIONS } from '../../infra/ses-receiving.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context?: object;
};
const app = () => new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the region of a deployment', () => {
  it('refuses a region without SES receiving at synth, naming the allowed ones', () => {
    vi.stubEnv('CDK_DEFAULT_ACCOUNT', '123456789012');
    vi.stubEnv('CDK_DEFAULT_REGION', 'us-west-1');
    expect(() => buildApp(app())).toThrow(
      /SES email receiving is not offered in us-west-1.*one of: us-east-1, us-east-2, us-west-2, ca-central-1, eu-west-1/su,
    );
  });

  it('accepts every region with SES receiving, adding no deploy-time rule', () => {
    for (const region of SES_RECEIVING_REGIONS) {
      const stack = new Stack(app(), 'S', { env: { account: '123456789012', region } });
      requireSesReceivingRegion(stack);
      const rules = (Template.fromStack(stack).toJSON().Rules ?? {}) as object;
      expect(Object.keys(rules), region).not.toContain('SesReceivingRegion');
    }
  });

  it('environment-agnostic (offline synth): CloudFormation refuses other regions at deploy time', () => {
    vi.stubEnv('CDK_DEFAULT_ACCOUNT', undefined);
    vi.stubEnv('CDK_DEFAULT_REGION', undefined);
    const rules = Template.fromStack(buildApp(app()).stateful).toJSON().Rules as Record<
      string,
      { Assertions: { Assert: unknown; AssertDescription: string }[] }
    >;
    const assertion = rules.SesReceivingRegion?.Assertions[0];
    expect(assertion?.Assert).toEqual({
      'Fn::Contains': [[...SES_RECEIVING_REGIONS], { Ref: 'AWS::Region' }],
    });
    expect(assertion?.AssertDescription).toContain(SES_RECEIVING_REGIONS.join(', '));
  });
});
