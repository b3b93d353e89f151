/**
 * The Lambda side of the local stack: each catalogue function's deployed handler, loaded from
 * `functions/<name>/handler.ts`, invoked with an event and a Lambda-like context.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { FunctionSpec } from '../functions.js';

/** A handler as Lambda calls it; the event type is the trigger's business. */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Invokes the function `spec` with `event`, resolving with its result. */
export type Invoke = (spec: FunctionSpec, event: unknown) => Promise<unknown>;

/** The context Lambda passes, with the function's name, memory and timeout from its spec. */
export function lambdaContext(spec: FunctionSpec): Context {
  const name = `nanocoach-${spec.name}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: String(spec.memoryMb ?? 256),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => (spec.timeoutSeconds ?? 10) * 1000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Imports every function's handler. Call it only once the environment is in place: handlers parse
 * their configuration when first imported.
 */
export async function loadHandlers(catalogue: readonly FunctionSpec[]): Promise<Invoke> {
  const handlers = new Map<string, LambdaHandler>();
  for (const spec of catalogue) {
    const module = (await import(`../../functions/${spec.name}/handler.ts`)) as { handler: LambdaHandler };
    handlers.set(spec.name, module.handler);
  }
  return invokerOf(handlers);
}

/** Invocations and their summed duration (ms) per function, as Lambda would bill them. */
const invocations = new Map<string, { count: number; ms: number }>();

/** Invocation counts and durations since the last {@link resetInvocationStats} (for the cost bench). */
export function invocationStats(): ReadonlyMap<string, { count: number; ms: number }> {
  return new Map([...invocations].map(([name, v]) => [name, { ...v }]));
}

/** Resets {@link invocationStats}. */
export function resetInvocationStats(): void {
  invocations.clear();
}

/** An {@link Invoke} over handlers by function name (tests pass their own). */
export function invokerOf(handlers: ReadonlyMap<string, LambdaHandler>): Invoke {
  return async (spec, event) => {
    const handler = handlers.get(spec.name);
    if (!handler) throw new Error(`no handler loaded for ${spec.name}`);
    const started = performance.now();
    try {
      return await handler(event, lambdaContext(spec));
    } finally {
      const seen = invocations.get(spec.name) ?? { count: 0, ms: 0 };
      // Lambda bills each invocation's duration rounded up to the millisecond.
      invocations.set(spec.name, {
        count: seen.count + 1,
        ms: seen.ms + Math.ceil(performance.now() - started),
      });
    }
  };
}
