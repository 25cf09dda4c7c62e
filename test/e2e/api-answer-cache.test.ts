import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GrantService } from '../../src/access/grant.service.js';
import { GUEST, type Principal } from '../../src/access/principal.js';
import { ShareLinkService } from '../../src/access/share-link.service.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { ApiAnswerCache, apiAnswerCacheMsFromEnv } from '../../src/api/api-answer.cache.js';
import { AlbumReadService } from '../../src/api/albums/album-read.service.js';
import { PhotoReadService } from '../../src/api/photos/photo-read.service.js';
import { UserService } from '../../src/users/user.service.js';
import { insertPhoto, tagPhoto } from '../support/api-fixture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { as, installTestPrincipal, userPrincipal } from '../support/test-principal.js';

/**
 * The REST listing answer cache (ApiAnswerCache) never serves an answer older than the data or
 * the permissions, and never one principal's answer to a principal with another visibility.
 *
 *   Open (public)       o1 "open photo" (level 0, tag shore), o2 "family photo" (level 4, tag shore)
 *   Closed (private)    c1 "closed photo" (level 0, tag shore)
 */
describe('REST answer cache', () => {
  let t: TestApp;
  let http: ReturnType<typeof request>;
  const ids = { open: 0, closed: 0, o1: 0, o2: 0, c1: 0 };
  let alice: Principal; // member, privacy level 0
  let bob: Principal; // member, privacy level 0 (the same visibility as alice until a grant)
  let family: Principal; // member, privacy level 4
  let admin: Principal;

  beforeAll(async () => {
    t = await createTestApp({}, { beforeInit: installTestPrincipal });
    http = request(t.app.getHttpServer());
    const ds = t.db.dataSource;
    const albums = t.app.get(AlbumService);
    const users = t.app.get(UserService);
    ids.open = (await albums.create({ name: 'Open' })).id;
    ids.closed = (await albums.create({ name: 'Closed', status: 'private' })).id;
    ids.o1 = await insertPhoto(ds, { title: 'open photo', takenAt: '2024-01-01T10:00:00Z' });
    ids.o2 = await insertPhoto(ds, { title: 'family photo', privacyLevel: 4, takenAt: '2024-01-02T10:00:00Z' });
    ids.c1 = await insertPhoto(ds, { title: 'closed photo', takenAt: '2024-01-03T10:00:00Z' });
    await albums.linkPhotos(ids.open, [ids.o1, ids.o2]);
    await albums.linkPhotos(ids.closed, [ids.c1]);
    for (const p of [ids.o1, ids.o2, ids.c1]) await tagPhoto(ds, p, 'shore');
    alice = userPrincipal((await users.create({ username: 'alice' })).id, 'member');
    bob = userPrincipal((await users.create({ username: 'bob' })).id, 'member');
    family = userPrincipal((await users.create({ username: 'family', privacyLevel: 4 })).id, 'member', 4);
    admin = userPrincipal((await users.create({ username: 'boss', role: 'admin' })).id, 'admin', 8);
  });
  afterAll(() => t?.close());
  beforeEach(() => t.app.get(ApiAnswerCache).clear());

  const titles = async (path: string, p: Principal, status = 200): Promise<string[]> => {
    const res = await http.get(path).set(as(p));
    expect(res.status, `${path} as ${JSON.stringify(p)}: ${res.text.slice(0, 200)}`).toBe(status);
    return status === 200 ? (res.body.items as { title: string }[]).map((i) => i.title) : [];
  };

  it('answers a repeated listing from the cache, for every principal with the same visibility', async () => {
    const computed = vi.spyOn(t.app.get(PhotoReadService), 'listIn');
    const url = `/api/v1/photos?album=${ids.open}&limit=100`;
    expect(await titles(url, alice)).toEqual(['open photo']);
    expect(await titles(url, alice)).toEqual(['open photo']);
    expect(await titles(url, bob)).toEqual(['open photo']); // same scope (level 0, same albums): same entry
    expect(await titles(url, GUEST)).toEqual(['open photo']);
    expect(computed).toHaveBeenCalledTimes(1);
    expect(await titles(url, family)).toEqual(['family photo', 'open photo']); // level 4: another scope
    expect(await titles(url, admin)).toEqual(['family photo', 'open photo']);
    expect(computed).toHaveBeenCalledTimes(3);
    computed.mockRestore();
  });

  it('sees a photo made private, or published again, on the very next request', async () => {
    const url = `/api/v1/photos?album=${ids.open}&limit=100`;
    expect(await titles(url, GUEST)).toEqual(['open photo']);
    await t.db.dataSource.query(`UPDATE photos SET privacy_level = 4 WHERE id = $1`, [ids.o1]); // no service: the trigger
    expect(await titles(url, GUEST)).toEqual([]);
    expect(await titles(url, family)).toEqual(['family photo', 'open photo']);
    await t.db.dataSource.query(`UPDATE photos SET privacy_level = 0 WHERE id = $1`, [ids.o1]);
    expect(await titles(url, GUEST)).toEqual(['open photo']);
  });

  it('sees a private photo added to a listed album at once, only by those allowed to see it', async () => {
    const url = `/api/v1/photos?album=${ids.open}&limit=100`;
    expect(await titles(url, alice)).toEqual(['open photo']);
    expect(await titles(url, family)).toEqual(['family photo', 'open photo']);
    const added = await insertPhoto(t.db.dataSource, { title: 'new private photo', privacyLevel: 4, takenAt: '2024-01-05T10:00:00Z' });
    await t.app.get(AlbumService).linkPhotos(ids.open, [added]);
    expect(await titles(url, family)).toEqual(['new private photo', 'family photo', 'open photo']);
    expect(await titles(url, alice)).toEqual(['open photo']);
    expect(await titles(url, GUEST)).toEqual(['open photo']);
    await t.app.get(AlbumService).unlinkPhotos(ids.open, [added]);
    expect(await titles(url, family)).toEqual(['family photo', 'open photo']);
  });

  it('never hands a granted answer to a principal without the grant, and forgets it at revocation', async () => {
    const grants = t.app.get(GrantService);
    const url = `/api/v1/photos?album=${ids.closed}&limit=100`;
    await titles(url, alice, 404);
    await grants.grant(ids.closed, { userIds: [alice.kind === 'user' ? alice.userId : 0] });
    expect(await titles(url, alice)).toEqual(['closed photo']); // the grant is seen at once
    expect(await titles(url, alice)).toEqual(['closed photo']); // now cached for alice's scope
    await titles(url, bob, 404); // same URL, same privacy level, no grant: never the cached answer
    await titles(url, GUEST, 404);
    // Listings without an album filter too: the private album's photo only for alice.
    expect(await titles('/api/v1/photos?limit=100', alice)).toContain('closed photo');
    expect(await titles('/api/v1/photos?limit=100', bob)).not.toContain('closed photo');
    const tagged = async (p: Principal) => ((await http.get('/api/v1/tags/shore/photos').set(as(p)).expect(200)).body.items as { title: string }[]).map((i) => i.title);
    expect(await tagged(alice)).toContain('closed photo');
    expect(await tagged(bob)).not.toContain('closed photo');
    const albumNames = async (p: Principal) => ((await http.get('/api/v1/albums').set(as(p)).expect(200)).body as { name: string }[]).map((a) => a.name);
    expect(await albumNames(alice)).toEqual(['Open', 'Closed']);
    expect(await albumNames(bob)).toEqual(['Open']);

    await grants.revoke(ids.closed, { userIds: [alice.kind === 'user' ? alice.userId : 0] });
    await titles(url, alice, 404); // revoked: at once, although alice's answer was cached
    expect(await titles('/api/v1/photos?limit=100', alice)).not.toContain('closed photo');
    expect(await tagged(alice)).not.toContain('closed photo');
    expect(await albumNames(alice)).toEqual(['Open']);
  });

  it('counts tags on visible photos per visibility, and follows a change at once', async () => {
    const count = async (p: Principal) => ((await http.get('/api/v1/tags').set(as(p)).expect(200)).body as { slug: string; photoCount: number }[]).find((x) => x.slug === 'shore')?.photoCount;
    expect(await count(GUEST)).toBe(1);
    expect(await count(family)).toBe(2);
    expect(await count(admin)).toBe(3);
    expect(await count(GUEST)).toBe(1);
    await t.db.dataSource.query(`UPDATE photos SET privacy_level = 0 WHERE id = $1`, [ids.o2]);
    expect(await count(GUEST)).toBe(2);
    await t.db.dataSource.query(`UPDATE photos SET privacy_level = 4 WHERE id = $1`, [ids.o2]);
    expect(await count(GUEST)).toBe(1);
  });

  // Only Postgres has concurrent transactions (PGlite is one session: no request runs between a
  // write statement and its commit). The content version is a sequence, advanced before the commit.
  it.runIf(process.env.DATABASE_URL)('does not keep an answer computed while a change is uncommitted (Postgres)', async () => {
    const url = `/api/v1/photos?album=${ids.open}&limit=100`;
    expect(await titles(url, GUEST)).toEqual(['open photo']);
    const tx = t.db.dataSource.createQueryRunner();
    await tx.connect();
    try {
      await tx.startTransaction();
      await tx.query(`UPDATE photos SET privacy_level = 4 WHERE id = $1`, [ids.o1]); // the version advances now
      expect(await titles(url, GUEST)).toEqual(['open photo']); // not committed: still visible, computed afresh
      await tx.commitTransaction();
    } finally {
      await tx.release();
    }
    expect(await titles(url, GUEST)).toEqual([]); // at once, not after the TTL
    await t.db.dataSource.query(`UPDATE photos SET privacy_level = 0 WHERE id = $1`, [ids.o1]);
  });

  it('keeps ETag and If-None-Match right: 304 while nothing changed, a new ETag after a change', async () => {
    const url = `/api/v1/photos?album=${ids.open}&limit=100`;
    const first = await http.get(url).set(as(GUEST)).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers.vary).toMatch(/Cookie/);
    // From the cache: same ETag and body; a matching If-None-Match gets a bodiless 304.
    const again = await http.get(url).set(as(GUEST)).expect(200);
    expect(again.headers.etag).toBe(etag);
    expect(again.text).toBe(first.text);
    const notModified = await http.get(url).set(as(GUEST)).set('If-None-Match', etag);
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    // Computed afresh (cache cleared): the very same ETag, so validators survive restarts and evictions.
    t.app.get(ApiAnswerCache).clear();
    expect((await http.get(url).set(as(GUEST)).set('If-None-Match', etag)).status).toBe(304);
    // Another visibility with the same URL does not match the guest's ETag.
    const famRes = await http.get(url).set(as(family)).set('If-None-Match', etag);
    expect(famRes.status).toBe(200);
    expect(famRes.headers.etag).not.toBe(etag);
    // A change: the old ETag no longer matches.
    await t.db.dataSource.query(`UPDATE photos SET title = 'renamed photo' WHERE id = $1`, [ids.o1]);
    const changed = await http.get(url).set(as(GUEST)).set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body.items[0].title).toBe('renamed photo');
    await t.db.dataSource.query(`UPDATE photos SET title = 'open photo' WHERE id = $1`, [ids.o1]);
    // HEAD answers the headers of the GET without a body.
    const head = await http.head(url).set(as(GUEST)).expect(200);
    expect(head.headers.etag).toBe(etag);
  });

  it('never caches errors, and validates (role rules included) before any lookup', async () => {
    const url = `/api/v1/photos?album=${ids.open}&privacyLevel=4`;
    const editor = userPrincipal(alice.kind === 'user' ? alice.userId : 0, 'editor', 8); // sees everything, as admins do
    expect((await http.get(url).set(as(admin)).expect(200)).body.items.map((i: { title: string }) => i.title)).toEqual(['family photo']);
    await http.get(url).set(as(editor)).expect(400); // same scope key as the admin's, but not allowed this filter
    await http.get(`/api/v1/photos?album=999999`).set(as(GUEST)).expect(404);
    await http.get(`/api/v1/photos?album=999999`).set(as(GUEST)).expect(404);
  });

  it('gives share-link visitors what their link covers, and nothing once it is revoked', async () => {
    const links = t.app.get(ShareLinkService);
    const { link } = await links.create({ albumId: ids.closed });
    const visitor: Principal = { kind: 'share', shareLinkId: link.id, role: 'guest', privacyLevel: 0, allowDownload: false };
    const url = `/api/v1/photos?album=${ids.closed}&limit=100`;
    expect(await titles(url, visitor)).toEqual(['closed photo']);
    expect(await titles(url, visitor)).toEqual(['closed photo']);
    await titles(url, GUEST, 404);
    await links.revoke(link.id);
    await titles(url, visitor, 404);
  });

  it('serves album lists from the cache only for the same visibility', async () => {
    const computed = vi.spyOn(t.app.get(AlbumReadService), 'childrenIn');
    await http.get('/api/v1/albums').set(as(alice)).expect(200);
    await http.get('/api/v1/albums').set(as(bob)).expect(200);
    expect(computed).toHaveBeenCalledTimes(1);
    await http.get('/api/v1/albums').set(as(admin)).expect(200);
    expect(computed).toHaveBeenCalledTimes(2);
    computed.mockRestore();
  });

  it('reads API_ANSWER_CACHE_MS (default 2000, 0 disables) and refuses bad values', () => {
    expect(apiAnswerCacheMsFromEnv({})).toBe(2000);
    expect(apiAnswerCacheMsFromEnv({ API_ANSWER_CACHE_MS: '0' })).toBe(0);
    expect(() => apiAnswerCacheMsFromEnv({ API_ANSWER_CACHE_MS: '-5' })).toThrow(/API_ANSWER_CACHE_MS/);
  });
});
