/**
 * Product metrics as CloudWatch embedded-metric-format log lines (Powertools Metrics): no API
 * call and no DynamoDB write per data point. Handlers flush them with the `logMetrics` middleware.
 * Locally they are off unless POWERTOOLS_METRICS_DISABLED=false.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { MetricsSink } from '../ports.js';

/** The process's metrics buffer. */
export const metrics = new Metrics({ namespace: 'nanocoach', serviceName: 'nanocoach' });

/** {@link MetricsSink} over Powertools Metrics. */
export const powertoolsMetrics: MetricsSink = {
  count(name, value = 1) {
    metrics.addMetric(name, MetricUnit.Count, value);
  },
};

/**
 * middy middleware: publishes what the invocation counted, if anything (Powertools' own
 * `logMetrics` warns on every invocation that counted nothing, which most webhook calls are).
 */
export function flushMetrics(): MiddlewareObj {
  const flush = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}
