import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GrantService } from '../../src/access/grant.service.js';
import { AlbumService } from '../../src/albums/album.service.js';
import { WsAnswerCache } from '../../src/piwigo-api/ws-response.cache.js';
import { UserService } from '../../src/users/user.service.js';
import { insertPhoto } from '../support/api-fixture.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** ws.php's answer cache never serves an answer older than the data or the permissions. */
let t: TestApp;
let server: Server;
let open = 0;
let closed = 0;
let photo = 0;

beforeAll(async () => {
  t = await createTestApp();
  server = t.app.getHttpServer() as Server;
  const albums = t.app.get(AlbumService);
  open = (await albums.create({ name: 'Open' })).id;
  closed = (await albums.create({ name: 'Closed', status: 'private' })).id;
  photo = await insertPhoto(t.db.dataSource, { title: 'first title' });
  await albums.linkPhotos(open, [photo]);
  await albums.linkPhotos(closed, [await insertPhoto(t.db.dataSource, { title: 'closed photo' })]);
});
afterAll(() => t.close());

const images = async (agent: ReturnType<typeof request.agent> | ReturnType<typeof request>, albumId: number) =>
  (JSON.parse((await agent.get(`/ws.php?format=json&method=pwg.categories.getImages&cat_id=${albumId}`)).text) as { result: { images: Array<{ name: string }> } }).result.images.map((i) => i.name);

describe('ws.php answer cache', () => {
  it('answers a repeated read from the cache, and sees data written by any path on the next request', async () => {
    const cache = t.app.get(WsAnswerCache);
    const get = vi.spyOn(cache, 'get');
    expect(await images(request(server), open)).toEqual(['first title']);
    expect(await images(request(server), open)).toEqual(['first title']);
    expect(get.mock.results.at(-1)?.value).toBeDefined(); // the second call was a hit
    await t.db.dataSource.query(`UPDATE photos SET title = 'second title' WHERE id = $1`, [photo]); // no service, no hook: the trigger
    expect(await images(request(server), open)).toEqual(['second title']);
    await t.db.dataSource.query(`UPDATE photos SET privacy_level = 4 WHERE id = $1`, [photo]);
    expect(await images(request(server), open)).toEqual([]);
    get.mockRestore();
  });

  it('keys answers by principal and sees permission changes at once', async () => {
    const user = await t.app.get(UserService).create({ username: 'viewer', password: 'viewer-pass' });
    const agent = request.agent(server);
    await agent.post('/ws.php?format=json').type('form').send({ method: 'pwg.session.login', username: 'viewer', password: 'viewer-pass' });
    expect(await images(agent, closed)).toEqual([]);
    expect(await images(request(server), closed)).toEqual([]);
    await t.app.get(GrantService).grant(closed, { userIds: [user.id] });
    expect(await images(agent, closed)).toEqual(['closed photo']);
    expect(await images(request(server), closed)).toEqual([]);
  });

  // Postgres only (PGlite is one session): the content version advances before the commit.
  it.runIf(process.env.DATABASE_URL)('does not keep an answer computed while a change is uncommitted (Postgres)', async () => {
    await t.db.dataSource.query(`UPDATE photos SET privacy_level = 0, title = 'first title' WHERE id = $1`, [photo]);
    expect(await images(request(server), open)).toEqual(['first title']);
    const tx = t.db.dataSource.createQueryRunner();
    await tx.connect();
    try {
      await tx.startTransaction();
      await tx.query(`UPDATE photos SET title = 'uncommitted title' WHERE id = $1`, [photo]); // the version advances now
      expect(await images(request(server), open)).toEqual(['first title']);
      await tx.commitTransaction();
    } finally {
      await tx.release();
    }
    expect(await images(request(server), open)).toEqual(['uncommitted title']); // at once, not after the TTL
  });

  it('drops entries after the TTL', () => {
    let now = 1000;
    const cache = new WsAnswerCache(t.db.dataSource, { ttlMs: 50, now: () => now });
    const response = { status: 200, contentType: 'text/plain', body: Buffer.from('x') };
    cache.set('k', response);
    expect(cache.get('k')).toBe(response);
    now += 51;
    expect(cache.get('k')).toBeUndefined();
  });
});
