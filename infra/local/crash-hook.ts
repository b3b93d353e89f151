/**
 * Test-only crash hook of the local stack (never deployed: nothing under `functions/` or `shared/`
 * imports it, and it exists only in the process that runs the local system).
 *
 * The case it stands for: a send function that dies after the provider accepted a message and
 * before the send's status is written (Lambda timing out, the runtime killed). No real part can
 * produce that instant on demand, so the hook fails the status write itself: the first writes to
 * DynamoDB that carry a provider's message id and a send time (the `sent` status of a send record)
 * throw, before the request leaves, as if the process had stopped there. The invocation fails
 * with it, its queue message comes back after the visibility timeout, and the sender must then
 * find a claim it cannot tell from a crash, exactly as after a real one.
 *
 * It sits on the shared DynamoDB document client as one more middleware, so the deployed sender
 * code runs unchanged and has no hook of its own.
 */
import { documentClient } from '../../shared/adapters/dynamodb/client.js';

const WRITES = new Set(['PutItem', 'UpdateItem', 'TransactWriteItems', 'BatchWriteItem']);

let armed = 0;
let crashes = 0;
let installed = false;

/** The error the "crashed" invocation ends with. */
export class SimulatedCrashError extends Error {
  constructor() {
    super('simulated crash of the send function after the provider accepted the message');
    this.name = 'SimulatedCrashError';
  }
}

/**
 * Makes the next `count` send-status writes (`sent` with a provider message id) fail as if the
 * sender died just before them.
 */
export function armSendCrash(count: number): void {
  if (!installed) {
    installed = true;
    documentClient.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = context.commandName?.replace(/Command$/u, '') ?? '';
        if (armed > 0 && WRITES.has(operation)) {
          const input = JSON.stringify(args.input);
          if (input.includes('providerMessageId') && input.includes('sentAt')) {
            armed--;
            crashes++;
            throw new SimulatedCrashError();
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'nanocoachLocalCrashHook' },
    );
  }
  armed += count;
}

/** How many writes the hook has stopped so far. */
export function simulatedCrashes(): number {
  return crashes;
}
