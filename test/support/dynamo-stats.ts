/**
 * Request and capacity counters for the benches and the tests that count requests, installed on
 * the product's DynamoDB client from outside it: the client Lambda runs asks for no consumed
 * capacity and counts nothing. Importing this module installs the counter once, so import it only
 * after the local system has set the environment (the client reads its configuration on load),
 * and in the process whose requests are to be counted (locally every handler runs in it).
 */
import { documentClient } from '../../shared/adapters/dynamodb/client.js';

/** Request and capacity counters per DynamoDB operation since the last reset. */
export interface DynamoStats {
  readonly requests: Record<string, number>;
  readonly capacityUnits: Record<string, number>;
}

const stats = { requests: {} as Record<string, number>, capacityUnits: {} as Record<string, number> };

/** Counters of requests and consumed capacity, by operation name (PutItem, Query, ...). */
export function dynamoStats(): DynamoStats {
  return { requests: { ...stats.requests }, capacityUnits: { ...stats.capacityUnits } };
}

/** Resets {@link dynamoStats}. */
export function resetDynamoStats(): void {
  stats.requests = {};
  stats.capacityUnits = {};
}

let askCapacity = true;

/**
 * Whether requests ask for their consumed capacity (on unless turned off). The load bench turns it
 * off: DynamoDB Local spends about a quarter more CPU on a request that reports its capacity
 * (DynamoDB itself nothing), which on one shared machine would be measured as the handler's.
 */
export function countCapacity(on: boolean): void {
  askCapacity = on;
}

interface CapacityLike {
  CapacityUnits?: number;
}

const NAME = 'nanocoachRequestCounter';
// The document client shares its middleware stack with the DynamoDB client under it.
if (!documentClient.middlewareStack.identify().some((m) => m.startsWith(NAME)))
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = context.commandName?.replace(/Command$/u, '') ?? 'unknown';
      const input = args.input as Record<string, unknown>;
      if (askCapacity && !('ReturnConsumedCapacity' in input)) input.ReturnConsumedCapacity = 'TOTAL';
      stats.requests[operation] = (stats.requests[operation] ?? 0) + 1;
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: CapacityLike | CapacityLike[] })
        .ConsumedCapacity;
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce(
        (sum, c) => sum + (c.CapacityUnits ?? 0),
        0,
      );
      stats.capacityUnits[operation] = (stats.capacityUnits[operation] ?? 0) + units;
      return result;
    },
    { step: 'initialize', name: NAME },
  );
