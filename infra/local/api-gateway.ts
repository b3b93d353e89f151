/**
 * API Gateway (HTTP API, payload v2) emulation: the catalogue's `http` triggers become routes,
 * requests become `APIGatewayProxyEventV2`s for the deployed handlers, their results become
 * responses. `coach` routes need a bearer token, which locally is an HMAC-signed stand-in for the
 * Cognito JWT, issued by `POST /dev/token`.
 */

import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { safeDecode } from '../../shared/http/api.js';
import type { FunctionSpec } from '../functions.js';
import { send } from './http.js';
import type { Invoke } from './lambda.js';

/** Claims of a local token, shaped like a Cognito ID token's. */
export interface LocalClaims {
  readonly sub: string;
  readonly email?: string;
  /** The coach's name, as Cognito's `name` attribute in an ID token. */
  readonly name?: string;
  /** `['admins']` for an organisation admin. */
  readonly 'cognito:groups'?: string[];
}

/** Local stand-in for the Cognito JWT authorizer. */
export interface LocalTokens {
  issue(coachId: string, extra?: { email?: string; name?: string; role?: 'admin' }): string;
  /** The claims of a valid `Authorization: Bearer …` header; undefined otherwise. */
  verify(header: string | undefined): LocalClaims | undefined;
}

/** HMAC-signed `{sub}` tokens under `secret`. */
export function localTokens(secret: string): LocalTokens {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    issue(coachId, extra = {}) {
      const claims = JSON.stringify({
        sub: coachId,
        ...(extra.email ? { email: extra.email } : {}),
        ...(extra.name ? { name: extra.name } : {}),
        ...(extra.role === 'admin' ? { 'cognito:groups': ['admins'] } : {}),
        iat: Math.floor(Date.now() / 1000),
      });
      const payload = Buffer.from(claims).toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    verify(header) {
      const token = /^Bearer\s+(\S+)$/iu.exec(header ?? '')?.[1];
      const [payload, signature] = token?.split('.') ?? [];
      if (!payload || !signature) return undefined;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      if (typeof claims.sub !== 'string') return undefined;
      const groups = claims['cognito:groups'];
      return {
        sub: claims.sub,
        ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
        ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
        ...(Array.isArray(groups) ? { 'cognito:groups': groups.map(String) } : {}),
      };
    },
  };
}

interface Route {
  readonly spec: FunctionSpec;
  readonly method: string;
  readonly routeKey: string;
  readonly pattern: RegExp;
  readonly params: string[];
  readonly auth: 'coach' | 'none';
}

function routesOf(catalogue: readonly FunctionSpec[]): Route[] {
  return catalogue.flatMap((spec) =>
    spec.triggers.flatMap((t) => {
      if (t.kind !== 'http') return [];
      const params: string[] = [];
      const source = t.path
        .replace(/[.*+?^$()|[\]\\]/gu, '\\$&')
        .replace(/\{(\w+)\}/gu, (_m, name: string) => {
          params.push(name);
          return '([^/]+)';
        });
      const pattern = new RegExp(`^${source}$`, 'u');
      return [{ spec, method: t.method, routeKey: `${t.method} ${t.path}`, pattern, params, auth: t.auth }];
    }),
  );
}

/** The request as API Gateway hands it to Lambda. */
function toApiEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  route: Route,
  match: RegExpExecArray,
  now: Date,
  claims?: LocalClaims,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const pathParameters = Object.fromEntries(
    // A malformed escape (`%E0%A4%A`) stays as sent and fails the handler's id check (400), as on AWS.
    route.params.map((name, i) => [name, safeDecode(match[i + 1] ?? '')]),
  );
  const text = body.toString('utf8');
  const binary = !Buffer.from(text, 'utf8').equals(body);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/u, ''),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(route.params.length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
    ...(body.length
      ? { body: binary ? body.toString('base64') : text, isBase64Encoded: binary }
      : { isBase64Encoded: false }),
  } as APIGatewayProxyEventV2;
}

/** Serves one request against the catalogue's routes; false when no route matches. */
export type ApiGateway = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
) => Promise<boolean>;

/** The HTTP API of `catalogue`, invoking handlers through `invoke`. */
export function apiGateway(
  catalogue: readonly FunctionSpec[],
  invoke: Invoke,
  tokens: LocalTokens,
  now: () => Date,
): ApiGateway {
  const routes = routesOf(catalogue);
  return async (req, res, url, body) => {
    for (const route of routes) {
      if (route.method !== req.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      let claims: LocalClaims | undefined;
      if (route.auth === 'coach') {
        claims = tokens.verify(req.headers.authorization);
        if (!claims) {
          send(res, 401, { message: 'Unauthorized' });
          return true;
        }
      }
      const event = toApiEvent(req, url, body, route, match, now(), claims);
      const result = (await invoke(route.spec, event)) as APIGatewayProxyStructuredResultV2;
      const payload = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
      res.end(payload);
      return true;
    }
    return false;
  };
}
