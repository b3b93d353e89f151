/**
 * The dashboard's hand-written Cognito SRP (web/src/srp.ts) against AWS's own implementation,
 * `amazon-cognito-identity-js` (a dev dependency only for this test: the dashboard does not ship
 * it). Cognito publishes no test vectors for its SRP variant (SHA-256, the RFC 3526 3072-bit group,
 * an HKDF-derived key and a signed timestamp), so the vectors are made here: fixed secrets, fed to
 * both implementations, must give the same A, the same key and the same PASSWORD_CLAIM_SIGNATURE
 * Cognito would check. A coach who cannot sign in on a real pool is what a difference would mean.
 */
import { createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cognitoTimestamp, ephemeral, modPow, padHex, passwordClaimSignature } from '../../web/src/srp.js';

// The SDK's SRP parts are CommonJS without type declarations for them: loaded and typed here.
const require = createRequire(import.meta.url);
type BigIntegerClass = new (hex: string, radix: number) => unknown;
const BigInteger = (require('amazon-cognito-identity-js/lib/BigInteger.js') as { default: BigIntegerClass })
  .default;
const { AuthenticationHelper, DateHelper } = require('amazon-cognito-identity-js') as {
  AuthenticationHelper: new (poolName: string) => Helper;
  DateHelper: new () => { getNowString(): string };
};

interface Helper {
  smallAValue: unknown;
  largeAValue: { toString(radix: number): string };
  calculateA(a: unknown, callback: (error: unknown, A: { toString(radix: number): string }) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    serverB: unknown,
    salt: unknown,
    callback: (error: unknown, key: number[] | Uint8Array) => void,
  ): void;
}

const POOL_ID = 'eu-west-1_AbCdEf123';
const POOL_NAME = 'AbCdEf123';
const N = BigInt(
  '0xffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff',
);

/** `n` fixed pseudo-random bytes named by `label`: the same vector on every run. */
function fixedBytes(label: string, n: number): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < n; i++)
    blocks.push(createHash('sha256').update(`${label}#${i}`).digest());
  return Buffer.concat(blocks).subarray(0, n);
}

/** The SDK's A for the secret `a`. */
function sdkA(helper: Helper, aHex: string): Promise<string> {
  return new Promise((resolve, reject) => {
    helper.calculateA(new BigInteger(aHex, 16), (error, A) =>
      error ? reject(error) : resolve(A.toString(16)),
    );
  });
}

/** The SDK's PASSWORD_CLAIM_SIGNATURE, assembled exactly as CognitoUser.authenticateUserDefaultAuth does. */
async function sdkSignature(input: {
  aHex: string;
  userId: string;
  password: string;
  saltHex: string;
  bHex: string;
  secretBlock: string;
}): Promise<{ A: string; signature: string }> {
  const helper = new AuthenticationHelper(POOL_NAME);
  const a = new BigInteger(input.aHex, 16);
  helper.smallAValue = a;
  const A = await sdkA(helper, input.aHex);
  helper.largeAValue = new BigInteger(A, 16) as Helper['largeAValue'];
  const key = await new Promise<Uint8Array>((resolve, reject) =>
    helper.getPasswordAuthenticationKey(
      input.userId,
      input.password,
      new BigInteger(input.bHex, 16),
      new BigInteger(input.saltHex, 16),
      (error, k) => (error ? reject(error) : resolve(Uint8Array.from(k))),
    ),
  );
  const message = Buffer.concat([
    Buffer.from(POOL_NAME, 'utf8'),
    Buffer.from(input.userId, 'utf8'),
    Buffer.from(input.secretBlock, 'base64'),
    Buffer.from(new DateHelper().getNowString(), 'utf8'),
  ]);
  return { A, signature: createHmac('sha256', key).update(message).digest('base64') };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SRP against amazon-cognito-identity-js', () => {
  const cases = [
    { at: '2026-11-03T09:05:01Z', userId: 'coach-1f2e3d', password: 'correct horse battery staple' },
    { at: '2026-12-24T23:59:59Z', userId: '8c9b…unicode-ü', password: 'pässwörd with spaces ✓' },
    { at: '2027-01-01T00:00:00Z', userId: 'a', password: 'x' },
  ];
  for (const [i, c] of cases.entries()) {
    it(`gives Cognito the same A and PASSWORD_CLAIM_SIGNATURE (vector ${i + 1})`, async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(c.at));
      const random = fixedBytes(`a${i}`, 128);
      // The SDK takes a as it is; ours reduces the random bytes mod N first: the same a either way.
      const { a, A } = ephemeral(Uint8Array.from(random));
      const aHex = a.toString(16);
      const b = BigInt(`0x${fixedBytes(`b${i}`, 128).toString('hex')}`) % N;
      const bHex = modPow(2n, b, N).toString(16);
      const saltHex = fixedBytes(`salt${i}`, 16).toString('hex');
      const secretBlock = fixedBytes(`secret${i}`, 96).toString('base64');
      const sdk = await sdkSignature({
        aHex,
        userId: c.userId,
        password: c.password,
        saltHex,
        bHex,
        secretBlock,
      });
      expect(A.toString(16)).toBe(sdk.A);
      const ours = await passwordClaimSignature({
        userPoolId: POOL_ID,
        userIdForSrp: c.userId,
        password: c.password,
        a,
        A,
        saltHex,
        srpBHex: bHex,
        secretBlock,
        now: new Date(c.at),
      });
      expect(ours).toBe(sdk.signature);
      // A wrong password must not give the same signature (the check above could not pass by accident).
      const wrong = await passwordClaimSignature({
        userPoolId: POOL_ID,
        userIdForSrp: c.userId,
        password: `${c.password}!`,
        a,
        A,
        saltHex,
        srpBHex: bHex,
        secretBlock,
        now: new Date(c.at),
      });
      expect(wrong).not.toBe(sdk.signature);
    });
  }

  it('writes the timestamp as the SDK does (day of month unpadded, hours padded)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const at of ['2026-11-03T09:05:01Z', '2026-02-28T00:00:09Z', '2027-10-10T23:09:59Z']) {
      vi.setSystemTime(new Date(at));
      expect(cognitoTimestamp(new Date(at))).toBe(new DateHelper().getNowString());
    }
  });

  it('pads hex as the SDK does: even length and no leading 1 bit', () => {
    expect(padHex(0x7fn)).toBe('7f');
    expect(padHex(0x80n)).toBe('0080');
    expect(padHex(0xfffn)).toBe('0fff');
    expect(padHex(0x8fffn)).toBe('008fff');
  });
});
