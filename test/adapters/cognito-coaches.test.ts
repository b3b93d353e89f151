/**
 * The Cognito coach directory: what the weekly email learns about a coach from their user. No
 * Cognito emulator exists here (and there is no local Cognito in the local stack), so a real
 * CognitoIdentityProviderClient talks to a tiny local server answering AdminGetUser in Cognito's
 * JSON protocol: the request the SDK signs and sends and the response it parses are the real ones.
 */

import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coachRepositoryOver } from '../../shared/adapters/cognito/coaches.js';

const POOL_ID = 'eu-west-1_Coaches1';

/** Users of the fake pool by username (the `sub`), as AdminGetUser's `UserAttributes`. */
const users: Record<string, { Name: string; Value: string }[]> = {
  'a1b2c3d4-0000-4000-8000-000000000001': [
    { Name: 'sub', Value: 'a1b2c3d4-0000-4000-8000-000000000001' },
    { Name: 'email', Value: 'dana@coach.example' },
    { Name: 'email_verified', Value: 'true' },
    { Name: 'name', Value: 'Dana Coach' },
  ],
  'a1b2c3d4-0000-4000-8000-000000000002': [
    { Name: 'sub', Value: 'a1b2c3d4-0000-4000-8000-000000000002' },
    { Name: 'email', Value: 'lee@coach.example' },
    { Name: 'given_name', Value: 'Lee' },
  ],
  'a1b2c3d4-0000-4000-8000-000000000003': [{ Name: 'sub', Value: 'a1b2c3d4-0000-4000-8000-000000000003' }],
};
/** A username for which the pool answers a server error. */
const BROKEN = 'a1b2c3d4-0000-4000-8000-00000000dead';

const requests: { target: string | undefined; body: { UserPoolId?: string; Username?: string } }[] = [];
let server: Server;
let repository: ReturnType<typeof coachRepositoryOver>;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        UserPoolId?: string;
        Username?: string;
      };
      const target = req.headers['x-amz-target'];
      requests.push({ target: typeof target === 'string' ? target : undefined, body });
      const answer = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      if (target !== 'AWSCognitoIdentityProviderService.AdminGetUser' || body.UserPoolId !== POOL_ID) {
        answer(400, { __type: 'ResourceNotFoundException', message: 'User pool does not exist.' });
      } else if (body.Username === BROKEN) {
        answer(500, { __type: 'InternalErrorException', message: 'Internal error' });
      } else {
        const attributes = users[body.Username ?? ''];
        if (attributes) {
          answer(200, {
            Username: body.Username,
            UserAttributes: attributes,
            Enabled: true,
            UserStatus: 'CONFIRMED',
          });
        } else {
          answer(400, { __type: 'UserNotFoundException', message: 'User does not exist.' });
        }
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // A server error is not retried three times with back-off: the test wants the error itself.
    maxAttempts: 1,
  });
  repository = coachRepositoryOver({ client: () => client, userPoolId: () => POOL_ID });
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

describe('coach profiles from the Cognito user pool', () => {
  it("gives the coach's email and name, asking for the user whose username is the coach id", async () => {
    const coachId = 'a1b2c3d4-0000-4000-8000-000000000001';
    await expect(repository.get(coachId)).resolves.toEqual({
      coachId,
      email: 'dana@coach.example',
      name: 'Dana Coach',
    });
    expect(requests.at(-1)).toEqual({
      target: 'AWSCognitoIdentityProviderService.AdminGetUser',
      body: { UserPoolId: POOL_ID, Username: coachId },
    });
  });

  it('uses the given name when the user has no full name', async () => {
    const coachId = 'a1b2c3d4-0000-4000-8000-000000000002';
    await expect(repository.get(coachId)).resolves.toEqual({
      coachId,
      email: 'lee@coach.example',
      name: 'Lee',
    });
  });

  it('gives a profile without an address for a user who has no email attribute', async () => {
    const coachId = 'a1b2c3d4-0000-4000-8000-000000000003';
    await expect(repository.get(coachId)).resolves.toEqual({ coachId });
  });

  it('knows no coach whose user was removed from the pool', async () => {
    await expect(repository.get('a1b2c3d4-0000-4000-8000-0000000000ff')).resolves.toBeUndefined();
  });

  it('fails on any other Cognito error, so the week close is retried rather than sent to nobody', async () => {
    await expect(repository.get(BROKEN)).rejects.toMatchObject({ name: 'InternalErrorException' });
  });

  it('remembers nothing: Cognito stays the source of the address', async () => {
    const before = requests.length;
    await repository.remember({
      coachId: 'a1b2c3d4-0000-4000-8000-000000000001',
      email: 'other@coach.example',
    });
    expect(requests).toHaveLength(before);
    await expect(repository.get('a1b2c3d4-0000-4000-8000-000000000001')).resolves.toMatchObject({
      email: 'dana@coach.example',
    });
  });
});
