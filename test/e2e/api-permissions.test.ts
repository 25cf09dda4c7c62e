import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantService } from '../../src/access/grant.service.js';
import { ShareLinkService } from '../../src/access/share-link.service.js';
import { GUEST, type Principal } from '../../src/access/principal.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { UserService } from '../../src/users/user.service.js';
import { insertPhoto, tagPhoto } from '../support/api-fixture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { as, installTestPrincipal, userPrincipal } from '../support/test-principal.js';

/**
 * The visibility contract of the REST API, on a small world:
 *
 *   Holidays (public)           p1 "beach day" (level 0, tag beach), p2 "family dinner" (level 4, tag family)
 *   └─ Attic (private)          p4 "hidden sunset" (level 0)
 *   Secret (private)            p3 "secret plan" (level 0, tag classified: only on private photos)
 *
 * Principals: guest; a member without grants; a member granted Secret with privacy level 4; an admin.
 */
describe('REST API visibility: who sees which albums, photos, tags, counts and search hits', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  const ids = { holidays: 0, attic: 0, secret: 0, p1: 0, p2: 0, p3: 0, p4: 0 };
  const who: Record<'guest' | 'member' | 'granted' | 'admin', Principal> = { guest: GUEST, member: GUEST, granted: GUEST, admin: GUEST };

  beforeAll(async () => {
    t = await createTestApp({}, { beforeInit: installTestPrincipal });
    http = request(t.app.getHttpServer());
    const ds = t.db.dataSource;
    const albums = t.app.get(AlbumService);
    const users = t.app.get(UserService);
    ids.holidays = (await albums.create({ name: 'Holidays' })).id;
    ids.attic = (await albums.create({ name: 'Attic', parentId: ids.holidays, status: 'private' })).id;
    ids.secret = (await albums.create({ name: 'Secret', status: 'private' })).id;
    ids.p1 = await insertPhoto(ds, { title: 'beach day', takenAt: '2024-07-01T10:00:00Z' });
    ids.p2 = await insertPhoto(ds, { title: 'family dinner', privacyLevel: 4, takenAt: '2024-07-02T10:00:00Z' });
    ids.p3 = await insertPhoto(ds, { title: 'secret plan', takenAt: '2024-07-03T10:00:00Z' });
    ids.p4 = await insertPhoto(ds, { title: 'hidden sunset', takenAt: '2024-07-04T10:00:00Z' });
    await albums.linkPhotos(ids.holidays, [ids.p1, ids.p2]);
    await albums.linkPhotos(ids.attic, [ids.p4]);
    await albums.linkPhotos(ids.secret, [ids.p3]);
    await albums.setRepresentative(ids.holidays, ids.p4); // a hidden photo: must not leak as a cover
    await tagPhoto(ds, ids.p1, 'beach');
    await tagPhoto(ds, ids.p2, 'family');
    await tagPhoto(ds, ids.p3, 'classified');
    const member = await users.create({ username: 'member' });
    const granted = await users.create({ username: 'granted', privacyLevel: 4 });
    const admin = await users.create({ username: 'boss', role: 'admin' });
    await t.app.get(GrantService).grant(ids.secret, { userIds: [granted.id] });
    who.member = userPrincipal(member.id, 'member');
    who.granted = userPrincipal(granted.id, 'member', 4);
    who.admin = userPrincipal(admin.id, 'admin', 8);
  });
  afterAll(() => t?.close());

  const get = (path: string, p: Principal) => http.get(path).set(as(p));
  const names = (rows: { name: string }[]) => rows.map((r) => r.name);

  const expected = {
    guest: { top: ['Holidays'], holidaysChildren: [], photos: ['beach day'], tags: { beach: 1 }, counts: { photos: 1, children: 0, descendants: 0, totalPhotos: 1 } },
    member: { top: ['Holidays'], holidaysChildren: [], photos: ['beach day'], tags: { beach: 1 }, counts: { photos: 1, children: 0, descendants: 0, totalPhotos: 1 } },
    granted: {
      top: ['Holidays', 'Secret'],
      holidaysChildren: [],
      photos: ['secret plan', 'family dinner', 'beach day'],
      tags: { beach: 1, classified: 1, family: 1 },
      counts: { photos: 2, children: 0, descendants: 0, totalPhotos: 2 },
    },
    admin: {
      top: ['Holidays', 'Secret'],
      holidaysChildren: ['Attic'],
      photos: ['hidden sunset', 'secret plan', 'family dinner', 'beach day'],
      tags: { beach: 1, classified: 1, family: 1 },
      counts: { photos: 2, children: 1, descendants: 1, totalPhotos: 3 },
    },
  } as const;

  for (const key of ['guest', 'member', 'granted', 'admin'] as const) {
    describe(key, () => {
      it('lists exactly the expected albums, with counts that hide private content', async () => {
        const top = await get('/api/v1/albums', who[key]).expect(200);
        expect(names(top.body)).toEqual(expected[key].top);
        const children = await get(`/api/v1/albums?parentId=${ids.holidays}`, who[key]).expect(200);
        expect(names(children.body)).toEqual(expected[key].holidaysChildren);
        const holidays = await get(`/api/v1/albums/${ids.holidays}`, who[key]).expect(200);
        expect(holidays.body.counts).toEqual(expected[key].counts);
        expect(holidays.body.representative).toEqual(key === 'admin' ? { photoId: ids.p4, url: `/media/photos/${ids.p4}/thumb` } : null);
      });

      it('lists exactly the expected photos, and photo details only for those', async () => {
        const res = await get('/api/v1/photos', who[key]).expect(200);
        expect(res.body.items.map((p: { title: string }) => p.title)).toEqual(expected[key].photos);
        const visible = new Set(res.body.items.map((p: { id: number }) => p.id));
        for (const id of [ids.p1, ids.p2, ids.p3, ids.p4]) {
          await get(`/api/v1/photos/${id}`, who[key]).expect(visible.has(id) ? 200 : 404);
        }
        const recursive = await get(`/api/v1/photos?album=${ids.holidays}&recursive=true&sort=id`, who[key]).expect(200);
        expect(recursive.body.items.length).toBe(expected[key].counts.totalPhotos);
      });

      it('sees only tags of visible photos, counted on visible photos', async () => {
        const res = await get('/api/v1/tags', who[key]).expect(200);
        expect(Object.fromEntries(res.body.map((tag: { slug: string; photoCount: number }) => [tag.slug, tag.photoCount]))).toEqual(expected[key].tags);
        const classified = await get('/api/v1/tags/classified/photos', who[key]);
        expect(classified.status).toBe('classified' in expected[key].tags ? 200 : 404);
      });

      it('finds only visible albums and photos', async () => {
        for (const q of ['secret', 'sunset', 'attic', 'dinner', 'beach']) {
          const res = await get(`/api/v1/search?q=${q}`, who[key]).expect(200);
          const albumHits = names(res.body.albums);
          const photoHits = res.body.photos.items.map((p: { title: string }) => p.title);
          for (const name of albumHits) expect([...expected[key].top, ...expected[key].holidaysChildren]).toContain(name);
          for (const title of photoHits) expect(expected[key].photos).toContain(title);
          expect(JSON.stringify(res.body)).not.toMatch(key === 'admin' ? /$^/ : /Attic|hidden sunset/);
        }
      });
    });
  }

  it('answers a hidden album exactly like a missing one (guest and member)', async () => {
    for (const p of [who.guest, who.member]) {
      for (const id of [ids.secret, ids.attic]) {
        const hidden = await get(`/api/v1/albums/${id}`, p).expect(404);
        const missing = await get(`/api/v1/albums/${id + 100000}`, p).expect(404);
        const strip = (body: Record<string, unknown>, n: number) => JSON.parse(JSON.stringify(body).replaceAll(String(n), 'N'));
        expect(strip(hidden.body, id)).toEqual(strip(missing.body, id + 100000));
        expect(hidden.headers['content-type']).toBe(missing.headers['content-type']);
        await get(`/api/v1/albums?parentId=${id}`, p).expect(404);
        await get(`/api/v1/photos?album=${id}`, p).expect(404);
      }
      const photo = await get(`/api/v1/photos/${ids.p3}`, p).expect(404);
      const none = await get(`/api/v1/photos/${ids.p3 + 100000}`, p).expect(404);
      expect(photo.body.code).toBe(none.body.code);
    }
  });

  it('shows the granted member only visible albums of a photo, never private names to others', async () => {
    const res = await get(`/api/v1/photos/${ids.p1}`, who.member).expect(200);
    expect(res.body.originalUrl).toBe(`/media/photos/${ids.p1}/original`);
    expect((await get(`/api/v1/photos/${ids.p1}`, who.guest).expect(200)).body.originalUrl).toBeNull();
    expect(res.body.albums.map((a: { name: string }) => a.name)).toEqual(['Holidays']);
    expect(JSON.stringify(res.body)).not.toMatch(/Secret|Attic/);
  });

  it('gives a share link of the private sub-album exactly that album: no parent, no siblings, no GPS, no original', async () => {
    const { link } = await t.app.get(ShareLinkService).create({ albumId: ids.attic });
    const share: Principal = { kind: 'share', shareLinkId: link.id, role: 'guest', privacyLevel: 0, allowDownload: false };
    expect((await get('/api/v1/albums', share).expect(200)).body).toEqual([]);
    const attic = (await get(`/api/v1/albums/${ids.attic}`, share).expect(200)).body;
    expect(attic).toMatchObject({ name: 'Attic', parentId: null, breadcrumbs: [], counts: { photos: 1, children: 0, descendants: 0, totalPhotos: 1 } });
    await get(`/api/v1/albums/${ids.holidays}`, share).expect(404);
    const photos = (await get('/api/v1/photos', share).expect(200)).body.items.map((p: { title: string }) => p.title);
    expect(photos).toEqual(['hidden sunset']);
    const detail = (await get(`/api/v1/photos/${ids.p4}`, share).expect(200)).body;
    expect(detail).toMatchObject({ originalUrl: null, gps: null, albums: [{ id: ids.attic, name: 'Attic', slug: 'attic' }] });
    await get(`/api/v1/photos/${ids.p1}`, share).expect(404);
    expect((await get('/api/v1/tags', share).expect(200)).body).toEqual([]);
    const search = (await get('/api/v1/search?q=a', share).expect(200)).body;
    expect(JSON.stringify(search)).not.toMatch(/Holidays|Secret|beach|family|secret plan/);
  });

  it('refuses writes to guests (401) and members (403)', async () => {
    await get('/api/v1/users', who.guest).expect(401);
    await get('/api/v1/users', who.member).expect(403);
    await http.post('/api/v1/albums').set(as(who.member)).send({ name: 'x' }).expect(403);
    await http.patch(`/api/v1/photos/${ids.p1}`).set(as(who.granted)).send({ title: 'x' }).expect(403);
    await http.post(`/api/v1/albums/${ids.holidays}/photos`).set(as(GUEST)).send({ photoIds: [ids.p3] }).expect(401);
  });
});
