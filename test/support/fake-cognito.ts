/**
 * A local stand-in for Cognito's user-pool JSON endpoint, replaying the response shapes Cognito
 * sends for each step of a sign-in (InitiateAuth with USER_SRP_AUTH, RespondToAuthChallenge for
 * PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA and MFA_SETUP, AssociateSoftwareToken,
 * VerifySoftwareToken, and its error bodies). A fake, not the real part, because no Cognito runs
 * offline and no emulator of it is available here; it checks what it can of the client — the
 * X-Amz-Target, the session handed back at every step, the challenge answers' fields — but not the
 * SRP proof itself (the password), which only the real pool can verify.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/** One sign-in as the pool would run it for a user. */
export interface FakeUser {
  /** Raise NEW_PASSWORD_REQUIRED after the password (an invited user, first sign-in). */
  newPassword?: boolean;
  /** `setup`: MFA is required and not set up (MFA_SETUP); `code`: SOFTWARE_TOKEN_MFA. */
  mfa?: 'setup' | 'code';
}

/** The TOTP code the fake accepts (a real pool checks it against the secret and the time). */
export const GOOD_CODE = '123456';
/** The authenticator secret AssociateSoftwareToken hands out (base32, as Cognito's). */
export const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

interface SessionState {
  username: string;
  /** What the session may answer next. */
  next: string;
}

/** The started fake and what it received. */
export interface FakeCognito {
  readonly url: string;
  /** Every call, in order: its action and body. */
  readonly calls: { action: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

const POOL = 'eu-west-1_AbCdEf123';

function idToken(email: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k' })}.${part({ sub: 'sub-1', email, token_use: 'id' })}.sig`;
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

/** Starts the fake on a free loopback port with the given users (by username). */
export async function startFakeCognito(users: Record<string, FakeUser>): Promise<FakeCognito> {
  const sessions = new Map<string, SessionState>();
  const calls: FakeCognito['calls'] = [];
  const session = (username: string, next: string) => {
    // Cognito sessions are long opaque strings, new at every step.
    const id = randomBytes(48).toString('base64');
    sessions.set(id, { username, next });
    return id;
  };
  const tokens = (username: string) => ({
    AuthenticationResult: {
      AccessToken: 'access',
      ExpiresIn: 3600,
      IdToken: idToken(username),
      RefreshToken: 'refresh',
      TokenType: 'Bearer',
    },
    ChallengeParameters: {},
  });
  const fail = (type: string, message: string) => ({ status: 400, json: { __type: type, message } });
  /** After the password (or a new one): the pool's next requirement for this user. */
  const afterPassword = (username: string, user: FakeUser) => {
    if (user.mfa === 'setup')
      return {
        ChallengeName: 'MFA_SETUP',
        ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
        Session: session(username, 'associate'),
      };
    if (user.mfa === 'code')
      return {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        ChallengeParameters: { USER_ID_FOR_SRP: username },
        Session: session(username, 'SOFTWARE_TOKEN_MFA'),
      };
    return tokens(username);
  };

  const handle = (action: string, body: Record<string, unknown>): { status: number; json: unknown } => {
    const responses = (body.ChallengeResponses ?? {}) as Record<string, string>;
    if (action === 'InitiateAuth') {
      const params = (body.AuthParameters ?? {}) as Record<string, string>;
      const username = params.USERNAME ?? '';
      if (body.AuthFlow !== 'USER_SRP_AUTH' || !/^[0-9a-f]+$/u.test(params.SRP_A ?? ''))
        return fail('InvalidParameterException', 'Missing required parameter SRP_A');
      if (!users[username]) return fail('NotAuthorizedException', 'Incorrect username or password.');
      return {
        status: 200,
        json: {
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeParameters: {
            SALT: randomBytes(16).toString('hex'),
            SECRET_BLOCK: randomBytes(96).toString('base64'),
            SRP_B: `${randomBytes(384)
              .toString('hex')
              .replace(/^[0-9a-f]/u, '1')}`,
            USERNAME: username,
            USER_ID_FOR_SRP: username,
          },
        },
      };
    }
    if (action === 'AssociateSoftwareToken' || action === 'VerifySoftwareToken') {
      const state = sessions.get(String(body.Session ?? ''));
      const expected = action === 'AssociateSoftwareToken' ? 'associate' : 'verify';
      if (!state || state.next !== expected)
        return fail('NotAuthorizedException', 'Invalid session for the user.');
      sessions.delete(String(body.Session));
      if (action === 'AssociateSoftwareToken')
        return { status: 200, json: { SecretCode: SECRET, Session: session(state.username, 'verify') } };
      if (body.UserCode !== GOOD_CODE) {
        // The session survives a wrong code, as Cognito lets the user try the next one.
        sessions.set(String(body.Session), state);
        return fail('EnableSoftwareTokenMFAException', 'Code mismatch');
      }
      return { status: 200, json: { Session: session(state.username, 'MFA_SETUP'), Status: 'SUCCESS' } };
    }
    if (action !== 'RespondToAuthChallenge') return fail('UnknownOperationException', action);
    const name = String(body.ChallengeName);
    if (name === 'PASSWORD_VERIFIER') {
      const username = responses.USERNAME ?? '';
      const user = users[username];
      const signature = Buffer.from(responses.PASSWORD_CLAIM_SIGNATURE ?? '', 'base64');
      if (
        !user ||
        signature.length !== 32 ||
        !responses.PASSWORD_CLAIM_SECRET_BLOCK ||
        !/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d\d:\d\d:\d\d UTC \d{4}$/u.test(responses.TIMESTAMP ?? '')
      )
        return fail('NotAuthorizedException', 'Incorrect username or password.');
      if (user.newPassword)
        return {
          status: 200,
          json: {
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            ChallengeParameters: {
              USER_ID_FOR_SRP: username,
              requiredAttributes: '[]',
              userAttributes: JSON.stringify({ email_verified: 'true', email: username }),
            },
            Session: session(username, 'NEW_PASSWORD_REQUIRED'),
          },
        };
      return { status: 200, json: afterPassword(username, user) };
    }
    const state = sessions.get(String(body.Session ?? ''));
    if (!state || state.next !== name || responses.USERNAME !== state.username)
      return fail('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    const user = users[state.username] ?? {};
    if (name === 'NEW_PASSWORD_REQUIRED') {
      if ((responses.NEW_PASSWORD ?? '').length < 12)
        return fail(
          'InvalidPasswordException',
          'Password does not conform to policy: Password not long enough',
        );
      sessions.delete(String(body.Session));
      return { status: 200, json: afterPassword(state.username, user) };
    }
    if (name === 'SOFTWARE_TOKEN_MFA') {
      if (responses.SOFTWARE_TOKEN_MFA_CODE !== GOOD_CODE)
        return fail('CodeMismatchException', 'Invalid code received for user');
      sessions.delete(String(body.Session));
      return { status: 200, json: tokens(state.username) };
    }
    if (name === 'MFA_SETUP') {
      sessions.delete(String(body.Session));
      return { status: 200, json: tokens(state.username) };
    }
    return fail('InvalidParameterException', `unknown challenge ${name}`);
  };

  const server: Server = createServer(async (req, res) => {
    // The dashboard calls Cognito cross-origin, as it does on AWS.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type, x-amz-target');
    res.setHeader('access-control-allow-methods', 'POST');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.replace(/^AWSCognitoIdentityProviderService\./u, '');
    const body = await bodyOf(req);
    calls.push({ action, body });
    const { status, json } =
      req.headers['content-type'] === 'application/x-amz-json-1.1' && action !== target
        ? handle(action, body)
        : fail('UnknownOperationException', 'bad request');
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(json));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The pool id the fake's config uses (its name part feeds the SRP identity). */
export const FAKE_POOL_ID = POOL;
