import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserService } from '../../src/users/user.service.js';
import { insertPhoto } from '../support/api-fixture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { as, installTestPrincipal, userPrincipal } from '../support/test-principal.js';

describe('REST API: albums', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp({}, { beforeInit: installTestPrincipal });
    http = request(t.app.getHttpServer());
    const user = await t.app.get(UserService).create({ username: 'admin2', role: 'admin' });
    admin = as(userPrincipal(user.id, 'admin', 8));
  });
  afterAll(() => t?.close());

  it('creates, reads, updates, moves, orders and deletes albums', async () => {
    const a = (await http.post('/api/v1/albums').set(admin).send({ name: 'Travel' }).expect(201)).body;
    expect(a).toMatchObject({ name: 'Travel', slug: 'travel', parentId: null, status: 'public', breadcrumbs: [] });
    expect(a.createdAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const b = (await http.post('/api/v1/albums').set(admin).send({ name: 'Japan', parentId: a.id, description: 'Spring' }).expect(201)).body;
    const c = (await http.post('/api/v1/albums').set(admin).send({ name: 'Italy', parentId: a.id }).expect(201)).body;
    expect(b.breadcrumbs).toEqual([{ id: a.id, name: 'Travel', slug: 'travel' }]);

    const patched = (await http.patch(`/api/v1/albums/${b.id}`).set(admin).send({ name: 'Japan 2024', slug: 'japan-2024', status: 'private' }).expect(200)).body;
    expect(patched).toMatchObject({ name: 'Japan 2024', slug: 'japan-2024', status: 'private' });

    const ordered = (await http.put(`/api/v1/albums/${a.id}/order`).set(admin).send({ ids: [c.id, b.id] }).expect(200)).body;
    expect(ordered.map((x: { id: number }) => x.id)).toEqual([c.id, b.id]);
    await http.put(`/api/v1/albums/${a.id}/order`).set(admin).send({ ids: [c.id] }).expect(400);

    const moved = (await http.post(`/api/v1/albums/${b.id}/move`).set(admin).send({ parentId: null }).expect(200)).body;
    expect(moved).toMatchObject({ parentId: null, depth: 0 });
    const top = (await http.get('/api/v1/albums').set(admin).expect(200)).body.map((x: { id: number }) => x.id);
    expect(top).toEqual([a.id, b.id]);
    await http.put('/api/v1/albums/order').set(admin).send({ ids: [b.id, a.id] }).expect(200);
    expect((await http.get('/api/v1/albums').set(admin)).body.map((x: { id: number }) => x.id)).toEqual([b.id, a.id]);
    const cycle = await http.post(`/api/v1/albums/${a.id}/move`).set(admin).send({ parentId: c.id }).expect(409);
    expect(cycle.body.code).toBe('album.move_cycle');

    const photo = await insertPhoto(t.db.dataSource, { title: 'temple' });
    const linked = await http.post(`/api/v1/albums/${c.id}/photos`).set(admin).send({ photoIds: [photo] }).expect(200);
    expect(linked.body).toEqual({ linked: [photo] });
    const rep = (await http.put(`/api/v1/albums/${a.id}/representative`).set(admin).send({ photoId: photo }).expect(200)).body;
    expect(rep.representative).toEqual({ photoId: photo, url: `/media/photos/${photo}/thumb` });
    expect(rep.counts).toEqual({ photos: 0, children: 1, descendants: 1, totalPhotos: 1 });
    await http.put(`/api/v1/albums/${a.id}/representative`).set(admin).send({ photoId: null }).expect(200);
    const unlinked = await http.delete(`/api/v1/albums/${c.id}/photos`).set(admin).send({ photoIds: [photo] }).expect(200);
    expect(unlinked.body).toEqual({ unlinked: [photo] });
    await http.post(`/api/v1/albums/${c.id}/photos`).set(admin).send({ photoIds: [photo] }).expect(200);
    await http.post(`/api/v1/albums/${c.id}/photos/unlink`).set(admin).send({ photoIds: [photo] }).expect(200);
    await http.post(`/api/v1/albums/${c.id}/photos`).set(admin).send({ photoIds: [photo] }).expect(200);

    const deleted = (await http.delete(`/api/v1/albums/${a.id}?photos=delete`).set(admin).expect(200)).body;
    expect(deleted).toEqual({ deletedAlbumIds: [a.id, c.id], deletedPhotoIds: [photo], orphanedPhotoIds: [] });
    await http.get(`/api/v1/albums/${a.id}`).set(admin).expect(404);
  });

  it('refuses unknown fields, bad types and too-long strings with 400 and field errors', async () => {
    const unknown = await http.post('/api/v1/albums').set(admin).send({ name: 'x', owner: 1 }).expect(400);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body).toMatchObject({ status: 400, code: 'validation.failed' });
    expect(unknown.body.errors).toEqual([{ path: '(root)', message: 'unknown field(s): owner' }]);
    const types = await http.post('/api/v1/albums').set(admin).send({ name: 42, visible: 'yes' }).expect(400);
    expect(types.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'visible']);
    const long = await http.post('/api/v1/albums').set(admin).send({ name: 'x'.repeat(256) }).expect(400);
    expect(long.body.errors[0].path).toBe('name');
    await http.get('/api/v1/albums?parentId=abc').expect(400);
    await http.get('/api/v1/albums?foo=1').expect(400);
    const stray = await http.get('/api/v1/server?debug=1').expect(400); // routes without a query schema take no query
    expect(stray.body.errors).toEqual([{ path: '(root)', message: 'unknown field(s): debug' }]);
    await http.get('/api/v1/albums/1?expand=all').expect(400);
    await http.delete('/api/v1/albums/1?photos=all').set(admin).expect(400);
    await http.post('/api/v1/albums/1/photos').set(admin).send({ photoIds: ['1'] }).expect(400);
    const notFound = await http.get('/api/v1/albums/abc').expect(404);
    expect(notFound.body.code).toBe('album.not_found');
  });

  it('answers If-None-Match with 304 and marks answers private', async () => {
    await http.post('/api/v1/albums').set(admin).send({ name: 'Cached' }).expect(201);
    const first = await http.get('/api/v1/albums').set(admin).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers.vary).toMatch(/Cookie/);
    await http.get('/api/v1/albums').set(admin).set('If-None-Match', etag).expect(304);
    await http.post('/api/v1/albums').set(admin).send({ name: 'Changed' }).expect(201);
    await http.get('/api/v1/albums').set(admin).set('If-None-Match', etag).expect(200);
    // Another principal sees another body, so another ETag.
    const guest = await http.get('/api/v1/albums').expect(200);
    expect(guest.headers.etag).toBeDefined();
  });

  it('serves server info', async () => {
    const info = (await http.get('/api/v1/server').expect(200)).body;
    expect(info).toMatchObject({ name: 'vitrine', apiVersion: 1, limits: { maxPageSize: 200 } });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.imageSizes.map((s: { name: string }) => s.name)).toContain('thumb');
  });
});
