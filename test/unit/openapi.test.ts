/**
 * `/api/openapi.json` is the contract clients build on: every route the catalogue deploys must be
 * in it, with its method.
 */
import { describe, expect, it } from 'vitest';
import { functionCatalogue } from '../../infra/functions.js';
import { openApiDocument } from '../../shared/http/openapi.js';

describe('the OpenAPI document', () => {
  it('describes every HTTP route of the catalogue', () => {
    const doc = openApiDocument('https://api.example') as { paths: Record<string, Record<string, unknown>> };
    const missing = functionCatalogue.flatMap((spec) =>
      spec.triggers.flatMap((t) =>
        t.kind === 'http' && !doc.paths[t.path]?.[t.method.toLowerCase()] ? [`${t.method} ${t.path}`] : [],
      ),
    );
    expect(missing).toEqual([]);
  });
});
