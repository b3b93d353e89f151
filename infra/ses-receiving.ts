/**
 * Where SES email receiving exists. Replies by email need an MX record pointing at
 * `inbound-smtp.<region>.amazonaws.com`, which exists only in some regions: deployed elsewhere, the
 * stack would create a receipt rule set that never receives anything, and participants' replies
 * would bounce. So the stateful stack refuses any other region — at synth when the region is
 * known, and at deploy time (a CloudFormation rule) when the stacks are environment-agnostic.
 *
 * The list is AWS's "Email receiving endpoints" table (AWS General Reference, "Amazon Simple Email
 * Service endpoints and quotas"), as of 2024. AWS adds regions from time to time: when the table
 * lists a new one, add it here.
 */
import { Aws, CfnRule, Fn, type Stack, Token } from 'aws-cdk-lib';

/** Regions where SES receives email (its inbound SMTP endpoint exists). */
export const SES_RECEIVING_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
] as const;

const allowed = SES_RECEIVING_REGIONS.join(', ');

/**
 * Refuses a region without SES receiving: throws at synth when `stack.region` is known, otherwise
 * adds a template rule so that CloudFormation refuses the deployment, naming the allowed regions.
 */
export function requireSesReceivingRegion(stack: Stack): void {
  const region = stack.region;
  if (!Token.isUnresolved(region)) {
    if (!(SES_RECEIVING_REGIONS as readonly string[]).includes(region))
      throw new Error(
        `SES email receiving is not offered in ${region}, so replies by email could never arrive. ` +
          `Deploy nanocoach to one of: ${allowed}.`,
      );
    return;
  }
  new CfnRule(stack, 'SesReceivingRegion', {
    assertions: [
      {
        assert: Fn.conditionContains([...SES_RECEIVING_REGIONS], Aws.REGION),
        assertDescription: `SES email receiving is not offered in this region. Deploy nanocoach to one of: ${allowed}.`,
      },
    ],
  });
}
