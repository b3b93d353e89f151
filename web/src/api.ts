/**
 * The dashboard's coach API client: {@link createClient} over same-origin `/api/*` with the
 * signed-in coach's bearer token; a 401 signs the coach out.
 */
import { session, signOut } from './auth';
import { createClient } from './client';

export { ApiError, NotAvailableError } from './client';

/** The coach API, one typed method per route (see `client.ts`). */
export const api = createClient({ token: () => session()?.token, onUnauthorized: signOut });

/**
 * Keys of one form's actions (the `Idempotency-Key` of enrolments and pushes): the server applies
 * one user action once however often it arrives (a double click, a retry after a dropped
 * connection). Sending the same body again (a retry after an error that may have reached the
 * server) reuses its key; a changed body or a success starts anew.
 */
export function actionKeys() {
  let last: { body: string; key: string } | undefined;
  return {
    for(body: unknown): string {
      const text = JSON.stringify(body);
      if (last?.body !== text) last = { body: text, key: crypto.randomUUID() };
      return last.key;
    },
    done(): void {
      last = undefined;
    },
  };
}
