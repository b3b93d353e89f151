/**
 * The HTTP edge: what a caller reads when a request is wrong, and that wrong requests end as a
 * 400 rather than a 500.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ValidationError } from '../../shared/errors.js';
import {
  parseFormBody,
  parseJsonBody,
  parseListQuery,
  parseWith,
  pathParam,
  safeDecode,
} from '../../shared/http/api.js';

// Only the fields these helpers read; the rest of an API Gateway event is irrelevant to them.
const event = (parts: Partial<APIGatewayProxyEventV2>): APIGatewayProxyEventV2 =>
  ({ isBase64Encoded: false, ...parts }) as APIGatewayProxyEventV2;

/**
 * What `fn` throws, as the client sees it: `shared/http/errors.ts` maps every ValidationError to a
 * 400 with exactly this message and field. (That module is not imported here: it pulls in the
 * logger and metrics, which need a Lambda environment.)
 */
function rejection(fn: () => unknown): { error: string; field: string } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { error: error.message, field: error.field };
  }
  throw new Error('expected a rejection');
}

describe('validation messages', () => {
  const Body = z.object({
    name: z.string(),
    score: z.number().int(),
    tags: z.array(z.string()),
    schedule: z.object({ time: z.string() }),
    channel: z.literal('sms'),
  });
  const valid = { name: 'Ada', score: 7, tags: ['a'], schedule: { time: '20:00' }, channel: 'sms' };

  it.each([
    ['a number sent as a string', { score: '7' }, 'score', 'expected number, got string'],
    ['a string sent as a number', { name: 7 }, 'name', 'expected string, got number'],
    ['null for a string', { name: null }, 'name', 'expected string, got null'],
    ['an object for an array', { tags: {} }, 'tags', 'expected array, got object'],
    ['a number inside an array', { tags: ['a', 3] }, 'tags.1', 'expected string, got number'],
    ['a nested wrong type', { schedule: { time: 2000 } }, 'schedule.time', 'expected string, got number'],
    ['a fraction for an integer', { score: 7.5 }, 'score', 'expected integer, got a number with a fraction'],
    ['an absent field', { name: undefined }, 'name', 'is required'],
    ['an absent nested field', { schedule: {} }, 'schedule.time', 'is required'],
  ])('%s → %s: %s', (_, change, field, message) => {
    const body = JSON.parse(JSON.stringify({ ...valid, ...change })) as unknown;
    expect(rejection(() => parseWith(Body, body, 'body'))).toEqual({ error: `${field}: ${message}`, field });
  });

  it('keeps zod’s own message for other problems', () => {
    expect(rejection(() => parseWith(Body, { ...valid, channel: 'email' }, 'body')).field).toBe('channel');
    expect(rejection(() => parseWith(Body, { ...valid, channel: 'email' }, 'body')).error).toContain('"sms"');
  });

  it('a missing or non-JSON body is named as the body', () => {
    expect(rejection(() => parseJsonBody(event({}), Body))).toEqual({
      error: 'body: is required',
      field: 'body',
    });
    expect(rejection(() => parseJsonBody(event({ body: '[1,2]' }), Body)).error).toBe(
      'body: expected object, got array',
    );
    expect(rejection(() => parseJsonBody(event({ body: '{"name":' }), Body)).error).toBe(
      'body: not valid JSON',
    );
  });

  it('never echoes the offending value', () => {
    const phone = { ...valid, name: 14155552671 };
    expect(rejection(() => parseWith(Body, phone, 'body')).error).not.toContain('4155552671');
  });
});

describe('path parameters', () => {
  const withId = (id: string | undefined) => event(id === undefined ? {} : { pathParameters: { id } });

  it.each(['p-123', 'abc.DEF_9:x', 'a'.repeat(64), '01JD3Z6Q9W8X'])('%j is an id', (id) => {
    expect(pathParam(withId(id), 'id')).toBe(id);
  });

  it.each([
    ['65 characters', 'a'.repeat(65)],
    ['a slash', 'a/b'],
    ['a space', 'a b'],
    ['a hash', 'PARTICIPANT#x'],
    ['non-ASCII letters', 'ñandú'],
    ['a leftover percent sign', '%E0%A4%A'],
  ])('%s is refused naming the parameter', (_, id) => {
    expect(rejection(() => pathParam(withId(id), 'id'))).toEqual({
      error: 'id: expected an id of at most 64 letters, digits or . _ : -',
      field: 'id',
    });
  });

  it('an absent parameter is required', () => {
    expect(rejection(() => pathParam(withId(undefined), 'id')).error).toBe('id: is required');
  });

  it('safeDecode decodes good segments and hands malformed ones back for pathParam to refuse', () => {
    expect(safeDecode('p%2D1')).toBe('p-1');
    expect(safeDecode('caf%C3%A9')).toBe('café');
    expect(() => decodeURIComponent('%E0%A4%A')).toThrow(URIError); // what the local server calls today
    expect(safeDecode('%E0%A4%A')).toBe('%E0%A4%A');
    expect(rejection(() => pathParam(withId(safeDecode('%E0%A4%A')), 'id')).field).toBe('id');
  });
});

describe('list paging', () => {
  const query = (q: Record<string, string> | undefined) =>
    parseListQuery(event(q ? { queryStringParameters: q } : {}));

  it.each([
    ['no query string', undefined, { limit: 50 }],
    ['an empty limit', { limit: '' }, { limit: 50 }],
    ['limit 1', { limit: '1' }, { limit: 1 }],
    ['limit 200', { limit: '200' }, { limit: 200 }],
    ['a cursor', { cursor: 'eyJwayI6IngifQ' }, { limit: 50, cursor: 'eyJwayI6IngifQ' }],
    ['a longest cursor', { limit: '10', cursor: 'A'.repeat(1024) }, { limit: 10, cursor: 'A'.repeat(1024) }],
    ['an empty cursor (first page)', { cursor: '' }, { limit: 50 }],
  ])('%s → %j', (_, q, expected) => {
    expect(query(q)).toEqual(expected);
  });

  it.each([
    ['0', { limit: '0' }, 'limit'],
    ['201', { limit: '201' }, 'limit'],
    ['a fraction', { limit: '2.5' }, 'limit'],
    ['negative', { limit: '-1' }, 'limit'],
    ['repeated (joined with a comma)', { limit: '5,10' }, 'limit'],
    ['a word', { limit: 'all' }, 'limit'],
    ['a cursor of 1025 characters', { cursor: 'A'.repeat(1025) }, 'cursor'],
    ['a cursor with padding', { cursor: 'eyJ9==' }, 'cursor'],
    ['a cursor in plain base64', { cursor: 'a+b/c' }, 'cursor'],
  ])('%s is refused on %s', (_, q, field) => {
    expect(rejection(() => query(q))).toMatchObject({ field });
  });
});

describe('form bodies', () => {
  it('parses a Twilio webhook body', () => {
    expect(
      parseFormBody('MessageSid=SM123&From=%2B14155552671&Body=7+8+tough+day%21&NumMedia=0&Empty='),
    ).toEqual({
      MessageSid: 'SM123',
      From: '+14155552671',
      Body: '7 8 tough day!',
      NumMedia: '0',
      Empty: '',
    });
    expect(parseFormBody('')).toEqual({});
  });

  it.each([
    ['Body', 'From=%2B1&Body=STOP&Body=7'],
    ['From', 'From=%2B1&From=%2B2'],
    ['Body', 'Body=7&B%6Fdy=STOP'], // the same key percent-encoded differently
  ])('a repeated %s is refused naming it', (key, body) => {
    expect(rejection(() => parseFormBody(body))).toEqual({
      error: `${key}: appears more than once in the form body`,
      field: key,
    });
  });

  it('a key named __proto__ is data, not a prototype', () => {
    const params = parseFormBody('__proto__=x&Body=7');
    expect(Object.getOwnPropertyDescriptor(params, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(Object.keys(params)).toEqual(['__proto__', 'Body']);
  });
});
