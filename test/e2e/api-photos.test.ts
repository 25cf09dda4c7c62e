import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbumService } from '../../src/albums/album.service.js';
import { UserService } from '../../src/users/user.service.js';
import { insertPhoto, tagPhoto } from '../support/api-fixture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { as, installTestPrincipal, userPrincipal } from '../support/test-principal.js';

describe('REST API: photos', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  let admin: Record<string, string>;
  let albumId: number;
  const all: number[] = [];

  beforeAll(async () => {
    t = await createTestApp({}, { beforeInit: installTestPrincipal });
    http = request(t.app.getHttpServer());
    const user = await t.app.get(UserService).create({ username: 'admin3', role: 'admin' });
    admin = as(userPrincipal(user.id, 'admin', 8));
    albumId = (await t.app.get(AlbumService).create({ name: 'Roll' })).id;
    const ds = t.db.dataSource;
    // 23 photos; several share a taken_at (ties broken by id), some have none, titles repeat.
    for (let i = 0; i < 23; i++) {
      const day = i % 5 === 4 ? null : `2024-03-${String(1 + (i % 7)).padStart(2, '0')}T08:00:00Z`;
      all.push(
        await insertPhoto(ds, {
          title: i % 3 === 0 ? null : `shot ${i % 4}`,
          originalName: `IMG_${String(i).padStart(4, '0')}.jpg`,
          takenAt: day,
          cameraMake: i % 2 ? 'Canon' : 'Fujifilm',
          cameraModel: i % 2 ? 'EOS R5' : 'X-T4',
          description: i === 7 ? 'with 100% zoom_in' : null,
        }),
      );
    }
    await t.app.get(AlbumService).linkPhotos(albumId, all);
    await tagPhoto(ds, all[0]!, 'Sea');
    await tagPhoto(ds, all[1]!, 'Sea');
  });
  afterAll(() => t?.close());

  async function collect(query: string, limit: number): Promise<number[]> {
    const ids: number[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const res: request.Response = await http.get(`/api/v1/photos?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...res.body.items.map((p: { id: number }) => p.id));
      cursor = res.body.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error('pagination does not end');
  }

  it('pages every sort with cursors: no duplicates, no gaps, same order as one big page', async () => {
    for (const sort of ['takenAt', '-takenAt', 'createdAt', '-createdAt', 'title', '-title', 'id', '-id']) {
      const whole = (await http.get(`/api/v1/photos?sort=${sort}&limit=200`).expect(200)).body.items.map((p: { id: number }) => p.id);
      expect(whole.length).toBe(23);
      for (const size of [2, 7]) expect(await collect(`sort=${sort}`, size)).toEqual(whole);
    }
    const byId = (await http.get('/api/v1/photos?sort=id&limit=200')).body.items.map((p: { id: number }) => p.id);
    expect(byId).toEqual([...all].sort((a, b) => a - b));
  });

  it('filters by album, tag, dates, camera and text; privacy level only for admins', async () => {
    const ids = async (q: string, headers: Record<string, string> = {}) =>
      (await http.get(`/api/v1/photos?${q}&limit=200`).set(headers).expect(200)).body.items.map((p: { id: number }) => p.id).sort((a: number, b: number) => a - b);
    expect((await ids(`album=${albumId}`)).length).toBe(23);
    expect(await ids('tag=sea')).toEqual([all[0], all[1]]);
    expect((await ids('takenFrom=2024-03-02&takenTo=2024-03-02')).length).toBeGreaterThan(0);
    for (const id of await ids('takenFrom=2024-03-02&takenTo=2024-03-02')) expect([1, 8, 15, 22].map((i) => all[i])).toContain(id);
    expect((await ids('camera=canon')).length).toBe(11);
    expect((await ids('camera=EOS%20R5')).length).toBe(11);
    expect(await ids('q=100%25%20zoom_in')).toEqual([all[7]]);
    expect(await ids('q=100%25')).toEqual([all[7]]);
    expect(await ids('q=I_G')).toEqual([]); // `_` is literal, not a wildcard that would match IMG_…
    expect(await ids('q=%25%25')).toEqual([]);
    expect((await ids('q=IMG_0002')).length).toBe(1);
    await http.get('/api/v1/photos?privacyLevel=0').expect(400);
    expect((await ids('privacyLevel=0', admin)).length).toBe(23);
  });

  it('refuses sort and filter injection attempts with 400, never 500', async () => {
    const attempts = [
      'sort=id;DROP TABLE photos',
      "sort=taken_at DESC, (SELECT 1)",
      'sort=password',
      'limit=201',
      'limit=0',
      'limit=-1',
      "album=1 OR 1=1",
      'takenFrom=yesterday',
      'cursor=not-a-cursor',
      `cursor=${Buffer.from(JSON.stringify(['id', "1'; DROP TABLE photos; --", 1])).toString('base64url')}`,
      `cursor=${Buffer.from(JSON.stringify(['takenAt', 'garbage', 1])).toString('base64url')}`,
      'unknown=1',
      `q=${'x'.repeat(201)}`,
    ];
    for (const q of attempts) {
      const res = await http.get(`/api/v1/photos?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.code).toBe('validation.failed');
    }
    const first = await http.get('/api/v1/photos?sort=id&limit=2').expect(200);
    const wrongSort = await http.get(`/api/v1/photos?sort=-title&cursor=${first.body.nextCursor}`).expect(400);
    expect(wrongSort.body.errors[0].path).toBe('cursor');
    expect((await http.get("/api/v1/photos?q=%27%3B%20DROP%20TABLE%20photos%3B--").expect(200)).body.items).toEqual([]);
    expect((await http.get('/api/v1/photos?sort=id&limit=200').expect(200)).body.items.length).toBe(23);
  });

  it('shows a photo with sizes, metadata, tags and albums, and edits it', async () => {
    const id = all[1]!;
    const photo = (await http.get(`/api/v1/photos/${id}`).expect(200)).body;
    expect(photo.sizes.thumb).toBe(`/media/photos/${id}/thumb`);
    expect(photo.camera).toEqual({ make: 'Canon', model: 'EOS R5', lens: null });
    expect(photo.tags.map((x: { slug: string }) => x.slug)).toEqual(['sea']);
    expect(photo.albums).toEqual([{ id: albumId, name: 'Roll', slug: 'roll' }]);
    const edited = (await http.patch(`/api/v1/photos/${id}`).set(admin).send({ title: 'Dune', description: null, privacyLevel: 8, tags: ['Sand', 'sand', 'Été'] }).expect(200)).body;
    expect(edited).toMatchObject({ title: 'Dune', description: null, privacyLevel: 8 });
    expect(edited.tags.map((x: { slug: string }) => x.slug).sort()).toEqual(['ete', 'sand']);
    await http.get(`/api/v1/photos/${id}`).expect(404); // level 8 now: guests no longer see it
    const tags = (await http.get('/api/v1/tags').expect(200)).body.map((x: { slug: string }) => x.slug);
    expect(tags).toEqual(['sea']);
    await http.patch(`/api/v1/photos/${id}`).set(admin).send({ privacyLevel: 3 }).expect(400);
    const editor = await t.app.get(UserService).create({ username: 'editor0', role: 'editor' });
    const above = await http.patch(`/api/v1/photos/${all[2]}`).set(as(userPrincipal(editor.id, 'editor', 0))).send({ privacyLevel: 4 }).expect(400);
    expect(above.body.code).toBe('photo.privacy_above_own');
    await http.patch(`/api/v1/photos/${all[2]}`).set(as(userPrincipal(editor.id, 'editor', 0))).send({ title: 'ok' }).expect(200);
    await http.patch(`/api/v1/photos/${id}`).set(admin).send({ title: 'x'.repeat(1001) }).expect(400);
    await http.patch(`/api/v1/photos/${id}`).set(admin).send({ rating: 5 }).expect(400);
    await http.patch('/api/v1/photos/999999').set(admin).send({ title: 'x' }).expect(404);
    const tagPage = (await http.get('/api/v1/tags/sea/photos?limit=1').expect(200)).body;
    expect(tagPage.tag).toMatchObject({ slug: 'sea', photoCount: 1 });
    expect(tagPage.items.map((p: { id: number }) => p.id)).toEqual([all[0]]);
    await http.get('/api/v1/tags/sand/photos').expect(404);
  });

  it('deletes a photo: 401 for guests, 403 for a contributor on a photo not theirs, 204 then 404 for an admin', async () => {
    const id = all[22]!;
    await http.delete(`/api/v1/photos/${id}`).expect(401);
    const contributor = await t.app.get(UserService).create({ username: 'contrib', role: 'contributor' });
    await http.delete(`/api/v1/photos/${id}`).set(as(userPrincipal(contributor.id, 'contributor'))).expect(403);
    await http.delete(`/api/v1/photos/${id}`).set(admin).expect(204);
    await http.get(`/api/v1/photos/${id}`).set(admin).expect(404);
    await http.delete(`/api/v1/photos/${id}`).set(admin).expect(404);
    expect((await http.get(`/api/v1/albums/${albumId}`).set(admin).expect(200)).body.counts.photos).toBe(22);
    all.pop();
  });

  it('searches albums and photos', async () => {
    const res = (await http.get('/api/v1/search?q=roll').expect(200)).body;
    expect(res.albums.map((a: { name: string }) => a.name)).toEqual(['Roll']);
    const photos = (await http.get('/api/v1/search?q=IMG_001&limit=5').expect(200)).body.photos;
    expect(photos.items.length).toBe(5);
    await http.get('/api/v1/search').expect(400);
  });
});
