import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GrantService } from '../../src/access/grant.service.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { ApiAnswerCache } from '../../src/api/api-answer.cache.js';
import { PhotoReadService } from '../../src/api/photos/photo-read.service.js';
import { UserService } from '../../src/users/user.service.js';
import { insertPhoto } from '../support/api-fixture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The REST answer cache's fast path (`ApiAnswerCache.fastPath`, installed by the real server
 * right after the auth chain): real sessions, no test principals. A stored answer is served only
 * to a principal with the same visibility, and every change is seen on the next request.
 */
describe('REST answer cache fast path (real sessions)', () => {
  let t: TestApp;
  let server: Server;
  const PW = 'a long enough password';
  const ids = { closed: 0, open: 0, userA: 0 };
  let alice: ReturnType<typeof request.agent>;
  let bob: ReturnType<typeof request.agent>;
  let editor: ReturnType<typeof request.agent>;
  let admin: ReturnType<typeof request.agent>;

  const login = async (username: string) => {
    const agent = request.agent(server);
    await agent.post('/api/v1/session').send({ username, password: PW }).expect(200);
    return agent;
  };

  beforeAll(async () => {
    t = await createTestApp({}, { app: { apiCacheFastPath: true } });
    server = t.app.getHttpServer() as Server;
    const albums = t.app.get(AlbumService);
    const users = t.app.get(UserService);
    ids.open = (await albums.create({ name: 'Open' })).id;
    ids.closed = (await albums.create({ name: 'Closed', status: 'private' })).id;
    await albums.linkPhotos(ids.open, [await insertPhoto(t.db.dataSource, { title: 'open photo' }), await insertPhoto(t.db.dataSource, { title: 'family photo', privacyLevel: 4 })]);
    await albums.linkPhotos(ids.closed, [await insertPhoto(t.db.dataSource, { title: 'closed photo' })]);
    ids.userA = (await users.create({ username: 'alice', password: PW })).id;
    await users.create({ username: 'bob', password: PW });
    await users.create({ username: 'ed', password: PW, role: 'editor' });
    await users.create({ username: 'boss', password: PW, role: 'admin' });
    await t.app.get(GrantService).grant(ids.closed, { userIds: [ids.userA] });
    [alice, bob, editor, admin] = [await login('alice'), await login('bob'), await login('ed'), await login('boss')];
  });
  afterAll(() => t?.close());

  const titles = (res: request.Response) => (res.body.items as { title: string }[]).map((i) => i.title);

  it('serves a stored listing without recomputing it, only to the same visibility', async () => {
    const computed = vi.spyOn(t.app.get(PhotoReadService), 'listIn');
    const url = `/api/v1/photos?album=${ids.closed}&limit=100`;
    const first = await alice.get(url).expect(200);
    expect(titles(first)).toEqual(['closed photo']);
    const second = await alice.get(url).expect(200);
    expect(titles(second)).toEqual(['closed photo']);
    expect(second.headers['cache-control']).toBe('private, no-cache');
    expect(second.headers.vary).toMatch(/Cookie/);
    expect(second.headers.vary).toMatch(/Authorization/);
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(computed).toHaveBeenCalledTimes(1);
    await bob.get(url).expect(404); // no grant: never alice's answer
    await request(server).get(url).expect(404); // anonymous either
    // If-None-Match through the fast path.
    expect((await alice.get(url).set('If-None-Match', first.headers.etag as string)).status).toBe(304);
    computed.mockRestore();
  });

  it('forgets a granted answer at revocation, and shows it again at the next grant', async () => {
    const grants = t.app.get(GrantService);
    const url = `/api/v1/photos?album=${ids.closed}&limit=100`;
    await alice.get(url).expect(200);
    await alice.get(url).expect(200);
    await grants.revoke(ids.closed, { userIds: [ids.userA] });
    await alice.get(url).expect(404);
    await grants.grant(ids.closed, { userIds: [ids.userA] });
    expect(titles(await alice.get(url).expect(200))).toEqual(['closed photo']);
  });

  it('sees a photo made private on the very next request', async () => {
    const url = `/api/v1/photos?album=${ids.open}&limit=100`;
    expect(titles(await request(server).get(url).expect(200))).toEqual(['open photo']);
    expect(titles(await request(server).get(url).expect(200))).toEqual(['open photo']);
    await t.db.dataSource.query(`UPDATE photos SET privacy_level = 4 WHERE title = 'open photo'`);
    expect(titles(await request(server).get(url).expect(200))).toEqual([]);
    expect(titles(await bob.get(url).expect(200))).toEqual([]);
    await t.db.dataSource.query(`UPDATE photos SET privacy_level = 0 WHERE title = 'open photo'`);
    expect(titles(await request(server).get(url).expect(200))).toEqual(['open photo']);
  });

  it('keeps the administrators-only filter for administrators, though editors see everything too', async () => {
    const url = `/api/v1/photos?album=${ids.open}&privacyLevel=4`;
    expect(titles(await admin.get(url).expect(200))).toEqual(['family photo']);
    expect(titles(await admin.get(url).expect(200))).toEqual(['family photo']); // stored
    await editor.get(url).expect(400); // same `all` scope, but not allowed this filter: never the stored answer
    expect(t.app.get(ApiAnswerCache).size).toBeGreaterThan(0);
  });

  it('leaves other routes and unknown query parameters to the normal pipeline', async () => {
    await request(server).get('/api/v1/tags').expect(200);
    await request(server).get('/api/v1/tags').expect(200);
    await request(server).get('/api/v1/tags?unknown=1').expect(400);
    await request(server).get(`/api/v1/photos?album=${ids.open}&nope=1`).expect(400);
  });
});
