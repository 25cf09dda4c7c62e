import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** Every `METHOD /path` the express router serves under /api/v1, with `:param` segments. */
function registeredApiRoutes(t: TestApp): string[] {
  const router = (t.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router;
  const out = new Set<string>();
  for (const layer of router.stack) {
    if (!layer.route) continue;
    for (const path of [layer.route.path].flat()) {
      if (!path.startsWith('/api/v1')) continue;
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.add(`${method.toUpperCase()} ${path}`);
    }
  }
  return [...out].sort();
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  beforeAll(async () => {
    t = await createTestApp();
    http = request(t.app.getHttpServer());
  });
  afterAll(() => t?.close());

  it('documents every registered /api/v1 route', async () => {
    const doc = (await http.get('/api/docs/openapi.json').expect(200)).body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const routes = registeredApiRoutes(t);
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('carries the zod schemas of bodies and query strings', async () => {
    const doc = (await http.get('/api/docs/openapi.json').expect(200)).body;
    const create = doc.paths['/api/v1/albums'].post;
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required).toContain('name');
    expect(schema.additionalProperties).toBe(false);
    const list = doc.paths['/api/v1/photos'].get;
    const sort = list.parameters.find((p: { name: string }) => p.name === 'sort');
    expect(sort.schema.enum).toContain('-takenAt');
  });

  it('serves Swagger UI and its assets from the installed package (no CDN)', async () => {
    const page = await http.get('/api/docs').redirects(1).expect(200);
    expect(page.text).toContain('swagger-ui');
    expect(page.text).not.toMatch(/unpkg|jsdelivr|cdnjs/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const url = asset.startsWith('/') ? asset : `/api/docs/${asset.replace(/^\.\//, '')}`;
      await http.get(url).expect(200);
    }
  });
});
