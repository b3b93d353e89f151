/**
 * List prices used by `npm run bench -- cost`. Region us-east-1, on-demand, no free tier and no
 * volume discounts, in US dollars. They were written down on {@link PRICES_DATE} from the vendors'
 * public pricing pages named beside each one. This machine cannot reach those pages, so the
 * figures were not re-checked here: check them before you quote the dollars.
 */

/** When these prices were written down. */
export const PRICES_DATE = '2026-12-07';

/** One price: dollars per `per` units, and where it comes from. */
export interface Price {
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
  readonly source: string;
}

export const PRICES = {
  dynamoWrite: {
    usd: 0.625,
    per: 1e6,
    unit: 'write request units (on-demand)',
    source: 'aws.amazon.com/dynamodb/pricing/on-demand (since the price cut of 2024-11-01)',
  },
  dynamoRead: {
    usd: 0.125,
    per: 1e6,
    unit: 'read request units (on-demand)',
    source: 'aws.amazon.com/dynamodb/pricing/on-demand (since the price cut of 2024-11-01)',
  },
  lambdaRequest: {
    usd: 0.2,
    per: 1e6,
    unit: 'Lambda invocations',
    source: 'aws.amazon.com/lambda/pricing',
  },
  lambdaGbSecond: {
    usd: 0.0000133334,
    per: 1,
    unit: 'GB-seconds, arm64 (the stack builds arm64 functions)',
    source: 'aws.amazon.com/lambda/pricing (first 7.5 billion GB-s tier)',
  },
  sqsRequest: {
    usd: 0.4,
    per: 1e6,
    unit: 'SQS standard requests (64 KB chunks)',
    source: 'aws.amazon.com/sqs/pricing',
  },
  apiRequest: {
    usd: 1.0,
    per: 1e6,
    unit: 'HTTP API requests',
    source: 'aws.amazon.com/api-gateway/pricing (HTTP APIs, first 300 million)',
  },
  s3Put: { usd: 0.005, per: 1000, unit: 'S3 PUT requests', source: 'aws.amazon.com/s3/pricing (Standard)' },
  s3Get: { usd: 0.0004, per: 1000, unit: 'S3 GET requests', source: 'aws.amazon.com/s3/pricing (Standard)' },
  sesOutbound: {
    usd: 0.1,
    per: 1000,
    unit: 'emails sent by SES',
    source: 'aws.amazon.com/ses/pricing',
  },
  sesInbound: {
    usd: 0.1,
    per: 1000,
    unit: 'emails received by SES (plus $0.09 per 1,000 256 KB chunks, one per reply here)',
    source: 'aws.amazon.com/ses/pricing',
  },
  sesInboundChunk: {
    usd: 0.09,
    per: 1000,
    unit: 'incoming mail chunks of 256 KB',
    source: 'aws.amazon.com/ses/pricing',
  },
  smsSegmentOut: {
    usd: 0.0083,
    per: 1,
    unit: 'outbound SMS segments, US long code (carrier fees extra)',
    source: 'twilio.com/en-us/sms/pricing/us',
  },
  smsSegmentIn: {
    usd: 0.0083,
    per: 1,
    unit: 'inbound SMS segments, US long code (carrier fees extra)',
    source: 'twilio.com/en-us/sms/pricing/us',
  },
} as const satisfies Record<string, Price>;

/** Dollars for `count` units at `price`. */
export function dollars(price: Price, count: number): number {
  return (price.usd * count) / price.per;
}
