import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { insertPhoto, tagPhoto } from '../support/api-fixture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { as, installTestPrincipal, userPrincipal } from '../support/test-principal.js';

type Operation = { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> };
type OpenApi = { paths: Record<string, Record<string, Operation>> };

/** Routes that speak another protocol than JSON (tus resumable uploads). */
const NOT_JSON = /^\/api\/v1\/uploads\/tus\b/;
/** Query strings a read needs to answer 200. */
const REQUIRED_QUERY: Record<string, string> = { '/api/v1/search': '?q=gull' };

/** `/api/v1/albums/{id}` → a RegExp matching concrete URLs of that route. */
function routePattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`);
}

/**
 * The OpenAPI document describes what every JSON read answers, and what the server really
 * answers matches it: each GET route is called on seeded data and its body is checked against
 * the schema the document publishes (turned back into a validator with zod).
 */
describe('OpenAPI response schemas', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let doc: OpenApi;
  const urls: string[] = [];
  let admin: Record<string, string>;
  let albumId = 0;

  beforeAll(async () => {
    t = await createTestApp({}, { beforeInit: installTestPrincipal });
    http = request(t.app.getHttpServer());
    doc = (await http.get('/api/docs/openapi.json').expect(200)).body as OpenApi;

    const bootstrap = as(userPrincipal(1, 'webmaster'));
    const user = (await http.post('/api/v1/users').set(bootstrap).send({ username: 'curator', password: 'a long enough password', role: 'webmaster' }).expect(201)).body;
    admin = as(userPrincipal(user.id, 'webmaster'));
    const album = (await http.post('/api/v1/albums').set(admin).send({ name: 'Seaside', description: 'Salt & light' }).expect(201)).body;
    albumId = album.id;
    await http.post('/api/v1/albums').set(admin).send({ name: 'Harbour', parentId: album.id }).expect(201);
    const photo = await insertPhoto(t.db.dataSource, { title: 'Gull', takenAt: '2024-06-01T10:00:00Z', cameraMake: 'FUJIFILM' });
    await tagPhoto(t.db.dataSource, photo, 'birds');
    await http.post(`/api/v1/albums/${album.id}/photos`).set(admin).send({ photoIds: [photo] }).expect(200);
    const group = (await http.post('/api/v1/groups').set(admin).send({ name: 'Clients' }).expect(201)).body;
    await http.post(`/api/v1/groups/${group.id}/members`).set(admin).send({ userIds: [user.id] }).expect(201);
    await http.post(`/api/v1/albums/${album.id}/grants`).set(admin).send({ groupIds: [group.id] }).expect(200);
    const share = (await http.post('/api/v1/share-links').set(admin).send({ albumId: album.id, password: 'open sesame' }).expect(201)).body;
    await http.post('/api/v1/api-keys').set(admin).send({ name: 'laptop' }).expect(201);

    const ids: Record<string, number | string> = { albums: album.id, photos: photo, users: user.id, groups: group.id, 'share-links': share.link.id, tags: 'birds' };
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!ops.get || !path.startsWith('/api/v1') || NOT_JSON.test(path)) continue;
      // Fill each {param} with the seeded id of the collection it follows (`/albums/{id}` → album).
      const url = path.replace(/\/([\w-]+)\/\{\w+\}/g, (_m, collection: string) => `/${collection}/${ids[collection] ?? 'unknown'}`);
      urls.push(url.replace('{albumId}', String(album.id)) + (REQUIRED_QUERY[path] ?? ''));
    }
  });
  afterAll(() => t?.close());

  it('gives every JSON read a success schema and every operation the problem+json error', () => {
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!path.startsWith('/api/v1') || NOT_JSON.test(path)) continue;
        expect(op.responses.default?.content?.['application/problem+json']?.schema, `${method} ${path}`).toBeDefined();
        const ok = Object.entries(op.responses).find(([code]) => code.startsWith('2'));
        if (method === 'get' && !ok?.[1].content?.['application/json']) missing.push(`GET ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('answers every seeded GET with a body the published schema accepts', async () => {
    expect(urls.length).toBeGreaterThan(15);
    const failures: string[] = [];
    for (const url of urls) {
      const [path, op] = Object.entries(doc.paths).find(([p, ops]) => ops.get && routePattern(p).test(url.split('?')[0]!))!;
      const res = await http.get(url).set(admin);
      if (res.status !== 200) {
        failures.push(`${url}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
        continue;
      }
      const schema = z.fromJSONSchema(op.get!.responses['200']!.content!['application/json']!.schema as never);
      const parsed = schema.safeParse(res.body);
      if (!parsed.success) failures.push(`${url} (${path}): ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers the multipart upload (POST /api/v1/photos) with a body the published schema accepts', async () => {
    const op = doc.paths['/api/v1/photos']!.post! as Operation & { requestBody?: { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> } };
    expect(Object.keys(op.requestBody?.content?.['multipart/form-data']?.schema.properties ?? {})).toEqual(expect.arrayContaining(['file', 'albumIds', 'title', 'tags']));
    const published = op.responses['201']?.content?.['application/json']?.schema;
    expect(published).toBeDefined();
    const schema = z.fromJSONSchema(published as never);
    const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 10, g: 120, b: 200 } } }).jpeg().toBuffer();
    const res = await http.post('/api/v1/photos').set(admin).field('albumIds', String(albumId)).field('title', 'Tern').attach('file', jpeg, 'tern.jpg');
    expect(res.status, res.text).toBe(201);
    const parsed = schema.safeParse(res.body);
    expect(parsed.success, parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toBe(true);
    expect(res.body.photos).toHaveLength(1);
    expect(res.body.photos[0]).toMatchObject({ title: 'Tern', width: 40, height: 30, duplicate: false });
    // The check can fail: a drifted answer is refused.
    const photo = res.body.photos[0] as Record<string, unknown>;
    expect(schema.safeParse({ photos: [{ ...photo, sha256: 'not a hash' }] }).success).toBe(false);
    expect(schema.safeParse({ photos: [{ ...photo, duplicate: 'no' }] }).success).toBe(false);
    expect(schema.safeParse({ photos: [{ ...photo, path: '/srv/originals/x.jpg' }] }).success).toBe(false);
  });

  it('refuses an answer that drifts from the schema (the check can fail)', () => {
    const op = doc.paths['/api/v1/albums/{id}']!.get!;
    const schema = z.fromJSONSchema(op.responses['200']!.content!['application/json']!.schema as never);
    const album = { id: 1, parentId: null, name: 'A', slug: 'a', description: null, position: 0, status: 'public', visible: true, depth: 0, representative: null, counts: { photos: 0, children: 0, descendants: 0, totalPhotos: 0 }, createdAt: null, updatedAt: null, breadcrumbs: [] };
    expect(schema.safeParse(album).success).toBe(true);
    expect(schema.safeParse({ ...album, id: '1' }).success).toBe(false);
    expect(schema.safeParse({ ...album, createdAt: 'yesterday' }).success).toBe(false);
    expect(schema.safeParse({ ...album, passwordHash: 'x' }).success).toBe(false);
  });
});
