/**
 * Who is signed in. The deployment says how to sign in through `config.json` next to the app:
 * `{"auth":"local"}` from `npm start` (a bearer token from `POST /dev/token`), or
 * `{"auth":"cognito","region","userPoolId","clientId"}` from the CDK deployment (SRP sign-in).
 * The session lives in sessionStorage: closing the tab signs out.
 */
import { signal } from './signal';

/** How this deployment signs coaches in. */
export type AppConfig =
  | { auth: 'local' }
  | { auth: 'cognito'; region: string; userPoolId: string; clientId: string; endpoint?: string };

/** A signed-in coach. */
export interface Session {
  token: string;
  /** What to call the coach in the header (coach id locally, email on AWS). */
  label: string;
  /** Epoch ms the token stops working. */
  expiresAt: number;
}

const KEY = 'nanocoach.session';

function load(): Session | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return stored && stored.expiresAt > Date.now() ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** The current session, observable. */
export const sessionSignal = signal<Session | undefined>(load());

/** The current session, if any. */
export const session = () => sessionSignal.value;

/** Stores a new session. */
export function signIn(next: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(next));
  sessionSignal.value = next;
}

/** Forgets the session. */
export function signOut(): void {
  sessionStorage.removeItem(KEY);
  sessionSignal.value = undefined;
}

let configPromise: Promise<AppConfig> | undefined;

/** The deployment's `config.json` (read once). */
export function appConfig(): Promise<AppConfig> {
  configPromise ??= fetch('config.json')
    .then((res) => (res.ok ? (res.json() as Promise<AppConfig>) : { auth: 'local' as const }))
    .catch(() => ({ auth: 'local' as const }));
  return configPromise;
}

/** The `email` claim of an ID token, for the header (never verified here: the API does that). */
export function emailOf(idToken: string): string | undefined {
  return claimOf(idToken, 'email');
}

/** A string claim of an ID token (a JWT); undefined for anything else, such as a local token. */
export function claimOf(idToken: string, claim: string): string | undefined {
  try {
    const payload = idToken.split('.')[1] ?? '';
    const json = JSON.parse(atob(payload.replace(/-/gu, '+').replace(/_/gu, '/'))) as Record<string, unknown>;
    const value = json[claim];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
