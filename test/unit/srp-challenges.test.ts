/**
 * The dashboard's Cognito sign-in through every challenge a pool can raise, against a local
 * stand-in replaying Cognito's recorded response shapes (see test/support/fake-cognito.ts for why
 * it is a fake): a new password, setting up an authenticator (secret as text and otpauth URI), a
 * TOTP code, and the errors a coach sees on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerMfaCode, setNewPassword, srpSignIn, verifyMfaSetup } from '../../web/src/srp.js';
import {
  FAKE_POOL_ID,
  type FakeCognito,
  GOOD_CODE,
  SECRET,
  startFakeCognito,
} from '../support/fake-cognito.js';

let fake: FakeCognito;
let config: { region: string; userPoolId: string; clientId: string; endpoint: string };

beforeAll(async () => {
  fake = await startFakeCognito({
    'plain@example.com': {},
    'invited@example.com': { newPassword: true, mfa: 'setup' },
    'totp@example.com': { mfa: 'code' },
  });
  config = { region: 'eu-west-1', userPoolId: FAKE_POOL_ID, clientId: 'client-1', endpoint: fake.url };
});
afterAll(async () => fake?.close());

const emailOfToken = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { email: string }).email;

describe('Cognito sign-in challenges', () => {
  it('a user without challenges gets tokens after the password verifier', async () => {
    const result = await srpSignIn(config, 'plain@example.com', 'correct horse battery');
    expect(result.kind).toBe('tokens');
    if (result.kind === 'tokens') expect(emailOfToken(result.idToken)).toBe('plain@example.com');
    expect(fake.calls.slice(-2).map((c) => c.action)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
  });

  it("an unknown user gets Cognito's own message", async () => {
    await expect(srpSignIn(config, 'nobody@example.com', 'x')).rejects.toThrow(
      'Incorrect username or password.',
    );
  });

  it('an invited coach chooses a new password, then sets up an authenticator, then is in', async () => {
    const first = await srpSignIn(config, 'invited@example.com', 'temporary-Pass1');
    expect(first.kind).toBe('new-password');
    if (first.kind !== 'new-password') return;
    // The pool's password policy speaks through its own message.
    await expect(setNewPassword(config, first, 'short')).rejects.toThrow(
      'Password does not conform to policy',
    );
    const setup = await setNewPassword(config, first, 'a much longer passphrase');
    expect(setup).toMatchObject({
      kind: 'mfa-setup',
      secret: SECRET,
      otpauthUri: `otpauth://totp/nanocoach%3Ainvited%40example.com?secret=${SECRET}&issuer=nanocoach`,
    });
    if (setup.kind !== 'mfa-setup') return;
    await expect(verifyMfaSetup(config, setup, '000000')).rejects.toThrow('Code mismatch');
    // The next code from the app works with the same step.
    const done = await verifyMfaSetup(config, setup, GOOD_CODE);
    expect(done.kind).toBe('tokens');
    const verify = fake.calls.filter((c) => c.action === 'VerifySoftwareToken').at(-1);
    expect(verify?.body).toMatchObject({ UserCode: GOOD_CODE, FriendlyDeviceName: 'nanocoach' });
    expect(fake.calls.at(-1)?.body).toMatchObject({
      ChallengeName: 'MFA_SETUP',
      ChallengeResponses: { USERNAME: 'invited@example.com' },
    });
  });

  it('a coach with an authenticator answers SOFTWARE_TOKEN_MFA; a wrong code is refused', async () => {
    const step = await srpSignIn(config, 'totp@example.com', 'correct horse battery');
    expect(step.kind).toBe('mfa-code');
    if (step.kind !== 'mfa-code') return;
    await expect(answerMfaCode(config, step, '111111')).rejects.toThrow('Invalid code received for user');
    const fresh = await srpSignIn(config, 'totp@example.com', 'correct horse battery');
    if (fresh.kind !== 'mfa-code') throw new Error(fresh.kind);
    const done = await answerMfaCode(config, fresh, ` ${GOOD_CODE} `);
    expect(done.kind).toBe('tokens');
    expect(fake.calls.at(-1)?.body).toMatchObject({
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      ClientId: 'client-1',
      ChallengeResponses: { USERNAME: 'totp@example.com', SOFTWARE_TOKEN_MFA_CODE: GOOD_CODE },
    });
  });

  it('a session is never reused across steps', async () => {
    const step = await srpSignIn(config, 'totp@example.com', 'correct horse battery');
    if (step.kind !== 'mfa-code') throw new Error(step.kind);
    await answerMfaCode(config, step, GOOD_CODE);
    await expect(answerMfaCode(config, step, GOOD_CODE)).rejects.toThrow('Invalid session');
  });
});
