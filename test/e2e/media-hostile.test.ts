import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_STATUS_BY_KIND } from '../../src/common/errors.js';
import { makeHostileFixtures, XXE_SECRET, type Fixture } from '../fixtures/make-hostile-fixtures.js';
import { createMediaTestApp, jpeg, type MediaTestApp } from './media-harness.js';
import { VACUUM_JOB } from '../../src/database/database-maintenance.service.js';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('hostile uploads through HTTP', () => {
  let t: MediaTestApp;
  let fixtures: Record<string, Fixture>;
  let albumId: number;
  const http = () => request(t.app.getHttpServer());

  async function assertNothingStored(): Promise<void> {
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]);
    expect(await filesUnder(join(t.config.dataDir, 'originals'))).toEqual([]);
    const rows: { n: number }[] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`);
    expect(rows[0]!.n).toBe(0);
    // Only the embedded database's own maintenance job may wait in the queue.
    expect((await t.jobs.list({ limit: 1000 })).filter((j) => j.name !== VACUUM_JOB)).toEqual([]);
  }

  beforeAll(async () => {
    fixtures = await makeHostileFixtures(await mkdtemp(join(tmpdir(), 'vitrine-hostile-')));
    t = await createMediaTestApp();
    albumId = (await t.albums.create({ name: 'Inbox' })).id;
  });
  afterAll(() => t?.close());

  it('refuses every hostile fixture with its problem+json, leaving no file, row or job', async () => {
    const refused = Object.values(fixtures).filter((f) => !f.expect.accept);
    expect(refused.length).toBeGreaterThan(15);
    for (const fixture of refused) {
      if (fixture.expect.accept) continue;
      const res = await http()
        .post('/api/v1/photos')
        .set('X-Test-As', 'admin')
        .field('albumIds', String(albumId))
        .attach('file', await readFile(fixture.path), fixture.name);
      expect(res.status, `${fixture.name}: ${JSON.stringify(res.body)}`).toBe(HTTP_STATUS_BY_KIND[fixture.expect.kind]);
      expect(res.headers['content-type'], fixture.name).toMatch(/^application\/problem\+json/);
      expect(res.body.code, fixture.name).toBe(fixture.expect.code);
      await assertNothingStored();
    }
  });

  it('refuses a request mixing a good and a hostile file, naming the file, and keeps neither', async () => {
    const res = await http()
      .post('/api/v1/photos')
      .set('X-Test-As', 'admin')
      .field('albumIds', String(albumId))
      .attach('file', await jpeg(3), 'good.jpg')
      .attach('file', await readFile(fixtures['svg-script.jpg']!.path), 'svg-script.jpg');
    expect(res.status).toBe(415);
    expect(res.body.errors).toEqual([{ path: 'file[1]', message: expect.any(String) }]);
    await assertNothingStored();
  });

  it('refuses without storing: no album, unknown album, a guest, a contributor without a grant', async () => {
    const file = await jpeg(4);
    const noAlbum = await http().post('/api/v1/photos').set('X-Test-As', 'admin').attach('file', file, 'a.jpg');
    expect(noAlbum.status).toBe(400);
    expect(noAlbum.body.code).toBe('photo.invalid_form');
    const unknown = await http().post('/api/v1/photos').set('X-Test-As', 'admin').field('albumIds', '424242').attach('file', file, 'a.jpg');
    expect(unknown.status).toBe(404);
    const guest = await http().post('/api/v1/photos').field('albumIds', String(albumId)).attach('file', file, 'a.jpg');
    expect(guest.status).toBe(401);
    const contributor = await http().post('/api/v1/photos').set('X-Test-As', 'contributor').field('albumIds', String(albumId)).attach('file', file, 'a.jpg');
    expect(contributor.status).toBe(403);
    expect(contributor.body.code).toBe('photo.album_forbidden');
    const member = await http().post('/api/v1/photos').set('X-Test-As', 'member').field('albumIds', String(albumId)).attach('file', file, 'a.jpg');
    expect(member.status).toBe(403);
    await assertNothingStored();
  });

  it('accepts every good fixture in one request; metadata is stored sanitised, no XXE', async () => {
    const good = Object.values(fixtures).filter((f) => f.expect.accept);
    let req = http().post('/api/v1/photos').set('X-Test-As', 'admin').field('albumIds', String(albumId));
    for (const f of good) req = req.attach('file', await readFile(f.path), f.name);
    const res = await req;
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.photos).toHaveLength(good.length);
    const dump: { m: string }[] = await t.db.dataSource.query(`SELECT metadata::text || coalesce(description, '') || coalesce(title, '') AS m FROM photos`);
    expect(dump.map((r) => r.m).join('\n')).not.toContain(XXE_SECRET);
    // Every accepted file got its eager sizes (inline, from the probe's decode) and no job failed.
    const eager = ['medium.jpg', 'square.jpg', 'thumb.jpg'];
    const missing = res.body.photos.filter((p: { id: number }) => eager.some((f) => !existsSync(join(t.config.dataDir, 'derivatives', String(Math.floor(p.id / 1000)), String(p.id), f))));
    expect(missing).toEqual([]);
    await t.jobs.drain();
    expect(await t.jobs.list({ state: 'failed' })).toEqual([]);
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]);
  });
});

describe('client going away mid-upload', () => {
  let t: MediaTestApp;
  beforeAll(async () => {
    t = await createMediaTestApp();
  });
  afterAll(() => t?.close());

  it('leaves no temp file', async () => {
    const album = await t.albums.create({ name: 'Abort' });
    const server = t.app.getHttpServer() as import('node:http').Server;
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as import('node:net').AddressInfo).port;
    const boundary = 'xyzBOUNDARY';
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="albumIds"\r\n\r\n${album.id}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
    const { request: rawRequest } = await import('node:http');
    const req = rawRequest({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/api/v1/photos',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': '10000000', 'x-test-as': 'admin' },
    });
    req.on('error', () => undefined);
    req.write(head);
    req.write((await jpeg(9, 800, 600)).subarray(0, 20_000));
    await new Promise((r) => setTimeout(r, 150));
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toHaveLength(1); // the spool is mid-way
    req.destroy();
    for (let i = 0; i < 50 && (await filesUnder(join(t.config.dataDir, 'tmp'))).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]);
    const rows: { n: number }[] = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM photos`);
    expect(rows[0]!.n).toBe(0);
    await new Promise<void>((r) => server.close(() => r()));
  });
});

describe('upload size cap', () => {
  let t: MediaTestApp;
  beforeAll(async () => {
    t = await createMediaTestApp({ MAX_UPLOAD_BYTES: '4096' });
  });
  afterAll(() => t?.close());

  it('answers 413 upload.too_large and keeps no partial file', async () => {
    const album = await t.albums.create({ name: 'Small' });
    const big = await jpeg(5, 1200, 900);
    expect(big.length).toBeGreaterThan(4096);
    const res = await request(t.app.getHttpServer()).post('/api/v1/photos').set('X-Test-As', 'admin').field('albumIds', String(album.id)).attach('file', big, 'big.jpg');
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('upload.too_large');
    expect(await filesUnder(join(t.config.dataDir, 'tmp'))).toEqual([]);
  });
});
