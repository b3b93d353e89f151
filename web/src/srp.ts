/**
 * Cognito user-pool sign-in with SRP (USER_SRP_AUTH) on BigInt and WebCrypto, and the challenges
 * a pool raises after it: NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA and MFA_SETUP (TOTP).
 * `amazon-cognito-identity-js` does the same but brings a Buffer polyfill and crypto-js (about
 * 4 MB unpacked, tens of KB gzip in a bundle); this talks to Cognito's JSON API directly. The
 * password never leaves the browser: only A, the proof and the timestamp do.
 */

/** RFC 3526 3072-bit MODP group, the one Cognito uses; generator 2. */
const N_HEX =
  'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff';
const N = BigInt(`0x${N_HEX}`);
const g = 2n;

/** Hex of a non-negative big integer, padded as Cognito does: even length, no leading 1 bit. */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (/^[89a-f]/iu.test(hex)) hex = `00${hex}`;
  return hex;
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const utf8 = (text: string) => new TextEncoder().encode(text);

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

async function hmac(
  key: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, data));
}

/** base ** exp mod m, square-and-multiply. */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = ((base % m) + m) % m;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The client's ephemeral secret `a` and public value `A = g^a mod N`. */
export function ephemeral(random: Uint8Array = crypto.getRandomValues(new Uint8Array(128))): {
  a: bigint;
  A: bigint;
} {
  const a = BigInt(`0x${bytesToHex(random)}`) % N;
  return { a, A: modPow(g, a, N) };
}

/** Cognito's timestamp: "Tue Nov 3 09:05:01 UTC 2026" (day of month not padded). */
export function cognitoTimestamp(now: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}`;
  return `${days[now.getUTCDay()]} ${months[now.getUTCMonth()]} ${now.getUTCDate()} ${time} UTC ${now.getUTCFullYear()}`;
}

/** What the PASSWORD_VERIFIER challenge needs, and what answering it takes. */
export interface VerifierInput {
  userPoolId: string;
  userIdForSrp: string;
  password: string;
  a: bigint;
  A: bigint;
  saltHex: string;
  srpBHex: string;
  secretBlock: string;
  now: Date;
}

/** The PASSWORD_CLAIM_SIGNATURE for the challenge (base64), per Cognito's SRP variant. */
export async function passwordClaimSignature(input: VerifierInput): Promise<string> {
  const B = BigInt(`0x${input.srpBHex}`);
  if (B % N === 0n) throw new Error('Cognito sent an invalid SRP_B');
  const k = BigInt(`0x${await sha256Hex(hexToBytes(`${padHex(N)}${padHex(g)}`))}`);
  const u = BigInt(`0x${await sha256Hex(hexToBytes(`${padHex(input.A)}${padHex(B)}`))}`);
  if (u === 0n) throw new Error('SRP u is zero');
  const poolName = input.userPoolId.split('_')[1] ?? '';
  const identity = await sha256Hex(utf8(`${poolName}${input.userIdForSrp}:${input.password}`));
  const salt = BigInt(`0x${input.saltHex}`);
  const x = BigInt(`0x${await sha256Hex(hexToBytes(`${padHex(salt)}${identity}`))}`);
  const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
  const S = modPow(base, input.a + u * x, N);
  const prk = await hmac(hexToBytes(padHex(u)), hexToBytes(padHex(S)));
  const key = (await hmac(prk, concat(utf8('Caldera Derived Key'), new Uint8Array([1])))).slice(0, 16);
  const secret = Uint8Array.from(atob(input.secretBlock), (c) => c.charCodeAt(0));
  const message = concat(utf8(poolName), utf8(input.userIdForSrp), secret, utf8(cognitoTimestamp(input.now)));
  const signature = await hmac(key, message);
  return btoa(String.fromCharCode(...signature));
}

/** A challenge step: what answering it needs to carry back to Cognito. */
interface Step {
  session: string;
  username: string;
}

/**
 * What Cognito's sign-in answered: tokens, or the next challenge the pool raises — a new password
 * (an invited coach's first sign-in), a TOTP code (MFA set up), or setting up an authenticator
 * app first (MFA required but not yet set up), with the secret as text and as an otpauth URI.
 */
export type SignInResult =
  | { kind: 'tokens'; idToken: string; expiresIn: number }
  | ({ kind: 'new-password' } & Step)
  | ({ kind: 'mfa-code' } & Step)
  | ({ kind: 'mfa-setup'; secret: string; otpauthUri: string } & Step);

/** The deployment's Cognito user pool (`config.json`). */
export interface CognitoConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  /** Another Cognito endpoint than the region's (tests point it at a local stand-in). */
  endpoint?: string;
}

async function cognito(
  config: CognitoConfig,
  action: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(config.endpoint ?? `https://cognito-idp.${config.region}.amazonaws.com/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(typeof json.message === 'string' ? json.message : 'sign-in failed');
  return json;
}

/** The otpauth URI an authenticator app reads (as a QR code or pasted), per Google's key-URI format. */
export function otpauthUri(secret: string, account: string): string {
  const label = encodeURIComponent(`nanocoach:${account}`);
  return `otpauth://totp/${label}?secret=${encodeURIComponent(secret)}&issuer=nanocoach`;
}

async function resultOf(
  config: CognitoConfig,
  json: Record<string, unknown>,
  username: string,
  account: string,
): Promise<SignInResult> {
  const auth = json.AuthenticationResult as { IdToken?: string; ExpiresIn?: number } | undefined;
  if (auth?.IdToken) return { kind: 'tokens', idToken: auth.IdToken, expiresIn: auth.ExpiresIn ?? 3600 };
  const session = typeof json.Session === 'string' ? json.Session : '';
  const params = (json.ChallengeParameters ?? {}) as Record<string, string>;
  const user = params.USER_ID_FOR_SRP ?? username;
  switch (json.ChallengeName) {
    case 'NEW_PASSWORD_REQUIRED':
      return { kind: 'new-password', session, username: user };
    case 'SOFTWARE_TOKEN_MFA':
      return { kind: 'mfa-code', session, username: user };
    case 'MFA_SETUP': {
      // The pool requires MFA and the coach has none yet: the secret comes with a new session.
      const associated = await cognito(config, 'AssociateSoftwareToken', { Session: session });
      const secret = typeof associated.SecretCode === 'string' ? associated.SecretCode : '';
      if (!secret) throw new Error('Cognito sent no authenticator secret');
      return {
        kind: 'mfa-setup',
        session: typeof associated.Session === 'string' ? associated.Session : session,
        username: user,
        secret,
        otpauthUri: otpauthUri(secret, account),
      };
    }
    default:
      throw new Error(`unsupported sign-in step ${String(json.ChallengeName)}`);
  }
}

/** Signs in with SRP: InitiateAuth, then the PASSWORD_VERIFIER challenge. */
export async function srpSignIn(
  config: CognitoConfig,
  username: string,
  password: string,
): Promise<SignInResult> {
  const { a, A } = ephemeral();
  const started = await cognito(config, 'InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: config.clientId,
    AuthParameters: { USERNAME: username, SRP_A: A.toString(16) },
  });
  const params = (started.ChallengeParameters ?? {}) as Record<string, string>;
  const userIdForSrp = params.USER_ID_FOR_SRP ?? username;
  const now = new Date();
  const signature = await passwordClaimSignature({
    userPoolId: config.userPoolId,
    userIdForSrp,
    password,
    a,
    A,
    saltHex: params.SALT ?? '',
    srpBHex: params.SRP_B ?? '',
    secretBlock: params.SECRET_BLOCK ?? '',
    now,
  });
  const answered = await cognito(config, 'RespondToAuthChallenge', {
    ChallengeName: 'PASSWORD_VERIFIER',
    ClientId: config.clientId,
    ChallengeResponses: {
      USERNAME: userIdForSrp,
      PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK ?? '',
      TIMESTAMP: cognitoTimestamp(now),
      PASSWORD_CLAIM_SIGNATURE: signature,
    },
    ...(typeof started.Session === 'string' ? { Session: started.Session } : {}),
  });
  return resultOf(config, answered, userIdForSrp, username);
}

/** Answers NEW_PASSWORD_REQUIRED (a coach invited by an admin signs in the first time). */
export async function setNewPassword(
  config: CognitoConfig,
  step: Step,
  newPassword: string,
  account = step.username,
): Promise<SignInResult> {
  const answered = await cognito(config, 'RespondToAuthChallenge', {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    ClientId: config.clientId,
    Session: step.session,
    ChallengeResponses: { USERNAME: step.username, NEW_PASSWORD: newPassword },
  });
  return resultOf(config, answered, step.username, account);
}

/** Answers SOFTWARE_TOKEN_MFA with the 6-digit code of the coach's authenticator app. */
export async function answerMfaCode(config: CognitoConfig, step: Step, code: string): Promise<SignInResult> {
  const answered = await cognito(config, 'RespondToAuthChallenge', {
    ChallengeName: 'SOFTWARE_TOKEN_MFA',
    ClientId: config.clientId,
    Session: step.session,
    ChallengeResponses: { USERNAME: step.username, SOFTWARE_TOKEN_MFA_CODE: code.trim() },
  });
  return resultOf(config, answered, step.username, step.username);
}

/**
 * Finishes MFA setup: VerifySoftwareToken with the first code from the newly added authenticator,
 * then answers MFA_SETUP with the session it returns.
 */
export async function verifyMfaSetup(config: CognitoConfig, step: Step, code: string): Promise<SignInResult> {
  const verified = await cognito(config, 'VerifySoftwareToken', {
    Session: step.session,
    UserCode: code.trim(),
    FriendlyDeviceName: 'nanocoach',
  });
  if (verified.Status !== 'SUCCESS') throw new Error('That code did not match: try the next one');
  const answered = await cognito(config, 'RespondToAuthChallenge', {
    ChallengeName: 'MFA_SETUP',
    ClientId: config.clientId,
    Session: typeof verified.Session === 'string' ? verified.Session : step.session,
    ChallengeResponses: { USERNAME: step.username },
  });
  return resultOf(config, answered, step.username, step.username);
}
