import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TusUploadService, TUS_EXPIRY_MS } from '../../src/uploads/tus-upload.service.js';
import { PasswordHasher } from '../../src/users/password.hasher.js';
import { createMediaTestApp, jpeg, type MediaTestApp } from './media-harness.js';

const TUS = '/api/v1/uploads/tus';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** `Upload-Metadata` from plain values. */
function meta(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');
}

describe('resumable uploads (tus) at /api/v1/uploads/tus', () => {
  let t: MediaTestApp;
  let http: ReturnType<typeof request>;
  let albumId: number;
  beforeAll(async () => {
    t = await createMediaTestApp();
    http = request(t.app.getHttpServer());
    albumId = (await t.albums.create({ name: 'Tus' })).id;
  });
  afterAll(() => t?.close());

  const create = (bytes: number, metadata: string, as = 'admin') =>
    http.post(TUS).set('X-Test-As', as).set('Tus-Resumable', '1.0.0').set('Upload-Length', String(bytes)).set('Upload-Metadata', metadata);
  const patch = (location: string, offset: number, body: Buffer, as = 'admin') =>
    http
      .patch(location)
      .set('X-Test-As', as)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Offset', String(offset))
      .set('Content-Type', 'application/offset+octet-stream')
      .send(body);
  const head = (location: string, as = 'admin') => http.head(location).set('X-Test-As', as).set('Tus-Resumable', '1.0.0');

  it('uploads in two parts, resumes from HEAD, ingests on the last byte and reports the photo', async () => {
    const bytes = await jpeg(501);
    const created = await create(bytes.length, meta({ albumIds: String(albumId), title: 'Resumed', tags: 'tus, test', filename: 'resumed.jpg', filetype: 'image/jpeg' }));
    expect(created.status, created.text).toBe(201);
    const location = created.headers.location as string;
    expect(location).toMatch(/^\/api\/v1\/uploads\/tus\/[0-9a-f]{32}$/);

    const half = Math.floor(bytes.length / 2);
    const first = await patch(location, 0, bytes.subarray(0, half));
    expect(first.status).toBe(204);
    expect(first.headers['upload-offset']).toBe(String(half));

    const probe = await head(location);
    expect(probe.status).toBe(200);
    expect(probe.headers['upload-offset']).toBe(String(half));
    expect(probe.headers['upload-length']).toBe(String(bytes.length));

    const wrongOffset = await patch(location, 0, bytes.subarray(0, 10));
    expect(wrongOffset.status).toBe(409);

    const last = await patch(location, half, bytes.subarray(half));
    expect(last.status, last.text).toBe(204);
    const photoId = Number(last.headers['vitrine-photo-id']);
    expect(photoId).toBeGreaterThan(0);
    expect(last.headers['vitrine-duplicate']).toBe('false');

    const status = await http.get(location).set('X-Test-As', 'admin');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ state: 'completed', offset: bytes.length, size: bytes.length, photo: { id: photoId, title: 'Resumed', duplicate: false } });
    const rows: { title: string; original_name: string; sha256: string }[] = await t.db.dataSource.query(`SELECT title, original_name, sha256 FROM photos WHERE id = $1`, [photoId]);
    expect(rows[0]).toMatchObject({ title: 'Resumed', original_name: 'resumed.jpg' });
    const tags: { slug: string }[] = await t.db.dataSource.query(`SELECT t.slug FROM tags t JOIN photo_tags pt ON pt.tag_id = t.id WHERE pt.photo_id = $1 ORDER BY 1`, [photoId]);
    expect(tags.map((r) => r.slug)).toEqual(['test', 'tus']);
    const links: { album_id: number }[] = await t.db.dataSource.query(`SELECT album_id FROM album_photos WHERE photo_id = $1`, [photoId]);
    expect(links.map((l) => l.album_id)).toEqual([albumId]);
    const eager = ['medium.jpg', 'square.jpg', 'thumb.jpg'].map((f) => join(t.config.dataDir, 'derivatives', '0', String(photoId), f));
    expect(eager.filter((f) => !existsSync(f))).toEqual([]); // written inline from the probe's decode

    // The bytes moved into storage; HEAD still answers "complete" so a client does not re-send.
    const after = await head(location);
    expect(after.status).toBe(200);
    expect(after.headers['upload-offset']).toBe(String(bytes.length));
    const tusFiles = (await filesUnder(join(t.config.dataDir, 'uploads', 'tus'))).map((f) => f.split('/').pop());
    expect(tusFiles.filter((f) => !f!.endsWith('.json'))).toEqual([]);
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]);
  });

  it('answers a duplicate with the existing photo, linked into the new album', async () => {
    const other = await t.albums.create({ name: 'Tus other' });
    const bytes = await jpeg(502);
    const one = await create(bytes.length, meta({ albumIds: String(albumId), filename: 'a.jpg' }));
    const firstId = Number((await patch(one.headers.location, 0, bytes)).headers['vitrine-photo-id']);
    const two = await create(bytes.length, meta({ albumIds: String(other.id), filename: 'b.jpg' }));
    const done = await patch(two.headers.location, 0, bytes);
    expect(done.status).toBe(204);
    expect(done.headers['vitrine-photo-id']).toBe(String(firstId));
    expect(done.headers['vitrine-duplicate']).toBe('true');
    const status = await http.get(two.headers.location).set('X-Test-As', 'admin');
    expect(status.body).toMatchObject({ state: 'completed', photo: { id: firstId, duplicate: true } });
    const links: { album_id: number }[] = await t.db.dataSource.query(`SELECT album_id FROM album_photos WHERE photo_id = $1 ORDER BY 1`, [firstId]);
    expect(links.map((l) => l.album_id)).toEqual([albumId, other.id]);
  });

  it('refuses content that is not an image at completion with problem+json, keeps nothing, and GET reports it', async () => {
    const html = Buffer.from('<html><body><script>alert(1)</script></body></html>');
    const created = await create(html.length, meta({ albumIds: String(albumId), filename: 'evil.jpg' }));
    expect(created.status).toBe(201);
    const done = await patch(created.headers.location, 0, html);
    expect(done.status).toBe(415);
    expect(done.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(done.text)).toMatchObject({ code: 'upload.not_an_image', status: 415 });
    const status = await http.get(created.headers.location).set('X-Test-As', 'admin');
    expect(status.body).toMatchObject({ state: 'failed', problem: { code: 'upload.not_an_image' } });
    const rows: { n: number }[] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos WHERE original_name = 'evil.jpg'`);
    expect(rows[0]!.n).toBe(0);
    const tusFiles = (await filesUnder(join(t.config.dataDir, 'uploads', 'tus'))).filter((f) => !f.endsWith('.json'));
    expect(tusFiles).toEqual([]);
  });

  it('refuses bad creations before any byte is stored: size, metadata, albums, rights, login', async () => {
    const ok = meta({ albumIds: String(albumId), filename: 'x.jpg' });
    const before = (await filesUnder(join(t.config.dataDir, 'uploads', 'tus'))).length;
    const tooBig = await create(t.config.maxUploadBytes + 1, ok);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.code).toBe('upload.too_large');
    expect((await create(0, ok)).body.code).toBe('upload.empty');
    const deferred = await http.post(TUS).set('X-Test-As', 'admin').set('Tus-Resumable', '1.0.0').set('Upload-Defer-Length', '1').set('Upload-Metadata', ok);
    expect(deferred.status).toBe(400);
    expect(deferred.body.code).toBe('upload.length_required');
    const noAlbum = await create(100, meta({ filename: 'x.jpg' }));
    expect(noAlbum.status).toBe(400);
    expect(noAlbum.body.code).toBe('upload.metadata_invalid');
    const unknownKey = await create(100, meta({ albumIds: String(albumId), vitrineOwner: 'user:1' }));
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.errors[0].path).toContain('vitrineOwner');
    expect((await create(100, 'albumIds ***')).status).toBe(400);
    expect((await create(100, meta({ albumIds: '999999' }))).status).toBe(404);
    const contributor = await create(100, ok, 'contributor');
    expect(contributor.status).toBe(403);
    expect(contributor.body.code).toBe('photo.album_forbidden');
    const guest = await http.post(TUS).set('Tus-Resumable', '1.0.0').set('Upload-Length', '100').set('Upload-Metadata', ok);
    expect(guest.status).toBe(401);
    expect(guest.headers['content-type']).toContain('application/problem+json');
    expect(await filesUnder(join(t.config.dataDir, 'uploads', 'tus'))).toHaveLength(before);
  });

  it('refuses bytes beyond the declared length', async () => {
    const created = await create(10, meta({ albumIds: String(albumId), filename: 'short.jpg' }));
    const res = await patch(created.headers.location, 0, Buffer.alloc(20, 1));
    expect(res.status).toBe(413);
  });

  it('shows an upload to its creator only (others get 404 on HEAD, PATCH, GET, DELETE)', async () => {
    const granted = await t.albums.create({ name: 'Carla' });
    await t.db.dataSource.query(`INSERT INTO album_user_grants (album_id, user_id) VALUES ($1, $2)`, [granted.id, t.users.contributor]);
    const bytes = await jpeg(503);
    const created = await create(bytes.length, meta({ albumIds: String(granted.id), filename: 'carla.jpg' }), 'contributor');
    expect(created.status, created.text).toBe(201);
    const location = created.headers.location as string;
    expect((await head(location, 'admin')).status).toBe(404);
    expect((await patch(location, 0, bytes, 'admin')).status).toBe(404);
    expect((await http.get(location).set('X-Test-As', 'admin')).status).toBe(404);
    expect((await http.delete(location).set('X-Test-As', 'admin').set('Tus-Resumable', '1.0.0')).status).toBe(404);
    expect((await http.get(`${TUS}/not-an-id`).set('X-Test-As', 'contributor')).status).toBe(404);
    const mine = await patch(location, 0, bytes, 'contributor');
    expect(mine.status, mine.text).toBe(204);
    const rows: { added_by: number }[] = await t.db.dataSource.query(`SELECT added_by FROM photos WHERE id = $1`, [Number(mine.headers['vitrine-photo-id'])]);
    expect(rows[0]!.added_by).toBe(t.users.contributor);
  });

  it('terminates an upload on DELETE', async () => {
    const created = await create(1000, meta({ albumIds: String(albumId), filename: 'gone.jpg' }));
    const location = created.headers.location as string;
    await patch(location, 0, Buffer.alloc(100, 7));
    const del = await http.delete(location).set('X-Test-As', 'admin').set('Tus-Resumable', '1.0.0');
    expect(del.status).toBe(204);
    expect((await head(location)).status).toBe(404);
  });

  it('removes stale partial uploads after the expiry period', async () => {
    const created = await create(1000, meta({ albumIds: String(albumId), filename: 'stale.jpg' }));
    const location = created.headers.location as string;
    const id = location.split('/').pop()!;
    await patch(location, 0, Buffer.alloc(100, 7));
    const dir = join(t.config.dataDir, 'uploads', 'tus');
    const service = t.app.get(TusUploadService);
    expect(await service.removeExpired()).toBe(0);
    const info = JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8'));
    info.creation_date = new Date(Date.now() - TUS_EXPIRY_MS - 60_000).toISOString();
    await writeFile(join(dir, `${id}.json`), JSON.stringify(info));
    expect(await service.removeExpired()).toBeGreaterThanOrEqual(1);
    const left = (await filesUnder(dir)).map((f) => f.split('/').pop());
    expect(left).not.toContain(id);
    expect(left).not.toContain(`${id}.json`);
    expect((await head(location)).status).toBe(404);
  });

  it('with a cookie session, every write needs the CSRF token', async () => {
    await t.db.dataSource.query(`UPDATE users SET password_hash = $1 WHERE id = $2`, [await PasswordHasher.hash('a long password'), t.users.admin]);
    const agent = request.agent(t.app.getHttpServer());
    const login = await agent.post('/api/v1/session').send({ username: 'root', password: 'a long password' });
    expect(login.status).toBeLessThan(300);
    const bytes = await jpeg(504);
    const metadata = meta({ albumIds: String(albumId), filename: 'session.jpg' });
    const noToken = await agent.post(TUS).set('Tus-Resumable', '1.0.0').set('Upload-Length', String(bytes.length)).set('Upload-Metadata', metadata);
    expect(noToken.status).toBe(403);
    expect(noToken.body.code).toBe('csrf.token_invalid');
    const created = await agent
      .post(TUS)
      .set('X-CSRF-Token', login.body.csrfToken)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Length', String(bytes.length))
      .set('Upload-Metadata', metadata);
    expect(created.status, created.text).toBe(201);
    const send = () =>
      agent.patch(created.headers.location).set('Tus-Resumable', '1.0.0').set('Upload-Offset', '0').set('Content-Type', 'application/offset+octet-stream');
    expect((await send().send(bytes)).status).toBe(403);
    const done = await send().set('X-CSRF-Token', login.body.csrfToken).send(bytes);
    expect(done.status, done.text).toBe(204);
    expect(Number(done.headers['vitrine-photo-id'])).toBeGreaterThan(0);
  });
});
