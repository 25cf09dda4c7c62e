import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/users/password.hasher.js';
import { createMediaTestApp, jpeg, type MediaTestApp } from './media-harness.js';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('POST /api/v1/photos', () => {
  let t: MediaTestApp;
  let albumId: number;
  let otherAlbumId: number;
  beforeAll(async () => {
    t = await createMediaTestApp();
    albumId = (await t.albums.create({ name: 'Trips' })).id;
    otherAlbumId = (await t.albums.create({ name: 'Other' })).id;
  });
  afterAll(() => t?.close());

  it('stores a photo, links it, writes its eager derivatives; a duplicate is linked, not stored twice', async () => {
    const bytes = await jpeg(1);
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/photos')
      .set('X-Test-As', 'admin')
      .field('albumIds', String(albumId))
      .field('title', 'Lake <b>Bled</b>')
      .field('tags', 'lake, summer')
      .attach('file', bytes, 'lake.jpg');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const photo = res.body.photos[0];
    expect(photo).toMatchObject({ title: 'Lake <b>Bled</b>', width: 640, height: 480, duplicate: false });
    expect(photo.urls.sizes.thumb).toBe(`/media/photos/${photo.id}/thumb`);
    const tags: { slug: string }[] = await t.db.dataSource.query(
      `SELECT t.slug FROM tags t JOIN photo_tags pt ON pt.tag_id = t.id WHERE pt.photo_id = $1 ORDER BY 1`,
      [photo.id],
    );
    expect(tags.map((r) => r.slug)).toEqual(['lake', 'summer']);

    const again = await request(t.app.getHttpServer())
      .post('/api/v1/photos')
      .set('X-Test-As', 'admin')
      .field('albumIds', String(otherAlbumId))
      .attach('file', bytes, 'copy.jpg');
    expect(again.status).toBe(201);
    expect(again.body.photos[0]).toMatchObject({ id: photo.id, duplicate: true });
    const links: { album_id: number }[] = await t.db.dataSource.query(`SELECT album_id FROM album_photos WHERE photo_id = $1 ORDER BY 1`, [photo.id]);
    expect(links.map((l) => l.album_id)).toEqual([albumId, otherAlbumId]);
    expect(await filesUnder(join(t.config.dataDir, 'originals'))).toHaveLength(1);
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]);

    // The eager sizes are written from the probe's decode before the answer (no second decode),
    // the placeholder is in the row, and no job was queued for them (none to run later).
    const early = (await filesUnder(join(t.config.dataDir, 'derivatives'))).sort();
    expect(early.map((f) => f.split('/').pop())).toEqual(['medium.jpg', 'square.jpg', 'thumb.jpg']);
    expect(await t.jobs.list({ name: 'derivatives.eager' })).toEqual([]);
    const row: { blur_placeholder: string }[] = await t.db.dataSource.query(`SELECT blur_placeholder FROM photos WHERE id = $1`, [photo.id]);
    expect(row[0]!.blur_placeholder).toMatch(/^data:image\/webp;base64,/);
  });

  it('lets a contributor upload into a granted album (added_by is the contributor), not elsewhere', async () => {
    const granted = await t.albums.create({ name: 'Granted' });
    await t.db.dataSource.query(`INSERT INTO album_user_grants (album_id, user_id) VALUES ($1, $2)`, [granted.id, t.users.contributor]);
    const ok = await request(t.app.getHttpServer())
      .post('/api/v1/photos')
      .set('X-Test-As', 'contributor')
      .field('albumIds', String(granted.id))
      .attach('file', await jpeg(31), 'mine.jpg');
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const rows: { added_by: number }[] = await t.db.dataSource.query(`SELECT added_by FROM photos WHERE id = $1`, [ok.body.photos[0].id]);
    expect(rows[0]!.added_by).toBe(t.users.contributor);
    const mixed = await request(t.app.getHttpServer())
      .post('/api/v1/photos')
      .set('X-Test-As', 'contributor')
      .field('albumIds', `${granted.id},${albumId}`)
      .attach('file', await jpeg(32), 'mixed.jpg');
    expect(mixed.status).toBe(403);
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]);
  });

  it('works with a real session: log in, upload with the CSRF token, download the original', async () => {
    await t.db.dataSource.query(`UPDATE users SET password_hash = $1 WHERE id = $2`, [await PasswordHasher.hash('a long password'), t.users.admin]);
    const agent = request.agent(t.app.getHttpServer());
    const login = await agent.post('/api/v1/session').send({ username: 'root', password: 'a long password' });
    expect(login.status, JSON.stringify(login.body)).toBeLessThan(300);
    const res = await agent
      .post('/api/v1/photos')
      .set('X-CSRF-Token', login.body.csrfToken)
      .field('albumIds', String(albumId))
      .attach('file', await jpeg(41), 'session.jpg');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const original = await agent.get(res.body.photos[0].urls.original);
    expect(original.status).toBe(200);
    expect(original.headers['content-disposition']).toContain(`filename="session.jpg"`);
  });
});
