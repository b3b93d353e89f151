/**
 * The dashboard's API client against the document `/api/openapi.json` serves: every route the
 * client names exists there with its method and answers with the view the client expects; every
 * field the dashboard reads is a property of that view; and every coach route is either in the
 * client or listed below as one the dashboard does not call. A field renamed on one side only
 * (the dashboard once read `archived` where the API sends `archivedAt`) fails here.
 */
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../shared/http/openapi.js';
import { VIEW_FIELDS, type ViewName } from '../../shared/http/views.js';
import { ROUTES, type Route } from '../../web/src/client.js';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
}

const doc = openApiDocument('https://api.example') as unknown as Document;

/** Coach routes the dashboard does not call, each with why. */
const NOT_IN_DASHBOARD = new Set([
  // The document itself.
  'GET /api/openapi.json',
  // API-only for now: the dashboard offers neither copying a program nor moving a participant.
  'POST /api/programs/{id}/copy',
  'POST /api/participants/{id}/program',
]);

/** What is wrong with one client route against the document (nothing: an empty list). */
function problems(name: string, route: Route, document: Document = doc): string[] {
  const operation = document.paths[route.path]?.[route.method.toLowerCase()];
  if (!operation) return [`${name}: ${route.method} ${route.path} is not in the OpenAPI document`];
  const out: string[] = [];
  const success = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'));
  const json = success.flatMap(([, r]) => (r.content?.['application/json']?.schema?.$ref ? [r] : []));
  const refs = json.map((r) => r.content?.['application/json']?.schema?.$ref);
  if (route.response === 'text') {
    if (!success.some(([, r]) => r.content?.['text/csv'])) out.push(`${name}: the API does not answer text`);
  } else if (route.response !== undefined && !refs.includes(`#/components/schemas/${route.response}`)) {
    out.push(
      `${name}: the client expects ${route.response}, the API answers ${refs.join(', ') || 'no schema'}`,
    );
  }
  for (const [component, fields = []] of Object.entries(route.reads ?? {})) {
    const schema = document.components.schemas[component];
    if (!schema?.properties) {
      out.push(`${name}: no component ${component} in the OpenAPI document`);
      continue;
    }
    for (const field of fields)
      if (!Object.hasOwn(schema.properties, field))
        out.push(`${name}: the dashboard reads ${component}.${field}, which the API does not send`);
  }
  return out;
}

describe('the dashboard’s API client and /api/openapi.json', () => {
  const routes = Object.entries(ROUTES) as [string, Route][];

  it('names each route once', () => {
    const keys = routes.map(([, r]) => `${r.method} ${r.path}`);
    expect(keys.length).toBe(new Set(keys).size);
  });

  it('calls only routes the API has, with their method, answered by the view it reads', () => {
    expect(routes.flatMap(([name, route]) => problems(name, route))).toEqual([]);
  });

  it('reads only fields the API sends', () => {
    // Every field of every component the client reads, so a reading of a nested view counts too.
    const read = routes.flatMap(([, r]) =>
      Object.entries(r.reads ?? {}).flatMap(([c, fields = []]) => fields.map((f) => `${c}.${f}`)),
    );
    expect(read.length).toBeGreaterThan(50);
    const missing = read.filter((key) => {
      const [component = '', field = ''] = key.split('.');
      return !Object.hasOwn(doc.components.schemas[component]?.properties ?? {}, field);
    });
    expect(missing).toEqual([]);
  });

  it('covers every coach route of the API the dashboard needs', () => {
    const inClient = new Set(routes.map(([, r]) => `${r.method} ${r.path}`));
    const api = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(api.filter((key) => !inClient.has(key) && !NOT_IN_DASHBOARD.has(key))).toEqual([]);
    // A route listed as unused that the client now calls, or that the API dropped, is stale.
    expect([...NOT_IN_DASHBOARD].filter((key) => inClient.has(key) || !api.includes(key))).toEqual([]);
  });

  it('gives every view the server answers with its property names, required ones marked', () => {
    for (const name of Object.keys(VIEW_FIELDS) as ViewName[]) {
      const schema = doc.components.schemas[name];
      const { required, optional } = VIEW_FIELDS[name];
      expect(Object.keys(schema?.properties ?? {}).sort(), name).toEqual([...required, ...optional].sort());
      expect(schema?.required, name).toEqual([...required]);
    }
  });

  it('would have caught the dashboard reading `archived` where the API sends `archivedAt`', () => {
    // The old dashboard's reading, which no longer compiles against the server's view type.
    const old = { ...ROUTES.listPrograms, reads: { Program: ['id', 'archived'] } } as unknown as Route;
    expect(problems('listPrograms', old)).toEqual([
      'listPrograms: the dashboard reads Program.archived, which the API does not send',
    ]);
    // And a route the client names with the wrong method or a path the API does not have.
    expect(problems('archive', { method: 'PUT', path: '/api/programs/{id}/archive' })).toHaveLength(1);
    expect(problems('x', { method: 'GET', path: '/api/programs/{id}/archived' })).toHaveLength(1);
  });
});
